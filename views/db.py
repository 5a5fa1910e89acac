"""The dashboard's one DuckDB connection and a cursor per session thread.

DuckDB 2.0 refuses a connection shared across threads ("connection is busy"), and
Streamlit runs each session's script in its own thread: every thread gets its own
cursor on the one cached connection. Query results are cached with st.cache_data and
cleared after every write (`clear_after_write`).
"""
from __future__ import annotations

import hashlib
import threading

import duckdb
import pandas as pd
import streamlit as st

from indicators.catalog import CATALOG_PATH, DERIVED_PATH
from loaders.cli import build_database
from loaders.db import connect, migrate, resolve_db_path, write_reference
from loaders.reference import REGIONS_PATH, SOURCES_PATH
from queries.sql import Query

_local = threading.local()


def _reference_digest() -> str:
    digest = hashlib.sha256()
    for path in (CATALOG_PATH, DERIVED_PATH, REGIONS_PATH, SOURCES_PATH):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _sync_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the catalog tables up to the YAML files of this checkout, once per change."""
    digest = _reference_digest()
    row = con.execute("SELECT value FROM meta WHERE key = 'reference_sha256'").fetchone()
    if row is None or row[0] != digest:
        write_reference(con)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('reference_sha256', ?)", [digest])


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    from pathlib import Path

    if not Path(path).exists():
        build_database(Path(path))
    con = connect(path)
    migrate(con)
    _sync_reference(con)
    return con


def db_path() -> str:
    return str(resolve_db_path())


def cursor() -> duckdb.DuckDBPyConnection:
    """This thread's cursor on the shared connection (created on first use)."""
    con = _connection(db_path())
    cursors = getattr(_local, "cursors", None)
    if cursors is None:
        cursors = _local.cursors = {}
    cur = cursors.get(id(con))
    if cur is None:
        cur = cursors[id(con)] = con.cursor()
    return cur


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(path: str, sql: str, params: dict) -> pd.DataFrame:
    return cursor().execute(sql, params).df()


def fetch(query: Query) -> pd.DataFrame:
    """Run a (sql, params) query from queries/sql.py, cached until the next write."""
    sql, params = query
    return _cached(db_path(), sql, params)


def clear_after_write() -> None:
    """Every open page shows the new figures on its next run."""
    st.cache_data.clear()
