"""总览: headline cards for a region and year, with change and trend, and 简报要点."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.figures import sparkline
from charts.format import change_from_zero, format_changes, format_value
from charts.sentences import brief_sentence
from indicators.vocabulary import ACTUAL
from queries import sql as q
from queries.defaults import HEADLINE, card_figure, card_label, headline_first, overview_default_year
from views.briefing import briefing_buttons
from views.common import (
    DEFAULT_REGION,
    all_regions,
    empty,
    lookup,
    md_escape,
    no_data_at_all,
    pick_one,
    start_page_charts,
)
from views.connection import fetch
from views.plotly_element import plotly_element

DELTA_COLOR = {"higher_better": "normal", "lower_better": "inverse", "neutral": "off"}

st.title("总览")
start_page_charts()
catalog = fetch(q.indicators_with_data()).set_index("id")
if no_data_at_all(catalog):
    st.stop()

regions = all_regions()
with_data = regions[regions["n_observations"] > 0]
names = lookup(with_data["id"], with_data["name"])
default = with_data.loc[with_data["name"] == DEFAULT_REGION, "id"]
left, right = st.columns(2)
with left:
    region = pick_one("地区", list(names), "region", default.iloc[0] if len(default) else None, names.get)
figures = fetch(q.series(HEADLINE, [region], scope=None))
all_figures = fetch(q.year_over_year(None, [region], None, scope=None))
years = sorted(set(all_figures["year"]) | set(figures["year"]), reverse=True)
with right:
    year = pick_one("年份", [str(y) for y in years], "year", overview_default_year(figures), lambda y: f"{y}年")
year = int(year)

st.subheader(f"{names[region]} · {year}年 重点指标")
year_rows = all_figures[all_figures["year"] == year]


def _or_dash(text: object) -> str:
    """A missing text is NaN in a column that has others (pandas' str dtype), not None."""
    return text if isinstance(text, str) and text else "—"


columns = st.columns(4)
for n, indicator_id in enumerate(i for i in HEADLINE if i in catalog.index):
    meta = catalog.loc[indicator_id]
    row = card_figure(year_rows, indicator_id)
    with columns[n % 4]:
        with st.container(border=True):
            if row is None:
                latest = figures[(figures["indicator_id"] == indicator_id) & (figures["kind"] == ACTUAL)]
                hint = f"最近数据：{int(latest['year'].max())}年" if len(latest) else "暂无数据"
                st.metric(md_escape(meta["name"]), "—", help=f"{year}年无此项数据")
                st.caption(hint)
                continue
            label = card_label(meta["name"], row)
            has_prev = not pd.isna(row["prev_value"])
            change = format_changes(pd.DataFrame([row]))[0] if has_prev else "—"
            # No change in per cent from last year's 0: a bare "—" beside "较2019年同期" said
            # nothing of why; the caption names last year's figure instead.
            delta = None if change == "—" else change
            # The delta holds the change alone: Streamlit cuts a delta to one line, and on a
            # quarter-width card "较2019年同期" beside it was cut to "较201…".
            st.metric(md_escape(label), format_value(row["value"], row["unit"], row["qualifier"]), delta=delta,
                      delta_color=DELTA_COLOR.get(meta["direction"], "off"),
                      help=f"来源：{md_escape(_or_dash(row['source_label']))}\n\n原文：{md_escape(_or_dash(row['sentence']))}")
            if delta:
                st.caption(f"较{int(row['prev_year'])}年同期")
            elif has_prev:
                # The unit may be an uploader's (a new indicator's): escaped like the card's label.
                st.caption(md_escape(change_from_zero(int(row["prev_year"]), row["prev_value"], row["unit"],
                                                      row["prev_qualifier"])))
            else:
                st.caption("无上年同期数据，不作比较")
            spark = sparkline(figures[(figures["indicator_id"] == indicator_id) & (figures["scope"] == row["scope"])])
            if spark is not None:
                plotly_element(spark, {"displayModeBar": False, "responsive": True}, key=f"spark_{indicator_id}")

st.subheader("简报要点")
if year_rows.empty:
    empty(f"{names[region]}{year}年暂无数据。")
else:
    sentences = [brief_sentence(r) for r in headline_first(year_rows).to_dict("records")]
    for sentence in sentences[:8]:
        st.markdown(f"- {md_escape(sentence)}")
    if len(sentences) > 8:
        with st.expander(f"其余 {len(sentences) - 8} 条"):
            for sentence in sentences[8:]:
                st.markdown(f"- {md_escape(sentence)}")
    st.caption("要点由数据自动生成：只与上年同期比较；“近”“约”“余”等限定照录原文；目标值、推算值均已注明。")
    briefing_buttons(region, names[region], year)
