"""Opening the store, its schema version and migrations."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from indicators.catalog import Catalog, load_catalog
from store import derived

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
SCHEMA_VERSION = 8

# The version 2 objects as they were when version 2 was made: a step is frozen, whatever
# schema.sql becomes later.
_V2_OBSERVATIONS = """
CREATE TABLE observations (
    indicator_id VARCHAR NOT NULL, region_id VARCHAR NOT NULL, scope VARCHAR NOT NULL, year SMALLINT NOT NULL,
    period VARCHAR NOT NULL, kind VARCHAR NOT NULL, span VARCHAR NOT NULL, end_month INTEGER NOT NULL,
    value DOUBLE NOT NULL, qualifier VARCHAR NOT NULL, value_text VARCHAR, unit_text VARCHAR, source_id VARCHAR,
    source_label VARCHAR, sentence VARCHAR, note VARCHAR, sheet VARCHAR, cell VARCHAR, batch_id INTEGER NOT NULL,
    PRIMARY KEY (indicator_id, region_id, scope, year, period, kind)
);
INSERT INTO observations
SELECT indicator_id, region_id, scope, year, period, kind, span, period_end_month(period), value, qualifier,
       value_text, unit_text, source_id, source_label, sentence, note, sheet, cell, batch_id
FROM observations_v1
ORDER BY indicator_id, region_id, scope, year, period, kind;
DROP TABLE observations_v1;
CREATE TABLE derived_indicators (
    id VARCHAR PRIMARY KEY, numerator VARCHAR NOT NULL, denominator VARCHAR NOT NULL, multiplier DOUBLE NOT NULL
);
CREATE TABLE derived_observations (
    indicator_id VARCHAR NOT NULL, region_id VARCHAR NOT NULL, scope VARCHAR NOT NULL, year SMALLINT NOT NULL,
    period VARCHAR NOT NULL, kind VARCHAR NOT NULL, span VARCHAR NOT NULL, end_month INTEGER NOT NULL,
    value DOUBLE NOT NULL, qualifier VARCHAR NOT NULL, note VARCHAR NOT NULL
);
CREATE TABLE indicator_stats (
    indicator_id VARCHAR NOT NULL, n_observations BIGINT NOT NULL, n_stored BIGINT NOT NULL,
    first_year SMALLINT NOT NULL, last_year SMALLINT NOT NULL
);
CREATE TABLE region_stats (region_id VARCHAR NOT NULL, n_observations BIGINT NOT NULL, n_targets BIGINT NOT NULL);
CREATE OR REPLACE VIEW observations_all AS
SELECT indicator_id, region_id, scope, year, period, span, end_month, kind, value, qualifier, value_text,
       unit_text, source_id, source_label, sentence, note, sheet, cell, batch_id, false AS derived
FROM observations
UNION ALL
SELECT indicator_id, region_id, scope, year, period, span, end_month, kind, value, qualifier, NULL, NULL, NULL,
       NULL, NULL, note, NULL, NULL, NULL, true
FROM derived_observations;
"""


def _v1_to_v2(con: duckdb.DuckDBPyConnection) -> None:
    """end_month stored, rows rewritten in key order (indicator first), and the derived
    indicators and counts materialised instead of computed by a view on every query.

    A version 1 database kept its derived definitions only inside its view; they are taken
    from indicators/derived.yaml, as `fazhi init` and the dashboard's catalog sync write
    them, for the derived indicators its catalog lists."""
    con.execute("ALTER TABLE observations RENAME TO observations_v1")
    con.execute(_V2_OBSERVATIONS)
    listed = {row[0] for row in con.execute("SELECT id FROM indicators").fetchall()}
    catalog = load_catalog()
    derived.write_definitions(con, Catalog(catalog.categories, catalog.indicators,
                                           tuple(d for d in catalog.derived if d.id in listed)))
    # The derived figures and counts are recomputed by the last step (_v2_to_v3), in the
    # current shape of their tables: this frozen step must not run today's refresh.


# The version 3 objects as they were when version 3 was made: breakdown (分项) becomes the
# seventh key part, '' (the total) for every figure a version 2 database holds.
_V3_TABLES = """
CREATE TABLE observations (
    indicator_id VARCHAR NOT NULL, region_id VARCHAR NOT NULL, scope VARCHAR NOT NULL, year SMALLINT NOT NULL,
    period VARCHAR NOT NULL, kind VARCHAR NOT NULL, breakdown VARCHAR NOT NULL DEFAULT '', span VARCHAR NOT NULL,
    end_month INTEGER NOT NULL, value DOUBLE NOT NULL, qualifier VARCHAR NOT NULL, value_text VARCHAR,
    unit_text VARCHAR, source_id VARCHAR, source_label VARCHAR, sentence VARCHAR, note VARCHAR, sheet VARCHAR,
    cell VARCHAR, batch_id INTEGER NOT NULL,
    PRIMARY KEY (indicator_id, region_id, scope, year, period, kind, breakdown)
);
INSERT INTO observations
SELECT indicator_id, region_id, scope, year, period, kind, '', span, end_month, value, qualifier, value_text,
       unit_text, source_id, source_label, sentence, note, sheet, cell, batch_id
FROM observations_v2
ORDER BY indicator_id, region_id, scope, year, period, kind;
CREATE TABLE observation_history (
    batch_id INTEGER NOT NULL, action VARCHAR NOT NULL, indicator_id VARCHAR NOT NULL, region_id VARCHAR NOT NULL,
    scope VARCHAR NOT NULL, year SMALLINT NOT NULL, period VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    breakdown VARCHAR NOT NULL DEFAULT '', old_value DOUBLE, old_qualifier VARCHAR, old_value_text VARCHAR,
    old_unit_text VARCHAR, old_source_id VARCHAR, old_source_label VARCHAR, old_sentence VARCHAR, old_note VARCHAR,
    old_sheet VARCHAR, old_cell VARCHAR, old_batch_id INTEGER, new_value DOUBLE, new_qualifier VARCHAR
);
INSERT INTO observation_history
SELECT batch_id, action, indicator_id, region_id, scope, year, period, kind, '', old_value, old_qualifier,
       old_value_text, old_unit_text, old_source_id, old_source_label, old_sentence, old_note, old_sheet, old_cell,
       old_batch_id, new_value, new_qualifier
FROM observation_history_v2;
CREATE TABLE derived_observations (
    indicator_id VARCHAR NOT NULL, region_id VARCHAR NOT NULL, scope VARCHAR NOT NULL, year SMALLINT NOT NULL,
    period VARCHAR NOT NULL, kind VARCHAR NOT NULL, breakdown VARCHAR NOT NULL, span VARCHAR NOT NULL,
    end_month INTEGER NOT NULL, value DOUBLE NOT NULL, qualifier VARCHAR NOT NULL, note VARCHAR NOT NULL
);
CREATE VIEW observations_all AS
SELECT indicator_id, region_id, scope, year, period, span, end_month, kind, value, qualifier, value_text,
       unit_text, source_id, source_label, sentence, note, sheet, cell, batch_id, false AS derived, breakdown
FROM observations
UNION ALL
SELECT indicator_id, region_id, scope, year, period, span, end_month, kind, value, qualifier, NULL, NULL, NULL,
       NULL, NULL, note, NULL, NULL, NULL, true, breakdown
FROM derived_observations;
"""


def _v2_to_v3(con: duckdb.DuckDBPyConnection) -> None:
    """breakdown (分项) joins the key of observations, observation_history and
    derived_observations; every figure of a version 2 database is a total (''). The
    tables are rebuilt (a primary key cannot be altered in place), rows copied in key
    order, nothing dropped before its copy is written; the derived figures recomputed."""
    con.execute("DROP VIEW observations_all")
    con.execute("ALTER TABLE observations RENAME TO observations_v2")
    con.execute("ALTER TABLE observation_history RENAME TO observation_history_v2")
    con.execute("DROP TABLE derived_observations")  # recomputed from observations below
    con.execute(_V3_TABLES)
    con.execute("DROP TABLE observations_v2")
    con.execute("DROP TABLE observation_history_v2")
    derived.refresh_figures(con)


_V4_COLLECTION_ROUNDS = """
CREATE TABLE collection_rounds (
    id INTEGER PRIMARY KEY, collection_id VARCHAR NOT NULL, year SMALLINT NOT NULL, region_ids VARCHAR[] NOT NULL,
    indicator_ids VARCHAR[] NOT NULL, user_name VARCHAR, created_at TIMESTAMP NOT NULL
);
"""


def _add_collection_rounds(con: duckdb.DuckDBPyConnection) -> None:
    """The record of collection rounds (数据征集): a new table, nothing else touched."""
    con.execute(_V4_COLLECTION_ROUNDS)


# The version 5 table as it was when version 5 was made, filled from observations_all as
# version 4 left it, in region order.
_V5_REGION_FIGURES = """
CREATE TABLE region_figures (
    region_id VARCHAR NOT NULL, indicator_id VARCHAR NOT NULL, scope VARCHAR NOT NULL, year SMALLINT NOT NULL,
    period VARCHAR NOT NULL, kind VARCHAR NOT NULL, breakdown VARCHAR NOT NULL, span VARCHAR NOT NULL,
    end_month INTEGER NOT NULL, value DOUBLE NOT NULL, qualifier VARCHAR NOT NULL, source_id VARCHAR,
    source_label VARCHAR, sentence VARCHAR, note VARCHAR, derived BOOLEAN NOT NULL
);
INSERT INTO region_figures
SELECT region_id, indicator_id, scope, year, period, kind, breakdown, span, end_month, value, qualifier, source_id,
       source_label, sentence, note, derived
FROM observations_all
ORDER BY region_id, indicator_id, scope, year, period, kind, breakdown;
"""


def _add_region_figures(con: duckdb.DuckDBPyConnection) -> None:
    """One region's figures kept together (region_figures), copied from the figures the
    database holds; nothing else touched."""
    con.execute(_V5_REGION_FIGURES)


# Version 6's table, filled as version 6 filled it (version 8 replaced it by indicator_coverage).
_V6_COMPARABLE_SLICES = """
CREATE TABLE comparable_slices (
    indicator_id VARCHAR NOT NULL, level VARCHAR NOT NULL, year SMALLINT NOT NULL, span VARCHAR NOT NULL
);
INSERT INTO comparable_slices
SELECT o.indicator_id, r.level, o.year, o.span
FROM observations_all AS o JOIN regions AS r ON r.id = o.region_id
WHERE o.scope = '' AND o.kind = '实际'
GROUP BY ALL
HAVING min(o.region_id) <> max(o.region_id);
"""


def _add_comparable_slices(con: duckdb.DuckDBPyConnection) -> None:
    """Where 地区对比 can rank, kept by every write from now on: a new table, filled."""
    con.execute(_V6_COMPARABLE_SLICES)


_V7_INDICATOR_YEAR_STATS = """
CREATE TABLE indicator_year_stats (indicator_id VARCHAR NOT NULL, year SMALLINT NOT NULL, n_stored BIGINT NOT NULL);
"""


def _add_indicator_year_stats(con: duckdb.DuckDBPyConnection) -> None:
    """The stored figures per indicator and year, kept by every write from now on: a new
    table, filled."""
    con.execute(_V7_INDICATOR_YEAR_STATS)
    derived.refresh_year_counts(con)


_V8_INDICATOR_COVERAGE = """
CREATE TABLE indicator_coverage (
    indicator_id VARCHAR NOT NULL, level VARCHAR NOT NULL, scope VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    year SMALLINT NOT NULL, span VARCHAR NOT NULL, period VARCHAR NOT NULL, end_month INTEGER NOT NULL,
    n BIGINT NOT NULL, several_regions BOOLEAN NOT NULL
);
"""


def _add_indicator_coverage(con: duckdb.DuckDBPyConnection) -> None:
    """What 地区对比's choosers read of an indicator, kept by every write from now on: a new
    table, filled. It also says where regions can be ranked (of totals only: the ranking
    ranks totals), so comparable_slices, which counted parts too, goes."""
    con.execute(_V8_INDICATOR_COVERAGE)
    derived.rebuild_coverage(con)
    con.execute("DROP TABLE comparable_slices")


# Each step upgrades a database from version N to N+1 in place.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {1: _v1_to_v2, 2: _v2_to_v3,
                                                                3: _add_collection_rounds, 4: _add_region_figures,
                                                                5: _add_comparable_slices,
                                                                6: _add_indicator_year_stats,
                                                                7: _add_indicator_coverage}


# DuckDB checkpoints (writes the WAL into the file) inside a COMMIT whose WAL has grown past
# checkpoint_threshold (16 MB by default): ~0.3 s of a 100k-row import's commit at 300k
# figures, more at 3M. Below this threshold a commit only writes and syncs its WAL (as
# durable: a restart replays it), and the dashboard's snapshot publisher checkpoints after
# the write, in the background (store/snapshots.py). Past it, a commit still checkpoints
# itself, so that the WAL stays bounded when no publisher runs or its checkpoint fails.
CHECKPOINT_THRESHOLD = "256MB"


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
    return con


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()[0]
    if not exists:
        return None
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Create the schema on an empty database, or upgrade an older one step by step."""
    version = schema_version(con)
    if version is None:
        con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        return SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise RuntimeError(f"数据库版本 {version} 高于本程序支持的 {SCHEMA_VERSION}，请升级程序")
    while version < SCHEMA_VERSION:
        con.execute("BEGIN TRANSACTION")
        MIGRATIONS[version](con)
        version += 1
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
        con.execute("COMMIT")
    return version


