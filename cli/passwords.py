"""`fazhi set-password`: the editor's and the viewer's password, kept as argon2 hashes."""
from __future__ import annotations

import argparse
import getpass
import sys

from access.passwords import set_password
from cli.errors import EXIT_INVALID, EXIT_OK, CommandError
from cli.parser import Subcommands


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


def register(add: Subcommands) -> None:
    p = add("set-password", cmd_set_password, "设置编辑或查看密码（只保存 argon2 哈希）", db=False)
    p.add_argument("--role", choices=["editor", "viewer"], default="editor")
    p.add_argument("--stdin", action="store_true", help="从标准输入读取新密码")
