"""`fazhi import`, `export` and `template`: figures in from workbooks and out as tables.

The workbook stack (openpyxl, calamine) is imported when one of these runs, not for
every command."""
from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from cli.errors import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, CommandError, open_db, open_for_reading
from cli.parser import Subcommands
from indicators.vocabulary import STATUS_LABELS
from paths import db_path
from store.connection import connect

if TYPE_CHECKING:
    from store.imports import ImportPlan

CLI_LIST_LIMIT = 30  # rows listed per status on the terminal; the counts are always complete


def _print_issues(plan: ImportPlan) -> None:
    issues = plan.validation.issues
    print(f"发现 {len(issues)} 个问题，未写入任何数据：")
    for i in issues:
        where = "".join([f"工作表“{i.sheet}”" if i.sheet else "", f" 第{i.row}行" if i.row else "",
                         f" {i.column}" if i.column else ""])
        hint = f"（{i.suggestion}）" if i.suggestion else ""
        print(f"  {where.strip() or '全局'}：{i.message}{hint}")


def _print_preview(plan: ImportPlan) -> None:
    from charts.tables import preview_table

    for n in plan.validation.new_indicators:
        print(f"将新建指标“{n.name}”（单位：{n.unit}，暂归入“{n.category_name}”类，可在指标目录中调整）")
    print(f"新增 {plan.count('new')} 条，修改 {plan.count('changed')} 条，不变 {plan.count('unchanged')} 条")
    for status in ("new", "changed"):
        table = preview_table(plan, (status,))
        for row in table.head(CLI_LIST_LIMIT).itertuples(index=False):
            change = f"{row.原值} → {row.新值}" if status == "changed" else row.新值
            scope = f"（{row.口径}）" if row.口径 else ""
            part = f"·{row.分项}" if row.分项 else ""
            print(f"  {row.状态} {row.指标}{part} {row.地区}{scope} {row.年份}年{row.期间} {row.类型}：{change}  [{row.位置}]")
        if len(table) > CLI_LIST_LIMIT:
            print(f"  ……另有 {len(table) - CLI_LIST_LIMIT} 条{STATUS_LABELS[status]}")
    _print_warnings(plan)


def _print_warnings(plan: ImportPlan) -> None:
    """Plausibility warnings: printed, never a reason to refuse."""
    from charts.tables import warnings_table

    if plan.warnings.empty:
        return
    print(f"请核对 {len(plan.warnings)} 处可能的笔误（仅提醒，不影响导入）：")
    for row in warnings_table(plan.warnings.head(CLI_LIST_LIMIT)).itertuples(index=False):
        before = f"，上年同期 {row.上年同期}" if row.上年同期 else ""
        print(f"  [{row.位置}] {row.指标} {row.地区} {row.年份}年{row.期间}：{row.数值}{before}——{row.提醒}")
    if len(plan.warnings) > CLI_LIST_LIMIT:
        print(f"  ……另有 {len(plan.warnings) - CLI_LIST_LIMIT} 处")


def cmd_import(args: argparse.Namespace) -> int:
    from loaders.filecheck import UnreadableFile
    from loaders.readers import reader_for
    from store.imports import commit_import, plan_import

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"文件 {path} 不存在", EXIT_UNREADABLE)
    data = path.read_bytes()
    try:
        workbook = reader_for(path.name).read(path.name, data, args.sheet)
    except UnreadableFile as err:
        raise CommandError(f"{path.name}：{err}", EXIT_UNREADABLE) from err
    con = open_db(db_path(args.db))
    try:
        plan = plan_import(con, path.name, data, sheet=args.sheet, region=args.region,
                           allow_new_indicators=args.allow_new_indicators, workbook=workbook)
        for note in workbook.notes:
            print(note)
        for warning in workbook.warnings[:CLI_LIST_LIMIT]:
            print(f"审核提示：{warning}")
        if len(workbook.warnings) > CLI_LIST_LIMIT:
            print(f"……另有 {len(workbook.warnings) - CLI_LIST_LIMIT} 条审核提示")
        if not plan.ok:
            _print_issues(plan)
            return EXIT_INVALID
        if workbook.has_no_table:
            print("文件中没有找到可识别的表格（明细表、汇总表或统计报表），未写入任何数据")
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


def cmd_export(args: argparse.Namespace) -> int:
    from exports import table_format
    from exports.tabular import export_frame

    out = Path(args.out)
    writer = table_format(out)
    if writer is None:
        raise CommandError("导出文件须以 .xlsx 或 .csv 结尾", EXIT_INVALID)
    con, _ = open_for_reading(db_path(args.db))
    try:
        frame = export_frame(con)
    finally:
        con.close()
    writer.write(frame, out)
    print(f"已导出 {len(frame)} 条观测值到 {out}")
    return EXIT_OK


def _template_lists(db: str | None) -> tuple[list[str], list[str]]:
    """The database's lists (imported indicators too) when it opens; it may be locked
    by the running dashboard, and then the catalog files serve."""
    from exports.template import lists_from_db, lists_from_yaml

    path = db_path(db)
    if not path.exists():
        return lists_from_yaml()
    try:
        con = connect(path, read_only=True)
        try:
            return lists_from_db(con)
        finally:
            con.close()
    except duckdb.Error:
        return lists_from_yaml()


def cmd_template(args: argparse.Namespace) -> int:
    from exports.template import template_bytes

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise CommandError("模板文件须以 .xlsx 结尾", EXIT_INVALID)
    indicators, regions = _template_lists(getattr(args, "db", None))
    out.write_bytes(template_bytes(indicators, regions))
    print(f"已生成填报模板 {out}（{len(indicators)} 个指标，{len(regions)} 个地区）")
    return EXIT_OK


def register(add: Subcommands) -> None:
    add("export", cmd_export, "导出全部观测值（明细表）").add_argument("--out", required=True)
    p = add("import", cmd_import, "导入 Excel/CSV 更新")
    p.add_argument("file")
    p.add_argument("--sheet")
    p.add_argument("--region")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--allow-new-indicators", action="store_true")
    p.add_argument("--user")
    add("template", cmd_template, "生成空白填报模板", db=False).add_argument("--out", required=True)
