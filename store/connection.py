"""Opening the store, its schema version and migrations, and the reference tables."""
from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from indicators.catalog import Catalog, load_catalog
from loaders import derived
from loaders.reference import DEFAULT_DB_PATH, Region, Source, load_regions, load_sources

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
SCHEMA_VERSION = 2

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
    derived.refresh(con)


# Each step upgrades a database from version N to N+1 in place.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {1: _v1_to_v2}


def resolve_db_path(cli_value: str | None = None) -> Path:
    """--db, else FAZHI_DB, else data/fazhi.duckdb (../shared/interchange.md)."""
    return Path(cli_value or os.environ.get("FAZHI_DB") or DEFAULT_DB_PATH)


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=read_only)


def _as_df_types(table: pa.Table) -> pd.DataFrame:
    """table.to_pandas(), with each column typed as DuckDB's .df() types it: integers and
    booleans with NULLs nullable (so a year prints as 2019, not 2019.0), a text column of
    NULLs only None (so `value or "—"` still works), decimals float, dates datetime64."""
    frame = table.to_pandas(date_as_object=False)
    for name, column in zip(table.column_names, table.columns):
        kind = column.type
        if pa.types.is_integer(kind) and column.null_count:
            frame[name] = frame[name].astype(("UInt" if pa.types.is_unsigned_integer(kind) else "Int")
                                             + str(kind.bit_width))
        elif pa.types.is_boolean(kind) and column.null_count:
            frame[name] = frame[name].astype("boolean")
        elif pa.types.is_decimal(kind):
            frame[name] = frame[name].astype("float64")
        elif pa.types.is_date(kind):
            frame[name] = frame[name].astype("datetime64[us]")
        elif pa.types.is_list(kind) and column.null_count:
            frame[name] = frame[name].where(frame[name].notna(), pd.NA)
        elif (pa.types.is_string(kind) or pa.types.is_large_string(kind)) and column.null_count == len(column):
            frame[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame


_ARROW_COPY_MESSAGE = "Arrow output on a DB-API result"
_ARROW_COPY_WARNING = ("ignore", re.compile(_ARROW_COPY_MESSAGE, re.I), UserWarning, None, 0)


def fetch_frame(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> pd.DataFrame:
    """A query's result as a DataFrame, typed as .df() would type it but read through
    Arrow: .df() turns every string into a Python object first, which made converting a
    page's result take longer than running its query (28k rows: 70 ms against 10 ms).

    execute(), not sql(): sql() refuses a cursor whose last execute() result was not read
    to the end (a fetchone() in the store), and parses the query in Python first. Arrow
    from execute() copies the rows once more (≈1 ms for 28k rows), which DuckDB warns
    about on every call; the warning is silenced here (again whenever something, such as
    pytest around each test, has reset the filters). The chunks are combined: st.cache_data
    pickles every result it keeps, and DuckDB's chunks pickle 4× slower than one."""
    if _ARROW_COPY_WARNING not in warnings.filters:
        warnings.filterwarnings("ignore", message=_ARROW_COPY_MESSAGE, category=UserWarning)
    return _as_df_types(con.execute(sql, params).to_arrow_table().combine_chunks())


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


def write_regions(con: duckdb.DuckDBPyConnection, regions: tuple[Region, ...]) -> None:
    con.executemany(
        "INSERT OR REPLACE INTO regions VALUES (?, ?, ?, ?, ?, ?)",
        [[r.id, r.name, r.level, r.parent, list(r.aliases), n] for n, r in enumerate(regions)],
    )


def write_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """The declared catalog (base and derived) into the indicators table; derived
    indicators are listed there too so pages can name them, but carry no observations."""
    con.executemany(
        "INSERT OR REPLACE INTO categories VALUES (?, ?, ?)",
        [[c.id, c.name, n] for n, c in enumerate(catalog.categories)],
    )
    rows = [
        [i.id, i.name, list(i.aliases), i.name_en, i.category, i.subcategory, i.unit, i.type,
         i.direction, i.definition, i.source, "catalog", None, n]
        for n, i in enumerate((*catalog.indicators, *catalog.derived))
    ]
    con.executemany("INSERT OR REPLACE INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def write_sources(con: duckdb.DuckDBPyConnection, sources: tuple[Source, ...]) -> None:
    con.executemany(
        "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?)",
        [[s.id, s.title, s.publisher, s.published, s.file, s.note] for s in sources],
    )


def write_reference(con: duckdb.DuckDBPyConnection, catalog: Catalog | None = None) -> None:
    """Regions, categories, indicators and sources from the files in the repo (or the
    catalog given), the derived indicators' definitions, and their figures recomputed
    (a definition or a name in a note may have changed)."""
    catalog = catalog or load_catalog()
    con.execute("BEGIN TRANSACTION")
    try:
        write_regions(con, load_regions())
        write_catalog(con, catalog)
        write_sources(con, load_sources())
        derived.write_definitions(con, catalog)
        derived.refresh(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
