"""`fazhi export`: every observation in the long format of ../shared/interchange.md."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from loaders.safety import is_formula_like, neutralize_for_csv

LONG_COLUMNS = ["指标", "地区", "口径", "年份", "期间", "类型", "数值", "限定", "单位", "来源", "原文", "备注"]

EXPORT_SQL = """
SELECT i.name AS 指标, r.name AS 地区, o.scope AS 口径, o.year AS 年份, o.period AS 期间,
       o.kind AS 类型, o.value AS 数值, o.qualifier AS 限定, i.unit AS 单位,
       coalesce(o.source_label, '') AS 来源, coalesce(o.sentence, '') AS 原文, coalesce(o.note, '') AS 备注
FROM observations AS o
JOIN indicators AS i ON i.id = o.indicator_id
JOIN regions AS r ON r.id = o.region_id
ORDER BY i.sort_order, r.sort_order, o.scope, o.year, period_end_month(o.period), o.kind
"""


def export_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """数值 is a plain number in the indicator's canonical unit, written beside it."""
    return con.execute(EXPORT_SQL).df()


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _plain_text(value: float) -> str:
    """204900.0 -> '204900', 27.9 -> '27.9': what a clerk would type, no float noise."""
    return str(_plain_number(round(float(value), 10)))


def write_xlsx(frame: pd.DataFrame, path: Path | str, sheet_title: str = "明细表") -> None:
    """openpyxl turns any string starting with '=' into a live formula; every text cell is
    forced to the string type instead, so user text is kept as written and never runs."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([_plain_number(v) if isinstance(v, float) else v for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and is_formula_like(cell.value):
                cell.data_type = TYPE_STRING
    book.save(path)


def write_csv(frame: pd.DataFrame, path: Path | str) -> None:
    """UTF-8 with BOM, so Excel on a Chinese Windows opens it without mojibake."""
    safe = frame.map(neutralize_for_csv)
    safe["数值"] = [_plain_text(v) for v in frame["数值"]]
    safe.to_csv(path, index=False, encoding="utf-8-sig")


def export(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    frame = export_frame(con)
    if out.suffix.lower() == ".csv":
        write_csv(frame, out)
    else:
        write_xlsx(frame, out)
    return len(frame)
