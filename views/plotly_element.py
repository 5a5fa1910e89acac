"""Charts drawn in the browser by Plotly's own bundles rather than by st.plotly_chart.

st.plotly_chart draws with Streamlit's 4.7 MB Plotly module, and a browser spent ~1.4 s
evaluating it before the first chart of a visit appeared: the largest part of that wait
(bench/RESULTS.md). This element loads Plotly's cartesian bundle (1.5 MB, which `make setup`
puts in static/ at the version package-lock.json pins) for every chart but a map, which needs
the full bundle. The figure goes as it is drawn, without the Plotly template Streamlit sets
as the default (its colours are placeholders only Streamlit's own chart fills in); a light
one of ours gives the screen's smaller grey axis labels instead.
"""
from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

# The trace types in Plotly's cartesian bundle (plotly.js-cartesian-dist-min's README).
CARTESIAN_TRACES = frozenset({"bar", "box", "contour", "heatmap", "histogram", "histogram2d",
                              "histogram2dcontour", "image", "pie", "scatter", "scatterternary", "violin"})
# Relative to the page, so that a deployment under a path prefix finds them too.
CARTESIAN_BUNDLE = "app/static/plotly-cartesian.min.js"
FULL_BUNDLE = "app/static/plotly.min.js"
# automargin: a figure's small margins (the 总览 sparkline's 4 px) grow to fit its labels, as
# Streamlit's chart made them; without it the sparkline's 年 labels were cut off below.
_AXIS = {"tickfont": {"color": "#5F6370", "size": 12}, "title": {"font": {"color": "#5F6370"}}, "automargin": True}
SCREEN_TEMPLATE = {"layout": {"font": {"color": "#31333F"}, "xaxis": _AXIS, "yaxis": _AXIS}}
_JS = (Path(__file__).parent / "static" / "plotly_element.js").read_text(encoding="utf-8")


@st.cache_resource(show_spinner=False)
def _element():
    """Registered once per server process (the registry belongs to Streamlit's runtime)."""
    return st.components.v2.component("fazhi_chart", js=_JS, isolate_styles=False)


def bundle_for(fig: go.Figure) -> str:
    return CARTESIAN_BUNDLE if all(trace.type in CARTESIAN_TRACES for trace in fig.data) else FULL_BUNDLE


def figure_json(fig: go.Figure) -> str:
    """The figure as the browser draws it: unvalidated (as st.plotly_chart sends it), with
    the screen's template in place of Streamlit's.

    Written from the figure's own data and layout (`_data`, `_layout`: our figures are
    built from plain dicts, charts.figures.UNCHECKED), not from to_plotly_json(): that
    deep-copies them and packs each array as base64, 3.0 of the 3.6 ms 趋势's trend chart
    took on every run. Arrays go as JSON lists, which plotly.js draws alike."""
    return pio.to_json({"data": fig._data, "layout": {**fig._layout, "template": SCREEN_TEMPLATE}}, validate=False)


# Plotly 4's modebar offers to upload the chart to Plotly's cloud: no figure leaves the office.
_REMOVED_BUTTONS = ["sendChartToCloud"]


def plotly_element(fig: go.Figure, config: dict, key: str) -> None:
    config = {**config, "modeBarButtonsToRemove": _REMOVED_BUTTONS}
    _element()(data={"figure": figure_json(fig), "bundle": bundle_for(fig), "config": config}, key=key)
