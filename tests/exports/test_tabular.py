"""Workbooks written by exports.tabular read without widening a column or scrolling past the header."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from exports.tabular import MAX_COLUMN_WIDTH, column_width, write_xlsx


@pytest.mark.parametrize("texts,width", [
    (["年份", "2024"], 6),  # two Chinese characters: four digits' width, plus a margin
    (["数值", "1205"], 6),
    (["指标", "人民调解成功调处矛盾纠纷数"], 28),
    (["原文", "报" * 200], MAX_COLUMN_WIDTH),  # capped: the text wraps instead
])
def test_a_column_is_as_wide_as_its_longest_text(texts, width):
    assert column_width(texts) == pytest.approx(width, abs=0.5)


def test_the_written_sheet_is_fitted_frozen_and_wraps_long_text():
    frame = pd.DataFrame({"指标": ["行政复议新收案件数"], "数值": [38.0], "问题": ["单元格 A5 是公式" * 20]})
    buffer = io.BytesIO()
    write_xlsx(frame, buffer, sheet_title="问题清单")
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [c.value for c in sheet[2]] == ["行政复议新收案件数", 38, "单元格 A5 是公式" * 20]
    assert sheet.column_dimensions["A"].width == pytest.approx(column_width(["行政复议新收案件数"]))
    assert sheet.column_dimensions["C"].width == MAX_COLUMN_WIDTH and sheet["C2"].alignment.wrap_text
    assert not sheet["A2"].alignment.wrap_text
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
