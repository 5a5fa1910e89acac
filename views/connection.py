"""The dashboard's database connection, in the style of st.connection, and the cached
query results of every page.

DuckDB 2.0 refuses a connection shared across threads ("connection is busy"), and
Streamlit runs each session's script in its own thread: the one connection (cached
process-wide by st.connection) hands every thread its own cursor. Query results are
cached with st.cache_data; a write clears that cache only (`clear_after_write`), not
every cache of the process.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
from streamlit.connections import BaseConnection

from paths import db_path as configured_db_path
from queries.frame import fetch_frame
from queries.sql import Query
from store.batches import keep_clustered
from store.build import build_database
from store.connection import connect, migrate
from store.reference import sync_reference


class FazhiConnection(BaseConnection[duckdb.DuckDBPyConnection]):
    """The database file opened once per process (built from data/ on a first start,
    migrated and its reference tables synced), with a cursor per thread."""

    def _connect(self, path: str, **_: object) -> duckdb.DuckDBPyConnection:
        if not Path(path).exists():
            build_database(Path(path))
        con = connect(path)
        migrate(con)
        sync_reference(con)
        # Once per server start, before any page reads: seconds at national scale when the
        # uploads since the last start have interleaved, nothing otherwise.
        keep_clustered(con)
        self._local = threading.local()
        return con

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the shared connection (created on first use)."""
        con = self._instance
        cursors = getattr(self._local, "cursors", None)
        if cursors is None:
            cursors = self._local.cursors = {}
        cur = cursors.get(id(con))
        if cur is None:
            cur = cursors[id(con)] = con.cursor()
        return cur


def db_path() -> str:
    return str(configured_db_path())


def connection() -> FazhiConnection:
    return st.connection("fazhi", type=FazhiConnection, path=db_path())


def cursor() -> duckdb.DuckDBPyConnection:
    """This thread's cursor on the dashboard's connection."""
    return connection().cursor()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(path: str, sql: str, params_json: str) -> pd.DataFrame:
    return fetch_frame(cursor(), sql, json.loads(params_json))


def _plain(value: object) -> object:
    """A numpy scalar a page passed as a parameter, as the Python value it holds."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"query parameter of type {type(value).__name__}")


def fetch(query: Query) -> pd.DataFrame:
    """Run a (sql, params) query from queries/, cached until the next write.

    The parameters reach the cache as one JSON string: st.cache_data hashes a dict or a
    list element by element in Python, 20 ms on every run for the heat map's 2,848
    regions, where one string takes well under a millisecond."""
    sql, params = query
    return _cached(db_path(), sql, json.dumps(params, ensure_ascii=False, sort_keys=True, default=_plain))


def clear_after_write() -> None:
    """Every open page shows the new figures on its next run: the query results, the one
    cache a write makes stale, are emptied; other caches of the process are kept."""
    _cached.clear()
