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
    num, den = names[d.numerator], names[d.denominator]
    mult = f"{d.multiplier:g}"
    inexact = "（输入含约数，结果亦为约数）"
    return f"""SELECT {_literal(d.id)}, n.region_id, n.scope, n.year, n.period, n.span, n.kind,
       n.value / d.value * {mult}, '推算', NULL, NULL, NULL, NULL, NULL,
       '推算：' || {_literal(num)} || ' ' || format('{{:g}}', n.value) || ' ÷ ' || {_literal(den)} || ' '
         || format('{{:g}}', d.value) || ' × {mult}'
         || CASE WHEN n.qualifier <> '' OR d.qualifier <> '' THEN {_literal(inexact)} ELSE '' END,
       NULL, NULL, NULL, true
FROM observations AS n
JOIN observations AS d
  ON d.region_id = n.region_id AND d.scope = n.scope AND d.year = n.year
 AND d.period = n.period AND d.kind = n.kind
WHERE n.indicator_id = {_literal(d.numerator)} AND d.indicator_id = {_literal(d.denominator)}
  AND d.value <> 0"""


def observations_all_sql(catalog: Catalog) -> str:
    names = {i.id: i.name for i in catalog.indicators}
    parts = [_BASE, *(derived_select(d, names) for d in catalog.derived)]
    return "CREATE OR REPLACE VIEW observations_all AS\n" + "\nUNION ALL\n".join(parts)
