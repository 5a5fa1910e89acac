"""`fazhi brief`: a region's and year's briefing for leaders, as Word or PowerPoint."""
from __future__ import annotations

import argparse
from pathlib import Path

from cli.errors import EXIT_INVALID, EXIT_OK, CommandError, open_for_reading
from cli.parser import Subcommands
from paths import db_path


def cmd_brief(args: argparse.Namespace) -> int:
    from exports import document_format
    from exports.briefing import NoFigures, find_region, gather

    out = Path(args.out)
    document = document_format(out)
    if document is None:
        raise CommandError("简报文件须以 .docx（Word）或 .pptx（PowerPoint）结尾", EXIT_INVALID)
    con, _ = open_for_reading(db_path(args.db))
    try:
        region = find_region(con, args.region)
        if region is None:
            raise CommandError(f"地区“{args.region}”不在地区目录中", EXIT_INVALID)
        try:
            briefing = gather(con, region[0], args.year)
        except NoFigures as err:
            raise CommandError(str(err), EXIT_INVALID) from err
    finally:
        con.close()
    document.write(briefing, out)
    print(f"已生成{document.label} {out}：{len(briefing.headline)} 项重点指标，{len(briefing.charts)} 张图表")
    return EXIT_OK


def register(add: Subcommands) -> None:
    p = add("brief", cmd_brief, "生成一个地区一年的简报（Word）或幻灯片（PPT）")
    p.add_argument("--region", required=True, help="地区名称或简称，如 姑苏区")
    p.add_argument("--year", required=True, type=int, help="年份，如 2020")
    p.add_argument("--out", required=True, help="输出文件：.docx 或 .pptx")
