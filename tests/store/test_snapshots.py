"""Published snapshots: complete or absent, named by time and batch, the newest few kept;
the scheduled backup copies the newest."""
from __future__ import annotations

import datetime as dt
import shutil
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from paths.operations import BackupSchedule
from store import snapshots
from store.batches import BatchInfo, commit_batch
from store.connection import connect
from store.snapshots import (
    SnapshotFailed,
    SnapshotPublisher,
    is_current,
    newest_snapshot,
    next_backup_at,
    publish_snapshot,
    run_backup_schedule,
    scheduled_backup,
)
from tests.conftest import obs


def _figures(path: Path) -> list[tuple]:
    con = connect(path, read_only=True)
    try:
        return con.execute("SELECT indicator_id, region_id, year, period, kind, value, qualifier "
                           "FROM observations_all ORDER BY ALL").fetchall()
    finally:
        con.close()


def _add(con, value: float) -> None:
    commit_batch(con, pd.DataFrame([obs("mediation_cases", "吴中区", 2030, value)]),
                 BatchInfo(batch_type="import", user="test"))


def test_a_snapshot_holds_every_figure_and_names_its_batch(small_db, tmp_path):
    snap = publish_snapshot(small_db, tmp_path / "snaps", kept=3)
    assert snap.batch == small_db.execute("SELECT max(id) FROM batches").fetchone()[0]
    assert snap.path.name.endswith(f"-b{snap.batch}.duckdb")
    expected = small_db.execute("SELECT indicator_id, region_id, year, period, kind, value, qualifier "
                                "FROM observations_all ORDER BY ALL").fetchall()
    assert _figures(snap.path) == expected and len(expected) > 0
    assert f"至批次 {snap.batch}" in snap.label


@pytest.mark.parametrize("after_publishing, current", [
    (None, True),
    (lambda con: _add(con, 7), False),  # a new batch
    (lambda con: con.execute("INSERT OR REPLACE INTO meta VALUES ('note', 'x')"), False),  # a write without one
])
def test_a_snapshot_is_current_until_the_database_changes(small_db, tmp_path, after_publishing, current):
    directory, db = tmp_path / "snaps", tmp_path / "t.duckdb"
    assert not is_current(small_db, db, directory)  # nothing published yet
    publish_snapshot(small_db, directory, kept=3)
    if after_publishing is not None:
        time.sleep(0.01)  # a file's time is the filesystem's, at its resolution
        after_publishing(small_db)
        small_db.execute("CHECKPOINT")
    assert is_current(small_db, db, directory) is current


def test_the_newest_few_are_kept_and_the_newest_has_the_last_write(small_db, tmp_path):
    directory = tmp_path / "snaps"
    for value in (1, 2, 3, 4):
        _add(small_db, value)
        publish_snapshot(small_db, directory, kept=2)
    kept = snapshots.snapshots(directory)
    assert len(kept) == 2 and kept[0].batch < kept[1].batch
    assert newest_snapshot(directory) == kept[1]
    assert [f[5] for f in _figures(kept[1].path) if f[2] == 2030] == [4]


def test_a_copy_that_fails_its_check_publishes_nothing(small_db, tmp_path, monkeypatch):
    directory = tmp_path / "snaps"
    publish_snapshot(small_db, directory, kept=3)
    before = sorted(p.name for p in directory.iterdir())

    def broken(path):
        raise SnapshotFailed("快照中没有本看板的表结构")

    monkeypatch.setattr(snapshots, "_check", broken)
    _add(small_db, 5)
    with pytest.raises(SnapshotFailed):
        publish_snapshot(small_db, directory, kept=3)
    assert sorted(p.name for p in directory.iterdir()) == before  # no temporary file left, no new name


def test_the_publisher_folds_requests_and_publishes_the_last_write(small_db, tmp_path):
    publisher = SnapshotPublisher(small_db, tmp_path / "snaps", kept=3)
    for value in (7, 8):
        _add(small_db, value)
        publisher.request()
    publisher.wait()
    newest = newest_snapshot(tmp_path / "snaps")
    assert publisher.last_error is None and newest.batch == small_db.execute("SELECT max(id) FROM batches").fetchone()[0]


def test_scheduled_backup_copies_the_newest_once_a_day_and_keeps_the_last_n(small_db, tmp_path):
    directory, backups = tmp_path / "snaps", tmp_path / "backups"
    assert scheduled_backup(directory, backups, kept=2, today=dt.date(2026, 1, 1)) is None  # nothing published yet
    publish_snapshot(small_db, directory, kept=3)
    for day in (1, 2, 3):
        made = scheduled_backup(directory, backups, kept=2, today=dt.date(2026, 1, day))
        assert made == backups / f"fazhi-2026-01-0{day}.duckdb"
    assert scheduled_backup(directory, backups, kept=2, today=dt.date(2026, 1, 3)) is None  # today's exists
    assert sorted(p.name for p in backups.iterdir()) == ["fazhi-2026-01-02.duckdb", "fazhi-2026-01-03.duckdb"]
    assert _figures(backups / "fazhi-2026-01-03.duckdb") == _figures(newest_snapshot(directory).path)


@pytest.mark.parametrize(("now", "expected"), [
    (dt.datetime(2026, 3, 1, 1, 0), dt.datetime(2026, 3, 1, 2, 30)),
    (dt.datetime(2026, 3, 1, 2, 30), dt.datetime(2026, 3, 2, 2, 30)),
    (dt.datetime(2026, 12, 31, 23, 0), dt.datetime(2027, 1, 1, 2, 30)),
])
def test_next_backup_time(now, expected):
    assert next_backup_at(BackupSchedule(Path("/b"), dt.time(2, 30), 3), now) == expected


@pytest.mark.parametrize("written_since", [False, True])
def test_the_schedule_makes_a_missed_backup_of_today_at_start_of_the_snapshot_the_start_publishes(
        small_db, tmp_path, written_since):
    """Started without `make run`'s `fazhi snapshot`, the newest snapshot on disk may predate
    the last writes: the day's backup waits for the one the dashboard publishes as it starts."""
    snaps = tmp_path / "snaps"
    publish_snapshot(small_db, snaps, kept=3)
    if written_since:
        _add(small_db, 54321)  # written while no dashboard ran
    schedule = BackupSchedule(tmp_path / "backups", dt.time(0, 0), 3)  # always already passed today
    stop = threading.Event()
    thread = threading.Thread(target=run_backup_schedule, args=(snaps, schedule, stop), daemon=True,
                              kwargs={"published": lambda: publish_snapshot(small_db, snaps, kept=3)})
    thread.start()
    expected = tmp_path / "backups" / f"fazhi-{dt.date.today().isoformat()}.duckdb"
    deadline = time.monotonic() + 30
    while not expected.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(10)
    assert not thread.is_alive()
    assert _figures(expected) == _figures(newest_snapshot(snaps).path)
    assert any(value == 54321 for *_, value, _ in _figures(expected)) == written_since


def _wal(tmp_path: Path) -> int:
    wal = tmp_path / "t.duckdb.wal"
    return wal.stat().st_size if wal.exists() else 0


def test_a_commit_leaves_its_checkpoint_to_the_publisher_and_loses_nothing_meanwhile(small_db, tmp_path):
    _add(small_db, 98765)
    assert _wal(tmp_path) > 0  # committed into the WAL only: the commit did not wait for a checkpoint
    # What a crash now would leave on disk (the file and its WAL) reopens with the write in it.
    for name in ("t.duckdb", "t.duckdb.wal"):
        shutil.copyfile(tmp_path / name, tmp_path / f"crash-{name}")
    crashed = connect(tmp_path / "crash-t.duckdb")
    assert crashed.execute("SELECT count(*) FROM observations WHERE value = 98765").fetchone() == (1,)
    crashed.close()
    publisher = SnapshotPublisher(small_db, tmp_path / "snaps", kept=3)
    publisher.request()
    publisher.wait()
    assert _wal(tmp_path) == 0  # checkpointed after the write, in the publisher's thread
    assert small_db.execute("SELECT count(*) FROM observations WHERE value = 98765").fetchone() == (1,)
