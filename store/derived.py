"""What the store derives from its observations, recomputed by every write.

- derived_observations: each derived indicator (indicators/derived.yaml, copied into
  derived_indicators) is numerator ÷ denominator × multiplier, computed only where both
  inputs exist for the very same region, scope, year, period, kind and breakdown (a
  part's ratio from that part's own figures, never a part over the total), marked 推算 with
  the computation in its note. Pages never compute ratios.
- indicator_stats and region_stats: the counts the choosers, 指标说明 and the region list
  show, so that no page counts millions of rows to draw a selectbox.
- region_figures: observations_all's figures again, in region order, for the pages that
  read one region (schema.sql); rewritten only for the regions a write touched.

`refresh` and `refresh_regions` run inside the transaction of every write (store.commit_batch,
store.undo_batch, db.write_reference), so a reader never sees figures and derived values out of step.
"""
from __future__ import annotations

from collections.abc import Sequence

import duckdb

from indicators.catalog import Catalog

_INEXACT_NOTE = "（输入含约数，结果亦为约数）"

# Numerators meet denominators on the rest of the key (unique per indicator, so each
# derived figure has at most one of each). A join, not a group-by: grouping every input
# row by the key makes a group for every figure that has only one of the two.
_DERIVED_SQL = f"""
INSERT INTO derived_observations
WITH num AS (
    SELECT d.id, d.multiplier, o.region_id, o.scope, o.year, o.period, o.kind, o.breakdown, o.span, o.end_month,
           o.value, o.qualifier
    FROM derived_indicators AS d JOIN observations AS o ON o.indicator_id = d.numerator
),
den AS (
    SELECT d.id, o.region_id, o.scope, o.year, o.period, o.kind, o.breakdown, o.value, o.qualifier
    FROM derived_indicators AS d JOIN observations AS o ON o.indicator_id = d.denominator
)
SELECT n.id, n.region_id, n.scope, n.year, n.period, n.kind, n.breakdown, n.span, n.end_month,
       n.value / e.value * n.multiplier, '推算',
       '推算：' || num_name.name || ' ' || format('{{:g}}', n.value) || ' ÷ ' || den_name.name || ' '
         || format('{{:g}}', e.value) || ' × ' || format('{{:g}}', n.multiplier)
         || CASE WHEN n.qualifier <> '' OR e.qualifier <> '' THEN '{_INEXACT_NOTE}' ELSE '' END
FROM num AS n
JOIN den AS e ON e.id = n.id AND e.region_id = n.region_id AND e.scope = n.scope AND e.year = n.year
             AND e.period = n.period AND e.kind = n.kind AND e.breakdown = n.breakdown
JOIN derived_indicators AS d ON d.id = n.id
JOIN indicators AS num_name ON num_name.id = d.numerator
JOIN indicators AS den_name ON den_name.id = d.denominator
WHERE e.value <> 0
ORDER BY n.id, n.region_id, n.scope, n.year, n.period, n.kind, n.breakdown
"""

_INDICATOR_STATS_SQL = """
INSERT INTO indicator_stats
SELECT indicator_id, count(*), count(*) FILTER (NOT derived), min(year), max(year)
FROM observations_all GROUP BY indicator_id
"""

_REGION_STATS_SQL = """
INSERT INTO region_stats
SELECT region_id, count(*) FILTER (NOT derived), count(*) FILTER (kind = '目标')
FROM observations_all GROUP BY region_id
"""


def write_definitions(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """The catalog's derived indicators, replacing whatever was declared before."""
    con.execute("DELETE FROM derived_indicators")
    if catalog.derived:
        con.executemany("INSERT INTO derived_indicators VALUES (?, ?, ?, ?)",
                        [[d.id, d.numerator, d.denominator, d.multiplier] for d in catalog.derived])


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the derived figures and the counts from observations. The caller holds
    the transaction: this is part of the write that made it necessary."""
    for table, fill in (("derived_observations", _DERIVED_SQL), ("indicator_stats", _INDICATOR_STATS_SQL),
                        ("region_stats", _REGION_STATS_SQL)):
        con.execute(f"DELETE FROM {table}")
        con.execute(fill)


_REGION_FIGURE_COLUMNS = ("region_id", "indicator_id", "scope", "year", "period", "kind", "breakdown", "span",
                         "end_month", "value", "qualifier", "source_id", "source_label", "sentence", "note", "derived")

# The regions' rows in one ordered insert: each region's figures land as one run, so that
# a query on one region reads one or two row groups, the others skipped by their min/max.
# The regions are a semi-join, not list_contains: a list of thousands tested on every row
# of 3M would be a scan per region.
_REGION_FIGURES_SQL = f"""
INSERT INTO region_figures
SELECT {", ".join(_REGION_FIGURE_COLUMNS)} FROM observations_all
WHERE $all OR region_id IN (SELECT unnest($regions))
ORDER BY region_id, indicator_id, scope, year, period, kind, breakdown
"""


def refresh_regions(con: duckdb.DuckDBPyConnection, region_ids: Sequence[str] | None) -> None:
    """Rewrite region_figures for the regions a write touched (None: every region, after a
    change of the derived definitions). After `refresh`, whose derived figures it copies; the
    caller holds the transaction. Untouched regions keep their rows: a write's cost grows with
    the regions it touched, not with the table."""
    if region_ids is not None and not region_ids:
        return
    params = {"all": region_ids is None, "regions": list(region_ids or [])}
    con.execute("DELETE FROM region_figures WHERE $all OR region_id IN (SELECT unnest($regions))", params)
    con.execute(_REGION_FIGURES_SQL, params)
