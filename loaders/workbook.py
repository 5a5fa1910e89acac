"""Read an office's workbook (.xlsx, .xls) or CSV into rows of the long format.

Values come from python-calamine (fast); what calamine cannot tell — whether a number
is shown as a percent — from openpyxl (.xlsx) or xlrd (.xls), read only when a sheet
has a number in a row that may be a percent. Each sheet is classified by its header
row: the long format (指标, 年份, 数值 columns) or the wide one (years across the
columns). Every figure keeps its sheet and cell address for provenance and messages.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath

from openpyxl.utils import get_column_letter

from loaders.filecheck import UnreadableFile, check_upload
from loaders.values import normalize_text

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
}
_HEADER_LOOKUP = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
HEADER_SCAN_ROWS = 30  # the header row is searched for among the first rows only
_YEAR_HEADER = re.compile(r"^((?:19|20)\d\d)(?:\.0)?(?:年度?)?(.*)$")
# A row starting like this, and every row after it, is a note or the signature block.
_TRAILER = re.compile(r"^(注|备注|说明|数据来源|填表人|填报人|审核人|负责人|联系人|联系电话|填报日期|制表)\s*\d*\s*[:：]")


@dataclass(frozen=True)
class Field:
    """One value of a parsed row and where it was read (address None when not from a cell)."""

    value: object
    address: str | None
    label: str  # the header of its column as written ('数值', '2021年')
    percent: bool = False  # a number Excel shows as a percent (0.85 shown as 85%)


@dataclass(frozen=True)
class ParsedRow:
    sheet: str
    row: int  # as Excel numbers rows (1-based)
    fields: dict[str, Field]  # long-format column name -> field


@dataclass
class ParsedWorkbook:
    rows: list[ParsedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sheets skipped and why, for the user
    sheets_without_region: list[str] = field(default_factory=list)


@dataclass
class Grid:
    """A sheet's cells from (A1), merged ranges (0-based, inclusive), and percent lookup."""

    name: str
    cells: list[list[object]]
    merged: list[tuple[int, int, int, int]]
    load_percent: Callable[[], set[tuple[int, int]]] = set

    @cached_property
    def percent_cells(self) -> set[tuple[int, int]]:
        return self.load_percent()

    def value(self, row: int, col: int) -> object:
        line = self.cells[row] if row < len(self.cells) else []
        return line[col] if col < len(line) else None


@dataclass(frozen=True)
class Layout:
    kind: str  # long | wide
    header_row: int
    columns: dict[str, int]  # long-format column name -> column index
    years: list[tuple[int, int, str, str]]  # wide: (column, year, period text, header text)


def address(row: int, col: int) -> str:
    return f"{get_column_letter(col + 1)}{row + 1}"


def _clean(value: object) -> object:
    """'' and whitespace-only text are empty; dates become text (never a year header)."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return str(value)
    return value


def normalize_header(value: object) -> str:
    text = normalize_text(str(value)) if value is not None else ""
    return re.sub(r"\(.*\)$", "", text).rstrip(":")


def _year_header(value: object) -> tuple[int, str] | None:
    """2021, 2021.0, '2021年', '2021年度', '2024年1-10月' -> (year, period text)."""
    if isinstance(value, float) and not value.is_integer():
        return None
    match = _YEAR_HEADER.match(normalize_header(value))
    return (int(match[1]), match[2]) if match else None


def find_layout(grid: Grid) -> Layout | None:
    for r in range(min(len(grid.cells), HEADER_SCAN_ROWS)):
        columns: dict[str, int] = {}
        years = []
        for c, value in enumerate(grid.cells[r]):
            name = _HEADER_LOOKUP.get(normalize_header(value))
            if name and name not in columns:
                columns[name] = c
            elif (year := _year_header(value)) is not None:
                years.append((c, year[0], year[1], normalize_header(value)))
        if {"指标", "年份", "数值"} <= columns.keys():
            return Layout("long", r, columns, [])
        if "指标" in columns and years:
            return Layout("wide", r, columns, years)
    return None


def _fill_merged(grid: Grid, layout: Layout) -> None:
    """A label merged down over several rows applies to each of them; merged value
    cells are left alone (one figure must not become several)."""
    value_columns = {layout.columns.get("数值")} | {c for c, *_ in layout.years}
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= layout.header_row or c0 in value_columns:
            continue
        top = grid.value(r0, c0)
        for r in range(r0, r1 + 1):
            line = grid.cells[r]
            for c in range(c0, min(c1 + 1, len(line))):
                if c not in value_columns:
                    line[c] = top


def _may_be_percent(unit: object) -> bool:
    """Only a % row, or a row that names no unit, can hold a percent-formatted figure."""
    return unit is None or normalize_text(str(unit)) == "%"


def _field(grid: Grid, row: int, col: int, label: str, check_percent: bool = False) -> Field:
    value = grid.value(row, col)
    percent = (check_percent and isinstance(value, (int, float)) and not isinstance(value, bool)
               and (row, col) in grid.percent_cells)
    return Field(value, address(row, col), label, percent)


def _labels(grid: Grid, layout: Layout, row: int) -> dict[str, Field]:
    header = grid.cells[layout.header_row]
    return {name: _field(grid, row, col, str(header[col]).strip())
            for name, col in layout.columns.items() if name not in ("数值", "年份")}


def _is_trailer(line: list[object]) -> bool:
    first = next((v for v in line if v is not None), None)
    return isinstance(first, str) and bool(_TRAILER.match(first.strip()))


def _data_rows(grid: Grid, layout: Layout) -> list[int]:
    rows = []
    for r in range(layout.header_row + 1, len(grid.cells)):
        line = grid.cells[r]
        if _is_trailer(line):
            break
        if any(v is not None for v in line):
            rows.append(r)
    return rows


def _long_rows(grid: Grid, layout: Layout) -> list[ParsedRow]:
    value_col, year_col = layout.columns["数值"], layout.columns["年份"]
    header = grid.cells[layout.header_row]
    rows = []
    for r in _data_rows(grid, layout):
        fields = _labels(grid, layout, r)
        unit = fields["单位"].value if "单位" in fields else None
        fields["年份"] = _field(grid, r, year_col, str(header[year_col]).strip())
        fields["数值"] = _field(grid, r, value_col, str(header[value_col]).strip(), _may_be_percent(unit))
        rows.append(ParsedRow(grid.name, r + 1, fields))
    return rows


def _wide_rows(grid: Grid, layout: Layout) -> list[ParsedRow]:
    rows = []
    for r in _data_rows(grid, layout):
        labels = _labels(grid, layout, r)
        unit = labels["单位"].value if "单位" in labels else None
        for col, year, period_text, header_text in layout.years:
            fields = dict(labels)
            fields["年份"] = Field(year, address(layout.header_row, col), header_text)
            if period_text:
                fields["期间"] = Field(period_text, address(layout.header_row, col), header_text)
            fields["数值"] = _field(grid, r, col, header_text, _may_be_percent(unit))
            rows.append(ParsedRow(grid.name, r + 1, fields))
    return rows


def parse_grid(grid: Grid, book: ParsedWorkbook) -> None:
    """Add the sheet's rows to the book, or a note saying why the sheet was skipped."""
    grid.cells = [[_clean(v) for v in line] for line in grid.cells]
    if not any(v is not None for line in grid.cells for v in line):
        book.notes.append(f"工作表“{grid.name}”是空的，已跳过")
        return
    layout = find_layout(grid)
    if layout is None:
        book.notes.append(f"工作表“{grid.name}”中没有找到表头（需要“指标”列，以及“年份”和“数值”列，"
                          "或以年份为列名的各列），已跳过")
        return
    _fill_merged(grid, layout)
    rows = _long_rows(grid, layout) if layout.kind == "long" else _wide_rows(grid, layout)
    book.rows.extend(rows)
    if "地区" not in layout.columns:
        book.sheets_without_region.append(grid.name)


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


def csv_grids(file_name: str, data: bytes) -> list[Grid]:
    text = _decode_csv(data)
    cells = [list(line) for line in csv.reader(io.StringIO(text))]
    return [Grid(PurePath(file_name).stem or "CSV", cells, [])]


def _xlsx_percent_loader(data: bytes, sheet: str) -> Callable[[], set[tuple[int, int]]]:
    def load() -> set[tuple[int, int]]:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        try:
            return {(c.row - 1, c.column - 1) for line in book[sheet].iter_rows() for c in line
                    if c.value is not None and c.data_type == "n" and "%" in (c.number_format or "")}
        finally:
            book.close()

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
                    if fmt is not None and "%" in fmt.format_str:
                        found.add((r, c))
        return found

    return load


def excel_grids(kind: str, data: bytes, sheet: str | None, book: ParsedWorkbook) -> list[Grid]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    names = [m.name for m in workbook.sheets_metadata]
    if sheet is not None and sheet not in names:
        raise UnreadableFile(f"没有名为“{sheet}”的工作表（本文件有：{'、'.join(names)}）")
    loader = _xlsx_percent_loader if kind == "xlsx" else _xls_percent_loader
    grids = []
    for meta in workbook.sheets_metadata:
        if sheet is not None and meta.name != sheet:
            continue
        if sheet is None and (meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet):
            book.notes.append(f"工作表“{meta.name}”是隐藏的（或不是普通工作表），已跳过")
            continue
        ws = workbook.get_sheet_by_name(meta.name)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])]
        grids.append(Grid(meta.name, ws.to_python(skip_empty_area=False), merged, loader(data, meta.name)))
    return grids


def read_workbook(file_name: str, data: bytes, sheet: str | None = None) -> ParsedWorkbook:
    """Every data sheet's rows; UnreadableFile (a message for the user) when the file
    is refused or cannot be parsed at all."""
    checked = check_upload(file_name, data)
    book = ParsedWorkbook()
    try:
        grids = (csv_grids(file_name, data) if checked.kind == "csv"
                 else excel_grids(checked.kind, data, sheet, book))
        for grid in grids:
            parse_grid(grid, book)
    except UnreadableFile:
        raise
    except Exception as err:  # any parser failure on a malformed file is the file's fault, not a crash
        raise UnreadableFile(f"文件无法读取，可能已损坏或不是 Excel/CSV 文件（{type(err).__name__}）。"
                             "请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。") from err
    return book
