"""The `fazhi` command (also `python -m loaders`), as ../shared/interchange.md specifies.

Every failure is a Chinese message on stderr and an exit code, never a traceback.
"""
from __future__ import annotations

import argparse
import getpass
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb

from loaders.auth import set_password
from loaders.curated import CuratedDataError, curated_rows
from loaders.db import connect, migrate, resolve_db_path, schema_version, write_reference
from loaders.export import export
from loaders.reference import OBSERVATIONS_PATH
from loaders.store import BatchInfo, UndoRefused, commit_batch, undo_batch

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class CommandError(Exception):
    """A failure to report to the user; carries the exit code."""

    def __init__(self, message: str, code: int = EXIT_UNREADABLE):
        super().__init__(message)
        self.code = code


def open_db(path: Path, must_exist: bool = True) -> duckdb.DuckDBPyConnection:
    if must_exist and not path.exists():
        raise CommandError(f"数据库 {path} 不存在，请先运行 fazhi init --db {path}")
    try:
        con = connect(path)
    except duckdb.IOException as err:
        if "lock" in str(err).lower():
            raise CommandError(f"数据库 {path} 正被另一个程序（例如正在运行的看板）使用，请先关闭它") from err
        raise CommandError(f"无法打开数据库 {path}：{err}") from err
    migrate(con)
    return con


def build_database(path: Path) -> int:
    """Build into a temporary file and move it into place, so a failed or killed build
    never leaves a half-built database where the dashboard looks for one."""
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
            kind="curated", user="fazhi init", file_name="data/observations.csv",
            file_bytes=OBSERVATIONS_PATH.read_bytes(), note="整理自 data/sources/ 中的五份报告"))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(building, path)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    return result.new


def cmd_init(args: argparse.Namespace) -> int:
    path = resolve_db_path(args.db)
    if path.exists() and not args.force:
        print(f"数据库 {path} 已存在，保留不动（重建请加 --force）")
        return EXIT_OK
    try:
        count = build_database(path)
    except CuratedDataError as err:
        raise CommandError(f"整理数据有误，未建库：\n{err}", EXIT_INVALID) from err
    print(f"已建库 {path}：{count} 条观测值")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise CommandError("导出文件须以 .xlsx 或 .csv 结尾", EXIT_INVALID)
    con = open_db(resolve_db_path(args.db))
    count = export(con, out)
    print(f"已导出 {count} 条观测值到 {out}")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    con = open_db(resolve_db_path(args.db))
    rows = con.execute(
        """SELECT id, strftime(created_at, '%Y-%m-%d %H:%M:%S'), kind, coalesce(user_name, ''),
                  coalesce(file_name, ''), coalesce(left(file_sha256, 12), ''), n_new, n_changed,
                  CASE WHEN undone_by IS NOT NULL THEN '已由批次' || undone_by || '撤销'
                       WHEN undoes IS NOT NULL THEN '撤销批次' || undoes ELSE '' END
           FROM batches ORDER BY id"""
    ).fetchall()
    print("批次\t时间\t类别\t操作人\t文件\tSHA-256\t新增\t修改\t状态")
    for row in rows:
        print("\t".join(str(v) for v in row))
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    con = open_db(resolve_db_path(args.db))
    try:
        result = undo_batch(con, args.batch, user=args.user or getpass.getuser())
    except UndoRefused as err:
        raise CommandError(str(err), EXIT_INVALID) from err
    print(f"已撤销批次 {args.batch}（撤销记录为批次 {result.batch_id}，恢复 {result.changed} 条）")
    return EXIT_OK


def backup_database(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    """A consistent copy of the whole database, taken inside DuckDB (not a file copy, so
    a write in progress is either wholly in it or wholly out)."""
    if out.exists():
        raise CommandError(f"备份文件 {out} 已存在，请换一个文件名", EXIT_INVALID)
    source = con.execute("SELECT current_database()").fetchone()[0]
    con.execute("ATTACH ? AS fazhi_backup", [str(out)])
    try:
        con.execute(f'COPY FROM DATABASE "{source}" TO fazhi_backup')
    finally:
        con.execute("DETACH fazhi_backup")


def cmd_backup(args: argparse.Namespace) -> int:
    con = open_db(resolve_db_path(args.db))
    backup_database(con, Path(args.out))
    print(f"已备份到 {args.out}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Check the backup opens and is ours, then swap it in whole (os.replace is atomic)."""
    backup, path = Path(args.backup), resolve_db_path(args.db)
    if not backup.exists():
        raise CommandError(f"备份文件 {backup} 不存在")
    try:
        check = connect(backup, read_only=True)
    except duckdb.Error as err:
        raise CommandError(f"{backup} 不是可用的数据库备份：{err}") from err
    try:
        version = schema_version(check)
        count = check.execute("SELECT count(*) FROM observations").fetchone()[0] if version else 0
    finally:
        check.close()
    if version is None:
        raise CommandError(f"{backup} 不是本看板的数据库备份")
    staging = path.with_name(path.name + ".restoring")
    shutil.copyfile(backup, staging)
    os.replace(staging, path)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    print(f"已由 {backup} 恢复数据库 {path}：{count} 条观测值")
    return EXIT_OK


def cmd_set_password(args: argparse.Namespace) -> int:
    """Read the new password without echo (or from standard input with --stdin)."""
    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("新密码：")
        if getpass.getpass("再输入一次：") != password:
            raise CommandError("两次输入的密码不一致", EXIT_INVALID)
    try:
        path = set_password(args.role, password)
    except ValueError as err:
        raise CommandError(str(err), EXIT_INVALID) from err
    print(f"已设置{'编辑' if args.role == 'editor' else '查看'}密码（只保存哈希）：{path}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from loaders.importer import run_import_command  # the workbook stack loads only when used

    return run_import_command(args)


def cmd_template(args: argparse.Namespace) -> int:
    from loaders.template import run_template_command

    return run_template_command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fazhi", description="法治政府建设指标看板：数据管理命令")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str,
            db: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        if db:
            p.add_argument("--db", help="数据库路径（默认取环境变量 FAZHI_DB，否则 data/fazhi.duckdb）")
        p.set_defaults(handler=handler)
        return p

    add("init", cmd_init, "由 data/ 中的整理数据建库").add_argument(
        "--force", action="store_true", help="已有数据库也重建")
    add("export", cmd_export, "导出全部观测值（明细表）").add_argument("--out", required=True)
    p = add("import", cmd_import, "导入 Excel/CSV 更新")
    p.add_argument("file")
    p.add_argument("--sheet")
    p.add_argument("--region")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--allow-new-indicators", action="store_true")
    p.add_argument("--user")
    add("template", cmd_template, "生成空白填报模板", db=False).add_argument("--out", required=True)
    add("history", cmd_history, "列出导入批次")
    add("backup", cmd_backup, "备份整个数据库").add_argument("--out", required=True)
    add("restore", cmd_restore, "由备份恢复整个数据库（请先停止看板）").add_argument("backup")
    p = add("set-password", cmd_set_password, "设置编辑或查看密码（只保存 argon2 哈希）", db=False)
    p.add_argument("--role", choices=["editor", "viewer"], default="editor")
    p.add_argument("--stdin", action="store_true", help="从标准输入读取新密码")
    p = add("undo", cmd_undo, "撤销一个批次")
    p.add_argument("batch", type=int)
    p.add_argument("--user")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except CommandError as err:
        print(f"错误：{err}", file=sys.stderr)
        return err.code
    except duckdb.Error as err:
        print(f"错误：数据库操作失败，未写入任何数据（{err}）", file=sys.stderr)
        return EXIT_UNREADABLE
