"""The dashboard's database connection, in the style of st.connection, and the cached
query results of every page.

DuckDB 2.0 refuses a connection shared across threads ("connection is busy"), and
Streamlit runs each session's script in its own thread: the one connection (cached
process-wide by st.connection) hands every thread its own cursor. Query results are
cached with st.cache_data; a write clears that cache only (`clear_after_write`), not
every cache of the process.

The process that writes publishes a snapshot of the database at start (unless the newest
one already holds it) and after every write (store/snapshots.py, in a background thread), for the `fazhi` read commands, the
scheduled backup and replicas. A replica (FAZHI_REPLICA=1) opens the newest snapshot
read-only, pinned for the length of a run: a newer one is taken up on the next run,
never in the middle of a page.
"""
from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
from streamlit.connections import BaseConnection
from streamlit.runtime.scriptrunner import get_script_run_ctx

from paths import db_path as configured_db_path
from paths.operations import operations, snapshot_dir_for
from queries.sql import Query
from store.build import build_database
from store.connection import connect
from store.frame import fetch_frame
from store.snapshots import (
    Snapshot,
    SnapshotPublisher,
    is_current,
    newest_snapshot,
    prepare_to_serve,
    run_backup_schedule,
)

# Query results kept per process. Sized by measurement at 3M observations (README 运维):
# over the pages and 8 indicators, 56 results averaged 0.63 MB (median 75 KB), the
# largest 4.9 MB (地区对比's regions × years of one indicator, which the page has since
# replaced by a summary: an upper bound now); 256 entries are then ~160 MB when full, and
# the soak test shows the server's memory flat. An hour's ttl lets
# a server that is seldom written to shed views nobody opens any more.
CACHE_MAX_ENTRIES = 256
CACHE_TTL_SECONDS = 3600
# A replica keeps the connection on its newest snapshot and the one before (a session
# whose run began before the switch still reads it); older ones are closed.
REPLICA_CONNECTIONS = 2
SNAPSHOT_KEY = "fazhi_snapshot"

_writes = 0  # this process's writes so far (clear_after_write): what a kept import plan was checked against
_writes_lock = threading.Lock()


class FazhiConnection(BaseConnection[duckdb.DuckDBPyConnection]):
    """The database file opened once per process (built from data/ on a first start,
    migrated and its reference tables synced), with a cursor per thread."""

    def _connect(self, path: str, **_: object) -> duckdb.DuckDBPyConnection:
        if not Path(path).exists():
            # Said on the console: a mistyped or moved FAZHI_DB would otherwise serve (and
            # publish to replicas) the curated figures alone without a word.
            print(f"数据库 {path} 不存在，已由 data/ 中的整理数据新建（如这不是你想要的，请检查 FAZHI_DB）",
                  file=sys.stderr, flush=True)
            build_database(Path(path))
        con = connect(path)
        prepare_to_serve(con)  # as `fazhi snapshot` prepares it, so that its copy is current
        self._local = threading.local()
        settings = operations()
        self.publisher = SnapshotPublisher(con, snapshot_dir_for(Path(path)), settings.snapshots_kept)
        if not is_current(con, Path(path), self.publisher.directory):
            self.publisher.request()
        if settings.backup is not None:
            threading.Thread(target=run_backup_schedule, args=(self.publisher.directory, settings.backup),
                             kwargs={"published": self.publisher.wait}, name="fazhi-backup", daemon=True).start()
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


class ReplicaConnection(FazhiConnection):
    """A published snapshot, opened read-only: nothing is built, migrated or published."""

    def _connect(self, path: str, **_: object) -> duckdb.DuckDBPyConnection:
        con = connect(path, read_only=True)
        self._local = threading.local()
        return con


def is_replica() -> bool:
    return operations().replica


def newest_published() -> Snapshot | None:
    return newest_snapshot(snapshot_dir_for(configured_db_path()))


def begin_run() -> Snapshot | None:
    """At the top of every run (app.py): on a replica, pin the newest snapshot for this
    run and return it; None on the primary, or when nothing is published yet."""
    if not is_replica():
        return None
    snapshot = newest_published()
    if snapshot is not None:
        st.session_state[SNAPSHOT_KEY] = str(snapshot.path)
    return snapshot


def db_path() -> str:
    """The database this run reads: the file itself, or on a replica the pinned snapshot."""
    if not is_replica():
        return str(configured_db_path())
    pinned = st.session_state.get(SNAPSHOT_KEY)
    if pinned is None:
        snapshot = newest_published()
        if snapshot is None:
            raise RuntimeError(f"尚无已发布的快照（{snapshot_dir_for(configured_db_path())}）")
        pinned = st.session_state[SNAPSHOT_KEY] = str(snapshot.path)
    return pinned


# The connections this run has asked for, by path. st.connection costs ~0.6 ms a call (it
# hashes its own source and reads the secrets), and a page asked once per query. Streamlit
# runs each run in a thread of its own (a rerun asked for during a run goes on in it), so
# what is kept here lasts as long as that thread; by path, so that a replica's next
# snapshot is a connection of its own. Outside a run (a command, a test's own thread)
# nothing is kept.
_this_run = threading.local()


def _open(path: str) -> FazhiConnection:
    if is_replica():
        return st.connection("fazhi-replica", type=ReplicaConnection, path=path, max_entries=REPLICA_CONNECTIONS)
    return st.connection("fazhi", type=FazhiConnection, path=path)


def connection() -> FazhiConnection:
    try:
        return _connection()
    except duckdb.Error as err:
        # A damaged file (cut short by a full disk, a half-copied backup): no page can be
        # drawn, and the administrator needs to know which file and what to do.
        st.error("下面这个数据库文件无法读取（可能已损坏），看板暂时无法显示。"
                 "请管理员用 `fazhi restore 备份文件` 恢复最近的备份（见 README“运维”）。", icon=":material/error:")
        st.code(db_path(), language=None)  # a path is shown as it is, never read as Markdown
        print(f"数据库 {db_path()} 无法读取：{err}", file=sys.stderr, flush=True)
        st.stop()


def _connection() -> FazhiConnection:
    path = db_path()
    if get_script_run_ctx(suppress_warning=True) is None:
        return _open(path)
    asked = getattr(_this_run, "connections", None)
    if asked is None:
        asked = _this_run.connections = {}
    found = asked.get(path)
    if found is None:
        found = asked[path] = _open(path)
    return found


def cursor() -> duckdb.DuckDBPyConnection:
    """This thread's cursor on the dashboard's connection."""
    return connection().cursor()


@st.cache_data(show_spinner=False, max_entries=CACHE_MAX_ENTRIES, ttl=CACHE_TTL_SECONDS)
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


def fetch_later(query: Query) -> Callable[[], pd.DataFrame]:
    """The query's result on this run's database, read when called, from any thread: for
    a deferred download, which runs outside the page's run (no session to pin a snapshot
    by, and a thread of its own). Not cached: it runs once per download."""
    sql, params = query
    read_from = connection()
    return lambda: fetch_frame(read_from.cursor(), sql, params)


def clear_after_write() -> None:
    """Every open page shows the new figures on its next run: the query results, the one
    cache a write makes stale, are emptied; other caches of the process are kept. The
    write is published as a snapshot in the background (readers elsewhere see it then)."""
    global _writes
    with _writes_lock:
        _writes += 1
    _cached.clear()
    connection().publisher.request()


def writes_so_far() -> int:
    """How many writes this process has made: the dashboard's database has no other writer
    while it runs (DuckDB locks the file to one read-write process)."""
    return _writes
