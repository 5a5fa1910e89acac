"""The view observations_all: stored figures plus the declared derived indicators.

A derived indicator (indicators/derived.yaml) is numerator ÷ denominator × multiplier,
computed only where both inputs exist for the very same region, scope, year, period and
kind, marked 推算 with the computation in its note. Pages never compute ratios.
"""
from __future__ import annotations

from indicators.catalog import Catalog, DerivedIndicator

_BASE = """SELECT indicator_id, region_id, scope, year, period, span, kind, value, qualifier,
       value_text, unit_text, source_id, source_label, sentence, note, sheet, cell, batch_id,
       false AS derived
FROM observations"""


def _literal(text: str) -> str:
    """Catalog text (never user input) as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def derived_select(d: DerivedIndicator, names: dict[str, str]) -> str:
    """One derived indicator's rows. Both inputs are read in one scan and paired by
    grouping on the rest of the key (the key is unique per indicator, so each group has
    at most one numerator and one denominator): cheaper than a self-join, and a filter
    on region, year or scope still reaches the scan through the grouping columns."""
    num, den = names[d.numerator], names[d.denominator]
    mult = f"{d.multiplier:g}"
    inexact = "（输入含约数，结果亦为约数）"
    return f"""SELECT {_literal(d.id)}, region_id, scope, year, period, span, kind,
       n_value / d_value * {mult}, '推算', NULL, NULL, NULL, NULL, NULL,
       '推算：' || {_literal(num)} || ' ' || format('{{:g}}', n_value) || ' ÷ ' || {_literal(den)} || ' '
         || format('{{:g}}', d_value) || ' × {mult}'
         || CASE WHEN n_qualifier <> '' OR d_qualifier <> '' THEN {_literal(inexact)} ELSE '' END,
       NULL, NULL, NULL, true
FROM (
    SELECT region_id, scope, year, period, kind, any_value(span) AS span,
           any_value(value) FILTER (indicator_id = {_literal(d.numerator)}) AS n_value,
           any_value(value) FILTER (indicator_id = {_literal(d.denominator)}) AS d_value,
           any_value(qualifier) FILTER (indicator_id = {_literal(d.numerator)}) AS n_qualifier,
           any_value(qualifier) FILTER (indicator_id = {_literal(d.denominator)}) AS d_qualifier
    FROM observations
    WHERE indicator_id IN ({_literal(d.numerator)}, {_literal(d.denominator)})
    GROUP BY region_id, scope, year, period, kind
)
WHERE n_value IS NOT NULL AND d_value IS NOT NULL AND d_value <> 0"""


def observations_all_sql(catalog: Catalog) -> str:
    names = {i.id: i.name for i in catalog.indicators}
    parts = [_BASE, *(derived_select(d, names) for d in catalog.derived)]
    return "CREATE OR REPLACE VIEW observations_all AS\n" + "\nUNION ALL\n".join(parts)
