""".xls, what many offices and WPS still save: read and imported end to end.

The workbooks are written here with xlwt (a dev dependency, pure Python).
"""
from __future__ import annotations

import io

import pytest
import xlwt

from cli import main
from exports.tabular import LONG_COLUMNS
from loaders.filecheck import UnreadableFile
from loaders.workbook import read_workbook
from tests.conftest import SMALL_ROWS
from tests.fixtures.workbooks import assert_office_figures_stored, snapshot, stored


@pytest.fixture
def db_path(make_db, tmp_path):
    make_db(SMALL_ROWS, name="xls.duckdb").close()
    return tmp_path / "xls.duckdb"


def xls_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def office_xls() -> bytes:
    """The wide 汇总表 of test_workbook.office_workbook, as an .xls: a merged title, a
    填报单位 row, years across, 地区 merged down, percent-formatted cells, office number
    text, a dash, an empty cell, and notes below."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("汇总表")
    sheet.write_merge(0, 0, 0, 5, "2021—2023年法治政府建设主要指标汇总表")
    sheet.write(1, 0, "填报单位：苏州市司法局（盖章）")
    for col, header in enumerate(["地区", "指标名称", "单位", "2021年", 2022, "2023年"]):
        sheet.write(2, col, header)
    sheet.write_merge(3, 5, 0, 0, "姑苏区")
    percent = xlwt.easyxf(num_format_str="0%")
    rows = [["人民调解成功调处矛盾纠纷数", "件", "约1.2万", "430余", "—"],
            ["行政机关负责人出庭应诉率", "%", 0.85, 0.9, None],
            ["免罚轻罚涉及金额", "万元", 4.15, "9.04亿", 12]]
    for row, values in enumerate(rows, start=3):
        for col, value in enumerate(values, start=1):
            if value is not None:
                sheet.write(row, col, value, percent if row == 4 and col in (3, 4) else xlwt.Style.default_style)
    sheet.write(7, 0, "注：2023年数据截至10月底。")
    sheet.write(8, 0, "填表人：张三")
    return xls_bytes(book)


def long_xls(rows: list[list], hidden_sheet: bool = False) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("明细表")
    sheet.write(0, 0, "法治政府建设指标填报表")
    for col, header in enumerate(LONG_COLUMNS):
        sheet.write(1, col, header)
    for row, values in enumerate(rows, start=2):
        for col, value in enumerate(values):
            sheet.write(row, col, value)
    if hidden_sheet:
        old = book.add_sheet("旧数据")
        old.write(0, 0, "指标")
        old.write(0, 1, "2020")
        old.write(1, 0, "行政应诉案件数")
        old.write(1, 1, 99)
        old.visibility = 1
    return xls_bytes(book)


def test_wide_office_sheet_reads_like_the_xlsx_one():
    book = read_workbook("汇总表.xls", office_xls())
    by_cell = {r.address("数值"): r for r in book.rows}
    assert {cell: r.values["数值"] for cell, r in by_cell.items()} == {
        "D4": "约1.2万", "E4": "430余", "F4": "—",
        "D5": 0.85, "E5": 0.9, "F5": None,
        "D6": 4.15, "E6": "9.04亿", "F6": 12,
    }
    assert {r.values["地区"] for r in book.rows} == {"姑苏区"}  # the merged label, on every row
    assert [cell for cell, r in by_cell.items() if r.percent] == ["D5", "E5"]
    assert (by_cell["E4"].values["年份"], by_cell["E4"].field("年份").label) == (2022, "2022")
    assert book.notes == ["工作表“汇总表”第8行的表注写明2023年为“截至10月底”：该年未写期间的 1 个数字按此读取，表注记入备注"]
    assert by_cell["F6"].values["期间"] == "截至10月底" and book.uncached_formulas == []


def test_wide_office_sheet_imports(tmp_path, db_path, capsys):
    file = tmp_path / "汇总表.xls"
    file.write_bytes(office_xls())
    assert main(["import", str(file), "--db", str(db_path), "--user", "测试员"]) == 0
    assert "新增 7 条" in capsys.readouterr().out
    assert_office_figures_stored(db_path)


def test_long_sheet_imports_and_a_hidden_sheet_is_skipped(tmp_path, db_path, capsys):
    file = tmp_path / "明细.xls"
    file.write_bytes(long_xls([["人民调解案件数", "姑苏", "", "2024年", "截至10月底", "", "2.1万", "", "件"]],
                              hidden_sheet=True))
    assert main(["import", str(file), "--db", str(db_path)]) == 0
    assert "“旧数据”是隐藏的" in capsys.readouterr().out
    assert stored(db_path, "mediation_resolved", "320508", 2024, "1-10月") == (21000, "")
    assert stored(db_path, "admin_litigation_cases", "320508", 2020) == (50, "")  # not the hidden 99


def test_an_invalid_xls_writes_nothing(tmp_path, db_path, capsys):
    before = snapshot(db_path)
    file = tmp_path / "错误.xls"
    file.write_bytes(long_xls([["行政应诉案件数", "姑苏县", "", 2021, "", "", 5],
                               ["行政应诉案件数", "姑苏区", "", 2021, "", "", "很多"]]))
    assert main(["import", str(file), "--db", str(db_path)]) == 1
    out = capsys.readouterr().out
    assert "第3行 B（地区）" in out and "第4行 G（数值）" in out
    assert snapshot(db_path) == before


def test_a_tiny_xls_spanning_the_whole_sheet_is_refused():
    """Two cells, 5 KB: calamine would hold 65,536 × 256 cells (~1 GB) before any check."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("表")
    sheet.write(0, 0, "指标")
    sheet.write(65535, 255, 1)
    with pytest.raises(UnreadableFile, match="数据区域过大"):
        read_workbook("大.xls", xls_bytes(book))
