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
        if version is None:
            raise BackupRefused(f"{backup} 不是本看板的数据库备份")
        _read_whole(check)
        count = check.execute("SELECT count(*) FROM observations").fetchone()[0]
    except duckdb.Error as err:
        raise BackupRefused(f"{backup} 已损坏（无法完整读出：{err}），不能用于恢复；数据库未作任何改动") from err
    finally:
        check.close()
    staging = path.with_name(path.name + ".restoring")
    shutil.copyfile(backup, staging)
    if path.exists():  # the database replaced, kept beside it until the next restore
        shutil.copyfile(path, path.with_name(path.name + ".before-restore"))
    os.replace(staging, path)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    return count


def _read_whole(con: duckdb.DuckDBPyConnection) -> None:
    """Read every row of every table: a truncated or damaged file opens, and its header
    still counts the rows, but its blocks cannot be read (a restore of one replaced a good
    database and reported success). Raises duckdb.Error."""
    tables = [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()]
    for table in tables:
        con.execute(f'SELECT bit_xor(hash(t)) FROM "{table}" AS t').fetchall()  # every column of every row
