"""目标进度: plan targets beside the actual figures for the same key."""
from __future__ import annotations

import streamlit as st

from charts.figures import target_figure
from charts.format import format_values
from charts.meta import ChartMeta, source_line
from queries import sql as q
from views.common import as_table, chart, empty, lookup, no_data_at_all, page_zip_button, start_page_charts
from views.connection import fetch

st.title("目标进度")
start_page_charts()
if no_data_at_all(fetch(q.indicators_with_data())):
    st.stop()

with_targets = fetch(q.target_regions())
if with_targets.empty:
    empty("数据库中还没有目标值。目标值来自各地的工作要点（类型为“目标”）。")
    st.stop()

region_ids = lookup(with_targets["name"], with_targets["id"])
regions = list(region_ids)
region = st.selectbox("地区", regions, index=regions.index(st.query_params.get("target_region", regions[0]))
                      if st.query_params.get("target_region") in regions else 0)
st.query_params["target_region"] = region
# Only the chosen region's targets: all of them at national scale are tens of thousands of rows.
rows = fetch(q.targets_against_actuals([region_ids[region]]))
years = sorted(rows["year"].unique())
fig, notes = target_figure(rows)
chart(fig, ChartMeta(f"{region}目标与实际", "、".join(f"{y}年" for y in years), source_line(rows)), notes,
      key="targets")
missing = rows["actual_value"].isna().sum()
if missing:
    st.warning(f"{missing} 项目标还没有同期的实际数字，无法判断完成情况。实际数字上传后会自动对照。")
table = rows.assign(
    目标=format_values(rows, "target_value", "target_qualifier"),
    实际=format_values(rows, "actual_value", "actual_qualifier"))
st.dataframe(as_table(table, {"indicator": "指标", "year": "年份", "period": "期间", "scope": "口径",
                              "source_label": "来源", "sentence": "原文"},
                      ["指标", "年份", "期间", "口径", "目标", "实际", "来源", "原文"]),
             hide_index=True, width="stretch", column_config={"年份": st.column_config.NumberColumn(format="%d")})
page_zip_button("目标进度")
