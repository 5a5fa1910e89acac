"""The floor under 趋势's filter → chart and first chart (bench/browser.py measures it beside
the page, interleaved): the page's indicator chooser and its trend chart for the indicator's
first five regions, with the queries and the figure build a newly chosen indicator needs, and
nothing else (no navigation, title, region chooser, tabs, notes or buttons).

What a filter change costs here is what Streamlit, Plotly and DuckDB need on this machine
for that one chart; the page's own cost is the difference. Run by `streamlit run` with
FAZHI_DB naming a database it may open read-only (a copy: the page's server holds the
original for writing).
"""
from __future__ import annotations

import os

import duckdb
import pandas as pd
import streamlit as st

from charts.figures import trend_figure
from charts.meta import camera_config
from queries import sql as q
from store.frame import fetch_frame
from views.common import indicator_picker
from views.heap import freeze_long_lived
from views.plotly_element import plotly_element


@st.cache_resource
def _connection() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(os.environ["FAZHI_DB"], read_only=True)


@st.cache_data
def _indicators() -> pd.DataFrame:
    # Cached as the page caches it: the chooser's list is not what a change waits for.
    frame = fetch_frame(_connection().cursor(), *q.indicators_with_data())
    return frame[frame["n_observations"] > 0]


con = _connection().cursor()
# The page's own chooser (its labels, order and URL), so that the bench picks the same
# indicators in both.
indicator = indicator_picker(_indicators())
regions = fetch_frame(con, *q.indicator_regions(indicator))["region_id"].tolist()[:5]
figure, _ = trend_figure(fetch_frame(con, *q.series([indicator], regions)))
plotly_element(figure, camera_config("chart"), key="chart_trend")
# As app.py does after every page: without it Streamlit's collection after each run walked
# every long-lived object, 76 ms the browser waited for the run's last message.
freeze_long_lived()
