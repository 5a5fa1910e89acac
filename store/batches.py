"""Every write to observations: one transaction, one batch, a history row per value.

A batch is a DataFrame of observation rows (OBSERVATION_COLUMNS). `preview` classifies
each row as new, changed or unchanged against the store; `commit_batch` writes the new
and changed rows in one transaction and keeps every replaced row in
observation_history; `undo_batch` restores exactly what a batch replaced. Both recompute
the derived figures and counts (store/derived.py) in the same transaction.

Rows are kept clustered by indicator (schema.sql): each batch is appended in key order,
and `keep_clustered` rewrites the table when batches have interleaved too much.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from loaders.rows import KEY_COLUMNS, OBSERVATION_COLUMNS, PAYLOAD_COLUMNS
from store import derived
from store.frame import fetch_frame

# One writer at a time inside this process; DuckDB itself lets only one process write.
WRITE_LOCK = threading.Lock()


class UndoRefused(Exception):
    """The batch cannot be undone; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class BatchInfo:
    batch_type: str  # curated | import | undo (indicators/vocabulary.py BATCH_TYPES)
    user: str
    file_name: str | None = None
    file_bytes: bytes | None = None
    options: dict = field(default_factory=dict)
    note: str | None = None

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.file_bytes).hexdigest() if self.file_bytes is not None else None


@dataclass(frozen=True)
class BatchResult:
    batch_id: int | None  # None for a dry run or when there was nothing to write
    new: int
    changed: int
    unchanged: int


def _staged_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The batch's rows with every column present, text columns NULL where empty, and
    the region-wide scope and the total's breakdown as '' (parts of the key, so never NULL)."""
    frame = rows.reindex(columns=OBSERVATION_COLUMNS).astype(object)
    frame = frame.where(frame.notna(), None)
    frame["scope"] = frame["scope"].map(lambda s: s or "")
    frame["breakdown"] = frame["breakdown"].map(lambda s: s or "")
    frame["qualifier"] = frame["qualifier"].map(lambda q: q or "")
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


_DIFF_SQL = """
SELECT s.*, o.value AS old_value, o.qualifier AS old_qualifier,
       CASE WHEN o.indicator_id IS NULL THEN 'new'
            WHEN abs(o.value - s.value) <= 1e-9 * greatest(1, abs(s.value))
                 AND o.qualifier = s.qualifier THEN 'unchanged'
            ELSE 'changed' END AS status,
       -- a new number credited to the same source as the old one (a returned workbook whose
       -- 来源 was left as prefilled): the preview warns
       coalesce(o.source_label = s.source_label AND abs(o.value - s.value) > 1e-9 * greatest(1, abs(s.value)),
                false) AS source_kept
FROM _staged AS s
LEFT JOIN observations AS o
  ON o.indicator_id = s.indicator_id AND o.region_id = s.region_id AND o.scope = s.scope
 AND o.year = s.year AND o.period = s.period AND o.kind = s.kind AND o.breakdown = s.breakdown
"""


# What a preview shows of each row (charts/tables.preview_table): its key, its value and
# where in the file it stands. Not its sentence, note or source: converting those for a
# 100k-row file was a third of the preview's time.
_PREVIEW_SQL = f"""
SELECT {", ".join(KEY_COLUMNS)}, value, qualifier, sheet, cell, old_value, old_qualifier, status, source_kept
FROM ({_DIFF_SQL}) ORDER BY _row
"""


def preview(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """Each row with its status (new / changed / unchanged) and the value it would replace,
    in the rows' own order (a file's: sheet by sheet, row by row), which the join does not
    keep. Read through Arrow (fetch_frame): .df() took 0.2-0.5 s of a 100k-row preview."""
    con.register("_staged", _staged_frame(rows).assign(_row=np.arange(len(rows))))
    try:
        return fetch_frame(con, _PREVIEW_SQL)
    finally:
        con.unregister("_staged")


def _next_batch_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(id), 0) + 1 FROM batches").fetchone()[0]


def _insert_batch(con: duckdb.DuckDBPyConnection, batch_id: int, info: BatchInfo, counts: tuple[int, int, int],
                  undoes: int | None = None) -> None:
    con.execute(
        "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        [batch_id, info.batch_type, info.user, dt.datetime.now(), info.file_name, info.sha256, info.file_bytes,
         json.dumps(info.options, ensure_ascii=False), *counts, undoes, info.note],
    )


_KEY_ORDER = ", ".join(KEY_COLUMNS)
_OLD_ROW = ", ".join(f"o.{c}" for c in PAYLOAD_COLUMNS) + ", o.batch_id"
_KEY_MATCH = " AND ".join(f"o.{c} = d.{c}" for c in KEY_COLUMNS)


# Writes that belong to a batch beyond its observations (an import's new indicators),
# run inside its transaction once its id is known.
BatchHook = Callable[[duckdb.DuckDBPyConnection, int], None]


def commit_batch(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, info: BatchInfo,
                 before_write: BatchHook | None = None) -> BatchResult:
    """Write the new and changed rows as one batch in one transaction.

    Unchanged rows keep their original provenance. Nothing is written when nothing is
    new or changed (the result then has no batch id, and before_write is not called).
    before_write(con, batch_id) runs in the same transaction before the rows are written,
    so that whatever it writes lands or rolls back with them."""
    with WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            con.register("_staged", _staged_frame(rows))
            con.execute(f"CREATE OR REPLACE TEMP TABLE _diff AS {_DIFF_SQL}")
            con.unregister("_staged")
            new, changed, unchanged = con.execute(
                "SELECT count(*) FILTER (status = 'new'), count(*) FILTER (status = 'changed'),"
                " count(*) FILTER (status = 'unchanged') FROM _diff"
            ).fetchone()
            if new + changed == 0:
                con.execute("ROLLBACK")
                return BatchResult(None, 0, 0, unchanged)
            batch_id = _next_batch_id(con)
            _insert_batch(con, batch_id, info, (new, changed, unchanged))
            if before_write is not None:
                before_write(con, batch_id)
            keys = ", ".join(f"d.{c}" for c in KEY_COLUMNS)
            con.execute(
                f"""INSERT INTO observation_history
                    SELECT ?, CASE d.status WHEN 'new' THEN 'insert' ELSE 'update' END, {keys},
                           {_OLD_ROW}, d.value, d.qualifier
                    FROM _diff AS d LEFT JOIN observations AS o ON {_KEY_MATCH}
                    WHERE d.status IN ('new', 'changed')""",
                [batch_id],
            )
            # A changed row is deleted and written anew rather than updated in place: an
            # UPDATE of ten columns over 50k of 3M rows made the commit ~0.2 s slower (A/B in
            # bench/RESULTS.md). Its old row is in observation_history above: nothing is lost.
            con.execute(
                f"""DELETE FROM observations AS o USING _diff AS d
                    WHERE d.status = 'changed' AND {_KEY_MATCH}""")
            cols = ", ".join(OBSERVATION_COLUMNS)
            # Appended in key order, so that the batch's rows of one indicator lie together
            # and the table stays clustered by indicator (schema.sql).
            con.execute(
                f"""INSERT INTO observations ({cols}, span, end_month, batch_id)
                    SELECT {cols}, period_span(period), period_end_month(period), ?
                    FROM _diff WHERE status IN ('new', 'changed') ORDER BY {_KEY_ORDER}""",
                [batch_id],
            )
            derived.refresh(con, f"SELECT {_KEY_ORDER} FROM _diff WHERE status IN ('new', 'changed')")
            con.execute("DROP TABLE _diff")
            con.execute("COMMIT")
            return BatchResult(batch_id, new, changed, unchanged)
        except Exception:
            con.execute("ROLLBACK")
            raise


@dataclass(frozen=True)
class UndoResult:
    """What an undo did: the values it removed (the batch had added them), the values it
    put back (the batch had changed them) and the values it added again (the batch, an
    undo itself, had removed them)."""
    batch_id: int
    undone: int
    removed: int
    restored: int
    readded: int

    def describe(self) -> str:
        parts = [f"删除 {self.removed} 条", f"恢复 {self.restored} 条"]
        if self.readded:
            parts.append(f"重新加入 {self.readded} 条")
        return (f"已撤销批次 {self.undone}（撤销记录为批次 {self.batch_id}，它本身也可以撤销）："
                + "，".join(parts) + "。")


# Per key of the batch's history: is the stored figure still what the batch left there?
# insert/update left a row with new_value; delete left no row.
_STILL_AS_LEFT = f"""
SELECT {", ".join(f"h.{c}" for c in KEY_COLUMNS)},
       CASE WHEN h.action = 'delete' THEN o.indicator_id IS NULL
            ELSE o.indicator_id IS NOT NULL AND abs(o.value - h.new_value) <= 1e-9 * greatest(1, abs(h.new_value))
                 AND o.qualifier IS NOT DISTINCT FROM h.new_qualifier END AS as_left
FROM observation_history AS h LEFT JOIN observations AS o ON {" AND ".join(f"o.{c} = h.{c}" for c in KEY_COLUMNS)}
WHERE h.batch_id = ?
"""


def later_dependents(con: duckdb.DuckDBPyConnection, batch_id: int) -> list[int]:
    """Later batches that wrote a figure this batch also wrote and that is no longer what
    this batch left: undoing this one first would silently overwrite theirs. (A later
    batch undone again, or undone and redone, leaves nothing in the way when the figure
    is back to what this batch wrote.)"""
    match = " AND ".join(f"s.{c} = l.{c}" for c in KEY_COLUMNS)
    rows = con.execute(
        f"""SELECT DISTINCT l.batch_id FROM ({_STILL_AS_LEFT}) AS s
            JOIN observation_history AS l ON {match}
            WHERE NOT s.as_left AND l.batch_id > ?
            ORDER BY 1""",
        [batch_id, batch_id],
    ).fetchall()
    return [r[0] for r in rows]


_INDICATOR_COLUMNS = ("id", "name", "aliases", "name_en", "category_id", "subcategory", "unit", "type", "direction",
                      "definition", "source", "origin", "created_batch", "sort_order")


def _indicators_left_without_figures(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Indicators an import created that have no figure left after an undo: removed with
    it, and kept in the undo batch's options so that undoing the undo brings them back."""
    cols = ", ".join(_INDICATOR_COLUMNS)
    rows = con.execute(
        f"""SELECT {cols} FROM indicators WHERE origin = 'import'
            AND id NOT IN (SELECT DISTINCT indicator_id FROM observations) ORDER BY sort_order""").fetchall()
    return [dict(zip(_INDICATOR_COLUMNS, row)) for row in rows]


def _restore_indicators(con: duckdb.DuckDBPyConnection, options: str | None) -> None:
    """Put back the indicators an undo removed (listed in its options) when it is undone."""
    removed = json.loads(options or "{}").get("removed_indicators", [])
    if removed:
        marks = ", ".join("?" for _ in _INDICATOR_COLUMNS)
        con.executemany(f"INSERT OR IGNORE INTO indicators ({', '.join(_INDICATOR_COLUMNS)}) VALUES ({marks})",
                        [[row[c] for c in _INDICATOR_COLUMNS] for row in removed])


def undo_batch(con: duckdb.DuckDBPyConnection, batch_id: int, user: str) -> UndoResult:
    """Roll one batch back in one transaction: the values it added are removed, the values
    it replaced restored exactly, the values it removed (when it is an undo) added again.
    The undo is a batch of its own, with its own history, so it can itself be undone."""
    with WRITE_LOCK:
        row = con.execute("SELECT kind, undone_by, options FROM batches WHERE id = ?", [batch_id]).fetchone()
        if row is None:
            raise UndoRefused(f"没有编号为 {batch_id} 的导入批次")
        _, undone_by, options = row
        if undone_by is not None:
            raise UndoRefused(f"批次 {batch_id} 已被批次 {undone_by} 撤销（要恢复它，请撤销批次 {undone_by}）")
        dependents = later_dependents(con, batch_id)
        if dependents:
            later = "、".join(str(d) for d in dependents)
            raise UndoRefused(f"批次 {batch_id} 之后的批次 {later} 修改了相同的数据，请先撤销这些批次")
        con.execute("BEGIN TRANSACTION")
        try:
            _restore_indicators(con, options)
            undo_id = _next_batch_id(con)
            removed, restored, readded = con.execute(
                "SELECT count(*) FILTER (action = 'insert'), count(*) FILTER (action = 'update'),"
                " count(*) FILTER (action = 'delete') FROM observation_history WHERE batch_id = ?",
                [batch_id],
            ).fetchone()
            keys = ", ".join(f"d.{c}" for c in KEY_COLUMNS)
            # The undo's own history: each figure as it is now (the old row) and as the undo
            # leaves it (the new value; none for a figure it removes).
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE _undo_history AS
                    SELECT ? AS batch_id,
                           CASE d.action WHEN 'insert' THEN 'delete' WHEN 'delete' THEN 'insert' ELSE 'update' END
                             AS action, {keys}, {_OLD_ROW},
                           CASE WHEN d.action = 'insert' THEN NULL ELSE d.old_value END AS new_value,
                           CASE WHEN d.action = 'insert' THEN NULL ELSE d.old_qualifier END AS new_qualifier
                    FROM observation_history AS d LEFT JOIN observations AS o ON {_KEY_MATCH}
                    WHERE d.batch_id = ?""",
                [undo_id, batch_id],
            )
            con.execute(
                f"""DELETE FROM observations AS o USING observation_history AS d
                    WHERE d.batch_id = ? AND d.action = 'insert' AND {_KEY_MATCH}""",
                [batch_id],
            )
            sets = ", ".join(f"{c} = d.old_{c}" for c in PAYLOAD_COLUMNS)
            con.execute(
                f"""UPDATE observations AS o SET {sets}, batch_id = d.old_batch_id
                    FROM observation_history AS d
                    WHERE d.batch_id = ? AND d.action = 'update' AND {_KEY_MATCH}""",
                [batch_id],
            )
            payload = ", ".join(PAYLOAD_COLUMNS)
            old_payload = ", ".join(f"d.old_{c}" for c in PAYLOAD_COLUMNS)
            con.execute(
                f"""INSERT INTO observations ({", ".join(KEY_COLUMNS)}, {payload}, span, end_month, batch_id)
                    SELECT {keys}, {old_payload}, period_span(d.period), period_end_month(d.period), d.old_batch_id
                    FROM observation_history AS d WHERE d.batch_id = ? AND d.action = 'delete'
                    ORDER BY {keys}""",
                [batch_id],
            )
            gone = _indicators_left_without_figures(con)
            for ind in gone:
                con.execute("DELETE FROM indicators WHERE id = ?", [ind["id"]])
            info = BatchInfo(batch_type="undo", user=user, note=f"撤销批次 {batch_id}",
                             options={"removed_indicators": gone} if gone else {})
            _insert_batch(con, undo_id, info, (readded, restored, 0), undoes=batch_id)
            con.execute("INSERT INTO observation_history SELECT * FROM _undo_history")
            con.execute("UPDATE batches SET undone_by = ? WHERE id = ?", [undo_id, batch_id])
            derived.refresh(con, f"SELECT {_KEY_ORDER} FROM _undo_history")
            con.execute("DROP TABLE _undo_history")
            con.execute("COMMIT")
            return UndoResult(undo_id, batch_id, removed, restored, readded)
        except Exception:
            con.execute("ROLLBACK")
            raise


# A query on one indicator (one region, in region_figures) reads one more row group for
# every row group that begins at an indicator (a region) before the end of the row group
# stored before it. Appending each batch in key order keeps that count low; many small
# batches still interleave (every upload covers all indicators), and past this count, or
# past a quarter of the table's row groups, the table is rewritten. The second bound is for
# small tables: at 300k rows (three row groups) two interleaved years made every query on
# one indicator read all three, which the first bound never allowed to be mended.
MAX_ROW_GROUPS_OUT_OF_ORDER = 4

# Each clustered table, its leading column and its order (schema.sql).
_CLUSTERED = {"observations": ("indicator_id", _KEY_ORDER),
              "region_figures": ("region_id", derived.REGION_ORDER)}

_OUT_OF_ORDER_SQL = """
WITH groups AS (
    SELECT row_group_id, min(stats.min) AS first_id, max(stats.max) AS last_id
    FROM pragma_storage_info('{table}')
    WHERE column_name = '{column}' AND segment_type = 'VARCHAR'
    GROUP BY row_group_id
)
SELECT count(*) FILTER (first_id < previous_last_id), count(*)
FROM (SELECT first_id, lag(last_id) OVER (ORDER BY row_group_id) AS previous_last_id FROM groups)
"""


def _row_groups(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, int]:
    """A clustered table's row groups out of order (see row_groups_out_of_order) and in all."""
    return con.execute(_OUT_OF_ORDER_SQL.format(table=table, column=_CLUSTERED[table][0])).fetchone()


def row_groups_out_of_order(con: duckdb.DuckDBPyConnection, table: str = "observations") -> int:
    """Row groups of a clustered table that begin at a key before the end of the row
    group before them; 0 when the table is in order. Read from storage metadata."""
    return _row_groups(con, table)[0]


def keep_clustered(con: duckdb.DuckDBPyConnection) -> bool:
    """Rewrite observations (and region_figures) in their order when their batches
    interleave past MAX_ROW_GROUPS_OUT_OF_ORDER or a quarter of their row groups; True when
    it did. One transaction each: a sort (and the primary key rebuilt), about 5 s at 3M
    rows, so it runs when the dashboard starts, never inside an editor's upload. A table's
    definition is read back from the catalog."""
    rewritten = False
    for table, (_, order) in _CLUSTERED.items():
        out_of_order, groups = _row_groups(con, table)
        if out_of_order > min(MAX_ROW_GROUPS_OUT_OF_ORDER, groups // 4):
            _rewrite_in_order(con, table, order)
            rewritten = True
    return rewritten


def _rewrite_in_order(con: duckdb.DuckDBPyConnection, table: str, order: str) -> None:
    with WRITE_LOCK:
        ddl = con.execute("SELECT sql FROM duckdb_tables() WHERE database_name = current_database()"
                          " AND schema_name = 'main' AND table_name = ?", [table]).fetchall()[0][0]
        head = f"CREATE TABLE {table}("
        if not ddl.startswith(head):
            raise RuntimeError(f"unexpected definition of {table}: {ddl[:80]}")
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"CREATE TABLE _{table}_clustered(" + ddl[len(head):])
            con.execute(f"INSERT INTO _{table}_clustered SELECT * FROM {table} ORDER BY {order}")
            con.execute(f"DROP TABLE {table}")
            con.execute(f"ALTER TABLE _{table}_clustered RENAME TO {table}")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
