"""Every page through AppTest: on the curated seed data and on an empty database."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import charts.figures
import views.connection
from charts.figures import yoy_figure
from paths import ROOT
from queries.sql import year_over_year
from store.build import build_database
from store.frame import fetch_frame
from tests.conftest import obs
from tests.fixtures.charts import drawn_charts
from tests.fixtures.pages import open_page

PAGES = ["overview", "trends", "compare", "targets", "data_sources", "catalog_page"]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "seed.duckdb"
    build_database(path)
    return path


@pytest.mark.parametrize("page", PAGES)
def test_page_on_seed_data(page, seed_db, monkeypatch):
    monkeypatch.setenv("FAZHI_DB", str(seed_db))
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title


@pytest.mark.parametrize("page", PAGES)
def test_page_on_empty_database(page, make_db, tmp_path, monkeypatch):
    make_db([], name="empty.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "empty.duckdb"))
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    if page != "catalog_page":
        assert any("还没有任何数字" in i.value for i in at.info)


def test_overview_shows_the_reports_sentence(seed_db, monkeypatch):
    monkeypatch.setenv("FAZHI_DB", str(seed_db))
    at = open_page("overview", {"region": "320508", "year": "2020"})
    text = " ".join(m.value for m in at.markdown)
    assert "出庭应诉率近90%，比2019年提高15个百分点" in text.replace("\\", "")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["行政机关负责人出庭应诉率"] == "近90%"


@pytest.mark.parametrize("previous, delta, caption", [
    (40, "+25%", "较2019年同期"),
    (0, "", "2019年同期为0件，不计增幅"),  # no per cent from a zero: said, not a bare "—"
    (None, "", "无上年同期数据，不作比较"),
])
def test_overview_card_says_what_its_change_is_against(make_db, tmp_path, monkeypatch, previous, delta, caption):
    rows = [obs("admin_litigation_cases", "姑苏区", 2020, 50)]
    rows += [] if previous is None else [obs("admin_litigation_cases", "姑苏区", 2019, previous)]
    make_db(rows, name="card.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "card.duckdb"))
    at = open_page("overview", {"region": "320508", "year": "2020"})
    card = next(m for m in at.metric if m.label == "行政应诉案件数")
    assert (card.value, card.delta) == ("50件", delta)
    assert caption in [c.value for c in at.caption]


def test_trends_view_lives_in_the_url(seed_db, monkeypatch):
    monkeypatch.setenv("FAZHI_DB", str(seed_db))
    at = open_page("trends", {"indicator": "head_appearance_rate", "regions": "320508"})
    assert at.selectbox(key="pick_indicator").value == "head_appearance_rate"
    assert at.query_params["indicator"] == "head_appearance_rate"


def test_trends_asks_for_the_parent_first_when_regions_are_many(small_db_path, monkeypatch):
    """Past REGION_OPTIONS_MAX regions the 地区 list holds one parent's regions and those
    already chosen, which stay chosen when another parent is picked."""
    at = open_page("trends", {"indicator": "mediation_resolved", "regions": "320508"})
    assert not at.exception and [s.label for s in at.selectbox if s.label == "上级地区"] == []
    assert at.multiselect(key="pick_regions").options == ["苏州市", "相城区", "姑苏区", "吴中区"]

    monkeypatch.setattr("views.common.REGION_OPTIONS_MAX", 2)
    at = open_page("trends", {"indicator": "mediation_resolved", "regions": "320508"})
    assert not at.exception
    parent = at.selectbox(key="pick_regions_parent")
    assert (parent.label, parent.value, parent.options) == ("上级地区", "320500", ["（无上级地区）（1 个地区）", "苏州市（3 个地区）"])
    assert at.multiselect(key="pick_regions").options == ["姑苏区", "相城区", "吴中区"]

    parent.set_value("").run()
    regions = at.multiselect(key="pick_regions")
    assert (regions.options, regions.value) == (["姑苏区", "苏州市"], ["320508"])
    regions.select("320500").run()
    assert not at.exception and at.query_params["regions"] == ["320508", "320500"]
    assert at.query_params["regions_parent"] == ""


def test_trends_draws_only_the_open_tab_and_zips_both_charts(seed_db, monkeypatch):
    monkeypatch.setenv("FAZHI_DB", str(seed_db))
    made, read = [], []

    def counted_yoy_figure(frame):
        made.append(1)
        return yoy_figure(frame)

    def recorded_fetch_frame(con, sql, params=None):
        read.append((sql, params))
        return fetch_frame(con, sql, params)
    monkeypatch.setattr(charts.figures, "yoy_figure", counted_yoy_figure)
    monkeypatch.setattr(views.connection, "fetch_frame", recorded_fetch_frame)
    views.connection._cached.clear()  # so that a page's query reaches fetch_frame
    trends_yoy = year_over_year(["head_appearance_rate"], ["320508"])  # (the overview's runs first)
    at = open_page("trends", {"indicator": "head_appearance_rate", "regions": "320508"})
    assert [t.label for t in at.tabs] == ["走势", "同比变化", "分项", "数字与出处"]
    assert list(drawn_charts(at)) == ["chart_trend"] and not at.dataframe
    assert set(at.session_state["_page_charts"]) == {"trend", "yoy"}
    # The closed tab's 同比 chart might have nothing to draw: no number until it is read.
    assert "下载本页全部图表（ZIP）" in [b.proto.label for b in at.get("download_button")]
    assert made == [] and trends_yoy not in read  # the closed tab's 同比 waits for the ZIP
    make, known = at.session_state["_page_charts"]["yoy"]
    fig, meta = make()
    assert not known and made == [1] and fig.data[0].type == "bar"
    assert meta.footnotes[0].startswith("同比只在相同期间之间计算") and meta.subtitle.startswith("姑苏区")
    assert read.count(trends_yoy) == 1
    at = open_page("trends", {"indicator": "head_appearance_rate", "regions": "320508", "view": "同比变化"})
    assert list(drawn_charts(at)) == ["chart_yoy"]
    assert at.query_params["view"] == "同比变化"


def left_out_list(at: AppTest) -> tuple[str, list[tuple[str, str]]]:
    """地区对比's list of what its ranking leaves out, opened as a click on it would: its
    label, and the region and reason of each row."""
    assert not at.expander(key="left_out").dataframe  # closed: its rows are not even fetched
    at.session_state["left_out"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    listed = at.expander(key="left_out")
    (table,) = [d.value for d in listed.dataframe]
    return listed.label, list(zip(table["地区"], table["原因"]))


def test_compare_lists_what_was_left_out(seed_db, monkeypatch):
    """Nothing of the curated data is comparable: every figure, of every year, is listed."""
    monkeypatch.setenv("FAZHI_DB", str(seed_db))
    at = open_page("compare", {"indicator": "admin_litigation_cases", "year": "2020"})
    assert not at.exception
    (listed,) = [e for e in at.expander if "未参与比较" in e.label]
    assert listed.label == "已有的 4 项数字（均未参与比较）"
    assert sorted(listed.dataframe[0].value["年份"]) == [2019, 2020, 2020, 2023]


@pytest.mark.parametrize("query, label, reasons", [
    ({"year": "2023"}, "未参与比较的 5 项数字及原因", [
        ("吴中区", "期间不同（上半年）"), ("相城区", "期间不同（1-10月）"), ("苏州市", "层级不同（地级市）"),
        ("姑苏区", "口径不同（区政府本级）"), ("吴中区", "目标值")]),
    # One 1-10月 figure alone is listed (暂不能排名); the full years are then left out.
    ({"year": "2023", "span": "1-10"}, "未参与比较的 6 项数字及原因", [
        ("吴中区", "期间不同（上半年）"), ("苏州市", "期间不同（全年）"), ("姑苏区", "期间不同（全年）"),
        ("姑苏区", "期间不同（全年）"), ("吴中区", "期间不同（全年）"), ("吴中区", "期间不同（全年）")]),
])
def test_compare_gives_each_left_out_figure_its_reason(query, label, reasons, make_db, tmp_path, monkeypatch):
    make_db([obs("mediation_resolved", "姑苏区", 2023, 25000), obs("mediation_resolved", "吴中区", 2023, 18000),
             obs("mediation_resolved", "相城区", 2023, 12000, period="1-10月"),
             obs("mediation_resolved", "吴中区", 2023, 9000, period="上半年"),
             obs("mediation_resolved", "姑苏区", 2023, 3000, scope="区政府本级"),
             obs("mediation_resolved", "吴中区", 2023, 30000, kind="目标"),
             obs("mediation_resolved", "苏州市", 2023, 204900), obs("mediation_resolved", "苏州市", 2022, 144300)],
            name="left_out.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "left_out.duckdb"))
    at = open_page("compare", {"indicator": "mediation_resolved", **query})
    assert not at.exception
    assert left_out_list(at) == (label, reasons)


def test_a_choice_without_figures_gets_a_message(seed_db, monkeypatch):
    monkeypatch.setenv("FAZHI_DB", str(seed_db))
    at = open_page("trends", {"indicator": "legality_reviews", "scope": "whole"})  # only 市司法局's own
    assert not at.exception
    assert any("没有这项指标的数字" in i.value for i in at.info)


def test_compare_draws_the_district_map(seed_db, monkeypatch):
    monkeypatch.setenv("FAZHI_DB", str(seed_db))
    at = open_page("compare", {"indicator": "mediation_resolved"})
    assert not at.exception
    assert "分区地图" in [h.value for h in at.subheader]
    traces = [t for c in drawn_charts(at).values() for t in c["data"]]
    assert any(t["type"] == "choropleth" and "姑苏区" in t["locations"] for t in traces)


@pytest.mark.parametrize("database", ["seed", "empty"])
def test_catalog_chart_lists_every_national_heading(database, seed_db, make_db, tmp_path, monkeypatch):
    if database == "empty":
        make_db([], name="empty.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(seed_db if database == "seed" else tmp_path / "empty.duckdb"))
    at = open_page("catalog_page")
    assert not at.exception
    (bars,) = next(iter(drawn_charts(at).values()))["data"]
    counts = dict(zip(bars["customdata"], bars["x"]))
    assert len(counts) == 8 and counts["突发事件应对"] == 0  # no indicator yet: shown as none, not left off
    assert (counts["社会矛盾纠纷依法有效化解"] > 0) == (database == "seed")
    assert any("突发事件应对：目录中暂无这一类指标" in c.value for c in at.caption)



def test_compare_opens_on_a_year_it_can_rank(make_db, tmp_path, monkeypatch):
    make_db([obs("mediation_resolved", "姑苏区", 2023, 25000), obs("mediation_resolved", "吴中区", 2023, 18000),
             obs("mediation_resolved", "姑苏区", 2024, 20742, period="1-10月")], name="rank.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "rank.duckdb"))
    at = open_page("compare", {"indicator": "mediation_resolved"})  # not 2024: one region's 1-10月 alone
    assert not at.exception
    assert (at.query_params["year"], at.query_params["span"]) == ("2023", "1-12")
    assert not any("暂不能排名" in i.value for i in at.info)
    ranking = next(iter(drawn_charts(at).values()))["data"]
    assert sorted(name for trace in ranking for name in trace["y"]) == ["吴中区", "姑苏区"]


def test_equal_figures_share_their_rank(make_db, tmp_path, monkeypatch):
    make_db([obs("lenient_penalty_cases", region, 2024, value, qualifier=q) for region, value, q in
             [("姑苏区", 200, "余"), ("吴中区", 130, "余"), ("相城区", 130, "余")]]
            + [{**obs("lenient_penalty_cases", "姑苏区", 2024, 90), "region_id": "320509"}],  # 吴江区
            name="ties.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "ties.duckdb"))
    at = open_page("compare", {"indicator": "lenient_penalty_cases", "year": "2024"})
    assert not at.exception
    table = next(d.value for d in at.dataframe if "名次" in d.value.columns)
    assert table["名次"].tolist() == [1, 2, 2, 4]


@pytest.mark.parametrize(("figure", "line_starts", "line_before_ends"), [
    # from a PDF with a blank line after every line: the paragraph is one line again
    ("行政许可划转事项数 · 姑苏区 · 2019年上半年", "二是聚焦依法行政。", "以清单压实党政主要负责人的具体职责。"),
    # from a web page, a paragraph a line: the paragraphs stay apart
    ("行政复议新收案件数 · 姑苏区 · 2020年全年", "二是坚持复议为民，", "行政规范性文件进行了系统清理。"),
])
def test_data_shows_a_figure_in_its_paragraph(figure, line_starts, line_before_ends, seed_db, monkeypatch):
    monkeypatch.setenv("FAZHI_DB", str(seed_db))
    at = open_page("data_sources")
    picker = at.selectbox[-1]
    picker.set_value(picker.options.index(figure)).run()
    assert not at.exception
    lines = at.text[0].value.split("\n")
    (at_figure,) = [k for k, line in enumerate(lines) if "【" in line]
    assert lines[at_figure].startswith(line_starts) and lines[at_figure - 1].endswith(line_before_ends), lines


@pytest.mark.parametrize("limit, caption", [
    (3, "共 14 条，下表按指标顺序列出前 3 条"),  # the table lists a few; the counts speak of all 14
    (5000, "共 14 条。"),
])
def test_data_counts_every_match_when_the_table_lists_fewer(limit, caption, small_db_path, monkeypatch):
    from queries import sql as q

    monkeypatch.setattr(q, "OBSERVATIONS_LIMIT", limit)
    at = open_page("data_sources")
    assert not at.exception
    assert any(c.value.startswith(caption) for c in at.caption), [c.value for c in at.caption]
    assert len(at.dataframe[0].value) == min(limit, 14)
    (bars,) = next(iter(drawn_charts(at).values()))["data"]
    assert dict(zip(bars["x"], bars["y"])) == {"2019年": 1, "2020年": 5, "2021年": 0, "2022年": 1, "2023年": 3,
                                               "2024年": 4}
    assert any("2021年没有符合条件的数字（计为 0 条）" in c.value for c in at.caption)


def test_an_uploaded_figure_shows_its_cell_and_no_none(make_db, tmp_path, monkeypatch):
    uploaded = {**obs("mediation_resolved", "姑苏区", 2025, 31000), "source_label": "补报.xlsx", "sheet": "汇总",
                "cell": "C5"}
    make_db([uploaded, obs("mediation_resolved", "姑苏区", 2024, 30000, sentence="全年调处3万件", note="全年")],
            name="cells.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "cells.duckdb"))
    for page, query in [("data_sources", {}), ("trends", {"indicator": "mediation_resolved", "regions": "320508", "view": "数字与出处"})]:
        at = open_page(page, query)
        assert not at.exception
        table = at.dataframe[0].value.set_index("年份")
        assert table.loc[2025, "原文"] == "" and table.loc[2025, "备注"] == ""  # blank, not a grey None
        assert table.loc[2024, "原文"] == "全年调处3万件"
        if page == "data_sources":
            assert table.loc[2025, "单元格"] == "汇总!C5" and table.loc[2024, "单元格"] == ""


def test_a_figure_from_a_report_not_archived_shows_the_sentence_it_was_read_from(make_db, tmp_path, monkeypatch):
    """A report pasted on 数据更新 is kept with its batch, not in data/sources/: its figures'
    sentences are still their 原文出处."""
    pasted = {**obs("mediation_resolved", "姑苏区", 2024, 30000, sentence="全年调处矛盾纠纷3万件"),
              "source_label": "姑苏区2024年法治政府建设工作报告"}
    make_db([pasted], name="pasted.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "pasted.duckdb"))
    at = open_page("data_sources")
    assert not at.exception
    assert at.text[0].value == "【全年调处矛盾纠纷3万件】"
    assert any("姑苏区2024年法治政府建设工作报告" in m.value for m in at.markdown)
    assert not any("没有报告原文" in m.value for m in [*at.markdown, *at.caption])


def test_compare_says_plainly_when_nothing_is_comparable(make_db, tmp_path, monkeypatch):
    make_db([obs("mediation_resolved", "姑苏区", 2023, 25000), obs("mediation_resolved", "吴中区", 2022, 18000)],
            name="lone.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "lone.duckdb"))
    at = open_page("compare", {"indicator": "mediation_resolved"})
    assert not at.exception
    assert any("还没有可以相互比较的数字" in i.value for i in at.info)
    traces = [t for c in drawn_charts(at).values() for t in c["data"]]
    assert traces and not [t for t in traces if t["type"] == "bar"]  # the map, no one-bar "ranking"
    assert not any("暂不能排名；" in i.value for i in at.info)
    assert at.get("page_link")  # app.py has a 数据征集 page: the message links to it


def test_compare_opens_on_an_indicator_it_can_rank(make_db, tmp_path, monkeypatch):
    make_db([obs("mediation_resolved", "姑苏区", 2023, 25000),
             obs("admin_litigation_cases", "姑苏区", 2023, 50), obs("admin_litigation_cases", "吴中区", 2023, 40)],
            name="other.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "other.duckdb"))
    at = open_page("compare", {})
    assert not at.exception
    assert at.query_params["indicator"] == "admin_litigation_cases"


def test_compare_links_to_collection_when_the_app_has_that_page(make_db, tmp_path, monkeypatch):
    """A navigation like app.py's, plus a page at url_path "collection" (数据征集)."""
    make_db([obs("mediation_resolved", "姑苏区", 2023, 25000)], name="lone.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "lone.duckdb"))
    (tmp_path / "collection.py").write_text("import streamlit as st\nst.title('数据征集')\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(
        "import streamlit as st\n"
        f"st.navigation([st.Page({str(ROOT / 'views' / 'compare.py')!r}, url_path='compare', default=True),\n"
        f"               st.Page({str(tmp_path / 'collection.py')!r}, url_path='collection')]).run()\n",
        encoding="utf-8")
    at = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=60).run()
    assert not at.exception
    (link,) = at.get("page_link")
    assert "数据征集" in link.proto.label


@pytest.mark.parametrize(("page", "query", "message"), [
    ("overview", {"region": "320505"}, "链接指定的地区在这里没有数字，已改为显示“姑苏区”"),  # 虎丘区: no figures
    ("overview", {"region": "320508", "year": "2099"}, "链接指定的年份在这里没有数字"),
    ("trends", {"indicator": "mediation_resolved", "regions": "320505"}, "链接指定的地区在这里没有数字，已改为显示“"),
    ("trends", {"indicator": "mediation_resolved", "regions": ["320508", "320505"]},
     "链接指定的地区在这里没有数字，已略去其中 1 个"),
    ("data_sources", {"regions": "320505"}, "链接指定的地区在这里没有数字，已改为不限"),
])
def test_a_shared_link_to_nothing_says_so(page, query, message, small_db_path):
    at = open_page(page, query)
    assert not at.exception
    assert any(message in i.value for i in at.info), [i.value for i in at.info]


def test_a_choice_of_ones_own_that_has_no_figures_is_not_called_a_link(small_db_path):
    """姑苏区 2019, then 吴中区 (no 2019 figures): the year moves, and says it was the year chosen."""
    at = open_page("overview", {"region": "320508", "year": "2019"})
    at.selectbox(key="pick_region").select("320506").run()
    assert not at.exception
    (info,) = [i.value for i in at.info if "没有数字" in i.value]
    assert info.startswith("原先所选的年份在这里没有数字，已改为显示“2024年”")
