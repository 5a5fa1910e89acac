"""The dashboard's one DuckDB connection and a cursor per session thread.

DuckDB 2.0 refuses a connection shared across threads ("connection is busy"), and
Streamlit runs each session's script in its own thread: every thread gets its own
cursor on the one cached connection. Query results are cached with st.cache_data and
cleared after every write (`clear_after_write`).
"""
from __future__ import annotations

import hashlib
import json
import threading

import duckdb
import pandas as pd
import streamlit as st

from indicators.catalog import CATALOG_PATH, DERIVED_PATH
from loaders.cli import build_database
from loaders.db import connect, fetch_frame, migrate, resolve_db_path, write_reference
from loaders.reference import REGIONS_PATH, SOURCES_PATH
from loaders.store import keep_clustered
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
    # Once per server start, before any page reads: seconds at national scale when the
    # uploads since the last start have interleaved, nothing otherwise.
    keep_clustered(con)
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
def _cached(path: str, sql: str, params_json: str) -> pd.DataFrame:
    return fetch_frame(cursor(), sql, json.loads(params_json))


def _plain(value: object) -> object:
    """A numpy scalar a page passed as a parameter, as the Python value it holds."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"query parameter of type {type(value).__name__}")


def fetch(query: Query) -> pd.DataFrame:
    """Run a (sql, params) query from queries/sql.py, cached until the next write.

    The parameters reach the cache as one JSON string: st.cache_data hashes a dict or a
    list element by element in Python, 20 ms on every run for the heat map's 2,848
    regions, where one string takes well under a millisecond."""
    sql, params = query
    return _cached(db_path(), sql, json.dumps(params, ensure_ascii=False, sort_keys=True, default=_plain))


def clear_after_write() -> None:
    """Every open page shows the new figures on its next run."""
    st.cache_data.clear()
