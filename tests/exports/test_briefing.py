"""The briefing: what it gathers (figures as 总览 shows them, 说明 only for what is shown,
each source once), and both documents read back with python-docx and python-pptx."""
from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image
from pptx import Presentation
from pptx.util import Emu, Inches

from charts.images import text_width
from exports import DOCUMENT_FORMATS, document_format
from exports.briefing import NoFigures, find_region, gather
from exports.briefing_pptx import CELL_PADDING, WIDTH_ALLOWANCE, table_layout
from store.connection import connect
from tests.conftest import SMALL_ROWS, obs
from tests.exports.conftest import ISSUED

TITLE = "姑苏区2020年法治政府建设主要指标简报"
REPORT = "姑苏区2020年法治政府建设工作报告"


def tiny_png(charts: list, *_: object) -> list[bytes]:
    """A stand-in for report_pngs where the pictures are not what a test is about."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 24), "white").save(buffer, "PNG")
    return [buffer.getvalue()] * len(charts)


# The 主要指标 rows as 总览's cards for 姑苏区 2020 show them (name, value, period, change, source).
@pytest.mark.parametrize("expected", [
    ("行政机关负责人出庭应诉率", "近90%", "2020年", "+15个百分点（推算）", REPORT),
    ("免罚轻罚案件数", "130余件", "2020年", "无上年同期数据", REPORT),
    ("免罚轻罚涉及金额", "430余万元", "2020年", "无上年同期数据", REPORT),
    ("办理公证件数", "12468件", "2020年", "无上年同期数据", REPORT),
    ("行政复议新收案件数", "38件", "2020年", "无上年同期数据", REPORT),
])
def test_headline_figures_read_as_the_overview_cards(gusu_2020, expected):
    rows = {(f.indicator, f.value, f.period, f.change, f.source) for f in gusu_2020.headline}
    assert expected in rows


def test_a_change_from_last_years_zero_names_that_zero(make_db):
    con = make_db([obs("admin_litigation_cases", "姑苏区", 2020, 50), obs("admin_litigation_cases", "姑苏区", 2019, 0)])
    briefing = gather(con, "320508", 2020, issued=ISSUED, render=tiny_png)
    assert [f.change for f in briefing.headline if f.indicator == "行政应诉案件数"] == ["2019年同期为0件，不计增幅"]


def test_gusu_2020_briefing_holds_its_chart_caveats_and_sources(gusu_2020):
    assert gusu_2020.title == TITLE and gusu_2020.issued_text == "2026年12月1日"
    assert [c.caption for c in gusu_2020.charts] == ["行政机关负责人出庭应诉率（姑苏区 · 2019—2020年）"]
    assert gusu_2020.charts[0].takeaway == "2020年，姑苏区行政机关负责人出庭应诉率近90%，比2019年提高15个百分点。"
    assert gusu_2020.charts[0].png.startswith(b"\x89PNG")
    assert gusu_2020.first_points[-1] == gusu_2020.charts[0].takeaway
    caveats = "\n".join(gusu_2020.caveats)
    assert "“近”：约数（接近）。" in caveats and "“余”：下限（实际不少于此数）。" in caveats
    assert "未列入上表：人民调解成功调处矛盾纠纷数" in caveats  # no 2020 figure: said, not shown as 0
    assert "“目标”为" not in caveats  # no target is shown
    assert gusu_2020.sources[0] == f"{REPORT}（姑苏区人民政府）"
    assert len(set(gusu_2020.sources)) == len(gusu_2020.sources)


# Each case: rows, region, year -> 说明 lines that must appear and must not.
CAVEAT_CASES = {
    "partial period, no target": (
        SMALL_ROWS, "320508", 2024, ["“1-10月”为非全年数字"], ["“目标”为", "“近”：", "标明口径"]),
    "body scope and derived figure": (
        SMALL_ROWS, "320508", 2020, ["标明口径的数字（区政府本级）", "“近”：约数（接近）", "“推算”"],
        ["非全年数字", "“目标”为"]),
    "target drawn in a trend": (
        [obs("mediation_resolved", "吴中区", 2022, 100), obs("mediation_resolved", "吴中区", 2023, 120),
         obs("mediation_resolved", "吴中区", 2023, 150, kind="目标")], "320506", 2023, ["“目标”为工作要点中的计划数"],
        ["非全年数字", "标明口径"]),
}


@pytest.mark.parametrize("case", CAVEAT_CASES)
def test_caveats_explain_only_what_is_shown(make_db, case):
    rows, region, year, present, absent = CAVEAT_CASES[case]
    briefing = gather(make_db(rows), region, year, issued=ISSUED, render=tiny_png)
    text = "\n".join(briefing.caveats)
    assert [p for p in present if p not in text] == []
    assert [a for a in absent if a in text] == []


def test_a_partial_period_keeps_its_months_and_ranks_only_like_figures(small_db):
    briefing = gather(small_db, "320508", 2024, issued=ISSUED, render=tiny_png)
    assert [(f.indicator, f.value, f.period) for f in briefing.headline] == [
        ("人民调解成功调处矛盾纠纷数（1-10月）", "20742件", "2024年1-10月")]
    ranking = [c for c in briefing.charts if c.title.endswith("地区对比")]
    # 姑苏区, 吴中区 and 相城区 have 1-10月 figures; 吴中区's full-year target is not ranked.
    assert [c.takeaway for c in ranking] == [
        "2024年1-10月，姑苏区人民调解成功调处矛盾纠纷数为20742件，在有数据的3个县级市（区）中列第1位"
        "（数值由高到低，排名仅供参考）。"]


def test_a_region_without_figures_is_refused(small_db):
    with pytest.raises(NoFigures, match="相城区2020年没有任何实际数字"):
        gather(small_db, "320507", 2020, render=tiny_png)


@pytest.mark.parametrize(("name", "suffix"), [("b.docx", ".docx"), ("B.PPTX", ".pptx"), ("b.pdf", None)])
def test_document_formats_by_suffix(name, suffix):
    found = document_format(name)
    assert (found.suffix if found else None) == suffix


def _runs_fonts(doc) -> set[str]:
    return {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs if r.text.strip()}


def test_word_briefing_reads_back(gusu_2020, gusu_files):
    doc = Document(gusu_files[".docx"])
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == TITLE
    assert texts[1] == "法治政府建设指标看板\t2026年12月1日"
    headings = [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert headings == ["一、主要指标", "二、简报要点", "三、图表", "四、说明", "五、资料来源"]
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["指标", "数值", "较上年同期", "来源"]
    cells = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert ["行政机关负责人出庭应诉率", "近90%\n2020年", "+15个百分点（推算）", REPORT] in cells
    assert ["免罚轻罚案件数", "130余件\n2020年", "无上年同期数据", REPORT] in cells
    assert len(cells) == len(gusu_2020.headline)
    assert len(doc.inline_shapes) == len(gusu_2020.charts) == 1
    assert "图1　行政机关负责人出庭应诉率（姑苏区 · 2019—2020年）" in texts
    assert f"来源：{REPORT}" in texts
    assert f"1. {REPORT}（姑苏区人民政府）" in texts
    assert "附：其他数字" in texts  # the 要点 past the first eight
    assert all(f"{n}. {point}" in texts for n, point in enumerate(gusu_2020.points, start=1))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, stored in twips
    assert "PAGE" in section.footer.paragraphs[0]._p.xml
    assert _runs_fonts(doc) == {"方正小标宋简体", "仿宋_GB2312", "黑体"}


def test_word_font_table_names_the_fallbacks(gusu_files):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    fonts = Document(gusu_files[".docx"]).part.part_related_by(RT.FONT_TABLE).blob.decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="黑体"/>' in fonts
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="宋体"/>' in fonts


def _slide_texts(slide) -> list[str]:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


def test_deck_reads_back(gusu_2020, gusu_files):
    deck = Presentation(gusu_files[".pptx"])
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))  # 16:9
    slides = list(deck.slides)
    assert len(slides) == 3 + len(gusu_2020.charts) + 1
    title, headline, points, *charts, closing = slides
    assert TITLE in _slide_texts(title) and "2026年12月1日" in "\n".join(_slide_texts(title))
    table = [s for s in headline.shapes if s.has_table][0].table
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["指标", "数值", "较上年同期", "来源"]
    assert ["行政机关负责人出庭应诉率", "近90%（2020年）", "+15个百分点（推算）", REPORT] in rows
    assert ["免罚轻罚案件数", "130余件（2020年）", "无上年同期数据", REPORT] in rows
    assert "1. 2020年，姑苏区法律援助受理案件数为1205件。" in _slide_texts(points)[1]
    chart_texts = _slide_texts(charts[0])
    assert chart_texts[0] == "行政机关负责人出庭应诉率"
    assert gusu_2020.charts[0].takeaway in chart_texts and f"来源：{REPORT}" in chart_texts
    assert sum(s.shape_type == 13 for s in charts[0].shapes) == 1  # 13: picture
    closing_text = "\n".join(_slide_texts(closing))
    assert f"1. {REPORT}（姑苏区人民政府）" in closing_text and "“近”：约数（接近）。" in closing_text


def _fits_on_one_line(text: str, size: float, width: int) -> bool:
    return text_width(text, size) * WIDTH_ALLOWANCE + Emu(CELL_PADDING).pt <= Emu(width).pt


def test_deck_table_keeps_every_cell_on_one_line(gusu_files):
    """The report's title (来源) had wrapped onto a second line that the row cut off."""
    headline = list(Presentation(gusu_files[".pptx"]).slides)[1]
    table = [s for s in headline.shapes if s.has_table][0].table
    for row in table.rows:
        for column, cell in zip(table.columns, row.cells):
            size = cell.text_frame.paragraphs[0].runs[0].font.size.pt
            assert _fits_on_one_line(cell.text, size, column.width), (cell.text, size, Emu(column.width).pt)


# rows, width, largest, smallest -> font size chosen
@pytest.mark.parametrize(("rows", "width", "largest", "smallest", "size"), [
    ([["指标", "来源"], ["办理公证件数", "报告"]], Inches(6), 16, 10, 16),  # fits as it is
    ([["指标", "来源"], ["办理公证件数", REPORT]], Inches(4.5), 16, 10, 11),  # smaller until it fits
    ([["指标", "来源"], ["办理公证件数", REPORT * 3]], Inches(4), 16, 10, 10),  # never below the smallest
])
def test_table_layout_chooses_the_largest_size_that_fits(rows, width, largest, smallest, size):
    chosen, widths = table_layout(rows, width, largest, smallest)
    assert chosen == size and sum(widths) <= width
    if chosen > smallest:
        assert all(_fits_on_one_line(text, chosen, w) for row in rows for text, w in zip(row, widths))


def test_deck_draws_chinese_in_chinese_fonts(gusu_files):
    deck = Presentation(gusu_files[".pptx"])
    faces = set()
    for slide in deck.slides:
        for run in slide.element.iter(qn("a:r")):
            ea = run.find(f"{qn('a:rPr')}/{qn('a:ea')}")
            faces.add(None if ea is None else ea.get("typeface"))
    assert faces == {"黑体", "微软雅黑"}


def test_every_document_format_writes_to_a_buffer(gusu_2020):
    for document in DOCUMENT_FORMATS.values():
        buffer = io.BytesIO()
        document.write(gusu_2020, buffer)
        assert buffer.getvalue().startswith(b"PK")  # both are zip packages


def test_control_characters_from_an_upload_do_not_stop_the_documents(make_db, tmp_path):
    """An uploaded source name with Excel's line break (a vertical tab) and a NUL."""
    row = {**obs("head_appearance_rate", "姑苏区", 2020, 90, qualifier="近"), "source_label": "填报表\x0b第二行\x00.xlsx"}
    briefing = gather(make_db([row]), "320508", 2020, issued=ISSUED, render=tiny_png)
    for suffix, document in DOCUMENT_FORMATS.items():
        document.write(briefing, tmp_path / f"b{suffix}")
    cells = [c.text for r in Document(tmp_path / "b.docx").tables[0].rows for c in r.cells]
    assert "填报表第二行.xlsx" in cells


@pytest.mark.parametrize(("text", "expected"), [("姑苏区", ("320508", "姑苏区")), ("姑苏", ("320508", "姑苏区")),
                                              ("高新区", ("320505", "虎丘区")), ("320571", ("320571", "苏州工业园区")),
                                              ("火星区", None)])
def test_a_region_is_found_by_name_alias_or_code(curated_path, text, expected):
    con = connect(curated_path, read_only=True)
    try:
        assert find_region(con, text) == expected
    finally:
        con.close()
