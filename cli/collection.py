"""`fazhi coverage` and `fazhi collect`: a collection round (数据征集) from the command line."""
from __future__ import annotations

import argparse
import getpass
from pathlib import Path

import duckdb
import pandas as pd

from cli.errors import EXIT_INVALID, EXIT_OK, CommandError, open_for_reading
from cli.parser import Subcommands
from indicators.collection import Collection, load_collection
from paths import db_path
from queries.collection import coverage_cells
from queries.regions import region_ids_by_text
from queries.sql import regions as all_regions
from store.frame import fetch_frame


def _cells(con: duckdb.DuckDBPyConnection, collection: Collection, year: int,
           region_ids: list[str] | None = None) -> pd.DataFrame:
    return fetch_frame(con, *coverage_cells(collection.indicators, collection.region_level, year, collection.span,
                                            collection.kind, region_ids))


def _region_ids(con: duckdb.DuckDBPyConnection, names: str | None, collection: Collection) -> list[str] | None:
    """--regions 姑苏区,园区 as region ids (names or aliases of the collection's level)."""
    if not names:
        return None
    catalog = fetch_frame(con, *all_regions())
    lookup = region_ids_by_text(catalog[catalog["level"] == collection.region_level])
    wanted = [n.strip() for n in names.replace("，", ",").split(",") if n.strip()]
    unknown = [n for n in wanted if n not in lookup]
    if unknown:
        raise CommandError(f"未知的{collection.region_level}：{'、'.join(unknown)}", EXIT_INVALID)
    return list(dict.fromkeys(lookup[n] for n in wanted))


def cmd_coverage(args: argparse.Namespace) -> int:
    from charts.collection import coverage_table, legend, region_summary
    from exports.collection import write_coverage

    collection = load_collection()
    con, _ = open_for_reading(db_path(args.db))
    try:
        cells = _cells(con, collection, args.year)
    finally:
        con.close()
    table = coverage_table(cells)
    print(f"{args.year}年{collection.name}：{cells['indicator_id'].nunique()} 项指标 × "
          f"{cells['region_id'].nunique()} 个地区（{legend()}）")
    for row in region_summary(cells).itertuples():
        print(f"  {row.region}：已收齐 {row.filled}/{row.asked}")
    print("指标\t地区\t状态\t期间\t数值\t来源")
    for row in table.itertuples(index=False):
        print("\t".join([row.指标, row.地区, row.状态, row.期间, row.数值, row.来源]))
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("输出文件须以 .xlsx 或 .csv 结尾", EXIT_INVALID)
        write_coverage(table, out)
        print(f"已写入 {out}")
    return EXIT_OK


def cmd_collect(args: argparse.Namespace) -> int:
    from exports.collection import collection_workbooks
    from exports.template import lists_from_db
    from store.collection import record_round

    collection = load_collection()
    out = Path(args.out)
    con, snapshot = open_for_reading(db_path(args.db))
    try:
        cells = _cells(con, collection, args.year, _region_ids(con, args.regions, collection))
        workbooks = collection_workbooks(cells, collection, args.year, *lists_from_db(con))
        out.mkdir(parents=True, exist_ok=True)
        for name, data in workbooks.items():
            (out / name).write_bytes(data)
        if snapshot is None:  # a snapshot is read-only: the running dashboard's page records rounds
            record_round(con, collection.id, args.year, list(dict.fromkeys(cells["region_id"])),
                         list(dict.fromkeys(cells["indicator_id"])), args.user or getpass.getuser())
    finally:
        con.close()
    recorded = "并记入征集记录" if snapshot is None else "（看板正在运行，未记入征集记录；如需记录请在“数据征集”页生成）"
    print(f"已在 {out} 生成 {len(workbooks)} 份{args.year}年数据征集表（每份 {cells['indicator_id'].nunique()} 项指标），"
          + recorded)
    return EXIT_OK


def register(add: Subcommands) -> None:
    p = add("coverage", cmd_coverage, "某年征集指标的收齐情况（全年实际 / 仅部分期间 / 仅目标 / 缺）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out")
    p = add("collect", cmd_collect, "为每个地区生成预填的数据征集表")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--regions", help="只为这些地区生成，以逗号分隔（默认全部县级市（区））")
    p.add_argument("--out", required=True)
    p.add_argument("--user")
