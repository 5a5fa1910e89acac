"""`fazhi extract`: a report's figures proposed for review, as a long-format table with
采纳/置信/位置 (../shared/interchange.md "Report text"). Touches no database."""
from __future__ import annotations

import argparse
from pathlib import Path

from cli.errors import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, CommandError
from cli.parser import Subcommands


def cmd_extract(args: argparse.Namespace) -> int:
    from exports import table_format
    from loaders.filecheck import UnreadableFile
    from loaders.reports.extract import YES, candidates_frame
    from loaders.reports.reader import read_report

    path, out = Path(args.file), Path(args.out)
    writer = table_format(out)
    if writer is None:
        raise CommandError("输出文件须以 .xlsx 或 .csv 结尾", EXIT_INVALID)
    if not path.is_file():
        raise CommandError(f"文件 {path} 不存在", EXIT_UNREADABLE)
    try:
        _, info, candidates = read_report(path.name, path.read_bytes(), title=args.source, region=args.region,
                                          year=args.year)
    except UnreadableFile as err:
        raise CommandError(f"{path.name}：{err}", EXIT_UNREADABLE) from err
    frame = candidates_frame(candidates, info.title or path.name)
    writer.write(frame, out)
    region = info.region.name if info.region else "未识别"
    print(f"报告：{info.title or path.name}（地区：{region}，年份：{info.year or '未识别'}）")
    if frame.empty:
        print(f"没有找到数字；已写出空表 {out}")
    else:
        accepted = int((frame["采纳"] == YES).sum())
        print(f"已写出 {len(frame)} 个候选数字到 {out}，其中 {accepted} 个标为采纳=是；"
              f"请核对后用 fazhi import {out.name} 导入（只导入采纳=是的行）")
    return EXIT_OK


def register(add: Subcommands) -> None:
    p = add("extract", cmd_extract, "从报告文本中提取候选数字（供核对后导入）", db=False)
    p.add_argument("file")
    p.add_argument("--region", help="地区（默认从报告标题与落款识别）")
    p.add_argument("--year", type=int, help="年份（默认从报告标题识别）")
    p.add_argument("--source", help="报告标题（默认从正文识别）")
    p.add_argument("--out", required=True)
