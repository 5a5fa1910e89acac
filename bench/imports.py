"""Importing an office's workbook end to end, against a naive importer.

The measured path is the importer's public one (store/imports.py: plan_import, then
commit_import): read, validate, preview against the store, commit one batch with its
history. The baseline reads the same workbook cell by cell with openpyxl and writes
each row with its own INSERT. Both write into a copy of the bench database, which
itself is never changed. The workbooks are made once per database build and kept.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from bench.generate import generator_digest
from store.connection import connect

LONG_HEADER = ["指标", "地区", "口径", "年份", "期间", "类型", "数值", "限定", "单位", "来源", "原文", "备注"]
NEW_PERIODS = ["全年", "上半年", "前三季度", "1-10月", "第1季度", "第2季度", "第3季度", "第4季度"]
NEW_YEARS = range(2025, 2040)
WIDE_YEARS = list(range(2010, 2025))
NAIVE_SAMPLE_FIGURES = 2000


def _long_rows(con: duckdb.DuckDBPyConnection, n_rows: int) -> pd.DataFrame:
    """Half the rows correct figures already stored (a re-sent sheet of totals: the sheet
    has no 分项 column), the rest are figures for years not yet stored."""
    changed = con.execute(
        """SELECT i.name AS 指标, r.name AS 地区, o.scope AS 口径, o.year AS 年份, o.period AS 期间, o.kind AS 类型,
                  round(CASE WHEN i.type = '比率' THEN o.value * 0.98 ELSE o.value * 1.1 END, 1) AS 数值,
                  o.qualifier AS 限定, i.unit AS 单位
           FROM observations AS o JOIN indicators AS i ON i.id = o.indicator_id
           JOIN regions AS r ON r.id = o.region_id
           WHERE o.indicator_id LIKE 'syn\\_%' ESCAPE '\\' AND o.qualifier <> '推算' AND o.breakdown = ''
           ORDER BY hash(o.region_id, o.indicator_id, o.year, o.period) LIMIT $n""",
        {"n": n_rows // 2}).df()
    new = con.execute(
        """SELECT i.name AS 指标, r.name AS 地区, '' AS 口径, y.year AS 年份, p.period AS 期间, '实际' AS 类型,
                  round(10 + (hash(i.id, r.id, y.year, p.period) % 900) / 10, 1) AS 数值, '' AS 限定, i.unit AS 单位
           FROM indicators AS i
           CROSS JOIN (SELECT id, name FROM regions WHERE level = '区县' AND id LIKE 'syn\\_%' ESCAPE '\\') AS r
           CROSS JOIN unnest($years) AS y(year) CROSS JOIN unnest($periods) AS p(period)
           WHERE i.id LIKE 'syn\\_0%' ESCAPE '\\'
           LIMIT $n""",
        {"n": n_rows - len(changed), "years": list(NEW_YEARS), "periods": NEW_PERIODS}).df()
    rows = pd.concat([changed, new], ignore_index=True)
    return rows.assign(来源="合成数据_补报.xlsx", 原文=None, 备注="合成数据（基准测试）")


def _wide_rows(con: duckdb.DuckDBPyConnection, n_figures: int) -> pd.DataFrame:
    """指标 × 地区 rows with the years across, the way offices send a 汇总表."""
    n_lines = max(1, n_figures // len(WIDE_YEARS))
    frame = con.execute(
        """SELECT i.name AS 指标, r.name AS 地区, i.unit AS 单位
           FROM indicators AS i
           CROSS JOIN (SELECT name FROM regions WHERE level = '区县' AND id LIKE 'syn\\_%' ESCAPE '\\') AS r
           WHERE i.id LIKE 'syn\\_0%' ESCAPE '\\' AND i.type = '流量'
           ORDER BY hash(i.id, r.name) LIMIT $n""", {"n": n_lines}).df()
    for year in WIDE_YEARS:
        frame[str(year)] = (frame.index * 7 + year) % 5000 + 1
    return frame


def _write_xlsx(frame: pd.DataFrame, path: Path, title: str) -> None:
    """A write-only openpyxl workbook with a title row above the header, as offices send."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("明细表")
    sheet.append([title])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if v is None or v == "" else v for v in row])
    book.save(path)


def workbooks(db: Path, n_rows: int, data_dir: Path) -> tuple[Path, Path]:
    """The long and the wide workbook for this database, made once per build."""
    stem = f"{db.stem}-{n_rows}-{generator_digest()[:12]}"
    long_path, wide_path = data_dir / f"import-long-{stem}.xlsx", data_dir / f"import-wide-{stem}.xlsx"
    if not (long_path.exists() and wide_path.exists()):
        for stale in data_dir.glob(f"import-*-{db.stem}-*.xlsx"):
            stale.unlink()
        con = duckdb.connect(str(db), read_only=True)
        try:
            _write_xlsx(_long_rows(con, n_rows), long_path, "合成数据补报明细表（基准测试）")
            _write_xlsx(_wide_rows(con, n_rows), wide_path, "合成数据汇总表（基准测试）")
        finally:
            con.close()
    return long_path, wide_path


@contextmanager
def _scratch_copy(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a throw-away copy of db: the bench database is never changed."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / db.name
        shutil.copy(db, copy)
        # The copy (up to 1 GB) is written out before the clock starts: the import's own
        # commit would otherwise wait for it (and for a database just generated) to reach
        # the disk. Without this, one run right after generating the 3M database measured
        # 7.2 s for an import that takes 4.3-4.7 s on a settled disk.
        os.sync()
        con = connect(copy)  # as the dashboard opens its database (its checkpoint threshold)
        try:
            yield con
        finally:
            con.close()


def _import_seconds(db: Path, workbook: Path) -> tuple[float, int, float]:
    """The importer's whole path on a copy of db: seconds and rows written; and the seconds
    of the checkpoint the dashboard's publisher runs after it, in the background
    (store/snapshots.checkpoint_after_write), which the import no longer waits for."""
    from store.imports import commit_import, plan_import
    from store.snapshots import checkpoint_after_write

    with _scratch_copy(db) as con:
        started = time.perf_counter()
        plan = plan_import(con, workbook.name, workbook.read_bytes())
        if not plan.ok:
            raise RuntimeError(f"import refused: {plan.validation.issues[:3]}")
        result = commit_import(con, plan, "基准测试")
        committed = time.perf_counter()
        checkpoint_after_write(con)
        return committed - started, result.new + result.changed, time.perf_counter() - committed


def _naive_seconds(db: Path, workbook: Path) -> float:
    """openpyxl cell by cell, names looked up in dicts, one INSERT per row (one
    transaction, else the baseline would mostly measure commits). The INSERTs run for
    the first NAIVE_SAMPLE_FIGURES figures only and are scaled to the whole sheet: at
    ~5 ms a row the full 100k would take minutes of a bounded run."""
    from openpyxl import load_workbook

    with _scratch_copy(db) as con:
        started = time.perf_counter()
        indicators = dict(con.execute("SELECT name, id FROM indicators").fetchall())
        regions = dict(con.execute("SELECT name, id FROM regions").fetchall())
        sheet = load_workbook(workbook).active
        lines = list(sheet.iter_rows(min_row=2, values_only=True))
        header, lines = list(lines[0]), lines[1:]
        read = time.perf_counter() - started
        started = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        done_lines = done_figures = 0
        for line in lines:
            if done_figures >= NAIVE_SAMPLE_FIGURES:
                break
            done_lines += 1
            for record in _naive_records(dict(zip(header, line))):
                done_figures += 1
                con.execute(
                    """INSERT OR REPLACE INTO observations
                       (indicator_id, region_id, scope, year, period, kind, span, end_month, value, qualifier,
                        batch_id)
                       VALUES (?, ?, ?, ?, ?, ?, period_span(?), period_end_month(?), ?, ?, 0)""",
                    [indicators[record["指标"]], regions[record["地区"]], record["口径"], record["年份"],
                     record["期间"], record["类型"], record["期间"], record["期间"], record["数值"], record["限定"]])
        con.execute("COMMIT")
        return read + (time.perf_counter() - started) * len(lines) / max(1, done_lines)


def _naive_records(cells: dict) -> list[dict]:
    """The long row itself, or one record per year column of a wide row."""
    base = {"口径": cells.get("口径") or "", "期间": cells.get("期间") or "全年", "类型": cells.get("类型") or "实际",
            "限定": cells.get("限定") or "", "指标": cells["指标"], "地区": cells["地区"]}
    if "数值" in cells:
        return [{**base, "年份": int(cells["年份"]), "数值": float(cells["数值"])}]
    return [{**base, "年份": int(k), "数值": float(v)} for k, v in cells.items() if k.isdigit() and v is not None]


def measure(db: Path, n_rows: int, data_dir: Path) -> dict[str, object]:
    long_path, wide_path = workbooks(db, n_rows, data_dir)
    seconds, written, checkpoint = _import_seconds(db, long_path)
    wide_seconds, wide_written, _ = _import_seconds(db, wide_path)
    return {"rows": written, "seconds": round(seconds, 2), "checkpoint_seconds": round(checkpoint, 2),
            "baseline_seconds": round(_naive_seconds(db, long_path), 2),
            "wide": {"figures": wide_written, "seconds": round(wide_seconds, 2),
                     "baseline_seconds": round(_naive_seconds(db, wide_path), 2)}}
