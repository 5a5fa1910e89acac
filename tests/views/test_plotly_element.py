"""views/plotly_element.py: which Plotly bundle draws a figure, and what the browser is sent."""
from __future__ import annotations

import base64
import json
import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.offline import get_plotlyjs_version
from streamlit.testing.v1 import AppTest

import views.plotly_element as plotly_element
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


def _arrays_as_lists(value: object) -> object:
    """A to_plotly_json() spec with Plotly's base64 arrays ({"dtype", "bdata"}) as lists."""
    if isinstance(value, dict):
        if {"dtype", "bdata"} <= set(value):
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:
                array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
            return array.tolist()
        return {key: _arrays_as_lists(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_arrays_as_lists(item) for item in value]
    return value


@pytest.mark.parametrize("page", ["overview", "trends", "compare", "targets"])
def test_the_browser_gets_each_drawn_figure_as_plotly_itself_writes_it(page, small_db_path, monkeypatch):
    """figure_json writes the figure's own data and layout, not to_plotly_json()'s copy:
    every chart a page draws must reach the browser the same, arrays as lists."""
    sent = []
    written = plotly_element.figure_json
    monkeypatch.setattr(plotly_element, "figure_json", lambda fig: sent.append((fig, written(fig))) or sent[-1][1])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert sent
    for fig, text in sent:
        spec = fig.to_plotly_json()
        expected = pio.to_json({"data": _arrays_as_lists(spec["data"]),
                                "layout": {**_arrays_as_lists(spec["layout"]), "template": SCREEN_TEMPLATE}},
                               validate=False)
        assert json.loads(text) == json.loads(expected)
