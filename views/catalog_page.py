"""指标说明: the catalog, grouped under the national headings."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.figures import labelled_count_bars
from charts.meta import ChartMeta
from queries import sql as q
from views.common import chart, start_page_charts
from views.connection import fetch

TYPES = {"流量": "流量（期间合计）", "存量": "存量（时点数）", "比率": "比率（%）", "增长率": "增长率（%）"}
DIRECTIONS = {"higher_better": "越高越好", "lower_better": "越低越好", "neutral": "中性"}

st.title("指标说明")
start_page_charts()
catalog = fetch(q.indicators_with_data())
st.caption(f"共 {len(catalog)} 项指标，按《市县法治政府建设示范指标体系（2021）》一级指标分类；"
           "“推算”类指标由两项基础指标计算，不单独填报。")
headings = fetch(q.categories())["name"].tolist()
# Every heading of the national system, also one the catalog has no indicator under yet:
# a heading left off the chart would look forgotten rather than empty.
with_data = (catalog[catalog["n_observations"] > 0].groupby("category").size()
             .reindex(headings, fill_value=0))
notes = [f"目录共 {len(catalog)} 项指标，其中 {int((catalog['n_observations'] > 0).sum())} 项已有数据。"]
unlisted = [h for h in headings if h not in set(catalog["category"])]
if unlisted:
    notes.append(f"{'、'.join(unlisted)}：目录中暂无这一类指标（计为 0）。")
chart(labelled_count_bars(headings, with_data.tolist(), "有数据的指标数"),
      ChartMeta("各类别有数据的指标数", "按一级指标分类", "指标目录（indicators/catalog.yaml）"), notes,
      key="categories")
query = st.text_input("查找指标（名称或别名）", key="catalog_query").strip()
if query:
    catalog = catalog[catalog["name"].str.contains(query, regex=False)
                      | catalog["aliases"].map(lambda a: any(query in x for x in a))]
for category, rows in catalog.groupby("category", sort=False):
    with st.expander(f"{category}（{len(rows)} 项）", expanded=bool(query)):
        st.dataframe(rows.assign(
            类型=rows["type"].map(TYPES), 方向=rows["direction"].map(DIRECTIONS),
            别名=rows["aliases"].map("、".join),
            年份=["暂无数据" if pd.isna(a) else f"{int(a)}—{int(b)}"
                for a, b in zip(rows["first_year"], rows["last_year"])],
        ).rename(columns={"name": "指标", "subcategory": "分项", "unit": "单位", "definition": "定义",
                          "source": "来源", "n_observations": "数据条数"})
            [["指标", "分项", "单位", "类型", "方向", "定义", "别名", "数据条数", "年份", "来源"]],
            hide_index=True, width="stretch")
