"""Figure builders: unlike figures are never joined, and what looks different is explained."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from charts import figures as f
from charts.format import format_values
from charts.meta import chart_subtitle, source_line
from queries import sql as q
from tests.conftest import obs


def y_labels(fig) -> dict[str, str]:
    """Each y axis's label, written level above the axis: {"y domain": text, ...}."""
    return {a.yref: a.text for a in fig.layout.annotations if a.yref.endswith("domain")}


def run(con, query):
    text, params = query
    return con.execute(text, params).df()


def test_partial_year_is_its_own_trace_with_a_footnote(small_db):
    frame = run(small_db, q.series(["mediation_resolved"], ["320508", "320507"]))
    fig, notes = f.trend_figure(frame)
    names = [t.name for t in fig.data]
    assert "姑苏区" in names and "姑苏区 · 1-10月" in names  # never one line through 2023 and 2024 1-10月
    full = next(t for t in fig.data if t.name == "姑苏区")
    assert list(full.x) == [2023]
    assert f.NOTE_PARTIAL in notes


@pytest.mark.parametrize("years, values, positions", [
    ([2022, 2023, 2024], [144_300, 204_900, 210_000], ["bottom right", "top center", "top left"]),  # rising: under it
    ([2022, 2023, 2024], [210_000, 204_900, 144_300], ["top right", "top center", "bottom left"]),   # falling into the last
    ([2022, 2023, 2024], [200_000, 120_000, 190_000], ["top right", "bottom center", "top left"]),  # a valley
    ([2022, 2023, 2024], [100_000, 200_000, 150_000], ["bottom right", "top center", "bottom left"]),  # a peak
    ([2022, 2023, 2024], [5_000, 200_000, 210_000], ["top right", "top center", "top left"]),  # too near the year labels
    ([2022, 2023], [100_000, 100_000], ["top right", "top left"]),  # level
    ([2024], [20_742], ["top center"]),  # one point, one year
])
def test_a_label_goes_under_its_point_where_the_line_would_run_through_it(make_db, years, values, positions):
    con = make_db([obs("mediation_resolved", "姑苏区", y, v) for y, v in zip(years, values)])
    fig, _ = f.trend_figure(run(con, q.series(["mediation_resolved"], ["320508"])))
    assert list(fig.data[0].textposition) == positions


def test_a_line_inside_the_years_leans_only_the_labels_at_the_chart_edges(make_db):
    con = make_db([obs("mediation_resolved", "苏州市", 2022, 144_300), obs("mediation_resolved", "苏州市", 2023, 204_900),
                   obs("mediation_resolved", "姑苏区", 2023, 100_000), obs("mediation_resolved", "姑苏区", 2024, 180_000)])
    fig, _ = f.trend_figure(run(con, q.series(["mediation_resolved"], ["320500", "320508"])))
    assert [list(t.textposition) for t in fig.data] == [["bottom right", "top center"], ["bottom center", "top left"]]


def test_targets_are_dashed_and_explained(small_db):
    frame = run(small_db, q.series(["mediation_resolved"], ["320506"]))
    fig, notes = f.trend_figure(frame)
    target = next(t for t in fig.data if "目标" in t.name)
    assert target.line.dash == "dash" and f.NOTE_TARGET in notes


def test_inexact_points_are_open_markers_with_their_qualifier(small_db):
    frame = run(small_db, q.series(["head_appearance_rate"], ["320508"]))
    fig, notes = f.trend_figure(frame)
    trace = fig.data[0]
    assert list(trace.marker.color) == ["white", "white"]  # 2019 推算, 2020 近
    assert list(trace.text) == ["75%（推算）", "近90%"]
    assert f.NOTE_INEXACT in notes


def test_scoped_figures_are_separate_and_explained(small_db):
    frame = run(small_db, q.series(["admin_litigation_cases"], ["320508"], scope=None))
    fig, notes = f.trend_figure(frame)
    assert sorted(t.name for t in fig.data) == ["姑苏区", "姑苏区 · 区政府本级"]
    assert f.NOTE_SCOPE in notes


def test_yoy_figure_none_without_a_like_period(small_db):
    frame = run(small_db, q.year_over_year(["mediation_resolved"], ["320508"]))
    fig, notes = f.yoy_figure(frame)
    assert fig is None and notes == []


def test_yoy_figure_in_percentage_points_for_shares(small_db):
    frame = run(small_db, q.year_over_year(["head_appearance_rate"], ["320508"]))
    fig, notes = f.yoy_figure(frame)
    assert list(fig.data[0].y) == [15] and fig.data[0].text[0] == "+15个百分点（推算）"  # 2019: 75%（推算）
    assert "百分点" in y_labels(fig)["y domain"]


def _sourced(source: str, *args, **kwargs) -> dict:
    return {**obs(*args, **kwargs), "source_label": source}


@pytest.mark.parametrize("rows, subtitle, source", [
    # 吴中区 has no 2023 figure: no bar, so neither it nor its report is named
    ([_sourced("甲2024", "mediation_resolved", "姑苏区", 2024, 120), _sourced("甲2023", "mediation_resolved", "姑苏区", 2023, 100),
      _sourced("乙2024", "mediation_resolved", "吴中区", 2024, 90)], "姑苏区 · 2024年", "甲2024；甲2023"),
    # a change from zero has no per cent: no bar either
    ([_sourced("甲2024", "mediation_resolved", "姑苏区", 2024, 120), _sourced("甲2023", "mediation_resolved", "姑苏区", 2023, 100),
      _sourced("乙2024", "mediation_resolved", "吴中区", 2024, 5), _sourced("乙2023", "mediation_resolved", "吴中区", 2023, 0)],
     "姑苏区 · 2024年", "甲2024；甲2023"),
    ([_sourced("甲2024", "mediation_resolved", "姑苏区", 2024, 120), _sourced("甲2023", "mediation_resolved", "姑苏区", 2023, 100),
      _sourced("甲2022", "mediation_resolved", "姑苏区", 2022, 80), _sourced("乙2024", "mediation_resolved", "吴中区", 2024, 9),
      _sourced("乙2023", "mediation_resolved", "吴中区", 2023, 10)],
     "姑苏区、吴中区 · 2023—2024年", "甲2023；甲2022；甲2024；乙2024；乙2023"),
])
def test_yoy_subtitle_and_source_name_only_the_bars_drawn(make_db, rows, subtitle, source):
    frame = run(make_db(rows), q.year_over_year(["mediation_resolved"], ["320508", "320506"]))
    drawn = f.yoy_drawn(frame)
    fig, _ = f.yoy_figure(frame)
    assert len(fig.data[0].x) == len(drawn)
    assert chart_subtitle(drawn) == subtitle
    assert source_line(drawn, "source_label", "prev_source_label") == source


@pytest.mark.parametrize("qualifier, prev_qualifier, label, hollow, estimated_note", [
    ("", "", "+20%", False, None),
    ("约", "", "+20%（约）", True, None),
    ("", "推算", "+20%（推算）", True, "姑苏区 2024年（2023年的数字为推算值）"),
    ("推算", "", "+20%（推算）", True, "姑苏区 2024年（2024年的数字为推算值）"),
    ("推算", "推算", "+20%（推算）", True, "姑苏区 2024年（2023年、2024年的数字为推算值）"),
])
def test_yoy_change_on_an_estimate_is_an_open_bar_named_in_the_notes(make_db, qualifier, prev_qualifier, label,
                                                                     hollow, estimated_note):
    con = make_db([obs("mediation_resolved", "姑苏区", 2024, 120, qualifier=qualifier),
                   obs("mediation_resolved", "姑苏区", 2023, 100, qualifier=prev_qualifier)])
    fig, notes = f.yoy_figure(run(con, q.year_over_year(["mediation_resolved"], ["320508"])))
    bar = fig.data[0]
    assert list(bar.text) == [label]
    assert (list(bar.marker.color) == ["white"]) == hollow and list(bar.marker.line.color) == [f.GOOD]
    on_estimates = [n for n in notes if "推算" in n]
    assert [n.split("：", 1)[1] for n in on_estimates] == ([estimated_note + "。"] if estimated_note else [])
    assert ("推算" in bar.customdata[0]) == ("推算" in qualifier + prev_qualifier)  # both figures in the hover


@pytest.mark.parametrize("change, direction, color", [
    (5, "higher_better", f.GOOD), (-5, "higher_better", f.BAD), (5, "lower_better", f.BAD),
    (5, "neutral", f.NEUTRAL), (0, "higher_better", f.NEUTRAL), (math.nan, "higher_better", f.NEUTRAL),
])
def test_change_colour_follows_direction(change, direction, color):
    assert f._change_color(change, direction) == color


def test_ranking_is_labelled_and_inexact_bars_are_open(small_db):
    frame = run(small_db, q.ranking("mediation_resolved", 2024, "1-10"))
    fig, notes = f.ranking_figure(frame)
    assert list(fig.data[0].y) == ["相城区", "吴中区", "姑苏区"]  # drawn bottom-up
    assert "15000余件" in fig.data[0].text and notes


def test_heatmap_says_no_data_instead_of_zero():
    frame = pd.DataFrame({"region": ["姑苏区", "吴中区"], "year": [2020, 2021], "value": [5.0, 7.0],
                          "unit": ["件", "件"], "qualifier": ["", "约"]})
    fig = f.heatmap_figure(frame)
    text = [cell for row in fig.data[0].text for cell in row]
    assert "无数据" in text and "约7件" in text


def test_heatmap_years_run_in_order_whichever_region_reported_first():
    # The first region lacks 2020: its years came first and 2020 last before.
    frame = pd.DataFrame({"region": ["姑苏区", "姑苏区", "吴中区", "吴中区"], "year": [2021, 2022, 2020, 2021],
                          "value": [1.0, 2.0, 3.0, 4.0], "unit": ["件"] * 4, "qualifier": [""] * 4})
    cells = f.heatmap_figure(frame).data[0]
    assert list(cells.x) == ["2020年", "2021年", "2022年"] and list(cells.y) == ["姑苏区", "吴中区"]
    assert [list(row) for row in cells.text] == [["无数据", "1件", "2件"], ["3件", "4件", "无数据"]]


def test_target_without_actual_says_so(small_db):
    frame = run(small_db, q.targets_against_actuals())
    fig, _ = f.target_figure(frame)
    target, actual, missing = fig.data
    assert "尚无实际数" in missing.text and missing.offsetgroup == actual.offsetgroup  # in the actual bar's slot
    assert set(missing.x) == set(target.x) - set(actual.x) and not set(missing.x) & set(actual.x)
    assert list(missing.y) == [0] * len(missing.x)


@pytest.mark.parametrize("text, width, lines", [
    ("执业公证员人数增长率", 7, ["执业公证员人数", "增长率"]),
    ("“两个免于提交”事项占比", 7, ["“两个免于提交”", "事项占比"]),  # a closing quote never starts a line
    ("短", 7, ["短"]),
    ("行政权力制约和监督", 8, ["行政权力制约和监督"]),  # never one character left alone on a line
    ("行政复议<b>纠错</b>率", 5, ["行政复议&lt;", "b&gt;纠错&lt;", "/b&gt;率"]),  # no break inside an entity
])
def test_tick_labels_break_into_lines(text, width, lines):
    assert f._break_lines(text, width).split("<br>") == lines


def test_long_labels_lie_level_and_whole_beside_their_bars():
    fig = f.labelled_count_bars(["法治政府建设组织保障和落实机制", "突发事件应对"], [12, 0], "有数据的指标数")
    (bars,) = fig.data
    assert bars.orientation == "h" and list(bars.x) == [12, 0]
    assert bars.y[0].split("<br>") == ["法治政府建设组织", "保障和落实机制"]
    assert list(bars.customdata) == ["法治政府建设组织保障和落实机制", "突发事件应对"]  # whole in the hover
    assert fig.layout.yaxis.autorange == "reversed"  # the first heading on top, as listed


def test_targets_of_different_units_never_share_an_axis():
    frame = pd.DataFrame({"indicator": ["事项数", "办件比例", "事项占比"], "region": ["吴中区"] * 3, "year": [2022] * 3,
                          "unit": ["个", "%", "%"], "target_value": [100.0, 30.0, 20.0],
                          "target_qualifier": ["", "", ""], "actual_value": [None, 25.0, None],
                          "actual_qualifier": ["", "", ""]})
    fig, notes = f.target_figure(frame)
    axes = {t.yaxis: set(t.x) for t in fig.data}
    assert len(axes) == 2
    assert {y_labels(fig)[f"{a} domain"] for a in axes} == {"单位：个", "单位：%"}
    assert any("分开作图" in n for n in notes)


@pytest.mark.parametrize("years, drawn", [([2020], False), ([2019, 2020], True)])
def test_sparkline_needs_two_full_years(years, drawn):
    frame = pd.DataFrame({"year": years, "value": [1.0] * len(years), "span": ["1-12"] * len(years),
                          "kind": ["实际"] * len(years)})
    assert (f.sparkline(frame) is not None) == drawn


def test_sparkline_names_the_years_it_spans_in_a_neutral_colour():
    frame = pd.DataFrame({"year": [2021, 2019, 2020], "value": [3.0, 1.0, 2.0], "span": ["1-12"] * 3,
                          "kind": ["实际"] * 3})
    fig = f.sparkline(frame)
    assert list(fig.layout.xaxis.ticktext) == ["2019年", "2021年"]
    assert fig.data[0].line.color == f.NEUTRAL  # good or bad is told by the change above it


@pytest.mark.parametrize("figure_span, scope, kind, level, period, reason", [
    ("1-10", "", "实际", "区县", "1-10月", "期间不同（1-10月）"),
    ("1-12", "区政府本级", "实际", "区县", "全年", "口径不同（区政府本级）"),
    ("1-12", "", "目标", "区县", "全年", "目标值"),
    ("1-12", "", "实际", "地级市", "全年", "层级不同（地级市）"),
    ("1-10", "区政府本级", "目标", "区县", "1-10月", "期间不同（1-10月）"),  # the first difference is named
])
def test_left_out_reason(figure_span, scope, kind, level, period, reason):
    from charts.format import left_out_reason

    assert left_out_reason(figure_span, scope, kind, level, period, "1-12") == reason


def test_format_values_reads_the_value_and_qualifier_columns_it_is_given():
    frame = pd.DataFrame({"unit": ["件", "%"], "value": [1300.0, None], "qualifier": ["余", ""],
                          "target_value": [20.0, 30.0], "target_qualifier": ["", "以上"]})
    assert format_values(frame) == ["1300余件", "—"]  # no figure is a dash, never 0
    assert format_values(frame, "target_value", "target_qualifier") == ["20件", "30%以上"]


def test_target_bars_show_the_hatching_the_note_promises():
    """The note says 斜线条; plotly draws a pattern in the bar's own colour unless told, and
    the bar is white: the hatching must be drawn in a colour that shows on white."""
    frame = pd.DataFrame({"indicator": ["事项数"], "region": ["吴中区"], "year": [2022], "unit": ["个"],
                          "target_value": [100.0], "target_qualifier": [""], "actual_value": [80.0],
                          "actual_qualifier": [""]})
    fig, notes = f.target_figure(frame)
    (target,) = [t for t in fig.data if t.name == "目标"]
    pattern = target.marker.pattern
    assert pattern.shape == "/" and pattern.fgcolor not in (None, "white", target.marker.color)
    assert any("斜线条为目标值" in n for n in notes)


@pytest.mark.parametrize("panels, spacing", [(1, 0), (2, 0.2), (3, 0.2), (5, 0.2)])
def test_target_panels_are_laid_out_as_make_subplots_lays_them(panels, spacing):
    """target_figure builds its panels as dicts (make_subplots took ~45 ms a run of 目标进度);
    their places are plotly's own (to the last bits of a float)."""
    from plotly.subplots import make_subplots

    laid_out = make_subplots(rows=panels, cols=1, vertical_spacing=spacing).layout
    expected = [list(laid_out["yaxis" if row == 1 else f"yaxis{row}"].domain) for row in range(1, panels + 1)]
    got = f._stacked_domains(panels, spacing)
    assert [pytest.approx(d, abs=1e-12) for d in got] == expected


def test_each_unit_has_its_own_panel_axes_and_range():
    frame = pd.DataFrame({"indicator": ["事项数", "办件比例"], "region": ["吴中区"] * 2, "year": [2022] * 2,
                          "unit": ["个", "%"], "target_value": [100.0, 30.0], "target_qualifier": ["", ""],
                          "actual_value": [120.0, None], "actual_qualifier": ["", ""]})
    layout = f.target_figure(frame)[0].layout
    assert (layout.xaxis.anchor, layout.yaxis.anchor, layout.xaxis2.anchor, layout.yaxis2.anchor) == ("y", "x", "y2", "x2")
    assert layout.yaxis.domain[0] > layout.yaxis2.domain[1]  # the first unit on top, apart
    assert list(layout.yaxis.range) == [0, 120 * 1.25 * 1.1] and list(layout.yaxis2.range) == [0, 30 * 1.25 * 1.1]
