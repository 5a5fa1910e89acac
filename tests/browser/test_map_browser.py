"""The district map as plotly.js draws it in chromium, at a phone's width and a desk's: every
district's name and figure legible, none written over another or over 苏州工业园区's point.
(The labels' places depend on the projection and the fonts, which only a browser has.)"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import plotly.io as pio
import pytest

from charts.maps import SIP, choropleth, district_names
from tests.browser.conftest import ARTIFACTS

PLOTLY_JS = Path(__file__).resolve().parents[2] / "static" / "plotly.min.js"

# Every district and the park with a figure, the widest labels a count gives (five digits
# and a unit): the most crowded the map gets. 姑苏区 is small and ringed by 相城区, 虎丘区,
# 吴中区 and the park's point.
FIGURES = {name: 10_000.0 + 1_111 * i for i, name in enumerate((*district_names(), SIP))}

# The element's own box of each drawn label and of the park's point.
_BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  return {labels: [...document.querySelectorAll('.geo .scatterlayer .trace text')].map(box),
          points: [...document.querySelectorAll('.geo .scatterlayer .trace path.point')].map(box)};
}"""


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


# Chart widths inside the page: a 390 px phone less Streamlit's padding, a 1280 px screen's
# main column.
@pytest.mark.parametrize("width", [358, 736])
def test_map_labels_do_not_run_into_each_other_or_the_park(browser, width):
    frame = pd.DataFrame({"region": list(FIGURES), "value": list(FIGURES.values()),
                          "label": [f"{v:.0f}件" for v in FIGURES.values()]})
    figure = json.loads(pio.to_json(choropleth(frame, "value", "")))
    page = browser.new_page(viewport={"width": width, "height": 700})
    try:
        page.set_content(f'<div id="map" style="width:{width}px;height:560px"></div>')
        page.add_script_tag(path=str(PLOTLY_JS))
        page.evaluate("f => Plotly.newPlot('map', f.data, f.layout, {staticPlot: true})", figure)
        page.wait_for_selector(".geo .scatterlayer .trace text")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"map-{width}.png")
        boxes = page.evaluate(_BOXES)
    finally:
        page.close()
    labels = [b for b in boxes["labels"] if b["text"]]
    assert len(labels) == len(district_names()) and len(boxes["points"]) == 1
    crossing = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlap(a, b)]
    assert crossing == [], f"labels written over each other at {width} px"
    assert [a["text"] for a in labels if _overlap(a, boxes["points"][0])] == [], "a label covers the park's point"
