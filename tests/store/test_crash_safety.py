"""Nothing lost: concurrent writers are serialised, readers never see half a batch, and a
process killed in the middle of an import leaves a database without that import."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

from paths import ROOT
from store.batches import BatchInfo, commit_batch
from store.connection import connect
from tests.conftest import obs
from tests.fixtures.workbooks import many_rows


def test_two_writers_at_once_are_serialised_and_both_land(small_db):
    cursors = [small_db.cursor(), small_db.cursor()]
    results, errors = [], []

    def write(cur, value):
        try:
            results.append(commit_batch(cur, many_rows(2000, value), BatchInfo(batch_type="import", user=f"u{value}")))
        except Exception as err:  # noqa: BLE001 - the test reports any failure below
            errors.append(err)

    threads = [threading.Thread(target=write, args=(c, v)) for c, v in zip(cursors, (1, 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted((r.new, r.changed) for r in results) == [(0, 2000), (2000, 0)]
    # the second writer's values replaced the first's, and the first's are in the history
    last = max(results, key=lambda r: r.batch_id)
    assert small_db.execute("SELECT DISTINCT batch_id FROM observations WHERE scope LIKE '测试口径%'").fetchall() == [
        (last.batch_id,)]
    assert small_db.execute("SELECT count(*) FROM observation_history WHERE batch_id = ? AND action = 'update'",
                            [last.batch_id]).fetchone()[0] == 2000


def test_readers_never_see_half_a_batch(small_db):
    reader = small_db.cursor()
    seen, stop = set(), threading.Event()

    def read():
        while not stop.is_set():
            seen.add(reader.execute("SELECT count(*) FROM observations WHERE scope LIKE '测试口径%'").fetchone()[0])

    thread = threading.Thread(target=read)
    thread.start()
    commit_batch(small_db.cursor(), many_rows(20000, 1), BatchInfo(batch_type="import", user="u"))
    time.sleep(0.05)
    stop.set()
    thread.join()
    assert seen <= {0, 20000} and 20000 in seen


CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from store.connection import connect
    from store.batches import BatchInfo, commit_batch
    from tests.fixtures.workbooks import many_rows
    con = connect({db!r})
    rows = many_rows(400000, 7)
    print("writing", flush=True)
    commit_batch(con, rows, BatchInfo(batch_type="import", user="killed"))
    print("committed", flush=True)
""")


def test_sigkill_in_the_middle_of_an_import_leaves_a_clean_database(make_db, tmp_path):
    con = make_db([obs("mediation_resolved", "姑苏区", 2020, 5)], name="crash.duckdb")
    before = con.execute("SELECT * FROM observations ORDER BY ALL").fetchall()
    con.close()
    db = str(tmp_path / "crash.duckdb")
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT), db=db)],
                             stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert child.stdout.readline().strip() == "writing"
    time.sleep(1.0)  # inside commit_batch: staging and writing 400k rows takes longer than this
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert "committed" not in child.stdout.read()
    con = connect(db)
    assert con.execute("SELECT * FROM observations ORDER BY ALL").fetchall() == before
    assert con.execute("SELECT count(*) FROM batches WHERE user_name = 'killed'").fetchone()[0] == 0
    # and the database still takes writes
    commit_batch(con, many_rows(3, 1), BatchInfo(batch_type="import", user="after"))
    assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == len(before) + 3
