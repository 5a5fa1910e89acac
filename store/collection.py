"""The record of collection rounds (数据征集): when a round's workbooks were generated,
for which year, regions and indicators, and by whom. One row per generation, written in
its own transaction."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb

from store.batches import WRITE_LOCK


def record_round(con: duckdb.DuckDBPyConnection, collection_id: str, year: int, region_ids: Sequence[str],
                 indicator_ids: Sequence[str], user: str) -> int:
    """Record that a round's workbooks were generated; its id."""
    with WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            round_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM collection_rounds").fetchall()[0][0]
            con.execute("INSERT INTO collection_rounds VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [round_id, collection_id, int(year), list(region_ids), list(indicator_ids), user,
                         dt.datetime.now()])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return round_id
