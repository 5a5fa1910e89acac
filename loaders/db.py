"""Opening the store, its schema version and migrations, and the reference tables."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb

from indicators.catalog import Catalog, load_catalog
from loaders.derived import observations_all_sql
from loaders.reference import DEFAULT_DB_PATH, Region, Source, load_regions, load_sources

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
SCHEMA_VERSION = 1

# Each step upgrades a database from version N to N+1 in place; none yet beyond 1.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {}


def resolve_db_path(cli_value: str | None = None) -> Path:
    """--db, else FAZHI_DB, else data/fazhi.duckdb (../shared/interchange.md)."""
    return Path(cli_value or os.environ.get("FAZHI_DB") or DEFAULT_DB_PATH)


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=read_only)


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
    catalog given), and the view that adds the derived indicators."""
    catalog = catalog or load_catalog()
    con.execute("BEGIN TRANSACTION")
    try:
        write_regions(con, load_regions())
        write_catalog(con, catalog)
        write_sources(con, load_sources())
        con.execute(observations_all_sql(catalog))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
