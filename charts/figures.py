"""Pure Plotly figure builders. Each takes a query result and returns the figure and the
footnotes that explain what looks different in it (partial periods, targets, estimates).

Unlike figures are never joined: every (region, scope, period span, kind) is its own
trace, so a 1-10月 point is never connected to full-year points.

Every user's text (names, units, sources) enters a figure through plotly_text, which
Plotly then draws as written: unescaped, "<a href=…>" in a region's name is a link.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from charts.format import format_changes, format_value, format_values, plotly_text, trim_number
from charts.meta import FONT_FAMILY, ChartMeta, chart_subtitle, source_line
from charts.sentences import when
from indicators.vocabulary import ACTUAL, ESTIMATED, FULL_YEAR_SPAN, INEXACT_QUALIFIERS, TARGET, is_share

PALETTE = ["#B22222", "#1F5FAD", "#2E8B57", "#D2691E", "#6A5ACD", "#008B8B", "#8B4513", "#C71585",
           "#556B2F", "#4682B4", "#A0522D"]
GOOD, BAD, NEUTRAL = "#2E8B57", "#B22222", "#6B7B8C"

# Plotly checks every property against its schema as it is set. The builders here set
# fixed properties, and tests/charts re-validates every kind of figure they make, so they
# are built unchecked. (A figure reaches st.plotly_chart as a Figure, which it does not
# check again.)
UNCHECKED = {"_validate": False}

NOTE_PARTIAL = "非全年数据（如“1-10月”“上半年”）单独成线、另行标注，不与全年数据相连或比较。"
NOTE_TARGET = "虚线为目标值（来自工作要点），不是实际完成数。"
NOTE_INEXACT = "空心点为非精确值：“近”“约”为约数，“余”“超过”“以上”为下限，“推算”由报告中的变化量计算。"
NOTE_SCOPE = "带口径的数字（如“区政府本级”“市司法局”）只覆盖该机关，单独成线，不与全区数字比较。"
TICK_LINE_CHARS = 7  # Chinese characters per tick-label line: fits three groups of bars on a phone
LABEL_LINE_CHARS = 8  # per line of a horizontal bar's label: leaves a phone's width mostly to the bars
TICK_FONT_PX = 12
CLOSING_PUNCTUATION = "”’）》」』，。、；：！？"
NOTE_DERIVED = "推算指标由两项报告数字计算，见数据表中的备注。"


def layout_spec(height: int = 420, y_title: str = "") -> dict:
    """Legible on a phone and on a projector: legend below, margins that grow with labels.
    A plain dict: a figure built from dicts in one step skips Plotly's per-property
    update machinery, most of the cost of building a chart (the trends page's two
    charts: 41 → 10 ms on this machine, with UNCHECKED)."""
    layout = {
        "height": height, "font": {"family": FONT_FAMILY, "size": 14}, "paper_bgcolor": "white",
        "plot_bgcolor": "white", "margin": {"t": 30, "l": 10, "r": 10, "b": 10},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "xaxis": {"automargin": True, "showgrid": False, "tickformat": ",~r"},
        # Plain grouped digits: "250k" is not how a Chinese report writes 25万.
        "yaxis": {"automargin": True, "gridcolor": "#E5E5E5", "rangemode": "tozero", "tickformat": ",~r"},
    }
    if y_title:
        layout["annotations"] = [y_label_spec(y_title)]
    return layout


def y_label_spec(text: str, yaxis: str = "y") -> dict:
    """The y axis's title written level above its top, as Chinese reports print "单位：件":
    plotly turns an axis title on its side, which lays Chinese characters down (a lone
    "个" then looks like an arrow)."""
    return {"text": plotly_text(text), "showarrow": False, "xref": "paper", "x": 0, "xanchor": "left",
            "yref": f"{yaxis} domain", "y": 1, "yanchor": "bottom", "yshift": 6,
            "font": {"family": FONT_FAMILY, "size": 13, "color": NEUTRAL}}


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    return go.Figure({"data": traces, "layout": layout}, **UNCHECKED)


def period_label(period: str) -> str:
    return "" if period == "全年" else period


def series_label(region: str, scope: str, period: str, kind: str) -> str:
    parts = [region]
    if scope:
        parts.append(scope)
    if period != "全年":
        parts.append(period)
    if kind == TARGET:
        parts.append("目标")
    return " · ".join(parts) or "全年"


def trend_figure(frame: pd.DataFrame) -> tuple[go.Figure, list[str]]:
    """One indicator over the years for one or more regions (rows of queries.sql.series)."""
    notes: list[str] = []
    years = sorted(frame["year"].unique())
    # Worked out for all rows at once, then picked per line: per-group pandas calls were
    # most of the time the chart took.
    inexact_rows = frame["qualifier"].isin(INEXACT_QUALIFIERS).to_numpy()
    label_rows = np.array([plotly_text(label) for label in format_values(frame)], dtype=object)
    year_rows, value_rows = frame["year"].to_numpy(), frame["value"].to_numpy()
    key_columns = ["region", "scope", "span", "kind"]
    # Lines numbered in order of first appearance, each named by the keys of its first row.
    line_of_row = frame.groupby(key_columns, sort=False, dropna=False).ngroup().to_numpy()
    first_rows = np.unique(line_of_row, return_index=True)[1]
    top = _headroom(frame["value"])
    traces = []
    for n, (region, scope, span, kind) in enumerate(frame[key_columns].iloc[first_rows].itertuples(index=False)):
        rows = np.flatnonzero(line_of_row == n)
        at = rows[np.argsort(year_rows[rows], kind="stable")]
        inexact = inexact_rows[at].tolist()
        color = PALETTE[n % len(PALETTE)]
        name = plotly_text(series_label(region, scope, frame["period"].iat[at[0]], kind))
        point_years = year_rows[at]
        traces.append({
            "type": "scatter", "x": point_years, "y": value_rows[at], "mode": "lines+markers+text",
            "name": name,
            "line": {"color": color, "dash": "dash" if kind == TARGET else ("dot" if span != FULL_YEAR_SPAN else "solid")},
            "marker": {"size": 11, "color": ["white" if i else color for i in inexact],
                       "line": {"color": color, "width": 2},
                       "symbol": ["diamond" if kind == TARGET else ("square" if span != FULL_YEAR_SPAN else "circle")
                                  for _ in inexact]},
            "text": label_rows[at].tolist(),
            "textposition": _label_positions(point_years.tolist(), value_rows[at].tolist(), years, top),
            "textfont": {"size": 12}, "cliponaxis": False,
            "hovertemplate": "%{x}年：%{text}<extra>" + name + "</extra>",
        })
        notes += [NOTE_PARTIAL] if span != FULL_YEAR_SPAN else []
        notes += [NOTE_TARGET] if kind == TARGET else []
        notes += [NOTE_SCOPE] if scope else []
        notes += [NOTE_INEXACT] if any(inexact) else []
        notes += [NOTE_DERIVED] if frame["derived"].iloc[at].any() else []
    layout = layout_spec()  # the unit is in every point's label and the caption
    layout["xaxis"] |= {"tickmode": "array", "tickvals": years, "ticktext": [f"{y}年" for y in years],
                        "range": [min(years) - 0.5, max(years) + 0.5] if years else None}
    layout["yaxis"] |= {"range": [0, top]}
    layout["margin"] |= {"l": _tick_label_margin(top), "b": 70}
    return _figure(traces, layout), list(dict.fromkeys(notes))


def _tick_label_margin(top: float) -> int:
    """A left margin that already fits the y axis's widest tick label ("12,500"), so that
    Plotly's automargin finds nothing to push and draws the chart once instead of twice on
    every filter (it stays on, in case a label is wider than this guess)."""
    return 16 + 9 * len(f"{top:,.0f}")


# Below this share of the y range a label under its point would run into the year labels.
_LOW_POINT = 0.15


def _label_positions(point_years: list[int], values: list[float], all_years: list[int], top: float) -> list[str]:
    """Where each point of one line writes its label. Labels at the chart's edges lean
    inwards so a phone does not cut them off; a label leaning towards a higher neighbour,
    or on a point lower than each neighbour it has, goes under the point: above it, the line
    ran through the text (a rising first year on a phone, 14.43万件 struck through)."""
    first, last = (all_years[0], all_years[-1]) if all_years else (None, None)
    positions = []
    for i, (year, value) in enumerate(zip(point_years, values)):
        before = values[i - 1] if i > 0 else None
        after = values[i + 1] if i + 1 < len(values) else None
        if year == first and first != last:
            lean, under = "right", after is not None and after > value
        elif year == last and first != last:
            lean, under = "left", before is not None and before > value
        else:
            neighbours = [v for v in (before, after) if v is not None]
            lean, under = "center", bool(neighbours) and all(v > value for v in neighbours)
        positions.append(f"{'bottom' if under and value >= _LOW_POINT * top else 'top'} {lean}")
    return positions


def _headroom(values: pd.Series) -> float:
    """Room above the highest point for its label."""
    top = float(values.max()) if len(values) else 1.0
    return top * 1.25 if top > 0 else 1.0


def yoy_drawn(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of year_over_year the 同比 chart draws a bar for: a like period the year
    before and a change to show (none in per cent from a zero). Its subtitle and source
    line are made from these rows, so they name no region or report it does not draw."""
    change = frame["change_pp"].where(frame["type"].map(is_share), frame["change_pct"])
    return frame[frame["prev_value"].notna() & change.notna()]


def yoy_figure(frame: pd.DataFrame) -> tuple[go.Figure | None, list[str]]:
    """Change against the same period of the year before (rows of year_over_year). None
    when no figure has a like period the year before. A change that rests on an inexact
    or estimated figure is an open bar, as inexact values are in the other charts, and
    its label says which: （约） or （推算）."""
    rows = yoy_drawn(frame)
    if rows.empty:
        return None, []
    share = is_share(rows["type"].iloc[0])
    y = rows["change_pp"] if share else rows["change_pct"]
    direction = rows["direction"].iloc[0]
    colors = [_change_color(v, direction) for v in y]
    inexact = rows["change_inexact"].astype(bool).tolist()
    estimated = [ESTIMATED in (q, p) for q, p in zip(rows["qualifier"], rows["prev_qualifier"])]
    # One kind of change a chart: a share's in 百分点, any other's in per cent.
    labels = format_changes(rows.assign(change_pct=None) if share else rows.assign(change_pp=None))
    names = [f"{r.region}{' · ' + r.scope if r.scope else ''} {r.year}年{period_label(r.period)}"
             for r in rows.itertuples()]
    # Both figures in the hover, each with its qualifier: what the change was computed from.
    compared = [f"{when(r.year, r.period)}{format_value(r.value, r.unit, r.qualifier)}，"
                f"{when(int(r.prev_year), r.prev_period)}{format_value(r.prev_value, r.unit, r.prev_qualifier)}"
                for r in rows.itertuples()]
    bars = {"type": "bar", "x": [plotly_text(n) for n in names], "y": y, "text": labels,
            "textposition": "outside", "customdata": [plotly_text(c) for c in compared],
            "marker": {"color": ["white" if i or e else c for c, i, e in zip(colors, inexact, estimated)],
                       "line": {"color": colors, "width": 2}},
            "hovertemplate": "%{x}：%{text}<br>%{customdata}<extra></extra>"}
    layout = layout_spec(height=360, y_title="百分点" if share else "同比（%）")
    layout["yaxis"] |= {"rangemode": "normal", "zeroline": True, "zerolinecolor": "#999"}
    fig = _figure([bars], layout)
    notes = ["同比只在相同期间之间计算（全年对全年，1-10月对1-10月）。"]
    if share:
        notes.append("比率类指标的变化以百分点表示。")
    if any(i and not e for i, e in zip(inexact, estimated)):
        notes.append("空心条、标“（约）”的变化由约数或下限计算，仅供参考。")
    if any(estimated):
        which = [f"{name}（{_estimated_years(r)}的数字为推算值）"
                 for name, r, e in zip(names, rows.to_dict("records"), estimated) if e]
        notes.append("空心条、标“（推算）”的变化涉及由报告中的变化量推算的数字（见数据表中的备注）："
                     + "；".join(which) + "。")
    return fig, notes


def yoy_chart(frame: pd.DataFrame, indicator_name: str) -> tuple[go.Figure, ChartMeta, list[str]] | None:
    """趋势's 同比 chart of year_over_year rows, with its description and notes; None when no
    figure has a change to draw. Subtitle and sources name only what it draws."""
    drawn = yoy_drawn(frame)
    if drawn.empty:
        return None
    fig, notes = yoy_figure(frame)
    meta = ChartMeta(f"{indicator_name}同比变化", chart_subtitle(drawn),
                     source_line(drawn, "source_label", "prev_source_label"))
    return fig, meta, notes


def _estimated_years(row: Mapping) -> str:
    """'2019年', '2020年1-10月' or both: which of a change's two figures was estimated."""
    years = [when(int(row["prev_year"]), row["prev_period"])] if row["prev_qualifier"] == ESTIMATED else []
    return "、".join(years + ([when(row["year"], row["period"])] if row["qualifier"] == ESTIMATED else []))


def _change_color(change: float, direction: str) -> str:
    if change is None or (isinstance(change, float) and math.isnan(change)) or change == 0 or direction == "neutral":
        return NEUTRAL
    good = change > 0 if direction == "higher_better" else change < 0
    return GOOD if good else BAD


def _open_when_qualified(qualifiers: pd.Series) -> dict:
    """Bars of inexact figures (约, 余, 推算 …) drawn open, as in every chart."""
    return {"color": ["white" if q else PALETTE[0] for q in qualifiers], "line": {"color": PALETTE[0], "width": 2}}


def _horizontal_bars_layout(values: pd.Series, unit: str, room: float) -> dict:
    """One bar per row, the unit under the value axis, `room` beyond the label headroom."""
    layout = layout_spec(height=max(300, 60 + 38 * len(values)))
    layout["xaxis"] |= {"range": [0, _headroom(values) * room], "title": {"text": plotly_text(unit)}}
    return layout


def ranking_figure(frame: pd.DataFrame) -> tuple[go.Figure, list[str]]:
    """Regions ranked for one indicator, year and span (rows of queries.sql.ranking)."""
    rows = frame.iloc[::-1]  # plotly draws the first bar at the bottom
    labels = [plotly_text(label) for label in format_values(rows)]
    bars = {"type": "bar", "x": rows["value"].to_numpy(), "y": [plotly_text(r) for r in rows["region"]],
            "orientation": "h", "text": labels, "textposition": "outside",
            "marker": _open_when_qualified(rows["qualifier"]), "hovertemplate": "%{y}：%{text}<extra></extra>"}
    fig = _figure([bars], _horizontal_bars_layout(rows["value"], frame["unit"].iloc[0], room=1.1))
    notes = []
    if rows["qualifier"].astype(bool).any():
        notes.append("空心条为非精确值（约数、下限或推算值），排名仅供参考。")
    return fig, notes


def heatmap_figure(frame: pd.DataFrame) -> go.Figure:
    """Regions × years for one indicator, span, scope and kind; blank cells have no figure."""
    # Cells placed by position rather than with two pivot_tables (a fifth of 地区对比's run
    # at 3M); a cell shows the first figure of its region and year. Regions keep the
    # query's order, years run left to right (in order of appearance, a first region
    # without early years put them after its own).
    row_of, regions = pd.factorize(frame["region"])
    column_of, years = pd.factorize(frame["year"], sort=True)
    first = ~frame.duplicated(["region", "year"]).to_numpy()
    at = (row_of[first], column_of[first])
    values = np.full((len(regions), len(years)), np.nan)
    values[at] = frame["value"].to_numpy(dtype=float)[first]
    text = np.full((len(regions), len(years)), "无数据", dtype=object)
    text[at] = [plotly_text(label) for label in format_values(frame[first])]
    cells = {"type": "heatmap", "z": values, "x": [f"{y}年" for y in years],
             "y": [plotly_text(r) for r in regions], "text": text, "texttemplate": "%{text}",
             "colorscale": get_colorscale("Reds"), "showscale": False,
             "hovertemplate": "%{y} %{x}：%{text}<extra></extra>", "xgap": 2, "ygap": 2}
    layout = layout_spec(height=max(260, 60 + 40 * len(regions)))
    layout["yaxis"] |= {"autorange": "reversed", "rangemode": "normal", "showgrid": False}
    return _figure([cells], layout)


def _break_lines(text: str, width: int) -> str:
    """Long indicator names in lines of `width` characters: tick labels that would
    otherwise be turned on their side, unreadable on a phone. Each line is escaped on its
    own, so no line break falls inside an entity."""
    lines: list[str] = []
    for char in text:
        # Closing punctuation stays with the line before it, as Chinese typesetting has it.
        if lines and (len(lines[-1]) < width or char in CLOSING_PUNCTUATION):
            lines[-1] += char
        else:
            lines.append(char)
    # One character alone on a last line reads as a slip: the line before takes it.
    if len(lines) > 1 and len(lines[-1]) == 1:
        orphan = lines.pop()
        lines[-1] += orphan
    return "<br>".join(plotly_text(line) for line in lines)


def _stacked_domains(n: int, spacing: float) -> list[list[float]]:
    """The y domains of n panels stacked top to bottom, as plotly's make_subplots lays
    out one column of rows."""
    height = (1 - spacing * (n - 1)) / n
    return [[(height + spacing) * (n - row), (height + spacing) * (n - row) + height] for row in range(1, n + 1)]


def target_figure(frame: pd.DataFrame) -> tuple[go.Figure, list[str]]:
    """Targets beside their actual figures (rows of targets_against_actuals), one panel
    per unit: 100个 and 20% on one axis would invite a comparison that means nothing.

    Built as plain dicts, panel axes and all: make_subplots and its validated add_trace and
    update_* calls took ~60 % of 目标进度's run (~45 ms of ~110 at every scale)."""
    units = list(dict.fromkeys(frame["unit"]))
    domains = _stacked_domains(len(units), 0.2 if len(units) > 1 else 0)
    axes_spec = layout_spec(height=340 * len(units) + 120)
    x_spec, y_spec = axes_spec.pop("xaxis"), axes_spec.pop("yaxis")
    layout = {**axes_spec, "barmode": "group", "annotations": []}
    traces = []
    for row, (unit, domain) in enumerate(zip(units, domains), start=1):
        x_name, y_name = ("x", "y") if row == 1 else (f"x{row}", f"y{row}")
        axes = {"xaxis": x_name, "yaxis": y_name}
        part = frame[frame["unit"] == unit]
        x = [f"{_break_lines(r.indicator, TICK_LINE_CHARS)}<br>{plotly_text(r.region)} {r.year}年"
             for r in part.itertuples()]
        target_text = [plotly_text(t) for t in format_values(part, "target_value", "target_qualifier")]
        actual_text = [plotly_text(t) for t in format_values(part, "actual_value", "actual_qualifier")]
        has_actual = part["actual_value"].notna().tolist()
        traces.append({"type": "bar", "name": "目标", "x": x, "y": part["target_value"].to_numpy(), "text": target_text,
                       "textposition": "outside", "legendgroup": "目标", "showlegend": row == 1,
                       "constraintext": "none", "offsetgroup": "目标",
                       # the hatching drawn in the outline's colour: by default plotly draws
                       # it in the bar's colour, white on white, and no hatching shows
                       "marker": {"color": "white", "line": {"color": PALETTE[1], "width": 2},
                                  "pattern": {"shape": "/", "fgcolor": PALETTE[1], "bgcolor": "white",
                                              "fillmode": "replace", "solidity": 0.3}}, **axes})
        traces.append({"type": "bar", "name": "实际", "x": [v for v, ok in zip(x, has_actual) if ok],
                       "y": part["actual_value"].dropna().to_numpy(),
                       "text": [t for t, ok in zip(actual_text, has_actual) if ok], "textposition": "outside",
                       "legendgroup": "实际", "showlegend": row == 1, "offsetgroup": "实际",
                       # Full size over a narrow bar: plotly would shrink it to the bar's width.
                       "constraintext": "none", "textfont": {"size": 12}, "marker": {"color": PALETTE[0]}, **axes})
        # A target without its actual figure says so in the actual bar's own slot, standing
        # upright: lying flat it ran into the next target's bar on a phone.
        traces.append({"type": "bar", "name": "尚无实际数", "x": [v for v, ok in zip(x, has_actual) if not ok],
                       "y": [0] * has_actual.count(False), "text": "尚无实际数", "textposition": "outside",
                       "textangle": -90, "constraintext": "none", "textfont": {"size": 12, "color": NEUTRAL},
                       "offsetgroup": "实际", "showlegend": False, "hoverinfo": "skip",
                       "marker": {"color": "rgba(0,0,0,0)"}, **axes})
        values = pd.concat([part["target_value"], part["actual_value"].dropna()])
        layout["xaxis" if row == 1 else f"xaxis{row}"] = {
            **x_spec, "anchor": y_name, "domain": [0.0, 1.0], "tickangle": 0, "tickfont": {"size": TICK_FONT_PX}}
        layout["yaxis" if row == 1 else f"yaxis{row}"] = {
            **y_spec, "anchor": x_name, "domain": domain, "range": [0, _headroom(values) * 1.1]}
        layout["annotations"].append(y_label_spec(f"单位：{unit}", y_name))
    notes = ["斜线条为目标值（来自工作要点），实心条为同期实际完成数；“尚无实际数”表示数据库中还没有对应的实际数字。"]
    if len(units) > 1:
        notes.append("单位不同的目标分开作图（" + "、".join(units) + "），不放在同一坐标轴上比较。")
    return _figure(traces, layout), notes


def sparkline(frame: pd.DataFrame) -> go.Figure | None:
    """A small trend of one indicator's full-year figures; None with fewer than two points."""
    rows = frame[(frame["span"] == FULL_YEAR_SPAN) & (frame["kind"] == ACTUAL)].sort_values("year")
    if len(rows) < 2:
        return None
    # Neutral colour: good or bad is the change's colour above it, which follows the
    # indicator's direction; a red line under a green change would contradict it.
    line = {"type": "scatter", "x": rows["year"].to_numpy(), "y": rows["value"].to_numpy(),
            "mode": "lines+markers", "line": {"color": NEUTRAL, "width": 2}, "marker": {"size": 5},
            "hovertemplate": "%{x}年：%{y}<extra></extra>"}
    # Only the first and last years, so the line says which years it spans.
    ends = [int(rows["year"].iloc[0]), int(rows["year"].iloc[-1])]
    return _figure([line], {
        "height": 90, "margin": {"t": 4, "l": 4, "r": 4, "b": 4}, "showlegend": False, "paper_bgcolor": "white",
        "plot_bgcolor": "white", "font": {"family": FONT_FAMILY, "size": 11},
        "xaxis": {"tickvals": ends, "ticktext": [f"{y}年" for y in ends], "showgrid": False, "zeroline": False,
                  "tickfont": {"color": NEUTRAL}},
        "yaxis": {"visible": False}})


def count_bars(labels: list[str], counts: list[int], y_title: str, height: int = 320) -> go.Figure:
    """A plain bar chart of counts (figures per year)."""
    bars = {"type": "bar", "x": [plotly_text(label) for label in labels], "y": counts,
            "text": [str(c) for c in counts], "textposition": "outside", "marker": {"color": PALETTE[1]},
            "hovertemplate": "%{x}：%{y}<extra></extra>"}
    layout = layout_spec(height=height, y_title=y_title)
    layout["yaxis"] |= {"range": [0, max(counts or [1]) * 1.2]}
    return _figure([bars], layout)


def labelled_count_bars(labels: list[str], counts: list[int], x_title: str) -> go.Figure:
    """Counts for long labels (indicators per heading), as horizontal bars: the labels
    stay level and whole, in lines of LABEL_LINE_CHARS, on a phone too, where standing
    bars turned them on their side. The first label is at the top, as in a list."""
    bars = {"type": "bar", "y": [_break_lines(label, LABEL_LINE_CHARS) for label in labels], "x": counts,
            "text": [str(c) for c in counts], "orientation": "h", "textposition": "outside",
            "marker": {"color": PALETTE[1]}, "customdata": [plotly_text(label) for label in labels],
            "hovertemplate": "%{customdata}：%{x}<extra></extra>"}
    layout = layout_spec(height=80 + 52 * len(labels))
    layout["yaxis"] |= {"autorange": "reversed", "showgrid": False, "title": {"text": ""}}
    layout["xaxis"] |= {"title": {"text": plotly_text(x_title)}, "range": [0, max(counts or [1]) * 1.2],
                        "showgrid": True, "gridcolor": "#E5E5E5"}
    return _figure([bars], layout)


def breakdown_figure(frame: pd.DataFrame) -> tuple[go.Figure, list[str]]:
    """The parts (分项) of one figure as sorted horizontal bars, largest on top, each
    labelled with its value and its share of the total (rows of queries.sql.breakdown_parts).
    The notes say whether the parts add up to the total: a form may list only some parts."""
    rows = frame.sort_values(["value", "breakdown"], ascending=[True, False])  # plotly draws the first bar at the bottom
    values = format_values(rows)
    labels = [plotly_text(v if pd.isna(s) else f"{v}（占{trim_number(s, 1)}%）") for v, s in zip(values, rows["share"])]
    bars = {"type": "bar", "x": rows["value"].to_numpy(), "y": [plotly_text(b) for b in rows["breakdown"]],
            "orientation": "h", "text": labels,
            # inside a bar long enough to hold its label, else after it: on a phone's width the
            # longest bar's label would otherwise run past the plot
            "textposition": "auto", "insidetextanchor": "end", "cliponaxis": False,
            "marker": _open_when_qualified(rows["qualifier"]), "hovertemplate": "%{y}：%{text}<extra></extra>"}
    fig = _figure([bars], _horizontal_bars_layout(rows["value"], frame["unit"].iloc[0], room=1.2))
    return fig, breakdown_notes(frame)


def breakdown_notes(frame: pd.DataFrame) -> list[str]:
    """What the reader of a breakdown chart must know: the total and whether the parts add
    up to it, or why no share is shown."""
    first = frame.iloc[0]
    notes = []
    if is_share(first["type"]):
        notes.append("比率类指标的各分项按各自的分子、分母计算，不计占比，也不相加。")
    elif pd.isna(first["total"]):
        notes.append("没有同期的总数，不计算占比。")
    else:
        total = format_values(frame.head(1), "total", "total_qualifier")[0]
        parts = float(frame["value"].sum())
        if math.isclose(parts, float(first["total"]), rel_tol=1e-9, abs_tol=1e-9):
            notes.append(f"各分项之和等于总数 {total}。")
        else:
            summed = format_values(frame.head(1).assign(value=parts), "value", "total_qualifier")[0]
            notes.append(f"各分项之和（{summed}）与总数（{total}）不一致：表中只列出了部分类别，"
                         "或分项与总数的统计口径不同；占比按总数计算。")
    if frame["qualifier"].astype(bool).any():
        notes.append("空心条为非精确值（约数、下限或推算值）。")
    return notes
