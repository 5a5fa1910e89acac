"""The district map: 苏州市's nine county-level divisions coloured by one indicator.

Fully offline: the boundaries are our own GeoJSON (data/geo/, built by
scripts/build_suzhou_geojson.py) on a geo subplot with no base map, so neither a
browser without network nor Kaleido fetches tiles or Plotly's world topojson.
"""
from __future__ import annotations

import functools
import json

import pandas as pd
import plotly.graph_objects as go

from charts.figures import UNCHECKED
from charts.format import plotly_text
from charts.meta import FONT_FAMILY
from paths import GEO_DIR

GEOJSON_PATH = GEO_DIR / "suzhou_districts.geojson"
NO_DATA = "无数据"
NO_DATA_COLOR = "#D9D9D9"
# Starts at a clear red so the lowest figure never looks like the grey of 无数据.
COLORSCALE = [[0.0, "#FCBBA1"], [0.5, "#EF3B2C"], [1.0, "#99000D"]]
# A white halo keeps dark text legible on the darkest reds.
HALO = "0 0 3px white, 0 0 3px white"
SIP = "苏州工业园区"
# The boundary data has no polygon for 苏州工业园区 (its area lies inside 吴中区's), so it
# is a point, at the centre of 吴中区's part north-east of 姑苏区, which is the park's
# (≈120.77E 31.34N). It stood nearer 金鸡湖 (120.74E) before, and on a phone 姑苏区's
# label then covered it (tests/browser/test_map_browser.py).
SIP_LONLAT = (120.77, 31.34)
# The park's figure is written in this note, not beside its point: 姑苏区 and 昆山市's
# labels sit so close that any text by the point runs into one of them on a phone.
# Lines short enough for a phone: plotly never wraps an annotation.
SIP_NOTE = "◇ 苏州工业园区：{label}<br>（边界数据中没有单独边界，范围含在吴中区内，<br>以菱形点标注，其数字不计入吴中区的颜色）"


@functools.cache
def district_geojson() -> dict:
    """The nine districts' FeatureCollection, read once per process."""
    return json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))


def district_names() -> tuple[str, ...]:
    return tuple(f["properties"]["name"] for f in district_geojson()["features"])


def unmapped_regions() -> tuple[str, ...]:
    """Regions the map cannot draw as areas: they have no boundary of their own."""
    return (SIP,)


def _figures(frame: pd.DataFrame, value_col: str) -> dict[str, tuple[float, str]]:
    """Region -> (value, label) for rows with a figure; the first row wins for a region
    that appears twice, as the table beside the map lists them in the same order. The
    label is escaped for Plotly here, where it enters the map (its unit is a user's)."""
    drawn = frame["region"].isin(district_names() + unmapped_regions())  # not the other regions of a national ranking
    rows = frame[drawn & frame[value_col].notna()].drop_duplicates("region")
    return {r: (float(v), plotly_text(str(t))) for r, v, t in zip(rows["region"], rows[value_col], rows["label"])}


def _subset(names: list[str]) -> dict:
    """Only the named features, so each trace carries just the outlines it draws."""
    return {"type": "FeatureCollection",
            "features": [f for f in district_geojson()["features"] if f["properties"]["name"] in names]}


# Past this share of the colour range the fill is dark red: its label is written white on
# a dark halo (dark text on #99000D could hardly be read).
DARK_FROM = 0.6
DARK_HALO = "0 0 3px #333, 0 0 3px #333"

# Where a label stands against its district's label point, when not centred on it. 姑苏区 is
# small and ringed by 相城区, 虎丘区 and the park's point: on a phone (a map ~340 px wide)
# the three centred labels overlapped. 相城区's goes up into its own larger northern part,
# 姑苏区's just below its district.
LABEL_POSITIONS = {"相城区": "top center", "姑苏区": "bottom center"}


def _on_dark(value: float, value_range: tuple[float, float]) -> bool:
    low, high = value_range
    return high > low and (value - low) / (high - low) >= DARK_FROM


def _name_labels(figures: dict[str, tuple[float, str]], value_range: tuple[float, float]) -> list[dict]:
    """Each district's name and figure written on the map, for printed copies without
    hover: dark on light fills, white on dark ones."""
    features = district_geojson()["features"]
    traces = []
    for dark in (False, True):
        chosen = [f for f in features
                  if (f["properties"]["name"] in figures
                      and _on_dark(figures[f["properties"]["name"]][0], value_range)) == dark]
        if not chosen:
            continue
        names = [f["properties"]["name"] for f in chosen]
        labels = [figures[n][1] if n in figures else NO_DATA for n in names]
        traces.append({
            "type": "scattergeo",
            "lon": [f["properties"]["label_point"][0] for f in chosen],
            "lat": [f["properties"]["label_point"][1] for f in chosen],
            "mode": "text", "text": [f"{n}<br>{t}" for n, t in zip(names, labels)],
            "textposition": [LABEL_POSITIONS.get(n, "middle center") for n in names],
            "textfont": {"size": 12, "color": "white" if dark else ["#222" if n in figures else "#777" for n in names],
                         "shadow": DARK_HALO if dark else HALO},
            "hoverinfo": "skip", "showlegend": False})
    return traces


def _sip_marker(figure: tuple[float, str] | None, value_range: tuple[float, float]) -> dict:
    label = figure[1] if figure else NO_DATA
    color = figure[0] if figure else NO_DATA_COLOR
    return {"type": "scattergeo", "lon": [SIP_LONLAT[0]], "lat": [SIP_LONLAT[1]], "mode": "markers",
            "marker": {"symbol": "diamond", "size": 16, "color": [color], "line": {"color": "#333", "width": 1.5},
                       **({"colorscale": COLORSCALE, "cmin": value_range[0], "cmax": value_range[1]} if figure else {})},
            "hovertemplate": f"{SIP}：{label}<br>（无单独边界，以点标注）<extra></extra>", "showlegend": False}


def choropleth(frame: pd.DataFrame, value_col: str, title: str) -> go.Figure | None:
    """Districts coloured by value_col with their labels; grey and 无数据 where a district
    has no figure (never coloured as zero); 苏州工业园区 as a point. None when no district
    has a figure: a map of grey areas says nothing the table does not.

    Built as plain dicts: Plotly's validated traces and update_* calls took 20.7 ms a map,
    these 7.3, for the same JSON (bench/RESULTS.md, thirteenth pass)."""
    figures = _figures(frame, value_col)
    names = list(district_names())
    with_data = [n for n in names if n in figures]
    if not with_data:
        return None
    without = [n for n in names if n not in figures]
    values = [figures[n][0] for n in with_data] + ([figures[SIP][0]] if SIP in figures else [])
    value_range = (min(values), max(values))
    # plotly.js decides whether to download its world topojson from the CDN by looking
    # only at the geo subplot's first trace (plotly.js #6767): a choropleth first makes
    # it fetch, which fails offline and blanks the map. A lon/lat text trace first does not.
    traces = _name_labels(figures, value_range)
    traces.append({
        "type": "choropleth", "geojson": _subset(with_data), "featureidkey": "properties.name", "locations": with_data,
        "z": [figures[n][0] for n in with_data], "zmin": value_range[0], "zmax": value_range[1],
        "text": [figures[n][1] for n in with_data], "colorscale": COLORSCALE,
        "marker": {"line": {"color": "white", "width": 1}},
        # One distinct value has no scale to read: its colour bar would only show
        # rounding noise around that value. The labels carry the figure.
        "showscale": value_range[0] < value_range[1],
        # Under the map, not beside it: on a phone the map is as wide as the screen allows,
        # and a bar at its side took a quarter of that. Few ticks, so that they fit unturned.
        "colorbar": {"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.02, "yanchor": "top",
                     "thickness": 12, "len": 0.6, "nticks": 4, "tickformat": ",~r"},
        "hovertemplate": "%{location}：%{text}<extra></extra>"})
    if without:
        traces.append({
            "type": "choropleth", "geojson": _subset(without), "featureidkey": "properties.name", "locations": without,
            "z": [0] * len(without), "colorscale": [[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]], "showscale": False,
            "marker": {"line": {"color": "white", "width": 1}},
            "hovertemplate": f"%{{location}}：{NO_DATA}<extra></extra>"})
    sip = figures.get(SIP)
    traces.append(_sip_marker(sip, value_range))
    layout = {
        "geo": {"fitbounds": "locations", "visible": False, "projection": {"type": "mercator"}, "bgcolor": "white"},
        "title": {"text": plotly_text(title), "x": 0.02, "xanchor": "left"}, "height": 560,
        "font": {"family": FONT_FAMILY, "size": 14}, "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "paper_bgcolor": "white", "margin": {"t": 50, "l": 10, "r": 10, "b": 10}, "showlegend": False,
        "annotations": [{"text": SIP_NOTE.format(label=sip[1] if sip else NO_DATA), "xref": "paper", "yref": "paper",
                         "x": 0, "y": 1, "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
                         "font": {"size": 12, "color": "#555"}}]}
    return go.Figure({"data": traces, "layout": layout}, **UNCHECKED)
