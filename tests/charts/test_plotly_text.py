"""A user's text reaches a Plotly figure only escaped: Plotly reads <a href>, <b>, <br>
and <span style> in any of its texts as markup, so a region named '<a href=…>' would be
a link in every chart that shows it."""
from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from charts import figures as f
from charts.format import plotly_text
from charts.images import decorate
from charts.maps import choropleth
from charts.meta import ChartMeta

LINK = '<a href="http://evil.example/x">点我</a>'
BOLD = "<b>粗</b>"
UNIT = "<i>件</i>"
MARKUP = ("<a ", "</a>", "<b>", "<i>")  # what the hostile texts would become in Plotly's eyes


@pytest.mark.parametrize("text, expected", [
    (LINK, '&lt;a href="http://evil.example/x"&gt;点我&lt;/a&gt;'),
    (BOLD, "&lt;b&gt;粗&lt;/b&gt;"),
    ("第1行<br>第2行", "第1行&lt;br&gt;第2行"),
    ('<span style="color:red">红</span>', '&lt;span style="color:red"&gt;红&lt;/span&gt;'),
    ("A&B", "A&amp;B"),
    ("&lt;", "&amp;lt;"),  # an entity a user typed stays as typed
    ("人民调解成功调处矛盾纠纷数（1-10月）", "人民调解成功调处矛盾纠纷数（1-10月）"),
    ("10%以上 “两个免于提交”", "10%以上 “两个免于提交”"),
])
def test_plotly_text(text, expected):
    assert plotly_text(text) == expected


def _rows() -> pd.DataFrame:
    """Rows with every column the figure builders read, named by hostile texts."""
    common = {"indicator": LINK, "scope": BOLD, "unit": UNIT, "type": "流量", "direction": "higher_better",
              "period": "全年", "span": "1-12", "kind": "实际", "derived": False, "prev_period": "全年",
              "prev_value": 90.0, "prev_qualifier": "", "change_pct": 10.0, "change_pp": None, "change_inexact": False,
              "source_label": LINK, "target_value": 150.0, "target_qualifier": "", "share": 30.0, "total": 400.0,
              "total_qualifier": ""}
    rows = [(LINK, 2023, 100.0, ""), (LINK, 2024, 120.0, "约"), (BOLD, 2024, 80.0, "推算")]
    return pd.DataFrame([{**common, "region": region, "breakdown": region, "year": year, "prev_year": year - 1,
                          "value": value, "qualifier": qualifier, "actual_value": value, "actual_qualifier": qualifier}
                         for region, year, value, qualifier in rows])


def _figures() -> dict[str, go.Figure]:
    rows = _rows()
    on_map = pd.DataFrame({"region": ["姑苏区", "苏州工业园区"], "value": [1.0, 2.0], "label": [f"1{UNIT}", f"2{UNIT}"]})
    trend = f.trend_figure(rows)[0]
    return {"trend": trend, "yoy": f.yoy_figure(rows)[0], "ranking": f.ranking_figure(rows)[0],
            "heatmap": f.heatmap_figure(rows), "target": f.target_figure(rows)[0],
            "breakdown": f.breakdown_figure(rows)[0], "count_bars": f.count_bars([LINK, BOLD], [1, 2], BOLD),
            "labelled_count_bars": f.labelled_count_bars([LINK, BOLD], [1, 2], BOLD),
            "map": choropleth(on_map, "value", LINK),
            "image": decorate(trend, ChartMeta(LINK, BOLD, LINK, (BOLD,)))}


def _texts(value: object) -> list[str]:
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("kind", list(_figures()))
def test_hostile_names_reach_every_figure_kind_only_escaped(kind):
    texts = _texts(json.loads(_figures()[kind].to_json()))
    assert [t for t in texts if any(m in t for m in MARKUP)] == []
    assert any("&lt;" in t for t in texts)  # the hostile texts are in the figure, written out


@pytest.mark.parametrize("kind", list(_figures()))
def test_every_figure_kind_passes_plotly_s_own_checks(kind):
    """Figures are built unchecked for speed (charts/figures.UNCHECKED): each kind, read
    back through Plotly's validating constructor, is accepted and unchanged."""
    built = _figures()[kind]
    assert json.loads(go.Figure(built.to_dict()).to_json()) == json.loads(built.to_json())
