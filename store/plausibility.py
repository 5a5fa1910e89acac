"""Plausibility warnings for the preview of any import (indicators/collections/plausibility.yaml).

Returned sheets are where typos come from: a figure three times last year's, a count
with a fraction, a year still to come, a share jumping by dozens of points. Each rule
only warns, naming the cell, both values and the rule; nothing is ever refused here.
A year earlier means the same indicator, region, scope and kind over the same months,
from the store or from the same file.
"""
from __future__ import annotations

import datetime as dt
import math
import re

import duckdb
import numpy as np
import pandas as pd

from indicators.collection import PlausibilityRules, load_plausibility
from indicators.vocabulary import SHARE_TYPES, period_span
from loaders.units import SCALE_PREFIXES, conversion_factor
from loaders.validate import IndicatorRef
from loaders.values import normalize_text

_LIKE = ("indicator_id", "region_id", "scope", "kind", "span", "breakdown")

# The store's figure a year before each of the file's rows, found by a join on the key:
# fetching every figure of the file's indicators, regions and years into Python took
# seconds at 3M observations, for a 100k-row file nearly the whole table.
_PREVIOUS_SQL = """
SELECT k.row_number, o.value
FROM _plausibility_keys AS k
JOIN observations AS o ON o.indicator_id = k.indicator_id AND o.region_id = k.region_id AND o.scope = k.scope
     AND o.kind = k.kind AND o.span = k.span AND o.breakdown = k.breakdown AND o.year = k.year - 1
"""


# One row per broken rule of one figure: its cell, the figure as written, the like-period
# figure a year earlier where the rule compares (NaN otherwise) and the rule's text. A
# frame, made column by column: a returned sheet can warn on every row, and 100k warnings
# made one object each took 0.35 s of a 100k-row import's plan.
WARNING_COLUMNS = ["sheet", "cell", "indicator", "unit", "region", "year", "period", "value", "previous", "rule"]


def no_warnings() -> pd.DataFrame:
    return pd.DataFrame(columns=WARNING_COLUMNS)


def _like_keys(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"row_number": range(len(rows)), "indicator_id": rows["indicator_id"].to_numpy(),
                         "region_id": rows["region_id"].to_numpy(), "scope": rows["scope"].fillna("").to_numpy(),
                         "kind": rows["kind"].to_numpy(),
                         "span": rows["period"].map({p: period_span(p) for p in rows["period"].unique()}).to_numpy(),
                         "breakdown": rows["breakdown"].fillna("").to_numpy(), "year": rows["year"].astype(int).to_numpy(),
                         "value": rows["value"].astype(float).to_numpy()})


def _previous_values(con: duckdb.DuckDBPyConnection, keys: pd.DataFrame) -> pd.Series:
    """For each row, the like figure (same indicator, region, scope, kind, months and part)
    a year earlier: the file's own, else the store's; NaN when there is none."""
    previous = pd.Series(float("nan"), index=keys["row_number"])
    con.register("_plausibility_keys", keys)
    try:
        stored = con.execute(_PREVIOUS_SQL).df()
    finally:
        con.unregister("_plausibility_keys")
    previous.loc[stored["row_number"].to_numpy()] = stored["value"].to_numpy()
    earlier = keys.assign(year=keys["year"] + 1).drop_duplicates([*_LIKE, "year"], keep="last")
    in_file = keys.merge(earlier[[*_LIKE, "year", "value"]], on=[*_LIKE, "year"], suffixes=("", "_before"))
    previous.loc[in_file["row_number"].to_numpy()] = in_file["value_before"].to_numpy()
    return previous


def plausibility_warnings(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, indicators: dict[str, IndicatorRef],
                          region_names: dict[str, str], today: dt.date | None = None,
                          rules: PlausibilityRules | None = None) -> pd.DataFrame:
    """The warnings for a validated import's rows (store rows, OBSERVATION_COLUMNS), in file
    order: WARNING_COLUMNS."""
    if rows.empty:
        return no_warnings()
    rules = rules or load_plausibility()
    this_year = (today or dt.date.today()).year
    keys = _like_keys(rows)
    previous = _previous_values(con, keys).to_numpy()
    value, year = keys["value"].to_numpy(), keys["year"].to_numpy()
    used = rows["indicator_id"].unique()
    share = rows["indicator_id"].map({i: indicators[i].type in SHARE_TYPES for i in used}).to_numpy(dtype=bool)
    whole = rows["indicator_id"].map({i: indicators[i].unit in rules.whole_units for i in used}).to_numpy(dtype=bool)
    with np.errstate(invalid="ignore"):  # NaN (no figure a year earlier) compares False
        jumped = ~share & (previous > 0) & (value > 0) & ((value >= previous * rules.jump_factor)
                                                          | (value * rules.jump_factor <= previous))
        moved = share & (np.abs(value - previous) > rules.share_points)
    # Each row's broken rules in this order, each one warning; rows in file order.
    checks = [(year > this_year, rules.future_text, False), (whole & (value % 1 != 0), rules.whole_text, False),
              (jumped, rules.jump_text, True), (moved, rules.share_text, True)]
    broken = [pd.DataFrame({"row": np.flatnonzero(mask), "check": n, "rule": rule, "compares": compares})
              for n, (mask, rule, compares) in enumerate(checks)]
    found = pd.concat(broken, ignore_index=True).sort_values(["row", "check"], kind="stable")
    at = found["row"].to_numpy()
    return _warnings_frame(rows, at, found["rule"], np.where(found["compares"].to_numpy(), previous[at], np.nan),
                           indicators, region_names)


def _warnings_frame(rows: pd.DataFrame, at: np.ndarray, rules: pd.Series, previous: np.ndarray,
                    indicators: dict[str, IndicatorRef], region_names: dict[str, str]) -> pd.DataFrame:
    """WARNING_COLUMNS for the rows at `at` (one a broken rule, in that order)."""
    picked = rows.iloc[at]
    used = picked["indicator_id"].unique()
    return pd.DataFrame({
        "sheet": _as_text(picked["sheet"].fillna("")), "cell": _as_text(picked["cell"].fillna("")),
        "indicator": _indicator_and_part(picked, {i: indicators[i].name for i in used}),
        "unit": _as_text(picked["indicator_id"], {i: indicators[i].unit for i in used}),
        "region": _as_text(picked["region_id"], region_names),
        "year": picked["year"].astype(int).to_numpy(), "period": _as_text(picked["period"]),
        "value": picked["value"].astype(float).to_numpy(), "previous": previous,
        "rule": _as_text(pd.Series(rules, dtype=object))}, columns=WARNING_COLUMNS)


def _indicator_and_part(picked: pd.DataFrame, names: dict[str, str]) -> pd.Series:
    """The indicator's name, and a part's (分项) after it: 行政复议新收案件数·公安 is warned
    about as that part, not as if it were the total."""
    named = _as_text(picked["indicator_id"], names).to_numpy(dtype=object)
    parts = picked["breakdown"].fillna("").to_numpy(dtype=object)
    return pd.Series([f"{n}·{p}" if p else n for n, p in zip(named, parts)], dtype=object)


def _as_text(column: pd.Series, names: dict[str, str] | None = None) -> pd.Series:
    """A text column of the warnings, kept as Python objects as the rows hold them (a string
    column would convert each of up to a few hundred thousand values twice); with `names`,
    each value replaced by its name (looked up once per distinct value)."""
    values = column.to_numpy(dtype=object)
    if names is not None:
        codes, unique = pd.factorize(values)
        values = np.array([names.get(u, u) for u in unique], dtype=object)[codes]
    return pd.Series(values, dtype=object, copy=False)


# The number as a cell or a report wrote it: its decimals and its 万/亿 say how finely it was
# written ("2.1万" to the thousand).
_WRITTEN_NUMBER = re.compile(r"(\d[\d,]*)(?:\.(\d+))?(万|亿)?")


def written_step(value_text: str | None, unit_text: str | None, unit: str) -> float | None:
    """How finely a figure was written, in its indicator's unit: '2.1万' 1000 件, '85' 1 %,
    '1.5' in a 万元 row 1000 元; None when the text holds no number."""
    found = _WRITTEN_NUMBER.search(normalize_text(value_text or ""))
    if found is None:
        return None
    factor = conversion_factor(unit_text or unit, unit) or 1
    return 10.0 ** -len(found[2] or "") * float(SCALE_PREFIXES.get(found[3], 1)) * float(factor)


def changed_figure_warnings(rows: pd.DataFrame, diff: pd.DataFrame, indicators: dict[str, IndicatorRef],
                            region_names: dict[str, str], rules: PlausibilityRules | None = None) -> pd.DataFrame:
    """Warnings (WARNING_COLUMNS) on figures an import changes: one that is only the stored
    one rounded to the precision it is written in (2.1万件 replacing 20742件 says nothing new
    and loses what was exact), and one still credited to the stored figure's source. `diff`
    is store.preview of `rows` (the same order)."""
    rules = rules or load_plausibility()
    found = []
    changed = np.flatnonzero(diff["status"].to_numpy(dtype=object) == "changed")  # a 100k-row import: a few
    for at, old, value, value_text, unit_text, indicator_id in zip(
            changed, diff["old_value"].to_numpy()[changed], rows["value"].to_numpy()[changed],
            rows["value_text"].to_numpy()[changed], rows["unit_text"].to_numpy()[changed],
            rows["indicator_id"].to_numpy()[changed]):
        unit = indicators[indicator_id].unit
        step = written_step(value_text, unit_text, unit)
        if step and value != old and math.isclose(round(old / step) * step, value, rel_tol=1e-9):
            found.append((at, rules.coarser_text.format(stored=f"{old:.10g}{unit}")))
    for at in np.flatnonzero(diff["source_kept"].to_numpy(dtype=bool)):
        found.append((at, rules.source_kept_text.format(source=rows["source_label"].iloc[at])))
    if not found:
        return no_warnings()
    found.sort(key=lambda f: f[0])
    at = np.array([a for a, _ in found])
    return _warnings_frame(rows, at, [rule for _, rule in found], np.full(len(at), np.nan), indicators, region_names)
