"""The `fazhi` argument parser: each group of commands registers its own."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Protocol

Handler = Callable[[argparse.Namespace], int]


class Subcommands(Protocol):
    """add(name, handler, help, db=True) -> the command's own parser."""

    def __call__(self, name: str, handler: Handler, help_text: str, db: bool = True) -> argparse.ArgumentParser: ...


def new_parser(groups: list[Callable[[Subcommands], None]]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fazhi", description="法治政府建设指标看板：数据管理命令")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler: Handler, help_text: str, db: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        if db:
            p.add_argument("--db", help="数据库路径（默认取环境变量 FAZHI_DB，否则 data/fazhi.duckdb）")
        p.set_defaults(handler=handler)
        return p

    for register in groups:
        register(add)
    return parser
