"""地区对比: one indicator, year and period, regions ranked with their change, and a
region × year heat map. Figures of another period, scope or kind are listed as left out,
never ranked alongside."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.figures import heatmap_figure, ranking_figure
from charts.format import format_changes, format_values, left_out_reason
from charts.maps import choropleth
from charts.meta import ChartMeta, source_line
from indicators.vocabulary import FULL_YEAR_SPAN
from queries import sql as q
from queries.defaults import can_rank, comparable_at, comparison_default, left_out_count, left_out_of_ranking
from views.breakdowns import breakdown_section
from views.common import (
    as_table,
    chart,
    empty,
    indicator_picker,
    indicators_with_data,
    link_to_collection,
    lookup,
    md_escape,
    no_data_at_all,
    page_zip_button,
    pick_one,
    start_page_charts,
)
from views.connection import fetch

LEVELS = {"区县": "县级市（区）", "街道": "街道"}
CHART_MAX_REGIONS = 40

st.title("地区对比")
start_page_charts()
indicators = indicators_with_data()
if no_data_at_all(indicators):
    st.stop()

# Without a choice in the URL, the page opens on an indicator it can rank.
rankable = set(fetch(q.rankable_indicators(list(LEVELS)))["indicator_id"])
first_rankable = next((i for i in ["mediation_resolved", *indicators["id"]] if i in rankable), "mediation_resolved")
indicator = indicator_picker(indicators, default=first_rankable)
meta = indicators.set_index("id").loc[indicator]
# What the choosers need, without a row per region: the rows themselves are fetched only
# where a list of them is shown (the rare pages with nothing to rank, the opened list of
# what the ranking leaves out).
summary = fetch(q.coverage_summary(indicator))
levels = [lv for lv in LEVELS if (summary["level"] == lv).any()]
if not levels:
    coverage = fetch(q.coverage(indicator))
    empty(f"“{md_escape(meta['name'])}”目前只有全市或部门口径的数字，没有可以相互比较的县级市（区）或街道数字。")
    st.dataframe(coverage.rename(columns={"region": "地区", "scope": "口径", "year": "年份", "period": "期间",
                                          "kind": "类型"})[["地区", "口径", "年份", "期间", "类型"]], hide_index=True)
    st.stop()
c1, c2, c3 = st.columns(3)
with c1:
    level = pick_one("比较范围", levels, "level", "区县", LEVELS.get)
at_level = comparable_at(summary, level)
if at_level.empty:
    empty("这一范围内没有全区口径的实际数字可比较（只有部门口径或目标值）。")
    st.stop()
default_year, default_span = comparison_default(at_level)
with c2:
    year = int(pick_one("年份", [str(y) for y in sorted(at_level["year"].unique(), reverse=True)], "year",
                        str(default_year), lambda y: f"{y}年"))
spans = at_level[at_level["year"] == year]
span_names = lookup(spans["span"], spans["period"])
with c3:
    span = pick_one("期间", list(span_names), "span", default_span if year == default_year else FULL_YEAR_SPAN,
                    span_names.get)

ranked = fetch(q.ranking(indicator, year, span, level=level))
# Written once for the table and the map: at national scale a ranking has a thousand rows.
ranked_values = format_values(ranked)
period_name = span_names[span]
subtitle = f"{year}年{'' if period_name == '全年' else period_name} · {LEVELS[level]}"


def district_map() -> None:
    st.subheader("分区地图")
    labelled = ranked.assign(label=ranked_values)
    figure = choropleth(labelled, "value", "")
    if figure is None:
        empty("这一年份、期间没有县级市（区）的数字可以画在地图上。")
    else:
        chart(figure, ChartMeta(f"{meta['name']}：分区地图", subtitle, source_line(ranked)),
              ["灰色为“无数据”，不是零。"], key="map")


if not can_rank(at_level):
    # No one-bar "ranking": say so, list what there is, and show it on the map.
    empty(f"“{md_escape(meta['name'])}”还没有可以相互比较的数字：没有哪一年、哪个期间有两个以上{LEVELS[level]}"
          "的全区实际数，暂不排名。下面列出已有的数字；待更多地区报送后即可排名。")
    link_to_collection()
    coverage = fetch(q.coverage(indicator))
    with st.expander(f"已有的 {len(coverage)} 项数字（均未参与比较）"):
        st.dataframe(as_table(coverage, {"region": "地区", "scope": "口径", "year": "年份", "period": "期间",
                                         "kind": "类型"}, ["地区", "口径", "年份", "期间", "类型"]),
                     hide_index=True, width="stretch", column_config={"年份": st.column_config.NumberColumn(format="%d")})
    if level == "区县":
        district_map()
    wanted_year = st.query_params.get("year", "")
    # One region's parts are worth reading unranked: of the year the link names, else the latest.
    breakdown_section(indicator, meta["name"], year=int(wanted_year) if wanted_year.isdigit() else None)
    page_zip_button("地区对比")
    st.stop()
# Kept places, filled or not, for what comes and goes above a chart: the browser draws a
# chart that moved down the page anew, from an empty box, instead of updating it.
too_few_notice = st.empty()
if len(ranked) < 2:
    too_few_notice.info(f"{year}年{period_name}只有 {len(ranked)} 个地区有这项数字，暂不能排名；下面列出已有的数字。")
# Past a few dozen bars or rows a chart is unreadable (and slow to draw): the charts then
# show the regions ranked highest, and the table below lists every region.
too_many = len(ranked) > CHART_MAX_REGIONS
fig, notes = ranking_figure(ranked.head(CHART_MAX_REGIONS))
order = "数值越低越好" if meta["direction"] == "lower_better" else "数值由高到低"
if too_many:
    notes.append(f"地区较多（{len(ranked)} 个），图中只画排名前 {CHART_MAX_REGIONS} 的地区；全部名次见下表。")
chart(fig, ChartMeta(f"{meta['name']}：地区对比", subtitle, source_line(ranked)), [f"排序：{order}。", *notes],
      key="ranking")
st.dataframe(as_table(ranked.assign(
    # Equal figures share a rank (three 130余件 are all 2nd, the next 5th), in the order listed.
    名次=ranked["value"].rank(method="min", ascending=meta["direction"] == "lower_better").astype(int),
    数值=ranked_values,
    同比=format_changes(ranked),
), {"region": "地区", "source_label": "来源"}, ["名次", "地区", "数值", "同比", "来源"]),
    hide_index=True, width="stretch")

n_left_out = left_out_count(summary, year, level, span)
left_out_place = st.empty()
if n_left_out:
    # Lazy: the year's rows are fetched and their reasons written only once it is opened.
    left_out_list = left_out_place.container().expander(f"未参与比较的 {n_left_out} 项数字及原因", key="left_out", on_change="rerun")
    if left_out_list.open:
        left_out = left_out_of_ranking(fetch(q.coverage(indicator, year)), level, span)
        reasons = pd.DataFrame({
            "地区": left_out["region"], "口径": left_out["scope"], "期间": left_out["period"], "类型": left_out["kind"],
            "原因": [left_out_reason(r.span, r.scope, r.kind, r.level, r.period, span)
                     for r in left_out.itertuples()]})
        # One table, not a line per figure: at national scale there are thousands.
        left_out_list.dataframe(reasons, hide_index=True, width="stretch")

if level == "区县":
    district_map()

st.subheader("地区 × 年份")
shown = ranked["region_id"].head(CHART_MAX_REGIONS).tolist() if too_many else None
grid = fetch(q.heatmap_cells(indicator, level, span, shown))
if grid["year"].nunique() < 2:
    empty("只有一个年份的可比数字，热力图需要至少两个年份。")
else:
    notes = ["空白格为“无数据”，不是零。"]
    if too_many:
        notes.append(f"地区较多（{len(ranked)} 个），只列出{year}年{period_name}排名前 {CHART_MAX_REGIONS} 的地区。")
    chart(heatmap_figure(grid), ChartMeta(f"{meta['name']}：地区 × 年份",
                                          f"{LEVELS[level]} · {period_name}", source_line(grid)), notes,
          key="heatmap")
breakdown_section(indicator, meta["name"], year=year)
page_zip_button("地区对比")
