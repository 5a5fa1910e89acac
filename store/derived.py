"""What the store derives from its observations, recomputed by every write.

- derived_observations: each derived indicator (indicators/derived.yaml, copied into
  derived_indicators) is numerator ÷ denominator × multiplier, computed only where both
  inputs exist for the very same region, scope, year, period, kind and breakdown (a
  part's ratio from that part's own figures, never a part over the total), marked 推算 with
  the computation in its note. Pages never compute ratios. A write recomputes those whose
  numerator or denominator it touched.
- indicator_stats and region_stats: the counts the choosers, 指标说明 and the region list
  show, so that no page counts millions of rows to draw a selectbox; a write recounts the
  indicators and regions it touched.
- indicator_year_stats: the stored figures of each indicator and year, for 数据与来源.
- region_figures: observations_all's figures again, in region order, for the pages that
  read one region (schema.sql); a write rewrites only the figures it touched.
- indicator_coverage: what 地区对比's choosers read of an indicator; a write regroups only
  the indicators it touched.

`refresh` and the region_figures refresh run inside the transaction of every write (store.commit_batch,
store.undo_batch, db.write_reference), so a reader never sees figures and derived values out of step.
"""
from __future__ import annotations

import duckdb

from indicators.catalog import Catalog
from loaders.rows import KEY_COLUMNS

_INEXACT_NOTE = "（输入含约数，结果亦为约数）"

# A numerator's figures narrowed to the derived figures a write touched (_affected).
_AFFECTED_NUMERATORS = ("JOIN _affected AS a ON a.indicator_id = d.id AND a.region_id = o.region_id"
                        " AND a.scope = o.scope AND a.year = o.year AND a.period = o.period AND a.kind = o.kind"
                        " AND a.breakdown = o.breakdown")


def _derived_sql(numerators: str = "") -> str:
    """The derived figures, of every numerator figure or (`numerators`, a join on the
    numerator's rows `o`) of some. Numerators meet denominators on the rest of the key (unique
    per indicator, so each derived figure has at most one of each). A join, not a group-by:
    grouping every input row by the key makes a group for every figure that has only one of
    the two."""
    return f"""
INSERT INTO derived_observations
WITH num AS (
    SELECT d.id, d.multiplier, o.region_id, o.scope, o.year, o.period, o.kind, o.breakdown, o.span, o.end_month,
           o.value, o.qualifier
    FROM derived_indicators AS d JOIN observations AS o ON o.indicator_id = d.numerator {numerators}
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


_DERIVED_SQL = _derived_sql()
_AFFECTED_DERIVED_SQL = _derived_sql(_AFFECTED_NUMERATORS)

# The counts, each of every indicator or region, or ({where}) of the ones a write touched.
_INDICATOR_STATS_SQL = """
INSERT INTO indicator_stats
SELECT indicator_id, count(*), count(*) FILTER (NOT derived), min(year), max(year)
FROM observations_all {where} GROUP BY indicator_id
"""

_REGION_STATS_SQL = """
INSERT INTO region_stats
SELECT region_id, count(*) FILTER (NOT derived), count(*) FILTER (kind = '目标')
FROM {figures} {where} GROUP BY region_id
"""

_INDICATOR_YEAR_STATS_SQL = """
INSERT INTO indicator_year_stats
SELECT indicator_id, year, count(*) FROM observations {where} GROUP BY indicator_id, year ORDER BY indicator_id, year
"""
_TOUCHED_INDICATOR = "indicator_id IN (SELECT indicator_id FROM _affected_indicators)"
_TOUCHED_INDICATORS = f"WHERE {_TOUCHED_INDICATOR}"
_TOUCHED_REGIONS = "WHERE region_id IN (SELECT region_id FROM _affected_regions)"

# Per indicator, level, scope, kind, year and span of the totals (queries.sql.coverage_summary
# reads it): {where} narrows it to some indicators.
_COVERAGE_SQL = """
INSERT INTO indicator_coverage
SELECT o.indicator_id, r.level, o.scope, o.kind, o.year, o.span, arg_min(o.period, (r.sort_order, o.period)),
       max(o.end_month), count(*), min(o.region_id) <> max(o.region_id)
FROM observations_all AS o JOIN regions AS r ON r.id = o.region_id
WHERE o.breakdown = '' {where}
GROUP BY o.indicator_id, r.level, o.scope, o.kind, o.year, o.span
ORDER BY o.indicator_id
"""


def write_definitions(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """The catalog's derived indicators, replacing whatever was declared before."""
    con.execute("DELETE FROM derived_indicators")
    if catalog.derived:
        con.executemany("INSERT INTO derived_indicators VALUES (?, ?, ?, ?)",
                        [[d.id, d.numerator, d.denominator, d.multiplier] for d in catalog.derived])


def refresh_figures(con: duckdb.DuckDBPyConnection) -> None:
    """The derived figures and the counts of version 3 (what its migration step rebuilds)."""
    for table, fill in (("derived_observations", _DERIVED_SQL),
                        ("indicator_stats", _INDICATOR_STATS_SQL.format(where="")),
                        ("region_stats", _REGION_STATS_SQL.format(figures="observations_all", where=""))):
        con.execute(f"DELETE FROM {table}")
        con.execute(fill)


def refresh_year_counts(con: duckdb.DuckDBPyConnection) -> None:
    """indicator_year_stats from the stored figures (version 7)."""
    con.execute("DELETE FROM indicator_year_stats")
    con.execute(_INDICATOR_YEAR_STATS_SQL.format(where=""))


_REGION_FIGURE_COLUMNS = ", ".join((
    "region_id", "indicator_id", "scope", "year", "period", "kind", "breakdown", "span", "end_month", "value",
    "qualifier", "source_id", "source_label", "sentence", "note", "derived"))
_KEY_MATCH = " AND ".join(f"f.{c} = a.{c}" for c in KEY_COLUMNS)
_KEYS = ", ".join(KEY_COLUMNS)
REGION_ORDER = "region_id, indicator_id, scope, year, period, kind, breakdown"  # region_figures' order

# The keys a write touched, and the derived figures computed from them: the figures of
# region_figures it may have changed, added or removed.
_AFFECTED_SQL = """
CREATE OR REPLACE TEMP TABLE _affected AS
WITH t AS ({touched})
SELECT * FROM t
UNION
SELECT d.id, t.region_id, t.scope, t.year, t.period, t.kind, t.breakdown
FROM t JOIN derived_indicators AS d ON t.indicator_id IN (d.numerator, d.denominator)
"""


def refresh(con: duckdb.DuckDBPyConnection, touched: str | None = None) -> None:
    """Everything kept from the figures, recomputed after a write in its transaction (the
    caller holds it): the derived figures, the counts, region_figures and indicator_coverage
    (what 地区对比 can compare). For the keys `touched` (a query of KEY_COLUMNS) when a batch
    says which it wrote, so that a write's cost grows with its rows, not with the table (a
    20-row commit at 3M figures spent 0.23 s recomputing everything); whole otherwise (a
    catalog or region change touches every figure)."""
    if touched is None:
        refresh_figures(con)
        refresh_year_counts(con)
        _rebuild_region_figures(con)
        rebuild_coverage(con)
        return
    con.execute(_AFFECTED_SQL.format(touched=touched))
    con.execute("CREATE OR REPLACE TEMP TABLE _affected_indicators AS SELECT DISTINCT indicator_id FROM _affected")
    con.execute("CREATE OR REPLACE TEMP TABLE _affected_regions AS SELECT DISTINCT region_id FROM _affected")
    _refresh_derived(con)
    _refresh_region_figures(con)
    _refresh_counts(con)
    _refresh_coverage(con)
    for table in ("_affected", "_affected_indicators", "_affected_regions"):
        con.execute(f"DROP TABLE {table}")


def _refresh_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the derived figures whose numerator or denominator a write touched
    (_affected holds their keys), nothing else."""
    con.execute(f"DELETE FROM derived_observations AS f USING _affected AS a WHERE {_KEY_MATCH}")
    con.execute(_AFFECTED_DERIVED_SQL)


def _refresh_counts(con: duckdb.DuckDBPyConnection) -> None:
    """Recount the indicators and regions a write touched (_affected_indicators,
    _affected_regions). A region's figures are counted in region_figures (already refreshed,
    the same rows as observations_all), where they lie together: observations_all holds them
    in indicator order, spread over every row group."""
    for table, fill in (("indicator_stats", _INDICATOR_STATS_SQL.format(where=_TOUCHED_INDICATORS)),
                        ("indicator_year_stats", _INDICATOR_YEAR_STATS_SQL.format(where=_TOUCHED_INDICATORS))):
        con.execute(f"DELETE FROM {table} {_TOUCHED_INDICATORS}")
        con.execute(fill)
    con.execute(f"DELETE FROM region_stats {_TOUCHED_REGIONS}")
    con.execute(_REGION_STATS_SQL.format(figures="region_figures", where=_TOUCHED_REGIONS))


def _rebuild_region_figures(con: duckdb.DuckDBPyConnection) -> None:
    """region_figures rewritten whole, in region order."""
    con.execute("DELETE FROM region_figures")
    con.execute(f"INSERT INTO region_figures SELECT {_REGION_FIGURE_COLUMNS} FROM observations_all"
                f" ORDER BY {REGION_ORDER}")


def _refresh_region_figures(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite in region_figures the figures a write touched (_affected: their keys,
    KEY_COLUMNS, and those of the derived figures computed from them), nothing else: a write's
    cost grows with its rows, not with the table (rewriting the touched regions whole cost
    a 100k-row import at 3M +3.6 s, as it touched every region). The rows are appended in
    region order; store.keep_clustered restores the whole order when appends pile up."""
    con.execute(f"DELETE FROM region_figures AS f USING _affected AS a WHERE {_KEY_MATCH}")
    # A join on the keys (unique in _affected), not EXISTS: inside the write's transaction
    # DuckDB read every row of observations_all for the EXISTS, ~1 s at 3M for a 20-row commit.
    con.execute(f"""INSERT INTO region_figures
                    SELECT {_REGION_FIGURE_COLUMNS} FROM observations_all AS f JOIN _affected AS a USING ({_KEYS})
                    ORDER BY {REGION_ORDER}""")


def rebuild_coverage(con: duckdb.DuckDBPyConnection) -> None:
    """indicator_coverage regrouped whole (version 8; a catalog or region change)."""
    con.execute("DELETE FROM indicator_coverage")
    con.execute(_COVERAGE_SQL.format(where=""))


def _refresh_coverage(con: duckdb.DuckDBPyConnection) -> None:
    """Regroup in indicator_coverage the indicators a write touched (_affected_indicators),
    nothing else."""
    con.execute(f"DELETE FROM indicator_coverage {_TOUCHED_INDICATORS}")
    con.execute(_COVERAGE_SQL.format(where=f"AND o.{_TOUCHED_INDICATOR}"))
