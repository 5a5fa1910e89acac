"""How a command fails: a Chinese message and an exit code, never a traceback."""
from __future__ import annotations

from pathlib import Path

import duckdb

from store.connection import connect, migrate

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
