"""views/plotly_element.py: which Plotly bundle draws a figure, and what the browser is sent."""
from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from paths import ROOT
from views.plotly_element import CARTESIAN_BUNDLE, FULL_BUNDLE, SCREEN_TEMPLATE, bundle_for, figure_json


@pytest.mark.parametrize("traces, bundle", [
    ([go.Scatter(x=[1], y=[2])], CARTESIAN_BUNDLE),
    ([go.Bar(x=[1], y=[2]), go.Heatmap(z=[[1]])], CARTESIAN_BUNDLE),
    ([], CARTESIAN_BUNDLE),
    ([go.Choropleth(locations=["a"], z=[1])], FULL_BUNDLE),
    ([go.Bar(x=[1], y=[2]), go.Scattergeo(lat=[31], lon=[120])], FULL_BUNDLE),
])
def test_a_figure_goes_to_the_bundle_that_has_its_traces(traces, bundle):
    assert bundle_for(go.Figure(traces)) == bundle


def test_the_browser_gets_the_screen_template_not_streamlits_placeholders():
    import streamlit.elements.plotly_chart  # noqa: F401  # sets Streamlit's template as the default, as a page run does

    sent = json.loads(figure_json(go.Figure(go.Heatmap(z=[[1, 2]]), layout={"title": {"text": "姑苏区"}})))
    assert sent["layout"]["template"] == SCREEN_TEMPLATE and sent["layout"]["title"]["text"] == "姑苏区"
    # a figure's tight margins grow to fit its axis labels (the sparkline's years were cut)
    assert SCREEN_TEMPLATE["layout"]["xaxis"]["automargin"] and SCREEN_TEMPLATE["layout"]["yaxis"]["automargin"]
    # Streamlit's template holds colours such as #000011 that only its own chart replaces
    assert not re.search(r"#0000[0-9]{2}\b", json.dumps(sent))


def test_the_served_cartesian_bundle_is_the_plotly_js_plotly_py_writes_for():
    """make setup copies static/ from npm (package-lock.json) and from plotly.py: an upgrade of
    one without the other would draw figures with another Plotly than they were made for."""
    version = get_plotlyjs_version()
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert pinned == {"plotly.js-cartesian-dist-min": version}
    for name in ("plotly-cartesian.min.js", "plotly.min.js"):
        head = (ROOT / "static" / name).read_text(encoding="utf-8")[:300]
        assert re.search(rf"\* plotly\.js (\(cartesian - minified\) )?v{re.escape(version)}\n", head), name
