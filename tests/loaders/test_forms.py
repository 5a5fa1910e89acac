"""Official statistical forms: 行政复议案件统计报表 (国法复统字1号) read through its profile,
in .xls as offices fill it and re-saved as .xlsx. The blank form is filled in code
(tests/fixtures/workbooks.py) with known figures per 案件类别."""
from __future__ import annotations

import io

import pytest

from loaders.forms import load_profiles, region_in
from loaders.readers import reader_for
from loaders.validate import validate
from tests.fixtures.workbooks import REVIEW_FORM_ROWS, resaved_as_xlsx, review_form_xls, with_total

FORMATS = {"xls": lambda data: data, "xlsx": resaved_as_xlsx}


def read(data: bytes, suffix: str = "xls"):
    name = f"行政复议统计.{suffix}"
    return reader_for(name).read(name, FORMATS[suffix](data), None)


def figures(book) -> dict[tuple[str, str], object]:
    return {(r.values["指标"], r.values["分项"]): r.values["数值"] for r in book.rows}


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize(("indicator", "breakdown", "expected", "cell"), [
    ("admin_review_received", "", 55, "E59"),                       # 合计 row, 栏次 2
    ("admin_review_received", "公安", 30, "E13"),
    ("admin_review_received", "房屋征补（拆迁）", 8, "E25"),
    ("admin_review_closed", "", 26 + 10 + 8 + 3, "AH59"),            # 栏次 31
    ("admin_review_corrected", "", 4 + 1 + 3, "AK59+AL59+AM59+AN59"),  # 栏次 34–37
    ("admin_review_corrected", "土地", 1, "AK18+AL18+AM18+AN18"),
    ("admin_review_mediated", "公安", 4 + 3, "AO13+AQ13"),           # 调解 38 + 和解协议 40
    ("admin_review_mediated", "其他", 1, "AO58+AQ58"),               # 40 blank: the sum of what is there
    ("admin_review_carried_over", "", 3, "D59"),
    ("admin_review_pending", "土地", 3, "AT18"),
])
def test_a_filled_form_gives_each_figure_with_its_breakdown_and_cell(suffix, indicator, breakdown, expected, cell):
    book = read(review_form_xls(), suffix)
    assert not book.problems and not book.warnings
    row = next(r for r in book.rows if r.values["指标"] == indicator and r.values["分项"] == breakdown)
    assert row.values["数值"] == expected
    assert (row.values["地区"], row.values["年份"], row.values["期间"], row.values["口径"]) == ("姑苏区", 2023, "全年", "")
    assert row.sheet == "sheet1" and row.address("数值") == cell
    assert "国法复统字1号" in row.values["备注"] and "行次" in row.values["备注"] and "栏次" in row.values["备注"]


def test_a_sum_missing_some_of_its_columns_is_a_lower_bound():
    """调解和解 of 其他 is 栏38 + 栏40 with 栏40 blank: at least the 1 of 栏38, not exactly 1."""
    rows = {r.values["分项"]: r for r in read(review_form_xls()).rows if r.values["指标"] == "admin_review_mediated"}
    assert (rows["其他"].values["数值"], rows["其他"].values["限定"]) == (1, "以上")
    assert "栏次40未填数字" in rows["其他"].values["备注"]
    assert "限定" not in rows["公安"].values  # both columns filled: the count itself


@pytest.mark.parametrize(("change", "read_as"), [
    ({"period": "2023年1月至12月"}, (2023, "全年")),  # the year written once
    ({"period": "2023年1-6月"}, (2023, "1-6月")),
    ({"extra": {"D12": "1", "C13": "1"}}, (2023, "全年")),  # 栏次 and 行次 printed as text
    ({"extra": {"AQ3": "表号 国法复统字1号"}}, (2023, "全年")),  # the 表号 line without its colon
])
def test_forms_as_offices_fill_them_in_are_read(change, read_as):
    book = read(review_form_xls(**change))
    assert not book.problems and book.rows
    assert {(r.values["年份"], r.values["期间"]) for r in book.rows} == {read_as}


@pytest.mark.parametrize("inserted_at", [8, 13])  # above the header; above 行次 1 and the side panel
def test_a_row_inserted_above_the_table_moves_nothing_it_reads(inserted_at):
    """The 栏次 row and the side panel's 单位全称 are found beside their labels, not at fixed
    addresses: with the panel moved down a row, AY16 held 市 and the form went to 苏州市."""
    from openpyxl import load_workbook

    filled = review_form_xls(unit="苏州市吴中区司法局", extra={"AY15": "苏州市"})
    book = load_workbook(io.BytesIO(resaved_as_xlsx(filled)))
    book.active.insert_rows(inserted_at)
    buffer = io.BytesIO()
    book.save(buffer)
    moved = reader_for("行政复议统计.xlsx").read("行政复议统计.xlsx", buffer.getvalue(), None)
    assert not moved.problems and {r.values["地区"] for r in moved.rows} == {"吴中区"}
    assert figures(moved) == figures(read(filled))


def test_blank_cells_give_no_figure_never_a_zero():
    found = figures(read(review_form_xls()))
    assert ("admin_review_corrected", "其他") not in found       # 栏次 34–37 of 其他 left blank
    assert ("admin_review_received", "国家安全") not in found     # a row left blank
    assert found[("admin_review_altered", "公安")] == 0            # a written 0 is a figure


def test_only_the_categories_filled_in_are_breakdowns():
    breakdowns = {b for _, b in figures(read(review_form_xls()))}
    assert breakdowns == {"", "公安", "土地", "房屋征补（拆迁）", "其他"}


def test_a_blank_form_gives_nothing_and_says_so():
    book = read(review_form_xls(rows={}, period=None, unit=None))
    assert book.rows == [] and book.problems == [] and book.region_problems == []
    assert any("国法复统字1号" in note and "没有填写任何数字" in note for note in book.notes)


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize(("change", "cell", "message"), [
    ({"extra": {"E13": "三十"}}, ("E", 13), "应填写数字"),
    ({"extra": {"AH18": "约10"}}, ("AH", 18), "应填写数字"),
    ({"period": "2022年 7月 至 2023年 6月"}, ("A", 2), "跨越 2022 年和 2023 年"),
    ({"period": "    年    月 至     年    月"}, ("A", 2), "无法识别"),
    ({"period": "2023年 4月 至 2023年 6月"}, ("A", 2), "不是从1月起"),
])
def test_each_error_names_its_cell_and_nothing_is_read(suffix, change, cell, message):
    book = read(review_form_xls(**change), suffix)
    assert book.rows == []
    assert [(p[2], p[1]) for p in book.problems] == [cell]
    assert message in book.problems[0][3]


@pytest.mark.parametrize(("unit", "expected"), [
    ("苏州市姑苏区司法局", "姑苏区"),
    ("苏州高新区（虎丘区）司法局", "虎丘区"),
    ("苏州工业园区社会事业局", "苏州工业园区"),
    ("苏州市司法局", "苏州市"),
    ("昆山市人民政府", "昆山市"),
    ("北京市人民政府法制办公室", None),
    ("苏州市住房和城乡建设局", "苏州市"),
    # a place the catalog does not hold, after a name it does: not that region's figures
    ("苏州市沧浪区司法局", None),  # merged into 姑苏区 in 2012; old forms still name it
    ("苏州太湖国家旅游度假区管委会", None),
    ("苏州市吴中区木渎镇人民政府", None),
])
def test_the_region_is_the_one_the_unit_names(unit, expected):
    assert region_in(unit) == expected


def test_the_unit_is_read_from_the_first_place_that_names_a_region():
    book = read(review_form_xls(unit=None, extra={"A7": "填表单位（盖章）：吴江区人民政府"}))
    assert {r.values["地区"] for r in book.rows} == {"吴江区"}
    assert {r.address("地区") for r in book.rows} == {"A7"}


def test_an_unknown_unit_is_an_error_at_its_cell_unless_a_region_is_given(catalog_db):
    from store.imports import load_reference

    book = read(review_form_xls(unit="北京市人民政府法制办公室"))
    assert book.rows and not book.problems
    ref = load_reference(catalog_db)
    issues = validate(book, ref, "f.xls").issues
    assert [(i.row, i.column) for i in issues if "填表单位" in i.message] == [(18, "AY")]
    assert len(issues) == 1 and "北京市人民政府法制办公室" in issues[0].message
    chosen = validate(book, load_reference(catalog_db), "f.xls", region="吴中区")
    assert not [i for i in chosen.issues if "填表单位" in i.message or "地区" in i.message]
    assert set(chosen.rows["region_id"]) == {"320506"}


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize(("rows", "expected"), [
    # 合计 of 栏次 3 below what its categories already add up to: names the total's cell and
    # the category rows' range (above it, the categories left blank could make up the rest)
    (lambda t: {**t, 47: {**t[47], 3: 51}}, "审核关系“合计等于各案件类别之和”在栏次3不成立：F59 = 51，而 F13:F58 = 52"),
    # 未审结 of 公安 off by one
    (lambda t: {**t, 1: {**t[1], 43: 7}, 47: {**t[47], 43: t[47][43] + 1}},
     "审核关系“未审结 = 上期结转 + 本期新收 − 已审结”在行次1不成立：AT13 = 7，而 D13:E13 − AH13 = 6"),
    # 已审结·总计 of 土地 off by one
    (lambda t: {**t, 6: {**t[6], 31: 11, 43: 2}, 47: {**t[47], 31: t[47][31] + 1, 43: t[47][43] - 1}},
     "审核关系“已审结·总计等于各审结方式之和”在行次6不成立：AH18 = 11，而 AI18:AS18 = 10"),
])
def test_audit_rules_that_fail_are_warnings_naming_both_sides(suffix, rows, expected):
    book = read(review_form_xls(rows=rows(with_total(REVIEW_FORM_ROWS))), suffix)
    assert f"工作表“sheet1”{expected}" in book.warnings  # (合计's own equations may fail with it)
    assert book.rows and not book.problems  # a warning does not stop the import


def test_a_total_above_the_categories_filled_in_is_no_warning():
    """A form may list some 案件类别 only: 53 against the 52 of those filled in can hold."""
    rows = with_total(REVIEW_FORM_ROWS)
    book = read(review_form_xls(rows={**rows, 47: {**rows[47], 3: 53}}))
    assert not [w for w in book.warnings if "栏次3不成立" in w]


def test_every_profile_declares_known_indicators_and_rows():
    from indicators.catalog import load_catalog

    known = {i.id for i in load_catalog().indicators}
    for profile in load_profiles():
        assert {f.indicator for f in profile.figures} <= known, profile.form
        assert set(profile.categories) | {profile.total_row} <= set(profile.row_numbers)
        assert all(set(f.columns) <= set(profile.column_numbers) for f in profile.figures)
