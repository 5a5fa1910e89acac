"""Collection workbooks and the template print as a clerk needs them, and the long-format
reader reads a collection workbook past its instruction row and definition column."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from exports.collection import COLLECTION_COLUMNS, DEFINITION, collection_workbook
from exports.template import template_bytes
from indicators.collection import Collection
from loaders.workbook import read_workbook

ROUND = Collection("annual", "年度数据征集", "全年", "实际", "区县", ("lawyers", "notarization_cases"))


def cells(*rows: dict) -> pd.DataFrame:
    base = {"indicator_id": "", "indicator": "", "unit": "件", "type": "流量", "definition": "", "region_id": "320508",
            "region": "姑苏区", "state": "missing", "period": None, "kind": None, "value": float("nan"),
            "qualifier": "", "source_label": None, "sentence": None, "arrived": None}
    return pd.DataFrame([{**base, **row} for row in rows])


WORKBOOK = collection_workbook(cells(
    {"indicator_id": "notarization_cases", "indicator": "办理公证件数", "definition": "办理的公证件数。",
     "state": "full", "period": "全年", "kind": "实际", "value": 12468.0, "qualifier": "余", "source_label": "=报告"},
    {"indicator_id": "lawyers", "indicator": "执业律师人数", "unit": "人", "definition": "执业律师人数。",
     "state": "partial", "period": "1-6月", "kind": "实际", "value": 40.0, "source_label": "报告"},
), ROUND, 2024, "姑苏区", ["办理公证件数", "执业律师人数"], ["姑苏区"])


@pytest.mark.parametrize("data, header_row", [(WORKBOOK, 2), (template_bytes(["办理公证件数"], ["姑苏区"]), 1)])
def test_prints_a4_landscape_one_page_wide_with_the_header_repeated(data, header_row):
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${header_row}:${header_row}"


def test_a_collection_workbook_asks_row_by_row():
    sheet = load_workbook(io.BytesIO(WORKBOOK))["数据征集表"]
    assert sheet["A1"].value.startswith("填表说明：本表为姑苏区2024年年度数据征集")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert list(rows[0]) == COLLECTION_COLUMNS and COLLECTION_COLUMNS.index(DEFINITION) == 9
    known, blank = (dict(zip(COLLECTION_COLUMNS, r)) for r in rows[1:])
    assert (known["数值"], known["限定"], known["单位"], known["来源"]) == (12468, "余", "件", "=报告")
    assert sheet["K3"].data_type == "s"  # a source that looks like a formula stays text
    assert (blank["数值"], blank["期间"], blank["来源"], blank[DEFINITION]) == (None, "全年", None, "执业律师人数。")
    assert sheet["G4"].fill.fgColor.rgb.endswith("FFF4C2") and sheet["G3"].fill.fill_type is None
    lists = {str(v.sqref)[0] for v in sheet.data_validations.dataValidation}
    assert lists == {"A", "B", "E", "F", "H", "I"}  # 指标 地区 期间 类型 限定 单位
    # …and each says so when something else is typed (without it Excel and WPS take anything)
    assert all(v.showErrorMessage for v in sheet.data_validations.dataValidation)


def test_the_reader_skips_the_instruction_row_and_the_definition_column():
    book = read_workbook("姑苏区_2024年数据征集表.xlsx", WORKBOOK)
    assert [r.row for r in book.rows] == [3, 4]
    assert book.rows[0].values["数值"] == 12468 and DEFINITION not in book.rows[0].values
    assert book.rows[1].values["数值"] is None  # a blank to fill: no figure, never a zero
