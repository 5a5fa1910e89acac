"""How a command fails: a Chinese message and an exit code, never a traceback; and how
it opens the database, for writing or only for reading."""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from paths.operations import snapshot_dir_for
from store.connection import connect, migrate
from store.snapshots import Snapshot, newest_snapshot

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class CommandError(Exception):
    """A failure to report to the user; carries the exit code."""

    def __init__(self, message: str, code: int = EXIT_UNREADABLE):
        super().__init__(message)
        self.code = code


def _is_locked(err: duckdb.Error) -> bool:
    return "lock" in str(err).lower()


def in_use_message(path: Path) -> str:
    return (f"数据库 {path} 正被正在运行的看板使用，命令行不能写入。"
            "请在看板的“数据更新”页导入或撤销，或先停止看板再运行本命令")


def open_db(path: Path, must_exist: bool = True) -> duckdb.DuckDBPyConnection:
    """The database itself, for a command that writes (or reads while nothing holds it)."""
    if must_exist and not path.exists():
        raise CommandError(f"数据库 {path} 不存在，请先运行 fazhi init --db {path}")
    try:
        con = connect(path)
    except duckdb.IOException as err:
        if _is_locked(err):
            raise CommandError(in_use_message(path)) from err
        raise CommandError(f"无法打开数据库 {path}：{err}") from err
    migrate(con)
    return con


def refuse_while_in_use(path: Path) -> None:
    """For a write that replaces the file (restore, init --force): stop while the
    dashboard holds it, as a write through the database would be stopped."""
    if path.exists():
        open_db(path).close()


def open_for_reading(path: Path) -> tuple[duckdb.DuckDBPyConnection, Snapshot | None]:
    """For a command that only reads: the database when nothing holds it, else the newest
    snapshot the running dashboard published, said on stderr (time and batch)."""
    if not path.exists():
        raise CommandError(f"数据库 {path} 不存在，请先运行 fazhi init --db {path}")
    try:
        con = connect(path)
    except duckdb.IOException as err:
        if not _is_locked(err):
            raise CommandError(f"无法打开数据库 {path}：{err}") from err
        snapshot = newest_snapshot(snapshot_dir_for(path))
        if snapshot is None:
            raise CommandError(f"数据库 {path} 正被正在运行的看板使用，且它尚未发布快照"
                               f"（{snapshot_dir_for(path)}）；请稍后再试，一直如此时请查看看板控制台中的快照发布错误") from err
        print(f"注意：看板正在使用数据库 {path}，本命令读取的是 {snapshot.label}：{snapshot.path}", file=sys.stderr)
        return connect(snapshot.path, read_only=True), snapshot
    migrate(con)
    return con, None
