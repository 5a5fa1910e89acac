"""The reference tables (regions, categories, indicators, sources, derived definitions)
written from the YAML files of this checkout, and kept in step with them."""
from __future__ import annotations

import hashlib

import duckdb

from indicators.catalog import Catalog, load_catalog
from loaders.reference import Region, Source, load_regions, load_sources
from paths import CATALOG_PATH, DERIVED_PATH, REGIONS_PATH, SOURCES_PATH
from store import derived


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


def reference_digest() -> str:
    """One hash of the files the reference tables are written from."""
    digest = hashlib.sha256()
    for path in (CATALOG_PATH, DERIVED_PATH, REGIONS_PATH, SOURCES_PATH):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def sync_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the catalog tables up to the YAML files of this checkout, once per change."""
    digest = reference_digest()
    row = con.execute("SELECT value FROM meta WHERE key = 'reference_sha256'").fetchone()
    if row is None or row[0] != digest:
        write_reference(con)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('reference_sha256', ?)", [digest])
