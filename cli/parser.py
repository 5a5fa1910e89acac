"""The `fazhi` argument parser: each group of commands registers its own."""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import NoReturn, Protocol

Handler = Callable[[argparse.Namespace], int]


class Subcommands(Protocol):
    """add(name, handler, help, db=True) -> the command's own parser."""

    def __call__(self, name: str, handler: Handler, help_text: str, db: bool = True) -> argparse.ArgumentParser: ...


# argparse's own words, as a clerk should read them: (English pattern, Chinese template).
_MESSAGES = (
    (re.compile(r"the following arguments are required: (.+)"), "缺少参数：{0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.+)"), "参数 {0} 的值 {2} 无效（应为{1}）"),
    (re.compile(r"argument (\S+): invalid choice: (\S+) \(choose from (.+)\)"), "参数 {0} 的取值 {1} 无效，可选：{2}"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面需要一个值"),
)
_KIND_NAMES = {"int": "整数", "float": "数字"}
_HEADINGS = (("usage: ", "用法："), ("positional arguments:", "参数："), ("options:", "选项："),
             ("show this help message and exit", "显示本说明并退出"))


def chinese_message(message: str) -> str:
    for pattern, template in _MESSAGES:
        if found := pattern.fullmatch(message):
            return template.format(*(_KIND_NAMES.get(g, g) for g in found.groups()))
    return message


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse speaking Chinese: its usage, help headings and errors (exit code 2, as
    argparse's own, with no English left for a clerk to puzzle over)."""

    def format_usage(self) -> str:
        return _in_chinese(super().format_usage())

    def format_help(self) -> str:
        return _in_chinese(super().format_help())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{chinese_message(message)}\n")


def _in_chinese(text: str) -> str:
    for english, chinese in _HEADINGS:
        text = text.replace(english, chinese)
    return text


def new_parser(groups: list[Callable[[Subcommands], None]]) -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="fazhi", description="法治政府建设指标看板：数据管理命令")
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
