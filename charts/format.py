"""Numbers as the reports write them: '近90%', '20.49万件', '9.04亿元', '130余件'."""
from __future__ import annotations

import html
import math

import pandas as pd

from indicators.vocabulary import ESTIMATED, PREFIX_QUALIFIERS, SUFFIX_QUALIFIERS, TARGET
from loaders.units import conversion_factor
from store.frame import each_row

# Where a qualifier goes: 近/约/超过/不足 before the number, 余/以上 after it.
QUALIFIER_MEANINGS = {
    "约": "约数", "近": "约数（接近）", "余": "下限（实际不少于此数）", "超过": "下限（实际超过此数）",
    "以上": "下限（含本数）", "不足": "上限（实际少于此数）", "推算": "推算值（由报告中的变化量计算，见备注）",
}
# Units that read naturally with a 万/亿 scale in front of them.
SCALABLE_UNITS = ("件", "元", "人", "人次", "个", "项", "家", "户", "次", "份", "条", "场", "场次", "平方米", "起")


def plotly_text(text: str) -> str:
    """A user's text (a name, a unit, a source, a note) as Plotly must be given it to draw
    it as written: Plotly reads <a href>, <b>, <br>, <span style> in titles, tick labels,
    hover text, legends and annotations as markup, and decodes &lt; &gt; &amp; back."""
    return html.escape(text, quote=False)


def trim_number(number: float, decimals: int = 2) -> str:
    """41.9612 -> '41.96', 15.0 -> '15', -3.1 -> '-3.1'."""
    return _trim(round(number, decimals), decimals)


def _trim(number: float, decimals: int) -> str:
    text = f"{number:.{decimals}f}"  # the reports write 12468件, without separators
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def scale_number(value: float, unit: str) -> tuple[str, str]:
    """('20.49', '万件') for 204900 件; percentages and small numbers stay as they are."""
    if unit in SCALABLE_UNITS:
        if abs(value) >= 100_000_000:
            return _trim(value / 100_000_000, 2), "亿" + unit
        if abs(value) >= 100_000:
            return _trim(value / 10_000, 2), "万" + unit
    decimals = 0 if float(value).is_integer() else 2  # 41.96%, as the reports write rates
    return _trim(value, decimals), unit


def format_value(value: float | None, unit: str, qualifier: str = "") -> str:
    """The figure with its qualifier where the reports put it; '—' for no figure (never 0)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return _qualified(*scale_number(value, unit), qualifier)


def _qualified(number: str, unit: str, qualifier: str) -> str:
    if qualifier in PREFIX_QUALIFIERS:
        return f"{qualifier}{number}{unit}"
    if qualifier in SUFFIX_QUALIFIERS:
        # 130余件, 10%以上: 余 sits between number and counter, 以上 after the unit
        return f"{number}余{unit}" if qualifier == "余" else f"{number}{unit}以上"
    if qualifier == "推算":
        return f"{number}{unit}（推算）"
    return f"{number}{unit}"


def format_exact(value: float, unit: str, qualifier: str = "") -> str:
    """A figure as format_value writes it where that is exact (20.49万件 is 204900件), else in
    full and unscaled (0.85%, not 0.8%; 123459元, not 12.35万元): what an import will store,
    for whoever confirms it, so that no change is rounded out of sight (99.96% → 100%)."""
    number, scaled_unit = scale_number(value, unit)
    if math.isclose(float(number) * float(conversion_factor(scaled_unit, unit)), value, rel_tol=1e-12, abs_tol=1e-12):
        return _qualified(number, scaled_unit, qualifier)
    return _qualified(_trim(value, 10), unit, qualifier)


def format_values(frame: pd.DataFrame, value: str = "value", qualifier: str = "qualifier") -> list[str]:
    """format_value for every row of a frame with a unit column: a value column and the
    qualifier column that goes with it (a target's, an actual's)."""
    return [format_value(v, u, q) for v, u, q in each_row(frame, value, "unit", qualifier)]


def format_change(change_pct: float | None, change_pp: float | None, inexact: bool = False,
                  estimated: bool = False) -> str:
    """'+15个百分点', '-3.2%', marked （约） when either figure is inexact, （推算） when
    either was estimated (the stronger word: the reader looks up which); '—' for none."""
    approx = "（推算）" if estimated else "（约）" if inexact else ""
    if change_pp is not None and not math.isnan(change_pp):
        return f"{'+' if change_pp > 0 else ''}{trim_number(change_pp)}个百分点{approx}"
    if change_pct is not None and not math.isnan(change_pct):
        return f"{'+' if change_pct > 0 else ''}{trim_number(change_pct)}%{approx}"
    return "—"


def format_changes(frame: pd.DataFrame) -> list[str]:
    """format_change of every row of year_over_year's columns, （推算） where either figure
    was estimated: one rule for the cards, tables, briefings and the 同比 chart alike (总览
    said "+15个百分点" where 趋势 said "+15个百分点（推算）" of the same two figures)."""
    return [format_change(pct, pp, bool(inexact), ESTIMATED in (qualifier, prev_qualifier))
            for pct, pp, inexact, qualifier, prev_qualifier in each_row(
                frame, "change_pct", "change_pp", "change_inexact", "qualifier", "prev_qualifier")]


def change_from_zero(prev_year: int, prev_value: float, unit: str, prev_qualifier: str = "") -> str:
    """What stands for the change when last year's like figure was 0: no per cent comes of
    it, and a bare '—' read as if there were no figure last year."""
    return f"{prev_year}年同期为{format_value(prev_value, unit, prev_qualifier)}，不计增幅"


def left_out_reason(figure_span: str, scope: str, kind: str, level: str, period: str, compared_span: str) -> str:
    """Why a figure of the chosen year stays out of a ranking of one span, region-wide
    actual figures of one level: the first difference that rules it out."""
    if figure_span != compared_span:
        return f"期间不同（{period}）"
    if scope:
        return f"口径不同（{scope}）"
    if kind == TARGET:
        return "目标值"
    return f"层级不同（{level}）"
