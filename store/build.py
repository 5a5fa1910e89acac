"""A new database from the curated figures in data/ (`fazhi init`, and the dashboard's
first start)."""
from __future__ import annotations

import os
from pathlib import Path

from loaders.curated import curated_rows
from paths import OBSERVATIONS_PATH
from store.batches import BatchInfo, commit_batch
from store.connection import connect, migrate
from store.reference import write_reference


def build_database(path: Path) -> int:
    """Build into a temporary file and move it into place, so a failed or killed build
    never leaves a half-built database where the dashboard looks for one. Returns the
    number of figures written."""
    building = path.with_name(path.name + ".building")
    for stale in (building, Path(str(building) + ".wal")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect(building)
    try:
        migrate(con)
        write_reference(con)
        rows = curated_rows()
        result = commit_batch(con, rows, BatchInfo(
            batch_type="curated", user="fazhi init", file_name="data/observations.csv",
            file_bytes=OBSERVATIONS_PATH.read_bytes(), note="整理自 data/sources/ 中的五份报告"))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(building, path)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    return result.new
