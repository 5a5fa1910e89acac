"""`fazhi init`, `history`, `undo`, `backup` and `restore`: the database as a whole."""
from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from cli.errors import EXIT_INVALID, EXIT_OK, CommandError, open_db, open_for_reading, refuse_while_in_use
from cli.parser import Subcommands
from loaders.curated import CuratedDataError
from paths import db_path
from paths.operations import operations, snapshot_dir_for
from queries.admin import batch_history
from store.backup import BackupRefused, backup_database, restore_database
from store.batches import UndoRefused, undo_batch
from store.build import build_database
from store.snapshots import copy_snapshot, publish_before_start


def cmd_init(args: argparse.Namespace) -> int:
    path = db_path(args.db)
    if path.exists() and not args.force:
        print(f"数据库 {path} 已存在，保留不动（重建请加 --force）")
        return EXIT_OK
    refuse_while_in_use(path)
    try:
        count = build_database(path)
    except CuratedDataError as err:
        raise CommandError(f"整理数据有误，未建库：\n{err}", EXIT_INVALID) from err
    print(f"已建库 {path}：{count} 条观测值")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    con, _ = open_for_reading(db_path(args.db))
    rows = con.execute(*batch_history()).fetchall()
    print("批次\t时间\t类别\t操作人\t文件\tSHA-256\t新增\t修改\t删除\t状态")
    for row in rows:
        print("\t".join(str(v) for v in row))
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    con = open_db(db_path(args.db))
    try:
        result = undo_batch(con, args.batch, user=args.user or getpass.getuser())
    except UndoRefused as err:
        raise CommandError(str(err), EXIT_INVALID) from err
    print(result.describe())
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    out = Path(args.out)
    con, snapshot = open_for_reading(db_path(args.db))
    try:
        if snapshot is None:
            backup_database(con, out)
        elif out.exists():
            raise CommandError(f"备份文件 {out} 已存在，请换一个文件名", EXIT_INVALID)
        else:
            copy_snapshot(snapshot, out)
    except BackupRefused as err:
        raise CommandError(str(err), EXIT_INVALID) from err
    finally:
        con.close()
    print(f"已备份到 {out}" + (f"（来自{snapshot.label}）" if snapshot else ""))
    return EXIT_OK


def cmd_snapshot(args: argparse.Namespace) -> int:
    path = db_path(args.db)
    con = open_db(path)
    try:
        snapshot = publish_before_start(con, snapshot_dir_for(path), operations().snapshots_kept)
    finally:
        con.close()
    print(f"快照已发布：{snapshot.path}（{snapshot.label}）")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    backup, path = Path(args.backup), db_path(args.db)
    refuse_while_in_use(path)
    try:
        count = restore_database(backup, path)
    except BackupRefused as err:
        raise CommandError(str(err)) from err
    print(f"已由 {backup} 恢复数据库 {path}：{count} 条观测值")
    return EXIT_OK


def register(add: Subcommands) -> None:
    add("init", cmd_init, "由 data/ 中的整理数据建库").add_argument(
        "--force", action="store_true", help="已有数据库也重建")
    add("history", cmd_history, "列出导入批次")
    add("backup", cmd_backup, "备份整个数据库").add_argument("--out", required=True)
    add("snapshot", cmd_snapshot, "发布一份快照（make run 在启动看板前运行；看板运行时由它自己发布）")
    add("restore", cmd_restore, "由备份恢复整个数据库（请先停止看板）").add_argument("backup")
    p = add("undo", cmd_undo, "撤销一个批次")
    p.add_argument("batch", type=int)
    p.add_argument("--user")
