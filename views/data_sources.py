"""数据与来源: every figure, filterable, with its source and sentence; downloads that keep
qualifiers and notes and carry no live formula; the sentence shown in its report."""
from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from charts.figures import count_bars
from charts.format import format_values
from charts.meta import ChartMeta, source_line
from loaders.reference import load_sources
from queries import sql as q
from store.frame import each_row
from views.common import (
    all_regions,
    as_table,
    chart,
    empty,
    indicators_with_data,
    lookup,
    md_escape,
    no_data_at_all,
    pick_many,
    start_page_charts,
)
from views.connection import cursor, fetch

st.title("数据与来源")
start_page_charts()
indicators = indicators_with_data()
if no_data_at_all(indicators):
    st.stop()

regions = all_regions()
regions = regions[regions["n_observations"] > 0]
ind_names = lookup(indicators["id"], indicators["name"])
reg_names = lookup(regions["id"], regions["name"])
c1, c2 = st.columns(2)
with c1:
    chosen_ind = pick_many("指标（不选为全部）", list(ind_names), "indicators", [], ind_names.get,
                           placeholder="全部指标")
with c2:
    chosen_reg = pick_many("地区（不选为全部）", list(reg_names), "regions", [], reg_names.get,
                           placeholder="全部地区")
c3, c4, c5 = st.columns(3)
all_years = sorted(set(indicators["first_year"].dropna().astype(int)) | set(indicators["last_year"].dropna().astype(int)))
with c3:
    year_from, year_to = st.select_slider("年份", options=list(range(min(all_years), max(all_years) + 1)),
                                          value=(min(all_years), max(all_years)), key="years")
with c4:
    kind = st.selectbox("类型", ["全部", "实际", "目标"], key="kind")
with c5:
    text = st.text_input("搜索原文或备注", key="text")

# The whole range of years is no filter at all: unfiltered, the query takes its counts
# from indicator_stats instead of counting millions of rows.
filters = (chosen_ind or None, chosen_reg or None, None if year_from == min(all_years) else year_from,
           None if year_to == max(all_years) else year_to, None if kind == "全部" else kind, text.strip() or None)
rows = fetch(q.observations(*filters, limit=q.OBSERVATIONS_LIMIT))
if rows.empty:
    st.caption("共 0 条。")
    empty("没有符合条件的数字。")
    st.stop()
# A full table may be the first rows of many more: the counts are then asked of the
# database, so that neither the total nor the chart speaks of the listed rows only.
listed_only = len(rows) >= q.OBSERVATIONS_LIMIT
per_year = (fetch(q.observation_year_counts(*filters)).set_index("year")["n"] if listed_only
            else rows.groupby("year").size())
total = int(per_year.sum())
listed = f"，下表按指标顺序列出前 {len(rows):,} 条（缩小筛选范围可看到其余）" if listed_only else ""
st.caption(f"共 {total:,} 条{listed}。数值按指标单位换算；“限定”照录原文（近、约、余、超过、推算等）。")
# Every year of the span, a year without figures as 0: a count of figures is a true 0,
# and a missing bar would hide that the year has none.
years = range(int(per_year.index.min()), int(per_year.index.max()) + 1)
per_year = per_year.reindex(years, fill_value=0)
notes = ["同一年份的数字可能期间不同（全年、上半年、1-10月），条数只说明覆盖面，不可相加比较。"]
if (per_year == 0).any():
    notes.append("、".join(f"{y}年" for y in per_year.index[per_year == 0]) + "没有符合条件的数字（计为 0 条）。")
chart(count_bars([f"{y}年" for y in per_year.index], per_year.tolist(), "条数"),
      ChartMeta("各年份数字条数", "按当前筛选条件", source_line(rows)), notes, key="per_year")
shown = rows.assign(
    数值=format_values(rows),
    # Where an uploaded figure came from in its workbook, as a clerk would look it up.
    单元格=[f"{sheet}!{cell}" if isinstance(cell, str) and cell else "" for sheet, cell in each_row(rows, "sheet", "cell")])
st.dataframe(as_table(shown, {
    "indicator": "指标", "region": "地区", "scope": "口径", "year": "年份", "period": "期间", "kind": "类型",
    "qualifier": "限定", "source_label": "来源", "sentence": "原文", "note": "备注", "batch_id": "批次",
    "breakdown": "分项"},  # 分项 empty for a total
    ["指标", "分项", "地区", "口径", "年份", "期间", "类型", "数值", "限定", "来源", "单元格", "原文", "备注", "批次"]),
    hide_index=True, width="stretch", column_config={"年份": st.column_config.NumberColumn(format="%d")})


def _download(suffix: str) -> bytes:
    """The full long-format export (../shared/interchange.md), as fazhi export writes it.
    The export stack (openpyxl) is imported only when a download is asked for: it would
    add 60 ms to the page's first run."""
    from exports import TABLE_FORMATS
    from exports.tabular import export_frame

    frame = export_frame(cursor())
    buffer = io.BytesIO()
    TABLE_FORMATS[suffix].write(frame, buffer)
    return buffer.getvalue()


d1, d2 = st.columns(2)
d1.download_button("下载全部数据（Excel）", data=lambda: _download(".xlsx"),
                   file_name="法治政府建设指标_明细表.xlsx", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
d2.download_button("下载全部数据（CSV）", data=lambda: _download(".csv"),
                   file_name="法治政府建设指标_明细表.csv", mime="text/csv", on_click="ignore")

st.subheader("原文出处")
sources = {s.id: s for s in load_sources()}
# A figure read from a report keeps its sentence: in an archived report (data/sources/) it is
# shown in its context; from a report pasted or uploaded on 数据更新, as it was recorded.
with_source = rows[rows["source_id"].notna() | rows["sentence"].notna()].reset_index(drop=True)
if with_source.empty:
    empty("所选数字来自上传的填报表，没有报告原文。")
    st.stop()
# Column-wise: a loop over thousands of rows took ~50 ms of the page's run at 3M.
labels = (with_source["indicator"] + " · " + with_source["region"] + " · " + with_source["year"].astype(str) + "年"
          + with_source["period"]).tolist()
pick = st.selectbox("选择一条数字，查看它在报告中的上下文", range(len(labels)), format_func=labels.__getitem__)
row = with_source.iloc[pick]
source = sources.get(row["source_id"]) if pd.notna(row["source_id"]) else None
if source is None:
    st.markdown(f"**{md_escape(row['source_label'] or '（未写来源）')}**")
    st.text(f"【{row['sentence']}】")
    st.caption(f"【】内为导入时记录的原句；这份报告没有存档于 data/sources/，报告原文件随导入批次 {int(row['batch_id'])} 保存。")
    st.stop()
st.markdown(f"**{md_escape(source.title)}**（{md_escape(source.publisher)}）")
context = source.context(row["sentence"])
if context:
    before, sentence, after = context
    st.text(f"……{before}【{sentence}】{after}……")
    st.caption("【】内为这条数字所依据的原文；全文存档于 data/sources/。")
