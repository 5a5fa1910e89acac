"""The district map: the shipped GeoJSON and the choropleth built on it."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest
import yaml

from charts.maps import GEOJSON_PATH, NO_DATA, SIP, choropleth, district_geojson, district_names, unmapped_regions

NINE = {"姑苏区", "虎丘区", "吴中区", "相城区", "吴江区", "常熟市", "张家港市", "昆山市", "太仓市"}


def frame(rows: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame({"region": list(rows), "v": [math.nan if v is None else v for v in rows.values()],
                         "label": [f"{v:g}%" if v is not None else "—" for v in rows.values()]})


def traces(fig: go.Figure, kind: type) -> list:
    return [t for t in fig.data if isinstance(t, kind)]


def coloured(fig: go.Figure) -> go.Choropleth:
    """The districts with a figure: always the first choropleth trace."""
    return traces(fig, go.Choropleth)[0]


def grey(fig: go.Figure) -> go.Choropleth | None:
    """The districts without a figure, drawn after the coloured ones."""
    found = traces(fig, go.Choropleth)
    return found[1] if len(found) > 1 else None


def sip_point(fig: go.Figure) -> go.Scattergeo:
    return next(t for t in traces(fig, go.Scattergeo) if t.mode == "markers")


def test_geojson_has_the_nine_districts_with_canonical_names_and_adcodes():
    regions = yaml.safe_load((GEOJSON_PATH.parents[1] / "regions.yaml").read_text(encoding="utf-8"))["regions"]
    ids = {r["name"]: r["id"] for r in regions}
    features = district_geojson()["features"]
    assert district_geojson()["type"] == "FeatureCollection"
    assert set(district_names()) == NINE and len(features) == 9
    assert all(f["properties"]["adcode"] == ids[f["properties"]["name"]] for f in features)
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features)


def test_geojson_is_small_and_inside_suzhou():
    assert GEOJSON_PATH.stat().st_size < 300_000
    for feature in district_geojson()["features"]:
        lon, lat = feature["properties"]["label_point"]
        assert 119.8 < lon < 121.5 and 30.7 < lat < 32.1


def test_geojson_is_read_once():
    assert district_geojson() is district_geojson()


def test_unmapped_regions_is_the_industrial_park():
    assert unmapped_regions() == ("苏州工业园区",)
    assert SIP not in district_names()


@pytest.mark.parametrize("rows", [
    {},
    {"姑苏区": None, "吴中区": None},  # no figure at all
    {"苏州市": 90.0},  # not a district
    {"苏州工业园区": 95.0},  # only the point: no district to colour
])
def test_no_mapped_figure_gives_no_map(rows):
    assert choropleth(frame(rows), "v", "标题") is None


@pytest.mark.parametrize("rows,with_data", [
    ({"姑苏区": 90.0}, ["姑苏区"]),
    ({"姑苏区": 90.0, "吴中区": None, "昆山市": 0.0}, ["姑苏区", "昆山市"]),  # a real 0 is a figure
    ({n: 1.0 for n in NINE}, sorted(NINE)),
])
def test_districts_without_a_figure_are_grey_and_labelled_no_data(rows, with_data):
    fig = choropleth(frame(rows), "v", "标题")
    assert sorted(coloured(fig).locations) == sorted(with_data)
    missing = sorted(NINE - set(with_data))
    assert sorted(grey(fig).locations if missing else []) == missing
    if missing:
        assert NO_DATA in grey(fig).hovertemplate and grey(fig).showscale is False
        assert len(set(grey(fig).colorscale[0][1:]) | set(grey(fig).colorscale[-1][1:])) == 1  # one flat grey
    labels = {t.split("<br>")[0]: t for trace in fig.data if getattr(trace, "mode", None) == "text" for t in trace.text}
    assert all(labels[n].endswith(NO_DATA) for n in missing)
    assert all(not labels[n].endswith(NO_DATA) for n in with_data)


@pytest.mark.parametrize("rows, scale_shown", [
    ({"姑苏区": 90.0}, False),                 # one value: a bar would show only rounding noise
    ({"姑苏区": 90.0, "吴中区": 90.0}, False),  # equal values: the same
    ({"姑苏区": 90.0, "吴中区": 70.0}, True),
])
def test_the_colour_bar_only_when_values_differ(rows, scale_shown):
    assert coloured(choropleth(frame(rows), "v", "标题")).showscale is scale_shown


def test_each_trace_carries_only_the_outlines_it_draws():
    fig = choropleth(frame({"姑苏区": 90.0}), "v", "标题")
    drawn = [f["properties"]["name"] for t in traces(fig, go.Choropleth) for f in t.geojson["features"]]
    assert sorted(drawn) == sorted(NINE)


@pytest.mark.parametrize("sip,label,coloured_marker", [(95.0, "95%", True), (None, NO_DATA, False)])
def test_industrial_park_is_a_point_with_its_figure(sip, label, coloured_marker):
    fig = choropleth(frame({"姑苏区": 90.0, "吴中区": 70.0, SIP: sip}), "v", "标题")
    point = sip_point(fig)
    assert SIP not in coloured(fig).locations
    assert f"{SIP}：{label}" in point.hovertemplate
    assert any(f"{SIP}：{label}" in a.text for a in fig.layout.annotations)  # for printed copies
    assert 120.6 < point.lon[0] < 120.9 and 31.2 < point.lat[0] < 31.45
    assert (point.marker.colorscale is not None) is coloured_marker
    assert "无单独边界" in point.hovertemplate
    assert any("苏州工业园区" in a.text and "吴中区" in a.text for a in fig.layout.annotations)


def test_the_industrial_park_figure_widens_the_colour_range():
    fig = choropleth(frame({"姑苏区": 90.0, "吴中区": 70.0, SIP: 99.0}), "v", "标题")
    assert (coloured(fig).zmin, coloured(fig).zmax) == (70.0, 99.0)
    assert (sip_point(fig).marker.cmin, sip_point(fig).marker.cmax) == (70.0, 99.0)


def test_hover_and_labels_are_chinese_and_show_the_formatted_figure():
    fig = choropleth(frame({"姑苏区": 90.0}), "v", "出庭应诉率")
    assert coloured(fig).hovertemplate == "%{location}：%{text}<extra></extra>"
    assert list(coloured(fig).text) == ["90%"]
    assert "姑苏区<br>90%" in [t for trace in fig.data if getattr(trace, "mode", None) == "text" for t in trace.text]
    assert fig.layout.font.family.startswith("Noto Sans CJK SC")
    assert fig.layout.title.text == "出庭应诉率"


def test_map_needs_no_network():
    """No tiles, no base map, and a lon/lat trace first: plotly.js decides from the first
    trace alone whether to fetch its world topojson from the CDN."""
    fig = choropleth(frame({"姑苏区": 90.0}), "v", "标题")
    first = fig.data[0]
    assert isinstance(first, go.Scattergeo) and first.locations is None and first.locationmode is None
    assert fig.layout.geo.visible is False and fig.layout.geo.fitbounds == "locations"
    assert "mapbox" not in fig.to_dict()["layout"] and "map" not in fig.to_dict()["layout"]


def test_the_label_on_the_darkest_fill_is_white_on_a_dark_halo():
    frame = pd.DataFrame({"region": ["姑苏区", "吴中区", "相城区"], "value": [10.0, 50.0, 90.0],
                          "label": ["10件", "50件", "90件"]})
    fig = choropleth(frame, "value", "")
    by_label = {t: trace for trace in fig.data if getattr(trace, "mode", None) == "text" for t in trace.text}
    darkest, lightest = by_label["相城区<br>90件"], by_label["姑苏区<br>10件"]
    assert darkest.textfont.color == "white" and "#333" in darkest.textfont.shadow
    assert lightest.textfont.color != "white" and "white" in lightest.textfont.shadow
