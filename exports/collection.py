"""Collection workbooks (数据征集表): one per region, in the long format, for a round.

Each row asks for one indicator of the collection, the region, year, period and kind
filled in; a figure the store already holds for it is filled in with its qualifier and
source, and 数值 is left blank where it is missing. The indicator's unit and definition
stand beside it, an instruction row sits above the header (the reader looks for the
header row below it and ignores the 指标定义 column), and the sheet prints A4 landscape,
one page wide, the header repeated. Imported untouched, a workbook changes nothing.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exports.safety import keep_text_literal, neutralize_for_csv
from exports.tabular import LONG_COLUMNS, plain_number, print_for_clerks, write_xlsx
from exports.template import add_dropdowns, add_option_lists
from indicators.collection import Collection

DEFINITION = "指标定义"
COLLECTION_COLUMNS = [*LONG_COLUMNS[:9], DEFINITION, *LONG_COLUMNS[9:]]  # the definition beside the unit
WIDTHS = {"指标": 30, "地区": 12, "口径": 8, "年份": 7, "期间": 7, "类型": 6, "数值": 14, "限定": 6, "单位": 6,
          DEFINITION: 40, "来源": 28, "原文": 16, "备注": 12, "分项": 8}
HEADER_ROW = 2
TO_FILL = PatternFill("solid", fgColor="FFF4C2")  # the blanks a clerk fills in


def file_name(region: str, year: int) -> str:
    return f"{region}_{year}年数据征集表.xlsx"


def instruction(collection: Collection, region: str, year: int) -> str:
    return (f"填表说明：本表为{region}{year}年{collection.name}，每行一项指标。黄色的“数值”为空白，请填写{year}年"
            f"{collection.period}{collection.kind}数（可写“约”“余”等限定，或填在“限定”列）；确实没有的请留空，不要填 0。"
            "已有数字已填入，请核对；如需修改，请同时改写“来源”。“指标定义”列供参考，导入时不读取。"
            "请勿改动表头以及指标、地区、年份、期间、类型各列。")


def _row(cell: pd.Series, collection: Collection, year: int) -> list[object]:
    known = cell["state"] == "full"
    values = {"指标": cell["indicator"], "地区": cell["region"], "口径": "", "年份": year, "期间": collection.period,
              "类型": collection.kind, "数值": plain_number(float(cell["value"])) if known else None,
              "限定": cell["qualifier"] if known else "", "单位": cell["unit"], DEFINITION: cell["definition"],
              "来源": (cell["source_label"] or "") if known and pd.notna(cell["source_label"]) else "", "原文": "", "备注": "",
              "分项": ""}  # a round asks for totals
    return [values[c] for c in COLLECTION_COLUMNS]


def collection_workbook(cells: pd.DataFrame, collection: Collection, year: int, region: str,
                        indicators: list[str], regions: list[str]) -> bytes:
    """One region's workbook from its coverage cells (queries.collection.coverage_cells)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "数据征集表"
    sheet.append([instruction(collection, region, year)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLLECTION_COLUMNS))
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 48
    sheet.append(COLLECTION_COLUMNS)
    for header in sheet[HEADER_ROW]:
        header.font = Font(bold=True)
    value_column = COLLECTION_COLUMNS.index("数值") + 1
    for _, cell in cells.iterrows():
        sheet.append(_row(cell, collection, year))
        if cell["state"] != "full":
            sheet.cell(row=sheet.max_row, column=value_column).fill = TO_FILL
    keep_text_literal(sheet, min_row=HEADER_ROW + 1)
    for line in sheet.iter_rows(min_row=HEADER_ROW + 1):
        line[COLLECTION_COLUMNS.index(DEFINITION)].alignment = Alignment(wrap_text=True, vertical="top")
    for n, name in enumerate(COLLECTION_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = WIDTHS[name]
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    print_for_clerks(sheet, HEADER_ROW)
    ranges = add_option_lists(book, indicators, regions)
    add_dropdowns(sheet, COLLECTION_COLUMNS, ranges, HEADER_ROW + 1, max(sheet.max_row, HEADER_ROW + 1))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def collection_workbooks(cells: pd.DataFrame, collection: Collection, year: int, indicators: list[str],
                         regions: list[str]) -> dict[str, bytes]:
    """File name -> workbook, one per region of the coverage cells, in their order."""
    return {file_name(region, year): collection_workbook(group, collection, year, region, indicators, regions)
            for region, group in cells.groupby("region", sort=False)}


def zip_workbooks(workbooks: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in workbooks.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write_coverage(table: pd.DataFrame, out: Path) -> None:
    """`fazhi coverage --out`: the coverage table as .xlsx or .csv (UTF-8 with BOM), text never a formula."""
    if out.suffix.lower() == ".csv":
        table.map(neutralize_for_csv).to_csv(out, index=False, encoding="utf-8-sig")
    else:
        write_xlsx(table, out, sheet_title="收齐情况")
