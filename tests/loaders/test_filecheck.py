"""Broken and hostile files are refused by their bytes, before any parser sees them."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from loaders.filecheck import OLE_MAGIC, UnreadableFile, check_upload, scan_sheet_xml


def real_xlsx() -> bytes:
    book = Workbook()
    book.active.append(["指标", "地区", "年份", "数值"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item.filename)))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')


@pytest.mark.parametrize("name, make, message", [
    ("notes.xlsx", lambda: "这是一份说明文字，不是表格。".encode(), "不是 Excel 工作簿"),
    ("notes.xls", lambda: b"plain text pretending to be xls", "不是 Excel 工作簿"),
    ("empty.xlsx", lambda: b"", "空的"),
    ("cut.xlsx", lambda: real_xlsx()[:400], "已损坏"),
    ("macro.xlsx", lambda: rezip(real_xlsx(), extra={"xl/vbaProject.bin": b"\x00" * 100}), "宏"),
    ("bomb.xlsx", lambda: rezip(real_xlsx(), extra={"xl/media/zeros.bin": b"\x00" * 60_000_000}), "压缩炸弹"),
    ("entities.xlsx", lambda: rezip(real_xlsx(), replace={"xl/worksheets/sheet1.xml": ENTITY_BOMB}), "XML 实体"),
    # past the first 4 KB of the part, behind a long comment
    ("late_entities.xlsx", lambda: rezip(real_xlsx(), replace={
        "xl/worksheets/sheet1.xml": b'<?xml version="1.0"?><!--' + b"x" * 5000 + b"-->" + ENTITY_BOMB[21:]}), "XML 实体"),
    # refused by name as well as by content: a workbook saved as .xlsm or .xlsb is not read
    ("renamed.xlsm", real_xlsx, "宏"),
    ("renamed.xlsb", real_xlsx, ".xlsb"),
    ("locked.xlsx", lambda: OLE_MAGIC + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le"), "打开密码"),
    ("other.zip.xlsx", lambda: _plain_zip(), "不是 Excel"),
    ("binary.csv", lambda: b"\x00\x01\x02abc", "不是文本"),
])
def test_hostile_files_are_refused_with_a_chinese_message(name, make, message):
    with pytest.raises(UnreadableFile, match=message):
        check_upload(name, make())


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    return out.getvalue()


@pytest.mark.parametrize("name, make, kind", [
    ("ok.xlsx", real_xlsx, "xlsx"),
    ("renamed.xls", real_xlsx, "xlsx"),   # judged by content, not by name
    ("ok.csv", lambda: "指标,地区\n".encode("gbk"), "csv"),
    ("old.xls", lambda: OLE_MAGIC + b"\x00" * 512, "xls"),
])
def test_real_files_pass(name, make, kind):
    assert check_upload(name, make()).file_format == kind


def sheet_xml(rows: str) -> bytes:
    """A worksheet part with the given <sheetData> content, as a program may write it."""
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{rows}</sheetData></worksheet>").encode()


def with_sheet(rows: str) -> bytes:
    return rezip(real_xlsx(), replace={"xl/worksheets/sheet1.xml": sheet_xml(rows)})


def packed_as(method: int, data: bytes) -> bytes:
    """The workbook with its sheet part marked as packed by another compression method."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    patched = bytearray(data)
    patched[info.header_offset + 8:info.header_offset + 10] = method.to_bytes(2, "little")
    central = data.rindex(info.filename.encode()) - 46  # the central directory names it last
    patched[central + 10:central + 12] = method.to_bytes(2, "little")
    return bytes(patched)


def implicit_cells(count: int) -> str:
    return "<c><v>1</v></c>" * count


@pytest.mark.parametrize("name, make, message", [
    ("book.xlsm", lambda: rezip(real_xlsx(), extra={"xl/vbaProject.bin": b"\x00" * 100}), "宏"),
    ("binary.xlsb", lambda: rezip(real_xlsx(), extra={"xl/workbook.bin": b"\x00" * 100}), ".xlsb"),
    # A 5 KB file whose two cells span the whole sheet: calamine would allocate 17 billion
    # cells at once and abort the server process.
    ("corners.xlsx", lambda: with_sheet('<row r="1"><c r="A1"><v>1</v></c></row>'
                                        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'), "上限"),
    ("wide.xlsx", lambda: with_sheet('<row r="1"><c r="A1"><v>1</v></c></row>'
                                     '<row r="1000"><c r="XFD1000"><v>1</v></c></row>'), "数据区域过大"),
    ("tall.xlsx", lambda: with_sheet('<row r="1"><c r="A1"><v>1</v></c></row>'
                                     '<row r="1000000"><c r="A1000000"><v>1</v></c></row>'), "超过一次导入的上限"),
    ("quoted.xlsx", lambda: with_sheet("<row r='1'><c r = 'A1'><v>1</v></c><c r='XFD900'><v>1</v></c></row>"),
     "数据区域过大"),
    # Cells without a reference land after the previous one: only the exact parse can tell.
    ("implicit.xlsx", lambda: with_sheet(f'<row r="90000">{implicit_cells(100)}</row>'), "数据区域过大"),
    ("not xml.xlsx", lambda: with_sheet('<row r="1"><c><v>1</v></c><row>'), "已损坏"),
    ("deflate64.xlsx", lambda: packed_as(9, real_xlsx()), "已损坏"),  # a method Python cannot unpack
])
def test_sheets_too_large_or_odd_are_refused_before_reading(name, make, message):
    with pytest.raises(UnreadableFile, match=message):
        check_upload(name, make())


@pytest.mark.parametrize("rows, formulas", [
    ('<row r="1"><c r="A1"><v>1</v></c></row>', frozenset()),
    ('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>', {"xl/worksheets/sheet1.xml"}),
    (f'<row r="2">{implicit_cells(30)}</row>', frozenset()),  # small, though every cell is implicit
])
def test_sheets_that_pass_report_their_formulas(rows, formulas):
    assert check_upload("ok.xlsx", with_sheet(rows)).formula_parts == formulas


def test_the_row_limit_counts_the_rows_of_the_sheet(monkeypatch):
    monkeypatch.setattr("loaders.filecheck.MAX_ROWS", 5)
    monkeypatch.setattr("loaders.filecheck.HEADER_ROWS", 1)
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 8))
    with pytest.raises(UnreadableFile, match="7 行，超过一次导入的上限 5 行数据"):
        check_upload("seven.xlsx", with_sheet(rows))


@pytest.mark.parametrize("rows, expected", [
    # (rows, columns) of the cells with a value; uncached formulas; cells with style 1
    ('<row r="2"><c r="B2" s="1"><v>0.5</v></c><c r="C2" s="1" t="s"><v>0</v></c></row>',
     ((2, 3), [], {(1, 1)})),
    ('<row r="1"><c r="A1"><f>1+1</f><v/></c><c r="B1"><f>1+1</f></c><c r="C1"><f>1+1</f><v>2</v></c></row>',
     ((1, 3), [(0, 0), (0, 1)], set())),
    ('<row r="1"><c r="A1" t="str"><f>""</f><v></v></c></row>', ((0, 0), [], set())),  # an empty text result
    ('<row r="3"><c><v>1</v></c><c r="E9"><v>2</v></c><c s="1"><v>3</v></c></row><row><c><v>4</v></c></row>',
     ((9, 6), [], {(2, 5)})),  # placed as calamine places them
    ('<x:row r="1"><x:c r="B1" s="1"><x:f>1</x:f></x:c></x:row>', ((0, 0), [(0, 1)], set())),
])
def test_scan_sheet_xml(rows, expected):
    xml = sheet_xml(rows).replace(b"<worksheet ", b'<worksheet xmlns:x="urn:x" ')
    scan = scan_sheet_xml(xml, frozenset({1}))
    assert ((scan.rows, scan.columns), scan.uncached_formulas, scan.styled) == expected


def test_scan_sheet_xml_refuses_a_dtd():
    with pytest.raises(UnreadableFile, match="XML 实体"):
        scan_sheet_xml(ENTITY_BOMB)
