"""Operations against a running `make run`: the `fazhi` read commands and backups work
while the dashboard holds its database, and a commit on the page is published."""
from __future__ import annotations

import csv
import os
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from loaders.curated import read_curated
from paths import ROOT
from paths.operations import snapshot_dir_for
from store.snapshots import newest_snapshot
from tests.browser.conftest import exception_count, settle, upload_mediation_figure

pytestmark = pytest.mark.browser
FAZHI = str(ROOT / ".venv" / "bin" / "fazhi")
VALUE, YEAR = 14142, 2029  # a figure and year that neither the seed data nor other tests hold


def fazhi(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([FAZHI, *args], capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if k != "FAZHI_DB"})


def _published(db: Path, after: int = 0, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snapshot = newest_snapshot(snapshot_dir_for(db))
        if snapshot is not None and snapshot.batch > after:
            return snapshot
        time.sleep(0.2)
    raise AssertionError(f"no snapshot after batch {after} within {timeout}s")


def test_backup_and_export_while_the_dashboard_runs(live_server, live_db, page, tmp_path):
    page.goto(live_server)  # a first session: the server now holds the database
    settle(page)
    with pytest.raises(duckdb.IOException, match="(?i)lock"):
        duckdb.connect(str(live_db), read_only=True)
    _published(live_db)
    backup = tmp_path / "backup.duckdb"
    done = fazhi("backup", "--db", str(live_db), "--out", str(backup))
    assert done.returncode == 0, done.stderr
    assert "看板正在使用数据库" in done.stderr and "发布的快照" in done.stderr
    with duckdb.connect(str(backup), read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM observations").fetchone()[0]
        every = con.execute("SELECT count(*) FROM observations_all").fetchone()[0]
        derived = con.execute("SELECT count(*) FROM derived_observations").fetchone()[0]
    assert stored >= len(read_curated()) and derived > 0 and every == stored + derived

    out = tmp_path / "x.csv"
    done = fazhi("export", "--db", str(live_db), "--out", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.DictReader(f))) == stored

    refused = fazhi("undo", "1", "--db", str(live_db))
    assert refused.returncode == 2 and "请在看板的“数据更新”页" in refused.stderr


def test_a_commit_on_the_page_is_published_for_the_commands(live_server, live_db, page, tmp_path):
    before = _published(live_db).batch
    upload_mediation_figure(page, live_server, "快照测试.xlsx", YEAR, VALUE)
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入为批次").wait_for(timeout=60_000)
    assert exception_count(page) == 0
    _published(live_db, after=before, timeout=30)
    out = tmp_path / "after.csv"
    assert fazhi("export", "--db", str(live_db), "--out", str(out)).returncode == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        assert any(r["年份"] == str(YEAR) and float(r["数值"]) == VALUE for r in csv.DictReader(f))


def _server_process(url: str) -> Path:
    """/proc of the `streamlit run app.py` serving `url`."""
    port = url.rsplit(":", 1)[1].encode()
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:  # not a process, or one that ended meanwhile
            continue
        if b"app.py" in args and b"--server.port" in args and args[args.index(b"--server.port") + 1] == port:
            return proc
    raise AssertionError(f"no server process on port {port.decode()}")


def test_the_dashboard_runs_on_jemalloc(live_server):
    """`make run` preloads jemalloc (Makefile JEMALLOC): with it the pages' queries ran
    9–18 % faster than on glibc's malloc (bench/RESULTS.md)."""
    assert "libjemalloc" in (_server_process(live_server) / "maps").read_text()
