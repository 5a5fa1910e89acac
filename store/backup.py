"""Whole-database copies: a consistent backup taken inside DuckDB, and a checked restore."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from store.connection import connect, schema_version


class BackupRefused(Exception):
    """The backup or restore cannot be done; the message is for the user, in Chinese."""


def copy_database(con: duckdb.DuckDBPyConnection, out: Path, alias: str) -> None:
    """The whole database `con` holds, copied into a new file `out` by DuckDB itself (COPY
    FROM DATABASE, not a file copy, so a write in progress is either wholly in it or wholly
    out). `alias` names the new file while it is attached: one per concurrent copy."""
    source = con.execute("SELECT current_database()").fetchone()[0]
    con.execute(f"ATTACH ? AS {alias}", [str(out)])
    try:
        con.execute(f'COPY FROM DATABASE "{source}" TO {alias}')
    finally:
        con.execute(f"DETACH {alias}")


def backup_database(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    """A consistent copy of the whole database (copy_database)."""
    if out.exists():
        raise BackupRefused(f"备份文件 {out} 已存在，请换一个文件名")
    copy_database(con, out, "fazhi_backup")


def restore_database(backup: Path, path: Path) -> int:
    """Check the backup opens and is ours, then swap it in whole (os.replace is atomic).
    Returns the number of stored figures it holds."""
    if not backup.exists():
        raise BackupRefused(f"备份文件 {backup} 不存在")
    try:
        check = connect(backup, read_only=True)
    except duckdb.Error as err:
        raise BackupRefused(f"{backup} 不是可用的数据库备份：{err}") from err
    try:
        version = schema_version(check)
        count = check.execute("SELECT count(*) FROM observations").fetchone()[0] if version else 0
    finally:
        check.close()
    if version is None:
        raise BackupRefused(f"{backup} 不是本看板的数据库备份")
    staging = path.with_name(path.name + ".restoring")
    shutil.copyfile(backup, staging)
    os.replace(staging, path)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    return count
