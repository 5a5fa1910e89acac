"""数据征集: which figures of a collection round the store holds, for a year, as a matrix
(indicators × county-level divisions, colour and symbol per state, counts at the
margins), the list of figures to chase as text to paste, and the record of the round.
Editors also generate the round's pre-filled workbooks, one per region, as a ZIP."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from charts.collection import (
    STATE_COLOURS,
    CoverageMatrix,
    chase_text,
    coverage_matrix,
    coverage_table,
    legend,
    progress_table,
    region_summary,
)
from exports.collection import collection_workbooks, zip_workbooks
from exports.template import lists_from_db
from indicators.collection import load_collection
from queries.collection import collection_rounds, collection_years, coverage_cells
from store.collection import record_round
from views.auth import is_editor, require_editor
from views.common import empty, md_escape, pick_many, pick_one
from views.connection import clear_after_write, cursor, fetch, is_replica
from views.operations import read_only_here


def matrix_table(matrix: CoverageMatrix) -> Styler:
    """The matrix for st.table: each cell its symbol and figure linking to 地区对比, a ↗
    to the region's trend, its state's colour; data text escaped, never markup."""
    def cell(text: str, links: tuple[str, str] | None) -> str:
        if links is None:
            return md_escape(text)
        compare, trend = links
        return f"[{md_escape(text)}]({compare}) [↗]({trend})"

    table = pd.DataFrame([[cell(t, k) for t, k in zip(texts, keys)]
                          for texts, keys in zip(matrix.texts.itertuples(index=False),
                                                 matrix.links.itertuples(index=False))],
                         index=[md_escape(i) for i in matrix.texts.index],
                         columns=[md_escape(c) for c in matrix.texts.columns])
    colours = matrix.states.map(lambda s: f"background-color: {STATE_COLOURS[s]}" if s else "font-weight: bold")
    colours.index, colours.columns = table.index, table.columns
    return table.style.apply(lambda _: colours, axis=None)


GENERATED = "collection_zip"  # (year, region ids, ZIP bytes, number of workbooks) of the last generation
DEFAULT_USER = "网页生成"

collection = load_collection()
st.title("数据征集")

years = [int(y) for y in fetch(collection_years(collection.indicators, collection.region_level))["year"]]
asked_year = dt.date.today().year - 1  # each spring's round asks for the year before
options = sorted({*years, asked_year}, reverse=True)
year = int(pick_one("年份", [str(y) for y in options], "year", str(max(years) if years else asked_year),
                    lambda y: f"{y}年"))
cells = fetch(coverage_cells(collection.indicators, collection.region_level, year, collection.span, collection.kind))
if cells.empty:
    empty("数据库中没有本轮征集的指标或地区（见 indicators/collections/annual.yaml）。")
    st.stop()

n_indicators, n_regions = cells["indicator_id"].nunique(), cells["region_id"].nunique()
st.markdown(f"**{year}年{collection.name}**：{n_indicators} 项指标 × {n_regions} 个县级市（区），每格为该地区"
            f"{year}年{collection.period}{collection.kind}数（全区口径）。")
st.caption(f"图例：{legend()}。点格中的符号或数字打开该指标的地区对比，点“↗”查看该地区的历年走势；"
           "各数字的来源见表下“逐格明细”。部门口径的数字不计入本表。")

rounds = fetch(collection_rounds(collection.id, year))
if rounds.empty:
    st.caption(f"征集记录：{year}年的征集表尚未生成过。")
for r in rounds.head(3).itertuples():
    st.caption(f"征集记录：{pd.Timestamp(r.created_at):%Y-%m-%d %H:%M} 由“{md_escape(r.user_name or '未署名')}”生成"
               f" {len(r.region_ids)} 个地区、{len(r.indicator_ids)} 项指标的征集表")
summary = region_summary(cells)
# Narrow bars and counts, so that the four columns fit a phone's 358 px without scrolling.
st.dataframe(progress_table(summary), hide_index=True, width="stretch",
             column_config={"已收齐": st.column_config.TextColumn(width="small"),
                            "进度": st.column_config.ProgressColumn("进度", min_value=0, max_value=1, format="percent",
                                                                  width="small")})
st.table(matrix_table(coverage_matrix(cells, collection, year)))
with st.expander("逐格明细（含来源与收到时间）"):
    st.dataframe(coverage_table(cells), hide_index=True, width="stretch")

st.subheader("待催报清单")
st.caption("可直接复制，粘贴到催报通知中。")
st.code(chase_text(cells, collection, year), language=None, wrap_lines=True)

st.subheader("生成征集表")
if is_replica():  # a round is recorded in the database, which a replica only reads
    read_only_here("生成征集表（生成时要记入征集记录）", "数据征集")
    st.stop()
if not is_editor():
    with st.expander("编辑人员：为各地区生成预填的征集表"):
        require_editor("生成征集表仅限编辑人员。请输入编辑密码。")
    st.stop()

st.caption("每个地区一份 Excel（明细表版式）：地区与年份已填，已有数字连同限定与来源已填，空白处待填；"
           "附下拉列表、指标定义与单位，按 A4 横向打印。报回后在“数据更新”页上传即可。")
regions = summary.set_index("region_id")["region"]
chosen = pick_many("地区", list(regions.index), "regions", list(regions.index), regions.get, key="collect_regions")
user = st.text_input("经办人（记入征集记录）", value=DEFAULT_USER, key="collect_user").strip() or DEFAULT_USER
if st.button("生成征集表", type="primary", icon=":material/post_add:", key="collect_generate", disabled=not chosen):
    if not is_editor():
        st.error("编辑登录已失效，请重新登录后再生成。")
        st.stop()
    asked = cells[cells["region_id"].isin(chosen)]
    workbooks = collection_workbooks(asked, collection, year, *lists_from_db(cursor()))
    record_round(cursor(), collection.id, year, chosen, list(dict.fromkeys(asked["indicator_id"])), user)
    clear_after_write()
    st.session_state[GENERATED] = (year, tuple(chosen), zip_workbooks(workbooks), len(workbooks))
    st.rerun()
generated = st.session_state.get(GENERATED)
if generated is not None and generated[0] == year:
    _, _, data, count = generated
    st.success(f"已生成 {count} 份{year}年征集表，并记入征集记录。", icon=":material/check_circle:")
    st.download_button(f"下载征集表（{count} 份，ZIP）", data=data, file_name=f"{year}年数据征集表.zip",
                       mime="application/zip", on_click="ignore", icon=":material/folder_zip:", key="collect_zip")
