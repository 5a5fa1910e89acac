"""The `fazhi` command (also `python -m cli` and `python -m loaders`), as
../shared/interchange.md specifies. Nothing in the project imports it.

Every failure is a Chinese message on stderr and an exit code, never a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys

import duckdb

from cli import brief, collection, database, extract, passwords, transfer
from cli.errors import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, CommandError
from cli.parser import new_parser
from paths.operations import SettingsError


def build_parser() -> argparse.ArgumentParser:
    return new_parser([database.register, transfer.register, passwords.register, extract.register,
                       collection.register, brief.register])


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.handler(args)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at the interpreter's exit
        return code
    except CommandError as err:
        print(f"错误：{err}", file=sys.stderr)
        return err.code
    except duckdb.Error as err:
        print(f"错误：数据库操作失败，未写入任何数据（{err}）", file=sys.stderr)
        return EXIT_UNREADABLE
    except SettingsError as err:  # its message is the administrator's, in Chinese
        print(f"错误：{err}", file=sys.stderr)
        return EXIT_UNREADABLE
    except EOFError:
        print("错误：没有读到输入（不在终端中运行时，请用 --stdin 从标准输入给出）", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # The reader stopped reading (`fazhi coverage … | head`): what it took is all it wanted.
        # Python would print a traceback when flushing stdout at exit; send the rest nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as err:  # a path that cannot be written or read: a directory missing, not writable
        where = f"：{err.filename}" if err.filename else ""
        print(f"错误：无法读写文件{where}（{err.strerror or err}）；未写入任何数据", file=sys.stderr)
        return EXIT_UNREADABLE
