"""趋势: chosen indicator for chosen regions over the years, its year-over-year change,
and every point's source sentence."""
from __future__ import annotations

import streamlit as st

from charts.figures import trend_figure, yoy_chart
from charts.format import format_values
from charts.meta import ChartMeta, chart_subtitle, source_line
from queries import sql as q
from views.breakdowns import breakdown_section
from views.common import (
    as_table,
    chart,
    empty,
    indicator_picker,
    indicators_with_data,
    keep_chart,
    keep_chart_unmade,
    md_escape,
    no_data_at_all,
    page_zip_button,
    pick_one,
    pick_regions,
    start_page_charts,
)
from views.connection import fetch, fetch_later

SCOPES = {"whole": "全区（不含部门口径）", "all": "全部口径（各自单独成线）"}
# The page's views, one tab each; only the open one is drawn.
TABS = ["走势", "同比变化", "分项", "数字与出处"]

st.title("趋势")
start_page_charts()
indicators = indicators_with_data()
if no_data_at_all(indicators):
    st.stop()

indicator = indicator_picker(indicators)
meta = indicators.set_index("id").loc[indicator]
with_figures = fetch(q.indicator_regions(indicator))
only_scoped = not with_figures["has_whole"].any()
left, right = st.columns([3, 2])
with left:
    regions = pick_regions("地区", with_figures, "regions", with_figures["region_id"].head(5).tolist())
with right:
    scope_choice = pick_one("口径", list(SCOPES), "scope", "all" if only_scoped else "whole", SCOPES.get)
if not regions:
    empty("请至少选择一个地区。")
    st.stop()

scope = "" if scope_choice == "whole" else None
series = fetch(q.series([indicator], regions, scope=scope))
if series.empty:
    empty("所选地区在此口径下没有这项指标的数字。可以把“口径”改为“全部口径”，或换一个地区。")
    st.stop()

years = sorted(series["year"].unique())
st.caption(f"{md_escape(meta['definition'])} 单位：{md_escape(meta['unit'])}。")
# A place kept whether it is filled or not: a notice that came and went before the chart shifted
# it, and the browser then drew the chart anew from an empty box instead of updating it.
single_year_notice = st.empty()
if len(years) == 1:
    single_year_notice.info(f"目前只有 {years[0]} 年的数字，尚不能看出趋势；“数字与出处”中列出该年的数字与出处。")
trend_fig, trend_notes = trend_figure(series)
trend_meta = ChartMeta(meta["name"], chart_subtitle(series), source_line(series))
# Lazy tabs, their choice kept in the URL: a filter redraws only the open one. Redrawing
# the 同比 chart and the table on every change cost the browser ~170 ms of a ~470 ms
# filter → chart at 300k (bench/RESULTS.md). Both charts still go into the page's ZIP.
trend_tab, yoy_tab, parts_tab, table_tab = st.tabs(TABS, key="view", bind="query-params")
with trend_tab:
    if trend_tab.open:
        chart(trend_fig, trend_meta, trend_notes, key="trend")
    else:
        keep_chart(trend_fig, trend_meta, trend_notes, key="trend")

with yoy_tab:
    # Read and made after the trend chart has gone to the browser, which draws it meanwhile;
    # with the tab closed, only if the page's ZIP is downloaded.
    yoy_query = q.year_over_year([indicator], regions, None, scope=scope)
    if yoy_tab.open:
        yoy = yoy_chart(fetch(yoy_query), meta["name"])
        if yoy is None:
            empty("没有可以比较的上年同期数字：同比只在相同期间之间计算（全年对全年，1-10月对1-10月），"
                  "部分期间或单一年份不作比较。")
        else:
            chart(*yoy, key="yoy")
    else:
        read_yoy = fetch_later(yoy_query)
        keep_chart_unmade(lambda: yoy_chart(read_yoy(), meta["name"]), key="yoy")

with parts_tab:
    if parts_tab.open:
        breakdown_section(indicator, meta["name"], regions,
                          when_none="所选地区的这项指标没有分项数字（分项来自统计报表，例如复议案件的案件类别）。")

with table_tab:
    if table_tab.open:
        table = series.assign(数值=format_values(series))
        st.dataframe(
            as_table(table, {"year": "年份", "period": "期间", "region": "地区", "scope": "口径", "kind": "类型",
                             "source_label": "来源", "sentence": "原文", "note": "备注"},
                     ["年份", "期间", "地区", "口径", "类型", "数值", "来源", "原文", "备注"]),
            hide_index=True, width="stretch",
            column_config={"年份": st.column_config.NumberColumn(format="%d"),
                           "原文": st.column_config.TextColumn(width="large")})
page_zip_button("趋势")
