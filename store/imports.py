"""`fazhi import` and the 数据更新 page: parse -> validate -> preview -> commit.

Nothing is written until `commit_import`, and then everything in one transaction as
one import batch (the indicators an import creates included).
"""
from __future__ import annotations

import argparse
import getpass
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from charts.format import format_value
from loaders.cli import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, CommandError, open_db
from loaders.db import resolve_db_path
from loaders.filecheck import UnreadableFile
from loaders.store import BatchHook, BatchInfo, BatchResult, commit_batch, preview
from loaders.validate import NewIndicator, Reference, Validation, load_reference, validate
from loaders.workbook import ParsedWorkbook, read_workbook

STATUS_NAMES = {"new": "新增", "changed": "修改", "unchanged": "不变"}
PREVIEW_COLUMNS = ["状态", "指标", "地区", "口径", "年份", "期间", "类型", "原值", "新值", "位置"]
CLI_LIST_LIMIT = 30  # rows listed per status on the terminal; the counts are always complete


@dataclass
class ImportPlan:
    file_name: str
    data: bytes
    options: dict
    workbook: ParsedWorkbook
    reference: Reference
    validation: Validation
    preview: pd.DataFrame  # store.preview(): each row with its status; empty when there are issues

    @property
    def ok(self) -> bool:
        return not self.validation.issues

    def count(self, status: str) -> int:
        return int((self.preview["status"] == status).sum()) if not self.preview.empty else 0

    @property
    def has_changes(self) -> bool:
        return self.count("new") + self.count("changed") > 0


def _in_sheet_order(diff: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The preview as the figures stand in the file: sheet by sheet, row by row, left to
    right, the order validation produced them in (the store's join does not keep it).
    A figure's sheet and cell name it uniquely."""
    in_file = pd.MultiIndex.from_arrays([rows["sheet"], rows["cell"]])
    order = in_file.get_indexer(pd.MultiIndex.from_arrays([diff["sheet"], diff["cell"]]))
    return diff.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def plan_import(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, *, sheet: str | None = None,
                region: str | None = None, allow_new_indicators: bool = False,
                workbook: ParsedWorkbook | None = None) -> ImportPlan:
    """Read, validate and preview; writes nothing. UnreadableFile when the file is refused."""
    workbook = workbook if workbook is not None else read_workbook(file_name, data, sheet)
    reference = load_reference(con)
    validation = validate(workbook, reference, file_name, region, allow_new_indicators)
    ok = not validation.issues and not validation.rows.empty
    diff = (_in_sheet_order(preview(con, validation.rows), validation.rows) if ok
            else pd.DataFrame(columns=["status"]))
    options = {"sheet": sheet, "region": region, "allow_new_indicators": allow_new_indicators}
    return ImportPlan(file_name, data, options, workbook, reference, validation, diff)


def preview_table(plan: ImportPlan, statuses: tuple[str, ...] = ("new", "changed", "unchanged")) -> pd.DataFrame:
    """The preview in Chinese, for the page and the terminal: old value -> new value."""
    indicators = {r.id: r for r in plan.reference.indicators.values()}
    regions = dict(plan.reference.regions.values())
    frame = plan.preview[plan.preview["status"].isin(statuses)] if not plan.preview.empty else plan.preview
    records = []
    for row in frame.itertuples(index=False):
        unit = indicators[row.indicator_id].unit
        old = format_value(row.old_value, unit, row.old_qualifier or "") if pd.notna(row.old_value) else ""
        records.append([STATUS_NAMES[row.status], indicators[row.indicator_id].name, regions[row.region_id],
                        row.scope, int(row.year), row.period, row.kind, old,
                        format_value(row.value, unit, row.qualifier), f"{row.sheet}!{row.cell}"])
    return pd.DataFrame(records, columns=PREVIEW_COLUMNS)


def _indicator_creator(new: list[NewIndicator], file_name: str) -> BatchHook:
    """Writes the indicators an import creates, marked with its batch (so that undoing the
    batch removes them), inside the batch's own transaction."""
    def create(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
        start = con.execute("SELECT coalesce(max(sort_order), 0) + 1 FROM indicators").fetchall()[0][0]
        con.executemany(
            """INSERT INTO indicators (id, name, aliases, name_en, category_id, subcategory, unit, type, direction,
                                       definition, source, origin, created_batch, sort_order)
               VALUES (?, ?, [], NULL, ?, NULL, ?, ?, 'neutral', ?, ?, 'import', ?, ?)""",
            [[n.id, n.name, n.category_id, n.unit, n.type, f"由导入文件“{file_name}”新建，定义待补充。", file_name,
              batch_id, start + k] for k, n in enumerate(new)],
        )
    return create


def commit_import(con: duckdb.DuckDBPyConnection, plan: ImportPlan, user: str) -> BatchResult:
    """Write a valid plan as one import batch (no batch id when nothing was new or changed,
    and then no indicator is created either)."""
    if not plan.ok:
        raise ValueError("a plan with issues is never committed")
    info = BatchInfo(kind="import", user=user, file_name=plan.file_name, file_bytes=plan.data,
                     options=plan.options)
    new = plan.validation.new_indicators
    return commit_batch(con, plan.validation.rows, info,
                        before_write=_indicator_creator(new, plan.file_name) if new else None)


def _print_issues(plan: ImportPlan) -> None:
    issues = plan.validation.issues
    print(f"发现 {len(issues)} 个问题，未写入任何数据：")
    for i in issues:
        where = "".join([f"工作表“{i.sheet}”" if i.sheet else "", f" 第{i.row}行" if i.row else "",
                         f" {i.column}" if i.column else ""])
        hint = f"（{i.suggestion}）" if i.suggestion else ""
        print(f"  {where.strip() or '全局'}：{i.message}{hint}")


def _print_preview(plan: ImportPlan) -> None:
    for n in plan.validation.new_indicators:
        print(f"将新建指标“{n.name}”（单位：{n.unit}，暂归入“{n.category_name}”类，可在指标目录中调整）")
    print(f"新增 {plan.count('new')} 条，修改 {plan.count('changed')} 条，不变 {plan.count('unchanged')} 条")
    for status in ("new", "changed"):
        table = preview_table(plan, (status,))
        for row in table.head(CLI_LIST_LIMIT).itertuples(index=False):
            change = f"{row.原值} → {row.新值}" if status == "changed" else row.新值
            scope = f"（{row.口径}）" if row.口径 else ""
            print(f"  {row.状态} {row.指标} {row.地区}{scope} {row.年份}年{row.期间} {row.类型}：{change}  [{row.位置}]")
        if len(table) > CLI_LIST_LIMIT:
            print(f"  ……另有 {len(table) - CLI_LIST_LIMIT} 条{STATUS_NAMES[status]}")


def run_import_command(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"文件 {path} 不存在", EXIT_UNREADABLE)
    data = path.read_bytes()
    try:
        workbook = read_workbook(path.name, data, args.sheet)
    except UnreadableFile as err:
        raise CommandError(f"{path.name}：{err}", EXIT_UNREADABLE) from err
    con = open_db(resolve_db_path(args.db))
    try:
        plan = plan_import(con, path.name, data, sheet=args.sheet, region=args.region,
                           allow_new_indicators=args.allow_new_indicators, workbook=workbook)
        for note in workbook.notes:
            print(note)
        if not plan.ok:
            _print_issues(plan)
            return EXIT_INVALID
        if plan.validation.rows.empty:
            print("文件中没有找到可导入的数字，未写入")
            return EXIT_OK
        _print_preview(plan)
        if args.dry_run:
            print("试运行（--dry-run）：未写入任何数据")
            return EXIT_OK
        if not plan.has_changes:
            print("没有新的或变化的数字，未写入")
            return EXIT_OK
        result = commit_import(con, plan, args.user or getpass.getuser())
    finally:
        con.close()
    print(f"已导入为批次 {result.batch_id}：新增 {result.new} 条，"
          f"修改 {result.changed} 条；如需撤销：fazhi undo {result.batch_id}")
    return EXIT_OK
