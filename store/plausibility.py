"""Plausibility warnings for the preview of any import (indicators/collections/plausibility.yaml).

Returned sheets are where typos come from: a figure three times last year's, a count
with a fraction, a year still to come, a share jumping by dozens of points. Each rule
only warns, naming the cell, both values and the rule; nothing is ever refused here.
A year earlier means the same indicator, region, scope and kind over the same months,
from the store or from the same file.
"""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd

from indicators.collection import PlausibilityRules, load_plausibility
from indicators.vocabulary import SHARE_TYPES, period_span
from loaders.validate import IndicatorRef

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


class PlausibilityWarning(NamedTuple):
    """One broken rule of one figure (a tuple: made by the hundred thousand for a file
    whose every row warns, where a frozen dataclass took 5× as long)."""
    sheet: str
    cell: str
    indicator: str
    unit: str
    region: str
    year: int
    period: str
    value: float
    previous: float | None  # the like-period figure a year earlier, when the rule compares
    rule: str

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.sheet else self.cell


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
                          rules: PlausibilityRules | None = None) -> list[PlausibilityWarning]:
    """The warnings for a validated import's rows (store rows, OBSERVATION_COLUMNS), in file order."""
    if rows.empty:
        return []
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
    flagged = np.flatnonzero(np.logical_or.reduce([mask for mask, _, _ in checks]))
    # Plain lists, walked once: a returned sheet can warn on every row (100k warnings took
    # 0.5 s made from numpy scalars into frozen dataclasses).
    broken = list(zip(*(mask[flagged].tolist() for mask, _, _ in checks)))
    picked = rows.iloc[flagged]
    warnings = []
    for indicator_id, region_id, sheet, cell, period, year_, value_, previous_, row_broken in zip(
            picked["indicator_id"], picked["region_id"], picked["sheet"], picked["cell"], picked["period"],
            year[flagged].tolist(), value[flagged].tolist(), previous[flagged].tolist(), broken):
        indicator = indicators[indicator_id]
        region = region_names.get(region_id, region_id)
        warnings.extend(PlausibilityWarning(sheet or "", cell or "", indicator.name, indicator.unit, region,
                                            year_, period, value_, previous_ if compares else None, text)
                        for (_, text, compares), is_broken in zip(checks, row_broken) if is_broken)
    return warnings
