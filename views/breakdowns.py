"""按分项: the parts (分项, such as a form's 案件类别) of one figure, for the pages that
offer them (趋势, 地区对比). Totals stay on the pages' own charts; parts are drawn here,
never ranked with or compared against the total."""
from __future__ import annotations

import streamlit as st

from charts.figures import breakdown_figure
from charts.format import format_changes, format_value, format_values, trim_number
from charts.meta import ChartMeta, source_line
from queries import sql as q
from views.common import as_table, chart, empty, pick_one
from views.connection import fetch


def _choice_key(row) -> str:
    return f"{row.region_id}|{row.year}|{row.period}|{row.scope}"


@st.fragment
def breakdown_section(indicator: str, name: str, region_ids: list[str] | None = None,
                      year: int | None = None, when_none: str = "") -> None:
    """Offers 按分项 when the indicator has parts for the regions (and year) shown; otherwise
    `when_none` if given (where the section has a tab of its own), else nothing at all.
    A fragment: choosing another figure's parts reruns this section only, not the page's
    queries and charts above it."""
    choices = fetch(q.breakdown_choices(indicator, region_ids, year))
    if choices.empty:
        if when_none:
            empty(when_none)
        return
    st.subheader("按分项")
    labels = {_choice_key(r): f"{r.region} · {r.year}年{'' if r.period == '全年' else r.period}"
                              + (f" · {r.scope}" if r.scope else "") + f"（{r.n_parts} 个分项）"
              for r in choices.itertuples()}
    chosen = pick_one("分项所属的数字", list(labels), "part_of", format_func=labels.get, key="breakdown_of")
    region_id, year_text, period, scope = chosen.split("|", 3)
    parts = fetch(q.breakdown_parts(indicator, region_id, int(year_text), period, scope))
    if parts.empty:
        return
    first = parts.iloc[0]
    subtitle = labels[chosen].rsplit("（", 1)[0]
    fig, notes = breakdown_figure(parts)
    chart(fig, ChartMeta(f"{name}：按分项", subtitle, source_line(parts)), notes, key="breakdown")
    st.caption("各分项与上年同期的同一分项比较；分项从不与总数一起排名或比较。")
    table = parts.assign(
        数值=format_values(parts),
        占总数=[("" if s != s else f"{trim_number(s, 1)}%") for s in parts["share"]],
        上年同期=[format_value(v, u, qv) if v == v else "—"
                  for v, u, qv in zip(parts["prev_value"], parts["unit"], parts["prev_qualifier"])],
        同比=format_changes(parts),
        出处=[" ".join(x for x in (s, c) if isinstance(x, str) and x) for s, c in zip(parts["sheet"], parts["cell"])],
    )
    st.dataframe(as_table(table, {"breakdown": "分项", "note": "备注"},
                          ["分项", "数值", "占总数", "上年同期", "同比", "出处", "备注"]),
                 hide_index=True, width="stretch")
    if first["derived"]:
        st.caption("各分项的比率由该分项自己的两项数字推算。")
