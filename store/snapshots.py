"""Published snapshots: consistent read-only copies of the database.

DuckDB lets one process hold a database file and no other process open it meanwhile.
The process that writes (the dashboard) therefore publishes a copy after every commit
and undo, and at start; everything that only reads while it runs (the `fazhi` read
commands, backups, replicas) opens the newest copy instead.

A copy is written by DuckDB itself (COPY FROM DATABASE, one transaction: a write is
wholly in it or wholly out) to a hidden temporary name, opened and checked, synced to
disk and renamed into place, so a reader only ever sees complete copies. The name
carries the time of publication and the newest batch it holds. The newest few are kept.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from paths.operations import BackupSchedule
from store.backup import copy_database
from store.batches import WRITE_LOCK, keep_clustered
from store.connection import connect, migrate, schema_version
from store.reference import sync_reference

_NAME = re.compile(r"^(\d{8}T\d{12})Z-b(\d+)\.duckdb$")
_STAMP = "%Y%m%dT%H%M%S%f"


class SnapshotFailed(Exception):
    """A copy that did not check out; nothing was published."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    published: dt.datetime  # UTC
    batch: int  # the newest batch the copy holds

    @property
    def label(self) -> str:
        """For the user: local time and batch, as the commands and replicas say it."""
        local = self.published.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return f"{local} 发布的快照（至批次 {self.batch}）"


def _parse(path: Path) -> Snapshot | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    published = dt.datetime.strptime(match.group(1), _STAMP).replace(tzinfo=dt.UTC)
    return Snapshot(path, published, int(match.group(2)))


def snapshots(directory: Path) -> list[Snapshot]:
    """Published snapshots, oldest first (temporary files are not among them)."""
    if not directory.is_dir():
        return []
    found = [s for s in (_parse(p) for p in directory.iterdir()) if s is not None]
    return sorted(found, key=lambda s: s.published)


def newest_snapshot(directory: Path) -> Snapshot | None:
    found = snapshots(directory)
    return found[-1] if found else None


def _newest_batch(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT coalesce(max(id), 0) FROM batches").fetchone()[0])


def is_current(con: duckdb.DuckDBPyConnection, db: Path, directory: Path) -> bool:
    """True when the newest snapshot in `directory` already holds everything in the
    database file `db` that `con` holds: it has its newest batch and neither the file nor
    its WAL changed after it was published (`make run` publishes just before the dashboard
    starts, and a second copy at start costs seconds at national scale)."""
    snapshot = newest_snapshot(directory)
    if snapshot is None or snapshot.batch != _newest_batch(con):
        return False
    written = max(p.stat().st_mtime for p in (db, Path(f"{db}.wal")) if p.exists())
    return written <= snapshot.published.timestamp()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check(path: Path) -> int:
    """Open the copy as a reader will and return the newest batch it holds."""
    try:
        con = connect(path, read_only=True)
    except duckdb.Error as err:
        raise SnapshotFailed(f"快照无法打开：{err}") from err
    try:
        if schema_version(con) is None:
            raise SnapshotFailed("快照中没有本看板的表结构")
        con.execute("SELECT count(*) FROM observations_all").fetchone()
        return _newest_batch(con)
    finally:
        con.close()


_publish_lock = threading.Lock()  # one copy at a time per process: they would only race for the disk


def publish_snapshot(con: duckdb.DuckDBPyConnection, directory: Path, kept: int) -> Snapshot:
    """Copy the database `con` holds into `directory`, check it, rename it into place and
    drop all but the newest `kept`. `con` may be any cursor of the writing connection."""
    directory.mkdir(parents=True, exist_ok=True)
    with _publish_lock:
        published = dt.datetime.now(dt.UTC)
        temporary = directory / f".{uuid.uuid4().hex}.tmp"
        try:
            copy_database(con, temporary, f"fazhi_snapshot_{uuid.uuid4().hex[:12]}")
            batch = _check(temporary)
            _fsync(temporary)
            final = directory / f"{published.strftime(_STAMP)}Z-b{batch}.duckdb"
            os.replace(temporary, final)
            _fsync(directory)
        finally:
            temporary.unlink(missing_ok=True)
            Path(f"{temporary}.wal").unlink(missing_ok=True)
    prune(directory, kept)
    return Snapshot(final, published, batch)


def prepare_to_serve(con: duckdb.DuckDBPyConnection) -> None:
    """What the dashboard does to its database when it starts: schema migrated, reference
    tables synced with this checkout, figures re-clustered when uploads have interleaved
    (seconds at national scale, nothing otherwise)."""
    migrate(con)
    sync_reference(con)
    keep_clustered(con)


def publish_before_start(con: duckdb.DuckDBPyConnection, directory: Path, kept: int) -> Snapshot:
    """`fazhi snapshot`, run by `make run` before the dashboard starts: the database is
    prepared as the dashboard prepares it (prepare_to_serve) and checkpointed (closing it
    would otherwise write the file after the copy), so the dashboard finds the copy current."""
    prepare_to_serve(con)
    con.execute("CHECKPOINT")
    return publish_snapshot(con, directory, kept)


def prune(directory: Path, kept: int) -> None:
    """Delete all but the newest `kept` snapshots (a reader holding an older one open keeps
    reading it: the file goes when it closes)."""
    for old in snapshots(directory)[:-kept]:
        old.path.unlink(missing_ok=True)


def copy_snapshot(snapshot: Snapshot, out: Path) -> None:
    """A backup from a published snapshot: a file copy, complete or absent."""
    temporary = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        shutil.copyfile(snapshot.path, temporary)
        _fsync(temporary)
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)


def scheduled_backup(directory: Path, backups: Path, kept: int, today: dt.date) -> Path | None:
    """The day's backup (backups/fazhi-<date>.duckdb) copied from the newest snapshot, the
    oldest dropped beyond `kept`; None when there is no snapshot yet or today's exists."""
    snapshot = newest_snapshot(directory)
    if snapshot is None:
        return None
    backups.mkdir(parents=True, exist_ok=True)
    out = backups / f"fazhi-{today.isoformat()}.duckdb"
    if out.exists():
        return None
    copy_snapshot(snapshot, out)
    for old in sorted(backups.glob("fazhi-????-??-??.duckdb"))[:-kept]:
        old.unlink(missing_ok=True)
    return out


def next_backup_at(schedule: BackupSchedule, now: dt.datetime) -> dt.datetime:
    """Today's backup time if it is still ahead, else tomorrow's (local time)."""
    today = dt.datetime.combine(now.date(), schedule.time_of_day)
    return today if today > now else today + dt.timedelta(days=1)


def run_backup_schedule(directory: Path, schedule: BackupSchedule, stop: threading.Event | None = None,
                        published: Callable[[], None] = lambda: None) -> None:
    """The dashboard's scheduled backup, run in a daemon thread of its process: at start a
    missed backup of today is made once its time has passed, then one a day (until `stop`).
    It copies the newest snapshot: `published` returns once the one the start asked for is
    out (started without `make run`'s `fazhi snapshot`, the day's backup copied the snapshot
    before the latest writes, and was not made again that day)."""
    stop = stop or threading.Event()
    published()
    while not stop.is_set():
        now = dt.datetime.now()
        if now.time() >= schedule.time_of_day:
            try:
                made = scheduled_backup(directory, schedule.directory, schedule.kept, now.date())
                if made:
                    print(f"法治政府建设指标看板：已按计划备份到 {made}", flush=True)
            except OSError as err:
                print(f"法治政府建设指标看板：计划备份失败（{err}），明天同一时间再试", flush=True)
        stop.wait(max(1.0, (next_backup_at(schedule, dt.datetime.now()) - dt.datetime.now()).total_seconds()))


def checkpoint_after_write(con: duckdb.DuckDBPyConnection) -> None:
    """Write into the database file what the last commits left in the WAL, after they
    returned (store/connection.CHECKPOINT_THRESHOLD: a commit below it does not checkpoint
    itself). Between writes (WRITE_LOCK), so that no write transaction makes it fail;
    readers may go on meanwhile. A checkpoint that fails anyway (another write) is left
    to the next write's publication, or to a commit past the threshold."""
    with WRITE_LOCK:
        try:
            con.execute("CHECKPOINT")
        except duckdb.Error as err:
            print(f"法治政府建设指标看板：检查点未完成（{err}），下次写入后再试", flush=True)


class SnapshotPublisher:
    """Publishes in a background thread so that a commit does not wait for the copy;
    requests while a copy runs are folded into one more copy after it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, directory: Path, kept: int):
        self._con = con
        self.directory = directory
        self._kept = kept
        self._lock = threading.Lock()
        self._pending = False
        self._thread: threading.Thread | None = None
        self.last: Snapshot | None = None
        self.last_error: Exception | None = None

    def request(self) -> None:
        with self._lock:
            self._pending = True
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="fazhi-snapshots", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        cursor = self._con.cursor()
        try:
            while True:
                with self._lock:
                    if not self._pending:
                        self._thread = None
                        return
                    self._pending = False
                try:
                    self.last = publish_snapshot(cursor, self.directory, self._kept)
                    self.last_error = None
                except (duckdb.Error, OSError, SnapshotFailed) as err:
                    # The database itself is untouched; the next write publishes again.
                    self.last_error = err
                    print(f"法治政府建设指标看板：快照发布失败（{err}）", flush=True)
                checkpoint_after_write(cursor)
        finally:
            cursor.close()

    def wait(self, timeout: float = 120) -> None:
        """Until no copy is running or pending (tests, and a clean shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
