"""Look at an uploaded file's bytes before any parser does, and refuse the hostile ones.

A workbook parser given a zip bomb, an XML entity bomb or a million-row sheet can take
the server down; checking the container first costs microseconds. A sheet's size is
measured from its XML before python-calamine reads it: calamine allocates the whole
rectangle from A1 to the last cell at once, so a 5 KB file with one cell in A1 and one
in XFD1048576 would abort the server process (not raise). Every refusal is a Chinese
message for the clerk who sent the file.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.parsers import expat

MAX_FILE_BYTES = 20 * 1024 * 1024            # matches server.maxUploadSize in .streamlit/config.toml
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024   # all parts of an .xlsx together, once unpacked
MAX_COMPRESSION_RATIO = 200                  # real workbooks compress ~10:1; bombs 1000:1 and more
MAX_ZIP_MEMBERS = 5000
# Rows of data one upload may hold, all sheets together. The largest real submission
# (every indicator × region × period of a year) is a few thousand rows; 200,000 still
# imports in seconds, while a million-row sheet would tie the server up for minutes.
MAX_ROWS = 200_000
# Rows above a sheet's data (title, 填报单位, the header itself) not counted against MAX_ROWS:
# the header row is searched for among this many first rows (workbook.py).
HEADER_ROWS = 30
# Cells of one sheet's rectangle (A1 to its last cell): the readers hold it whole in
# memory (~100 bytes a cell). 200,000 rows of the 12 long-format columns are 2.4 million.
MAX_SHEET_CELLS = 5_000_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx (both OLE containers)
ZIP_MAGIC = b"PK\x03\x04"
_ENTITY = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_BINARY_MESSAGE = "这是二进制工作簿（.xlsb），无法读取。请在 Excel 或 WPS 中另存为 .xlsx 后再上传。"
_MACRO_MESSAGE = "工作簿含有宏（.xlsm），出于安全考虑不予读取。请另存为不含宏的 .xlsx 后再上传。"

# The quick look at a sheet's XML uses regular expressions with a literal start, which
# scan 50 MB in tens of milliseconds (a real XML parse takes a second). They only have
# to be conservative: whatever they cannot vouch for goes to the exact parse.
# A cell reference past column Z or row 99,999 (anything smaller stays within 99,999 × 26).
_LARGE_REF = re.compile(rb"""r\s*=\s*["']((?:[A-Za-z]{2}|[A-Za-z]\d{6})[A-Za-z]*\d*)""")
_REF = re.compile(rb"([A-Za-z]+)(\d+)")
_SMALL_REF_BOUND = (99_999, 26)
# A cell whose first attribute is not its reference: calamine then places it after the
# previous cell, so only the exact parse can tell where it lands.
_CELL_WITHOUT_LEADING_REF = (re.compile(rb"<c[\s/>](?!\s*r\s*=)"), re.compile(rb":c[\s/>](?!\s*r\s*=)"))
_FORMULA = (re.compile(rb"<f[\s/>]"), re.compile(rb":f[\s/>]"))
_SHEET_DATA = (b"<sheetData", b":sheetData")


class UnreadableFile(ValueError):
    """The file is refused before parsing; str() is the message for the user."""


@dataclass(frozen=True)
class CheckedFile:
    file_format: str  # xlsx | xls | csv
    data: bytes
    formula_parts: frozenset[str] = frozenset()  # .xlsx sheet parts that hold a formula


@dataclass
class SheetScan:
    """What an exact parse of a sheet's XML found; cells are 0-based (row, column)."""

    rows: int = 0     # the last row holding a value (1-based), as calamine sizes the sheet
    columns: int = 0  # the last column holding a value (1-based)
    uncached_formulas: list[tuple[int, int]] = field(default_factory=list)  # saved without their result
    styled: set[tuple[int, int]] = field(default_factory=set)  # numbers with one of the asked-for styles


def column_number(letters: str) -> int:
    """'A' -> 1, 'AA' -> 27 (case-insensitive, as calamine reads references)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _refuse_dtd(*_: object) -> None:
    raise UnreadableFile("工作簿内含 XML 实体声明（可能是恶意构造的文件），已拒绝。")


class _SheetXmlScanner:
    """expat callbacks that follow cells the way calamine places them: at their
    reference, else after the previous cell of the row."""

    def __init__(self, styles: frozenset[int]):
        self.scan = SheetScan()
        self.styles = styles
        self.row = self.col = -1
        self.cell: tuple[int, int] | None = None
        self.type = ""
        self.style: int | None = None
        self.formula = False
        self.value: str | None = None  # None: no <v>; '': an empty <v/>
        self.in_value = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(":")[2]
        if tag == "row":
            self.row = int(attrs["r"]) - 1 if attrs.get("r", "").isdigit() else self.row + 1
            self.col = -1
        elif tag == "c":
            ref = _REF.fullmatch(attrs.get("r", "").encode())
            self.col = column_number(ref[1].decode()) - 1 if ref else self.col + 1
            self.cell = (int(ref[2]) - 1 if ref else self.row, self.col)
            self.type, self.formula, self.value = attrs.get("t", "n"), False, None
            self.style = int(attrs["s"]) if attrs.get("s", "").isdigit() else None
        elif tag == "f":
            self.formula = True
        elif tag in ("v", "is"):
            self.in_value = True
            self.value = self.value or ("" if tag == "v" else "inline")

    def text(self, data: str) -> None:
        if self.in_value:
            self.value = (self.value or "") + data

    def end(self, name: str) -> None:
        tag = name.rpartition(":")[2]
        if tag in ("v", "is"):
            self.in_value = False
        elif tag == "c" and self.cell is not None:
            self.close_cell(*self.cell)
            self.cell = None

    def close_cell(self, row: int, col: int) -> None:
        scan = self.scan
        if self.value:  # calamine skips cells without a value: they do not widen the sheet
            scan.rows, scan.columns = max(scan.rows, row + 1), max(scan.columns, col + 1)
            if self.style in self.styles and self.type == "n":
                scan.styled.add((row, col))
        # A formula's result is saved in <v>; an empty <v/> of a text formula is a real (empty) result.
        elif self.formula and not (self.type == "str" and self.value is not None):
            scan.uncached_formulas.append((row, col))


def scan_sheet_xml(xml: bytes, styles: frozenset[int] = frozenset()) -> SheetScan:
    """Parse a sheet's XML for what calamine does not tell: where the cells with values
    end, formulas saved without their result (a file written by a program and never
    opened in Excel), and which numbers carry one of `styles` (cellXfs indices).
    Raises expat.ExpatError on malformed XML; a DTD is refused."""
    scanner = _SheetXmlScanner(styles)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.text
    parser.buffer_text = True
    parser.Parse(xml, True)
    return scanner.scan


def _quick_extent(xml: bytes) -> tuple[int, int] | None:
    """An upper bound on (rows, columns) from the cell references, or None when a cell
    has no leading reference and only the exact parse can place it."""
    if any(pattern.search(xml) for pattern in _CELL_WITHOUT_LEADING_REF):
        return None
    rows, columns = _SMALL_REF_BOUND
    for ref in _LARGE_REF.findall(xml):
        if match := _REF.fullmatch(ref):
            rows, columns = max(rows, int(match[2])), max(columns, column_number(match[1].decode()))
    return rows, columns


def _check_sheet_size(xml: bytes) -> None:
    """Refuse a sheet too large to read, from its XML alone (before calamine sees it)."""
    extent = _quick_extent(xml)
    if extent is None or extent[0] > MAX_ROWS or extent[0] * extent[1] > MAX_SHEET_CELLS:
        try:
            scan = scan_sheet_xml(xml)
        except expat.ExpatError as err:
            raise UnreadableFile("文件已损坏（工作表内容不是有效的 XML），无法读取。请重新保存后再上传。") from err
        extent = scan.rows, scan.columns
    check_sheet_size("", *extent)


def counted_rows(rows: int) -> int:
    """The rows of a sheet counted against MAX_ROWS: its first HEADER_ROWS may be its
    title and header, so a sheet of exactly MAX_ROWS figures under its header passes."""
    return max(rows - HEADER_ROWS, 0)


def check_sheet_size(sheet: str, rows: int, columns: int, rows_before: int = 0) -> None:
    """Refuse a sheet (or, with the data rows of the sheets before it, a workbook) too
    large to read."""
    where = f"工作表“{sheet}”" if sheet else "工作表"
    if rows_before + counted_rows(rows) > MAX_ROWS:
        counted = f"{rows_before + rows:,} 行" if not rows_before else f"{rows:,} 行（之前各表 {rows_before:,} 行）"
        raise UnreadableFile(f"{where}有 {counted}，超过一次导入的上限 {MAX_ROWS:,} 行数据"
                             f"（表头及以上至多 {HEADER_ROWS} 行不计），已拒绝。请拆分为多个文件后再上传。")
    if rows * columns > MAX_SHEET_CELLS:
        raise UnreadableFile(f"{where}的数据区域过大（{rows:,} 行 × {columns:,} 列），已拒绝。"
                             "请删除表格右侧和下方多余的内容（或只复制数据区域到新工作簿）后再上传。")


def _check_zip(data: bytes) -> frozenset[str]:
    """Refuse what must not be parsed; returns the sheet parts that hold a formula."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as err:
        raise UnreadableFile("文件已损坏（压缩包不完整），无法读取。请重新保存后再上传。") from err
    names = {m.filename for m in members}
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnreadableFile("文件内部结构异常（部件过多），已拒绝。")
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UnreadableFile("这不是 Excel 工作簿（.xlsx）。请上传 .xlsx、.xls 或 .csv 文件。")
    if "xl/workbook.bin" in names:  # .xlsb: its sheets cannot be measured before reading
        raise UnreadableFile(_BINARY_MESSAGE)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UnreadableFile(_MACRO_MESSAGE)
    total = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise UnreadableFile("文件解压后异常庞大（疑似“压缩炸弹”），已拒绝，未作解析。")
    try:
        return _check_parts(archive, members)
    except UnreadableFile:
        raise
    # A part that does not unpack: corrupt, encrypted (RuntimeError) or packed in a way
    # Python cannot unpack (NotImplementedError).
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, RuntimeError, NotImplementedError) as err:
        raise UnreadableFile("文件已损坏（压缩包不完整），无法读取。请重新保存后再上传。") from err


def _check_parts(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> frozenset[str]:
    formula_parts = set()
    for member in members:
        content = archive.read(member)
        # The whole part: a DTD may follow a comment of any length (within the unpacked size
        # already checked), and cell text can never hold "<!" unescaped.
        if member.filename.lower().endswith((".xml", ".rels")) and _ENTITY.search(content):
            raise UnreadableFile("工作簿内含 XML 实体声明（可能是恶意构造的文件），已拒绝。")
        # Every part with cells, whatever its name: calamine follows the workbook's
        # relationships, which a crafted file can point at any part.
        if any(marker in content for marker in _SHEET_DATA):
            _check_sheet_size(content)
            if any(pattern.search(content) for pattern in _FORMULA):
                formula_parts.add(member.filename)
    return frozenset(formula_parts)


def check_upload(file_name: str, data: bytes) -> CheckedFile:
    """Classify the upload by its bytes, not its name, and refuse what must not be parsed."""
    suffix = file_name.lower().rsplit(".", 1)[-1]
    if suffix == "xlsm":  # refused by name too, as the contract says: no macro workbook is read
        raise UnreadableFile(_MACRO_MESSAGE)
    if suffix == "xlsb":
        raise UnreadableFile(_BINARY_MESSAGE)
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，已拒绝。请拆分后上传。")
    if not data.strip():
        raise UnreadableFile("文件是空的。")
    if data.startswith(ZIP_MAGIC):
        return CheckedFile("xlsx", data, _check_zip(data))
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
            raise UnreadableFile("工作簿设置了打开密码，无法读取。请取消密码后再上传。")
        return CheckedFile("xls", data)
    if file_name.lower().endswith(".csv"):
        if b"\x00" in data[:4096]:
            raise UnreadableFile("这不是文本格式的 CSV 文件。")
        return CheckedFile("csv", data)
    raise UnreadableFile("这不是 Excel 工作簿或 CSV 文件（文件内容与扩展名不符）。请上传 .xlsx、.xls 或 .csv 文件。")
