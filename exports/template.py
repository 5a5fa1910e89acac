"""The blank long-format template (`fazhi template`, 数据更新): a workbook with drop-down lists.

The lists live on a hidden 选项 sheet (a list typed into the validation itself is capped
at 255 characters; the indicator names are far longer). Indicators and regions come
from the database when it can be opened, else from the YAML catalog.
"""
from __future__ import annotations

import io

import duckdb
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from exports.safety import is_formula_like
from exports.tabular import LONG_COLUMNS, print_for_clerks
from indicators.catalog import load_catalog
from indicators.vocabulary import KINDS, PERIODS, QUALIFIERS
from loaders.reference import load_regions
from loaders.workbook import TEMPLATE_INSTRUCTIONS_SHEET, TEMPLATE_OPTIONS_SHEET
from queries.admin import fillable_indicator_names, region_names

TEMPLATE_ROWS = 1000  # rows that carry the drop-down lists
UNITS = ["件", "人", "人次", "个", "项", "家", "次", "场", "元", "万元", "亿元", "%"]
INSTRUCTIONS = [
    "填表说明",
    "1. 在“明细表”中每行填写一个数字：指标、地区、年份、数值为必填。",
    "2. 指标、地区、期间、类型、限定可从下拉列表中选择；地区也可写常用简称（如“姑苏”“园区”）。",
    "3. 数值可直接写报告中的写法，如 38、近90%、130余、4.15万、18,532；没有数字的请留空，不要填 0。",
    "4. 口径留空表示全区（全市）；部门口径请写明单位，如“区政府本级”“市司法局”。",
    "5. 期间留空即“全年”；截至某月底的累计数写“1-N月”。类型留空即“实际”，计划目标写“目标”。",
    "6. 新指标（下拉列表中没有的）须在“单位”列写明单位，导入时需确认“允许新建指标”。",
    "7. 分项留空表示总数；某一部分的数字（如行政复议新收案件中的“公安”类）请在“分项”列写明所属类别。",
    "8. 上传后系统先检查并列出新增、修改的数字，确认后才写入；每次导入都可撤销。",
]
# Column in LONG_COLUMNS -> (list on the 选项 sheet, must the value come from the list?)
DROPDOWNS = {"指标": ("indicators", False), "地区": ("regions", True), "期间": ("periods", True),
             "类型": ("kinds", True), "限定": ("qualifiers", True), "单位": ("units", False)}


def lists_from_db(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """Indicator and region names as the database has them (imported indicators too)."""
    derived = [d.id for d in load_catalog().derived]
    indicators = [r[0] for r in con.execute(*fillable_indicator_names(derived)).fetchall()]
    regions = [r[0] for r in con.execute(*region_names()).fetchall()]
    return indicators, regions


def lists_from_yaml() -> tuple[list[str], list[str]]:
    return [i.name for i in load_catalog().indicators], [r.name for r in load_regions()]


def _write_text(sheet: Worksheet, row: int, col: int, text: str) -> None:
    cell = sheet.cell(row=row, column=col, value=text)
    if is_formula_like(text):  # an imported indicator's name is user text: never a live formula
        cell.data_type = TYPE_STRING


def add_option_lists(book: Workbook, indicators: list[str], regions: list[str]) -> dict[str, str]:
    """The drop-down lists on a hidden 选项 sheet; each list's range, by key."""
    options = book.create_sheet(TEMPLATE_OPTIONS_SHEET)
    options.sheet_state = "hidden"
    lists = {"indicators": indicators, "regions": regions, "periods": list(PERIODS), "kinds": list(KINDS),
             "qualifiers": list(QUALIFIERS), "units": UNITS}
    ranges = {}
    for col, (key, values) in enumerate(lists.items(), start=1):
        _write_text(options, 1, col, key)
        for row, value in enumerate(values, start=2):
            _write_text(options, row, col, value)
        letter = get_column_letter(col)
        ranges[key] = f"'{TEMPLATE_OPTIONS_SHEET}'!${letter}$2:${letter}${max(2, len(values) + 1)}"
    return ranges


def add_dropdowns(sheet: Worksheet, columns: list[str], ranges: dict[str, str], first_row: int, last_row: int) -> None:
    """The template's drop-down lists on the columns of `columns` that have one."""
    for column, (key, strict) in DROPDOWNS.items():
        if column not in columns:
            continue
        letter = get_column_letter(columns.index(column) + 1)
        # showErrorMessage: without it Excel and WPS accept any typed text silently.
        rule = DataValidation(type="list", formula1=ranges[key], allow_blank=True, showErrorMessage=True,
                              errorStyle="stop" if strict else "warning",
                              error=f"请从下拉列表中选择{column}" if strict else f"“{column}”不在列表中，确定是新的吗？",
                              errorTitle=column)
        rule.add(f"{letter}{first_row}:{letter}{last_row}")
        sheet.add_data_validation(rule)


def template_bytes(indicators: list[str], regions: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "明细表"
    sheet.append(LONG_COLUMNS)
    sheet.freeze_panes = "A2"
    for n, name in enumerate(LONG_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = 36 if name in ("指标", "原文", "来源") else 12
    print_for_clerks(sheet, 1)
    ranges = add_option_lists(book, indicators, regions)
    add_dropdowns(sheet, LONG_COLUMNS, ranges, 2, TEMPLATE_ROWS + 1)

    notes = book.create_sheet(TEMPLATE_INSTRUCTIONS_SHEET)
    for line in INSTRUCTIONS:
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
