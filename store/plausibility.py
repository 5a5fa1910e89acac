"""Plausibility warnings for the preview of any import (indicators/collections/plausibility.yaml).

Returned sheets are where typos come from: a figure three times last year's, a count
with a fraction, a year still to come, a share jumping by dozens of points. Each rule
only warns, naming the cell, both values and the rule; nothing is ever refused here.
A year earlier means the same indicator, region, scope and kind over the same months,
from the store or from the same file.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from indicators.collection import PlausibilityRules, load_plausibility
from indicators.vocabulary import SHARE_TYPES, period_span
from loaders.validate import IndicatorRef

_PREVIOUS_SQL = """
SELECT indicator_id, region_id, scope, kind, span, breakdown, year, value
FROM observations
WHERE list_contains($indicators, indicator_id) AND list_contains($regions, region_id)
  AND list_contains($years, year)
"""


@dataclass(frozen=True)
class PlausibilityWarning:
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


def _previous_figures(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> dict[tuple, float]:
    """(indicator, region, scope, kind, span, breakdown, year) -> value, for the years
    before the file's: the store's figures, overridden by the file's own. A part (分项) is
    compared only with the same part."""
    found: dict[tuple, float] = {}
    params = {"indicators": sorted(set(rows["indicator_id"])), "regions": sorted(set(rows["region_id"])),
              "years": sorted({int(y) - 1 for y in rows["year"]})}
    for indicator, region, scope, kind, span, breakdown, year, value in con.execute(_PREVIOUS_SQL, params).fetchall():
        found[(indicator, region, scope, kind, span, breakdown, int(year))] = value
    for row in rows.itertuples(index=False):
        found[(row.indicator_id, row.region_id, row.scope or "", row.kind, period_span(row.period),
               row.breakdown or "", int(row.year))] = row.value
    return found


def _rule_broken(value: float, previous: float, indicator: IndicatorRef, rules: PlausibilityRules) -> str | None:
    if indicator.type in SHARE_TYPES:
        return rules.share_text if abs(value - previous) > rules.share_points else None
    if previous > 0 and value > 0 and (value >= previous * rules.jump_factor or value * rules.jump_factor <= previous):
        return rules.jump_text
    return None


def plausibility_warnings(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, indicators: dict[str, IndicatorRef],
                          region_names: dict[str, str], today: dt.date | None = None,
                          rules: PlausibilityRules | None = None) -> list[PlausibilityWarning]:
    """The warnings for a validated import's rows (store rows, OBSERVATION_COLUMNS), in file order."""
    if rows.empty:
        return []
    rules = rules or load_plausibility()
    this_year = (today or dt.date.today()).year
    previous = _previous_figures(con, rows)
    warnings = []
    for row in rows.itertuples(index=False):
        indicator = indicators[row.indicator_id]
        value, year = float(row.value), int(row.year)
        before = previous.get((row.indicator_id, row.region_id, row.scope or "", row.kind, period_span(row.period),
                               row.breakdown or "", year - 1))
        broken: list[tuple[str, float | None]] = []
        if year > this_year:
            broken.append((rules.future_text, None))
        if indicator.unit in rules.whole_units and not value.is_integer():
            broken.append((rules.whole_text, None))
        if before is not None and (rule := _rule_broken(value, before, indicator, rules)):
            broken.append((rule, before))
        warnings.extend(PlausibilityWarning(row.sheet or "", row.cell or "", indicator.name, indicator.unit,
                                            region_names.get(row.region_id, row.region_id), year, row.period,
                                            value, earlier, rule) for rule, earlier in broken)
    return warnings
