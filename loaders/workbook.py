"""Read an office's workbook (.xlsx, .xls) or CSV into rows of the long format.

Values come from python-calamine (fast). What calamine cannot tell comes from the file
itself, read only when needed: whether a number is shown as a percent (the styles and
sheet XML for .xlsx, xlrd for .xls; only when a sheet has a number in a row that may be
a percent), and which formulas were saved without their result (.xlsx sheets holding
a formula). Each sheet is classified by its header row: the long format (指标, 年份,
数值 columns) or the wide one (years across the columns). Every figure keeps its sheet
and cell address for provenance and messages.

A 100,000-row sheet is read in about a second: a row holds its raw values and shares
its sheet's column map; the Field objects messages need are built only when asked for.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import gc
import io
import posixpath
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from pathlib import PurePath

from defusedxml import ElementTree
from openpyxl.utils import get_column_letter

from indicators.vocabulary import KIND_SYNONYMS
from loaders.filecheck import (
    HEADER_ROWS,
    CheckedFile,
    SheetScan,
    UnreadableFile,
    check_sheet_size,
    check_upload,
    counted_rows,
    scan_sheet_xml,
)
from loaders.units import EQUIVALENT_UNITS, split_unit
from loaders.values import is_no_figure, normalize_text

# Header text (after normalize_header) -> the long-format column it stands for.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "指标": ("指标", "指标名称", "项目", "指标项目", "指标项", "项目名称"),
    "地区": ("地区", "区域", "地区名称", "行政区", "行政区划"),
    "口径": ("口径", "统计口径"),
    "年份": ("年份", "年度", "年"),
    "期间": ("期间", "统计期间", "时期", "时段"),
    "类型": ("类型", "数据类型"),
    "数值": ("数值", "数据", "值", "数值/数据"),
    "限定": ("限定", "限定词"),
    "单位": ("单位", "计量单位"),
    "来源": ("来源", "数据来源"),
    "原文": ("原文",),
    "备注": ("备注", "说明"),
    "采纳": ("采纳",),  # a report's candidates (fazhi extract): only 是 is imported
    "分项": ("分项", "案件类别"),
}
_HEADER_LOOKUP = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
# The template's own sheets (exports/template.py writes them): its drop-down lists and its
# instructions are no data, and a clerk sending the template back needs no note about them.
TEMPLATE_OPTIONS_SHEET, TEMPLATE_INSTRUCTIONS_SHEET = "选项", "填表说明"
# A year column's header: 2021, 2021年, 2021年度, 2024年1-10月, 2024年(1-10月), 2025年(目标),
# 截至2006年10月底. What follows the year is its period and kind (and maybe its unit).
_YEAR_HEADER = re.compile(r"^(截至|截止)?((?:19|20)\d\d)(?:\.0)?(?:年度?)?(.*)$")
_BRACKETED = re.compile(r"\(([^()]*)\)")
# A row starting like this, and every row after it, is a note or the signature block.
_TRAILER = re.compile(r"^(注|备注|说明|数据来源|填表人|填报人|审核人|负责人|联系人|联系电话|填报日期|制表)\s*\d*\s*[:：]")
# Excel's built-in number formats that show a percent (0% and 0.00%).
_BUILTIN_PERCENT_FORMATS = {9, 10}
# Text in a number format that is shown as written, not as a format: "..." and \x.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.')
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class _CyclePause:
    """The cycle collector is one switch for the whole process, shared by every session
    of a dashboard: pauses are counted, so overlapping imports neither switch it back on
    under one another nor leave it off, and the last to end runs one collection, so the
    cyclic garbage other sessions made meanwhile (figures, frames) is freed at once
    instead of waiting for the collector's own schedule."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._restore = False

    def enter(self) -> None:
        with self._lock:
            if self._depth == 0:
                self._restore = gc.isenabled()
                gc.disable()
            self._depth += 1

    def leave(self) -> None:
        with self._lock:
            self._depth -= 1
            resume = self._depth == 0 and self._restore
            if resume:
                gc.enable()
        if resume:
            # The youngest generation only: with collection off nothing made during the
            # pause was promoted, so any cycle it made is there; a full collection also
            # walked every older object (~0.1 s of a 100k-row import).
            gc.collect(0)


_cycle_pause = _CyclePause()


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Reading and checking a 100,000-row sheet makes millions of small objects, none of
    them in a reference cycle: the cycle collector would only scan them again and again
    as they pile up (a sixth of the time). Reference counting still frees them."""
    _cycle_pause.enter()
    try:
        yield
    finally:
        _cycle_pause.leave()


@dataclass(frozen=True)
class Field:
    """One value of a parsed row and where it was read (address None when not from a cell)."""

    value: object
    address: str | None
    label: str  # the header of its column as written ('数值', '2021年')
    percent: bool = False  # a number Excel shows as a percent (0.85 shown as 85%)


@dataclass(frozen=True)
class Column:
    """Where a long-format column's values are read: shared by all rows of a sheet."""

    letters: str
    label: str  # its header as written
    header_row: int | None = None  # the value is the header cell's own (a wide sheet's year), in this row


@dataclass(slots=True)
class ParsedRow:
    """One figure: the raw values of its long-format columns and where they stand."""

    sheet: str
    row: int  # as Excel numbers rows (1-based)
    values: dict[str, object]  # long-format column name -> raw cell value (None when empty)
    columns: dict[str, Column]
    percent: bool = False  # 数值 is a number Excel shows as a percent
    # Addresses that are not one column's cell in this row: a statistical form's figure
    # summed over several cells ('AK59+AL59'), its unit named in a side panel (AY18).
    cells: dict[str, str] | None = None
    region_from_form: bool = False  # 地区 read from a form's unit: --region overrides it

    def address(self, name: str) -> str:
        if self.cells is not None and name in self.cells:
            return self.cells[name]
        column = self.columns[name]
        return f"{column.letters}{column.header_row or self.row}"

    def field(self, name: str) -> Field | None:
        if name not in self.values:
            return None
        return Field(self.values[name], self.address(name), self.columns[name].label,
                     self.percent and name == "数值")


@dataclass
class ParsedWorkbook:
    rows: list[ParsedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sheets skipped and why, for the user
    sheets_without_region: list[str] = field(default_factory=list)
    # Formula cells whose result the file does not hold: (sheet, row, the cell as a Field).
    uncached_formulas: list[tuple[str, int, Field]] = field(default_factory=list)
    # Problems a reader found itself (sheet, row, column, message, suggestion): errors,
    # as validation's own; and warnings that do not stop an import (a form's audit rules).
    problems: list[tuple[str, int | None, str, str, str]] = field(default_factory=list)
    region_problems: list[tuple[str, int | None, str, str, str]] = field(default_factory=list)  # moot with --region
    warnings: list[str] = field(default_factory=list)
    tables: int = 0  # sheets whose header row was found
    sheets_without_header: list[str] = field(default_factory=list)

    @property
    def has_no_table(self) -> bool:
        """Some sheet was read and none held a table: not the kind of file an import reads
        (a blank template, a table with its header and no figures, is one)."""
        return not self.rows and not self.tables and bool(self.sheets_without_header)


@dataclass
class Grid:
    """A sheet's cells from (A1), merged ranges (0-based, inclusive), and percent lookup."""

    name: str
    cells: list[list[object]]
    merged: list[tuple[int, int, int, int]]
    load_percent: Callable[[], set[tuple[int, int]]] = set
    uncached_formulas: list[tuple[int, int]] = field(default_factory=list)  # 0-based (row, column)

    @cached_property
    def percent_cells(self) -> set[tuple[int, int]]:
        return self.load_percent()

    def value(self, row: int, col: int) -> object:
        line = self.cells[row] if row < len(self.cells) else []
        return line[col] if col < len(line) else None


@dataclass(frozen=True)
class Layout:
    shape: str  # long | wide
    header_row: int
    columns: dict[str, int]  # long-format column name -> column index
    years: list[tuple[int, YearColumn, str]]  # wide: (column, what its header says, header text)


def address(row: int, col: int) -> str:
    return f"{get_column_letter(col + 1)}{row + 1}"


def _clean(value: object) -> object:
    """'' and whitespace-only text are empty; dates become text (never a year header)."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return str(value)
    return value


def _clean_cells(cells: list[list[object]]) -> list[list[object]]:
    """_clean on every cell, lines padded to one width. Numbers and text, nearly every
    cell, are handled inline: a function call per cell would double the time."""
    width = max(map(len, cells), default=0)
    cleaned = []
    for line in cells:
        line = [v if (k := v.__class__) is float or (k is str and v.strip()) or k is int
                else None if k is str else _clean(v) for v in line]
        cleaned.append(line + [None] * (width - len(line)) if len(line) < width else line)
    return cleaned


def normalize_header(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a year typed as a number: 2022, not 2022.0
    text = normalize_text(str(value)) if value is not None else ""
    return re.sub(r"\(.*\)$", "", text).rstrip(":")


@dataclass(frozen=True)
class YearColumn:
    """What a wide sheet's year header says of the figures under it."""
    year: int
    period: str  # as written ('' for the whole year); validation reads it
    kind: str    # as written ('' for 实际)


@functools.cache
def _catalog_units() -> frozenset[str]:
    from indicators.catalog import load_catalog
    return frozenset(split_unit(i.unit)[0] for i in load_catalog().indicators) | frozenset(EQUIVALENT_UNITS)


def _year_header(value: object) -> YearColumn | None:
    """2021, 2021.0, '2021年', '2021年度', '2024年1-10月', '2024年（1-10月）', '2025年(目标)',
    '截至2006年10月底' -> the year, and the period and kind its words give. Words in brackets
    are kept, not dropped as a label's are ("数值(件)"): a partial year or a target must never
    be read as the full year's actual figure. A unit in brackets ("2023年(件)") says nothing of
    the figure's time; any other word goes on as the period, which validation reads or refuses."""
    if isinstance(value, float) and not value.is_integer():
        return None
    if isinstance(value, float):
        value = int(value)
    text = normalize_text(str(value)) if value is not None else ""
    match = _YEAR_HEADER.match(text.rstrip(":"))
    if match is None:
        return None
    words = [match[3]] if not match[1] else [match[1] + match[3]]
    words = [piece for word in words for piece in (_BRACKETED.sub("", word), *_BRACKETED.findall(word))]
    kind = next((w for w in words if w in KIND_SYNONYMS), "")
    period = "".join(w for w in words if w and w != kind and not _is_unit(w))
    return YearColumn(int(match[2]), period, kind)


def _is_unit(word: str) -> bool:
    return word.startswith("单位") or split_unit(word)[0] in _catalog_units()


def find_layout(grid: Grid) -> Layout | None:
    for r in range(min(len(grid.cells), HEADER_ROWS)):
        columns: dict[str, int] = {}
        years = []
        for c, value in enumerate(grid.cells[r]):
            name = _HEADER_LOOKUP.get(normalize_header(value))
            if name and name not in columns:
                columns[name] = c
            elif (year := _year_header(value)) is not None:
                years.append((c, year, normalize_text(str(value))))  # brackets kept: "2024年(1-10月)"
        if {"指标", "年份", "数值"} <= columns.keys():
            return Layout("long", r, columns, [])
        if "指标" in columns and years:
            return Layout("wide", r, columns, years)
    return None


def _value_columns(layout: Layout) -> set[int | None]:
    return {layout.columns.get("数值")} | {c for c, *_ in layout.years}


def _fill_merged(grid: Grid, layout: Layout) -> None:
    """A label merged down over several rows applies to each of them; merged value
    cells are left alone (one figure must not become several). A range may run past
    the last row with a value: the grid ends there."""
    value_columns = _value_columns(layout)
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= layout.header_row or c0 in value_columns:
            continue
        top = grid.value(r0, c0)
        for r in range(r0, min(r1 + 1, len(grid.cells))):
            line = grid.cells[r]
            for c in range(c0, min(c1 + 1, len(line))):
                if c not in value_columns:
                    line[c] = top


@functools.lru_cache(maxsize=1024, typed=True)  # a sheet names a handful of units in every row
def _may_be_percent(unit: object) -> bool:
    """Only a % row, or a row that names no unit, can hold a percent-formatted figure."""
    return unit is None or normalize_text(str(unit)) == "%"


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_trailer(line: list[object]) -> bool:
    first = line[0] if line[0] is not None else next((v for v in line if v is not None), None)
    return isinstance(first, str) and bool(_TRAILER.match(first.strip()))


def _data_rows(grid: Grid, layout: Layout) -> tuple[list[int], int | None]:
    """The rows below the header that hold anything, and the notes row where the data
    ends (None: the data runs to the end of the sheet)."""
    rows = []
    for r in range(layout.header_row + 1, len(grid.cells)):
        line = grid.cells[r]
        if line.count(None) == len(line):
            continue
        if _is_trailer(line):
            return rows, r
        rows.append(r)
    return rows, None


def _header_label(header: list[object], col: int) -> str:
    return str(header[col]).strip() if col < len(header) and header[col] is not None else ""


def _label_columns(grid: Grid, layout: Layout) -> dict[str, Column]:
    header = grid.cells[layout.header_row]
    return {name: Column(get_column_letter(col + 1), _header_label(header, col))
            for name, col in layout.columns.items() if name not in ("数值", "年份")}


class _PercentCheck:
    """Whether a row's number is shown as a percent; the sheet's formats are read only
    when a number in a row that may be a percent asks."""

    def __init__(self, grid: Grid, layout: Layout):
        self.grid = grid
        self.unit_col = layout.columns.get("单位")

    def row_may_be(self, line: list[object]) -> bool:
        return self.unit_col is None or _may_be_percent(line[self.unit_col])

    def cell(self, row: int, col: int, value: object) -> bool:
        return _is_number(value) and (row, col) in self.grid.percent_cells


def _long_rows(grid: Grid, layout: Layout, data_rows: list[int]) -> list[ParsedRow]:
    columns = _label_columns(grid, layout)
    header = grid.cells[layout.header_row]
    for name in ("年份", "数值"):
        col = layout.columns[name]
        columns[name] = Column(get_column_letter(col + 1), _header_label(header, col))
    names, pick = list(columns), itemgetter(*(layout.columns[name] for name in columns))
    value_col = layout.columns["数值"]
    percent = _PercentCheck(grid, layout)
    rows = []
    for r in data_rows:
        line = grid.cells[r]
        values = dict(zip(names, pick(line)))
        shown_as_percent = percent.row_may_be(line) and percent.cell(r, value_col, line[value_col])
        rows.append(ParsedRow(grid.name, r + 1, values, columns, shown_as_percent))
    return rows


def _wide_rows(grid: Grid, layout: Layout, data_rows: list[int]) -> list[ParsedRow]:
    labels = _label_columns(grid, layout)
    names, indexes = list(labels), [layout.columns[name] for name in labels]
    per_year = []
    for col, year, header_text in layout.years:
        letters = get_column_letter(col + 1)
        from_header = Column(letters, header_text, layout.header_row + 1)
        columns = {**labels, "年份": from_header, "数值": Column(letters, header_text)}
        fixed: dict[str, object] = {"年份": year.year}
        if year.period:
            columns["期间"], fixed["期间"] = from_header, year.period
        if year.kind:
            columns["类型"], fixed["类型"] = from_header, year.kind
        per_year.append((col, columns, fixed))
    percent = _PercentCheck(grid, layout)
    rows = []
    for r in data_rows:
        line = grid.cells[r]
        label_values = dict(zip(names, [line[c] for c in indexes]))
        may_be_percent = percent.row_may_be(line)
        for col, columns, fixed in per_year:
            value = line[col]
            rows.append(ParsedRow(grid.name, r + 1, {**label_values, **fixed, "数值": value}, columns,
                                  may_be_percent and percent.cell(r, col, value)))
    return rows


def _uncached_in_data(grid: Grid, layout: Layout, data_end: int | None) -> list[tuple[str, int, Field]]:
    """The formulas without a result that the import reads: in the header row, or in a
    column it uses between the header and the notes (such a cell holds no value, so it
    may lie past the last row the grid has)."""
    header = grid.cells[layout.header_row]
    used = set(layout.columns.values()) | _value_columns(layout)
    return [(grid.name, r + 1, Field(None, address(r, c), _header_label(header, c)))
            for r, c in grid.uncached_formulas
            if r == layout.header_row or (layout.header_row < r < (data_end or r + 1) and c in used)]


def parse_grid(grid: Grid, book: ParsedWorkbook) -> None:
    """Add the sheet's rows to the book, or a note saying why the sheet was skipped."""
    grid.cells = _clean_cells(grid.cells)
    if not any(v is not None for line in grid.cells for v in line) and not grid.uncached_formulas:
        book.notes.append(f"工作表“{grid.name}”是空的，已跳过")
        return
    layout = find_layout(grid)
    if layout is None:
        hint = ""
        if grid.uncached_formulas:
            hint = (f"；其中 {len(grid.uncached_formulas)} 个公式单元格（如 {address(*grid.uncached_formulas[0])}）"
                    "没有保存计算结果，请在 Excel 或 WPS 中打开并保存后再上传")
        book.notes.append(f"工作表“{grid.name}”中没有找到表头（需要“指标”列，以及“年份”和“数值”列，"
                          f"或以年份为列名的各列），已跳过{hint}")
        book.sheets_without_header.append(grid.name)
        return
    book.tables += 1
    _fill_merged(grid, layout)
    data_rows, data_end = _data_rows(grid, layout)
    rows = (_long_rows if layout.shape == "long" else _wide_rows)(grid, layout, data_rows)
    if data_end is not None:
        _apply_notes(grid, data_end, rows, book)
    book.rows.extend(rows)
    book.uncached_formulas.extend(_uncached_in_data(grid, layout, data_end))
    if "地区" not in layout.columns:
        book.sheets_without_region.append(grid.name)


# A note below the data that gives a year's period: "注：2024年数据截至10月底", "2024年为1-10月数".
_NOTED_PERIOD = re.compile(r"((?:19|20)\d\d)年[^。；;]{0,8}?((?:截至|截止|至)\d{1,2}月(?:底|末)?|1[-—－至~～]\d{1,2}月|上半年|前三季度)")
_YEAR_VALUE = re.compile(r"(?:19|20)\d\d")


def _apply_notes(grid: Grid, data_end: int, rows: list[ParsedRow], book: ParsedWorkbook) -> None:
    """A 注 row saying that a year's figures cover part of it ("2024年数据截至10月底") gives
    that period to the year's figures that name none, the note going into their 备注: read
    as full-year figures they would be compared with other years' whole ones."""
    for r in range(data_end, len(grid.cells)):
        text = "".join(str(v) for v in grid.cells[r] if v is not None)
        for year, words in _NOTED_PERIOD.findall(normalize_text(text)):
            column = Column("A", "表注", r + 1)  # the note's row, told by its first column
            noted = [row for row in rows if _noted_year(row) == int(year) and not _written(row.values.get("期间"))
                     and not is_no_figure(row.values.get("数值"))]
            for row in noted:
                row.values = {**row.values, "期间": words,
                              "备注": row.values.get("备注") if _written(row.values.get("备注")) else text.strip()}
                row.columns = {**row.columns, "期间": column, "备注": row.columns.get("备注", column)}
            if noted:
                book.notes.append(f"工作表“{grid.name}”第{r + 1}行的表注写明{year}年为“{words}”："
                                  f"该年未写期间的 {len(noted)} 个数字按此读取，表注记入备注")


def _noted_year(row: ParsedRow) -> int | None:
    found = _YEAR_VALUE.search(normalize_text(str(row.values.get("年份") or "")))
    return int(found[0]) if found else None


def _written(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK, what Excel on a
    Chinese Windows saves)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as err:
        raise UnreadableFile("CSV 文件的编码无法识别，请另存为 UTF-8 或 GBK 编码后再上传。") from err


# `fazhi export` and the page's CSV download put an apostrophe before text a spreadsheet
# would run as a formula ('=…, '-…); read back, the apostrophe is taken off again, so an
# exported CSV imports as what was exported (the text stays text: nothing here evaluates it).
_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def _unneutralised(cell: str) -> str:
    return cell[1:] if cell.startswith(_NEUTRALISED) else cell


def csv_grids(file_name: str, data: bytes) -> list[Grid]:
    text = _decode_csv(data)
    cells = [[_unneutralised(cell) for cell in line] for line in csv.reader(io.StringIO(text))]
    name = PurePath(file_name).stem or "CSV"
    check_sheet_size(name, len(cells), max(map(len, cells), default=0))
    return [Grid(name, cells, [])]


def _is_percent_format(code: str) -> bool:
    """'0%', '0.0%' show a percent; '0"%"' and '0\\%' write the sign after the number as is."""
    return "%" in _FORMAT_LITERALS.sub("", code)


class _XlsxParts:
    """The parts of an .xlsx that calamine does not interpret: number formats, and each
    sheet's XML, for percent cells and formulas saved without their result."""

    def __init__(self, data: bytes):
        self.archive = zipfile.ZipFile(io.BytesIO(data))

    @cached_property
    def sheet_paths(self) -> dict[str, str]:
        """Sheet name -> its part, through the workbook's relationships (as calamine does)."""
        rels = ElementTree.fromstring(self.archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PACKAGE_REL_NS}Relationship")}
        book = ElementTree.fromstring(self.archive.read("xl/workbook.xml"))
        paths = {}
        for sheet in book.iter(f"{_MAIN_NS}sheet"):
            target = targets.get(sheet.get(f"{_REL_NS}id"), "")
            paths[sheet.get("name")] = (target.lstrip("/") if target.startswith("/")
                                        else posixpath.normpath(posixpath.join("xl", target)))
        return paths

    @cached_property
    def percent_styles(self) -> frozenset[int]:
        """The cellXfs indices whose number format shows a percent."""
        try:
            styles = ElementTree.fromstring(self.archive.read("xl/styles.xml"))
        except KeyError:
            return frozenset()
        percent_formats = set(_BUILTIN_PERCENT_FORMATS)
        for fmt in styles.iter(f"{_MAIN_NS}numFmt"):
            if _is_percent_format(fmt.get("formatCode", "")):
                percent_formats.add(int(fmt.get("numFmtId", -1)))
        cell_formats = styles.find(f"{_MAIN_NS}cellXfs")
        return frozenset(i for i, xf in enumerate(cell_formats if cell_formats is not None else [])
                         if int(xf.get("numFmtId", 0)) in percent_formats)

    def scan(self, sheet: str, styles: frozenset[int]) -> SheetScan:
        return scan_sheet_xml(self.archive.read(self.sheet_paths[sheet]), styles)

    def percent_loader(self, sheet: str) -> Callable[[], set[tuple[int, int]]]:
        def load() -> set[tuple[int, int]]:
            return self.scan(sheet, self.percent_styles).styled if self.percent_styles else set()

        return load


def _xls_percent_loader(data: bytes, sheet: str) -> Callable[[], set[tuple[int, int]]]:
    def load() -> set[tuple[int, int]]:
        import xlrd

        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        ws = book.sheet_by_name(sheet)
        found = set()
        for r in range(ws.nrows):
            for c in range(ws.ncols):
                if ws.cell_type(r, c) == xlrd.XL_CELL_NUMBER:
                    fmt = book.format_map.get(book.xf_list[ws.cell_xf_index(r, c)].format_key)
                    if fmt is not None and _is_percent_format(fmt.format_str):
                        found.add((r, c))
        return found

    return load


def _check_xls_sheet_sizes(data: bytes) -> None:
    """Refuse an .xls with a sheet too large to read, measured by xlrd (which keeps rows
    ragged): calamine reads every sheet when it opens the file, each as a whole
    rectangle, ~1 GB for a 5 KB file with one cell in A1 and one in IV65536."""
    import xlrd

    book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
    for name in book.sheet_names():
        ws = book.sheet_by_name(name)
        check_sheet_size(name, ws.nrows, max(map(ws.row_len, range(ws.nrows)), default=0))
        book.unload_sheet(name)


def excel_grids(checked: CheckedFile, sheet: str | None, book: ParsedWorkbook) -> list[Grid]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    if checked.file_format == "xls":  # an .xlsx sheet was measured by check_upload
        _check_xls_sheet_sizes(checked.data)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(checked.data))
    names = [m.name for m in workbook.sheets_metadata]
    if sheet is not None and sheet not in names:
        raise UnreadableFile(f"没有名为“{sheet}”的工作表（本文件有：{'、'.join(names)}）")
    parts = _XlsxParts(checked.data) if checked.file_format == "xlsx" else None
    grids = []
    rows_before = 0
    for meta in workbook.sheets_metadata:
        if sheet is not None and meta.name != sheet:
            continue
        if sheet is None and meta.name in (TEMPLATE_OPTIONS_SHEET, TEMPLATE_INSTRUCTIONS_SHEET):
            continue
        if sheet is None and (meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet):
            book.notes.append(f"工作表“{meta.name}”是隐藏的（或不是普通工作表），已跳过")
            continue
        ws = workbook.get_sheet_by_name(meta.name)
        rows, columns = (ws.end[0] + 1, ws.end[1] + 1) if ws.end else (0, 0)
        check_sheet_size(meta.name, rows, columns, rows_before)  # before any Python object per cell
        rows_before += counted_rows(rows)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])]
        grid = Grid(meta.name, ws.to_python(skip_empty_area=False), merged,
                    parts.percent_loader(meta.name) if parts else _xls_percent_loader(checked.data, meta.name))
        if parts and parts.sheet_paths.get(meta.name) in checked.formula_parts:
            scan = parts.scan(meta.name, parts.percent_styles)  # one parse: formulas, and percents with them
            grid.uncached_formulas = scan.uncached_formulas
            grid.percent_cells = scan.styled
        grids.append(grid)
    return grids


SheetParser = Callable[[Grid, ParsedWorkbook], None]


def read_workbook(file_name: str, data: bytes, sheet: str | None = None,
                  parse: SheetParser = parse_grid) -> ParsedWorkbook:
    """Every data sheet's rows; UnreadableFile (a message for the user) when the file
    is refused or cannot be parsed at all. `parse` reads one sheet (loaders/readers.py
    passes one that knows the statistical forms)."""
    checked = check_upload(file_name, data)
    book = ParsedWorkbook()
    try:
        with cycle_collection_paused():
            grids = csv_grids(file_name, data) if checked.file_format == "csv" else excel_grids(checked, sheet, book)
            for grid in grids:
                parse(grid, book)
    except UnreadableFile:
        raise
    except Exception as err:  # any parser failure on a malformed file is the file's fault, not a crash
        raise UnreadableFile(f"文件无法读取，可能已损坏或不是 Excel/CSV 文件（{type(err).__name__}）。"
                             "请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。") from err
    return book
