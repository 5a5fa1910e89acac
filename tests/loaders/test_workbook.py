"""Reading offices' workbooks: layouts, merged labels, percent cells, notes, encodings,
formulas saved without their result, and the size limits.

Every workbook is built here in code (.xls ones, with xlwt, in test_import_xls.py).
"""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from loaders.filecheck import UnreadableFile
from loaders.workbook import read_workbook
from tests.fixtures.workbooks import CSV_TEXT, long_workbook, office_workbook, saved_by_excel, xlsx_bytes


def values_by_address(book) -> dict[str, object]:
    return {row.address("数值"): row.values["数值"] for row in book.rows}


def test_wide_office_sheet():
    book = read_workbook("汇总表.xlsx", office_workbook())
    assert values_by_address(book) == {
        "D4": "约1.2万", "E4": "430余", "F4": "—",
        "D5": 0.85, "E5": 0.9, "F5": None,
        "D6": 4.15, "E6": "9.04亿", "F6": 12,
    }
    by_cell = {r.address("数值"): r for r in book.rows}
    assert {r.values["地区"] for r in book.rows} == {"姑苏区"}  # the merged label, on every row
    assert by_cell["D5"].field("数值").percent and by_cell["E5"].field("数值").percent
    assert not by_cell["D6"].field("数值").percent
    assert (by_cell["E4"].values["年份"], by_cell["E4"].row, by_cell["E4"].sheet) == (2022, 4, "汇总表")
    assert by_cell["D4"].field("年份").label == "2021年"
    assert book.sheets_without_region == []


def test_long_template_sheet_with_a_title_row():
    data = long_workbook([["人民调解案件数", "姑苏", "", 2024, "1-10月", "", 20742, "", "件"]])
    (row,) = read_workbook("明细.xlsx", data).rows
    assert row.row == 3 and row.address("数值") == "G3"
    assert {k: v for k, v in row.values.items() if v not in (None, "")} == {
        "指标": "人民调解案件数", "地区": "姑苏", "年份": 2024, "期间": "1-10月", "数值": 20742, "单位": "件"}


def test_hidden_and_empty_sheets_are_skipped_and_said_so():
    book = Workbook()
    book.active.title = "空表"
    hidden = book.create_sheet("旧数据")
    hidden.append(["指标", "2020"])
    hidden.append(["行政应诉案件数", 5])
    hidden.sheet_state = "hidden"
    data = book.create_sheet("数据")
    data.append(["指标", "2020"])
    data.append(["行政应诉案件数", 7])
    parsed = read_workbook("x.xlsx", xlsx_bytes(book))
    assert [r.values["数值"] for r in parsed.rows] == [7]
    assert any("空表" in n and "空的" in n for n in parsed.notes)
    assert any("旧数据" in n and "隐藏" in n for n in parsed.notes)
    assert parsed.sheets_without_region == ["数据"]


def test_a_sheet_without_a_header_is_skipped_with_a_note():
    book = Workbook()
    book.active.append(["这是说明文字"])
    parsed = read_workbook("x.xlsx", xlsx_bytes(book))
    assert parsed.rows == [] and "没有找到表头" in parsed.notes[0]


@pytest.mark.parametrize("header, year, period, kind", [
    (2021, 2021, None, None),
    ("2021年度", 2021, None, None),
    ("２０２１年", 2021, None, None),
    ("2024年1-10月", 2024, "1-10月", None),
    # words in brackets belong to the year: a partial year or a target is never the full
    # year's actual figure
    ("2024年（1-10月）", 2024, "1-10月", None),
    ("2022年(截至6月底)", 2022, "截至6月底", None),
    ("截至2006年10月底", 2006, "截至10月底", None),
    ("2025年(目标)", 2025, None, "目标"),
    ("2025年目标", 2025, None, "目标"),
    ("2004年（预计）", 2004, "预计", None),  # validation refuses the period, names the column
    # a unit says nothing of the time
    ("2023年(件)", 2023, None, None),
    ("2023年（单位：万元）", 2023, None, None),
])
def test_what_a_wide_year_header_says(header, year, period, kind):
    book = Workbook()
    book.active.append(["指标", "地区", header])
    book.active.append(["行政应诉案件数", "吴中区", 31])
    (row,) = read_workbook("x.xlsx", xlsx_bytes(book)).rows
    assert (row.values["年份"], row.values.get("期间"), row.values.get("类型")) == (year, period, kind)


@pytest.mark.parametrize("note", ["注：2024年数据截至10月底；“—”表示未统计。", "注：2024年为1-10月数据"])
def test_a_note_below_the_data_gives_its_year_a_period(note):
    """Read as full-year figures, 2024's ten months would be compared with whole years."""
    book = Workbook()
    sheet = book.active
    sheet.append(["指标", "地区", "2023年", "2024年", "2025年(目标)"])
    sheet.append(["办理公证件数", "吴江区", 13050, 14210, 15000])
    sheet.append(["行政应诉案件数", "吴江区", 40, "—", None])
    sheet.append([note])
    parsed = read_workbook("x.xlsx", xlsx_bytes(book))
    by_year = {(r.values["指标"], r.values["年份"]): r for r in parsed.rows}
    noted = by_year[("办理公证件数", 2024)]
    assert noted.values["期间"] in ("截至10月底", "1-10月") and noted.values["备注"] == note
    assert noted.address("期间") == "A4"
    assert by_year[("办理公证件数", 2023)].values.get("期间") is None  # another year: whole
    assert by_year[("办理公证件数", 2025)].values.get("期间") is None
    assert any("第4行的表注写明2024年" in n and "1 个数字" in n for n in parsed.notes)


def test_a_year_header_whose_words_are_no_period_is_refused(catalog_db):
    from loaders.validate import validate
    from store.imports import load_reference

    book = Workbook()
    book.active.append(["指标", "地区", "2003年", "2004年（预计）"])
    book.active.append(["行政应诉案件数", "吴中区", 10, 11])
    validation = validate(read_workbook("x.xlsx", xlsx_bytes(book)), load_reference(catalog_db), "x.xlsx")
    assert [(i.row, i.column, i.message) for i in validation.issues] == [(2, "D（2004年(预计)）", "期间“预计”无法识别")]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_in_every_encoding_offices_save(encoding):
    parsed = read_workbook("填报.csv", CSV_TEXT.encode(encoding))
    assert [(r.values["指标"], r.values["数值"]) for r in parsed.rows] == [
        ("人民调解案件数", "25,000"), ("出庭应诉率", "近90%")]
    assert parsed.rows[0].sheet == "填报" and parsed.rows[0].address("数值") == "E2"


def _broken_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all")
    return buffer.getvalue()


@pytest.mark.parametrize("name, data, message", [
    ("renamed.xlsx", "这只是一个文本文件".encode(), "不是 Excel 工作簿"),
    ("broken.xlsx", _broken_zip(), "无法读取"),
    ("empty.csv", b"", "空的"),
    ("latin.csv", "指标\n".encode("utf-16"), "不是文本格式"),
])
def test_unreadable_files_are_refused_with_a_message(name, data, message):
    with pytest.raises(UnreadableFile, match=message):
        read_workbook(name, data)


def test_asking_for_a_missing_sheet_names_the_sheets_there():
    with pytest.raises(UnreadableFile, match="汇总表"):
        read_workbook("x.xlsx", office_workbook(), sheet="第二季度")


def wide_with_formulas() -> bytes:
    """Written by a program: a year header, a figure and a total as formulas."""
    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append(["指标", "地区", "2021", "=2021+1", "合计"])
    sheet.append(["行政应诉案件数", "吴中区", 5, "=C2*2", "=C2+D2"])
    sheet.append(["注：D 列为公式"])
    return xlsx_bytes(book)


@pytest.mark.parametrize("data, uncached, figures", [
    (long_workbook([["行政应诉案件数", "姑苏区", "", 2021, "", "", "=1+4"]]), [("明细表", 3, "G3", "数值")],
     {"G3": None}),
    (saved_by_excel(long_workbook([["行政应诉案件数", "姑苏区", "", 2021, "", "", "=1+4"]]), "1+4", "5"),
     [], {"G3": 5}),
    # The year header reads as empty, so its column is not read: the header is what is named.
    # The total column is not read either, so its formula does not matter.
    (wide_with_formulas(), [("汇总", 1, "D1", "")], {"C2": 5}),
])
def test_formulas_without_a_saved_result_are_named(data, uncached, figures):
    book = read_workbook("公式.xlsx", data)
    assert [(sheet, row, f.address, f.label) for sheet, row, f in book.uncached_formulas] == uncached
    assert values_by_address(book) == figures


def test_a_label_merged_past_the_last_figure_is_read():
    book = Workbook()
    sheet = book.active
    sheet.append(["地区", "指标", "2021"])
    sheet.append(["姑苏区", "行政应诉案件数", 5])
    sheet.append([None, "行政诉讼败诉案件数", 1])
    sheet.merge_cells("A2:A6")  # rows 4-6 are empty: the sheet's values end in row 3
    rows = read_workbook("x.xlsx", xlsx_bytes(book)).rows
    assert [(r.values["地区"], r.values["数值"]) for r in rows] == [("姑苏区", 5), ("姑苏区", 1)]


@pytest.mark.parametrize("number_format, percent", [
    ("0%", True), ("0.0%", True), ("#,##0.00%", True),
    ('0"%"', False), ("0\\%", False), ("0.00", False),  # the sign written after a plain number
])
def test_percent_is_told_by_the_number_format(number_format, percent):
    book = Workbook()
    book.active.append(["指标", "地区", "2021"])
    book.active.append(["行政机关负责人出庭应诉率", "姑苏区", 0.85])
    book.active["C2"].number_format = number_format
    (row,) = read_workbook("x.xlsx", xlsx_bytes(book)).rows
    assert row.percent is percent


def two_sheets(rows_each: int) -> bytes:
    book = Workbook()
    for index, sheet in enumerate([book.active, book.create_sheet()]):
        sheet.title = f"表{index + 1}"
        sheet.append(["指标", "地区", "2021"])
        for _ in range(rows_each - 1):
            sheet.append(["行政应诉案件数", "吴中区", 5])
    return xlsx_bytes(book)


@pytest.mark.parametrize("name, data, counted", [
    ("多表.xlsx", two_sheets(5), "5 行（之前各表 4 行）"),  # 4 + 4 figures: each sheet passes, the workbook does not
    ("明细.csv", ("指标,地区,2021\n" + "行政应诉案件数,吴中区,5\n" * 7).encode(), "8 行"),
])
def test_the_row_limit_holds_for_the_whole_upload(monkeypatch, name, data, counted):
    monkeypatch.setattr("loaders.filecheck.MAX_ROWS", 6)
    monkeypatch.setattr("loaders.filecheck.HEADER_ROWS", 1)
    with pytest.raises(UnreadableFile, match=rf"{re.escape(counted)}，超过一次导入的上限 6 行数据"):
        read_workbook(name, data)


@pytest.mark.parametrize("figures, refused", [(6, False), (7, True)])
def test_the_row_limit_counts_figures_not_the_rows_above_them(monkeypatch, figures, refused):
    """A title, a 填报单位 line and the header do not count: 6 figures under them pass a limit of 6."""
    monkeypatch.setattr("loaders.filecheck.MAX_ROWS", 6)
    monkeypatch.setattr("loaders.filecheck.HEADER_ROWS", 3)
    data = ("某区数据\n填报单位：某区司法局\n指标,地区,2021\n" + "行政应诉案件数,吴中区,5\n" * figures).encode()
    if refused:
        with pytest.raises(UnreadableFile, match="上限 6 行数据"):
            read_workbook("明细.csv", data)
    else:
        assert len(read_workbook("明细.csv", data).rows) == figures


def test_the_templates_own_sheets_are_read_without_a_note():
    """A template sent back filled: its 选项 (lists) and 填表说明 sheets are the template's,
    not skipped data worth a note; a workbook's other sheets still get theirs."""
    from exports.template import template_bytes

    book = read_workbook("模板.xlsx", template_bytes(["人民调解成功调处矛盾纠纷数"], ["姑苏区"]))
    assert book.notes == [] and book.rows == []
    other = Workbook()
    other.active.title = "说明"
    other.active["A1"] = "这里只有文字"
    assert any("说明" in note for note in read_workbook("其他.xlsx", xlsx_bytes(other)).notes)
