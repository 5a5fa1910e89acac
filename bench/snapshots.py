"""What publishing a snapshot costs (store/snapshots.py): the copy alone, and an import's
commit followed by its publication, on a scratch copy of the bench database.

The dashboard publishes in a background thread after the commit returns, so the commit
itself is timed as before; `published_after_commit_seconds` is how long readers
elsewhere (commands, replicas) wait for it."""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.imports import _scratch_copy, workbooks
from store.snapshots import SnapshotPublisher, newest_snapshot, publish_snapshot

RUNS = 3


def measure(db: Path, n_rows: int, data_dir: Path) -> dict[str, object]:
    from store.imports import commit_import, plan_import

    long_path, _ = workbooks(db, n_rows, data_dir)
    with _scratch_copy(db) as con, tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        copies = []
        for _ in range(RUNS):
            started = time.perf_counter()
            publish_snapshot(con, directory, kept=2)
            copies.append(time.perf_counter() - started)
        plan = plan_import(con, long_path.name, long_path.read_bytes())
        started = time.perf_counter()
        commit_import(con, plan, "基准测试")
        committed = time.perf_counter()
        publisher = SnapshotPublisher(con, directory, kept=2)
        publisher.request()
        publisher.wait(timeout=600)
        published = time.perf_counter()
        size_mb = newest_snapshot(directory).path.stat().st_size / 1e6
    return {"publish_seconds": round(statistics.median(copies), 2), "publish_runs": [round(c, 2) for c in copies],
            "snapshot_mb": round(size_mb, 1), "commit_seconds": round(committed - started, 2),
            "published_after_commit_seconds": round(published - committed, 2), "import_rows": n_rows}
