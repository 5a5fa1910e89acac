"""Tables out: the long format of ../shared/interchange.md as .xlsx or .csv, text never a live formula."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook

from exports.safety import keep_text_literal, neutralize_for_csv
from queries.admin import long_format

LONG_COLUMNS = ["指标", "地区", "口径", "年份", "期间", "类型", "数值", "限定", "单位", "来源", "原文", "备注", "分项"]

def export_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every stored observation in the long format; 数值 in the indicator's canonical unit."""
    sql, params = long_format()
    return con.execute(sql, params).df()


def plain_number(value: float) -> int | float:
    """25000.0 -> 25000: a stored figure as a clerk would type it."""
    return int(value) if float(value).is_integer() else float(value)


def _plain_text(value: float) -> str:
    """204900.0 -> '204900', 27.9 -> '27.9': what a clerk would type, no float noise."""
    return str(plain_number(round(float(value), 10)))


def write_xlsx(frame: pd.DataFrame, path: Path | str, sheet_title: str = "明细表") -> None:
    """A frame as one sheet; user text is kept as written and never runs (keep_text_literal)."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([plain_number(v) if isinstance(v, float) else v for v in row])
    keep_text_literal(sheet, min_row=2)
    book.save(path)


def write_csv(frame: pd.DataFrame, path: Path | str) -> None:
    """UTF-8 with BOM, so Excel on a Chinese Windows opens it without mojibake."""
    safe = frame.map(neutralize_for_csv)
    safe["数值"] = [_plain_text(v) for v in frame["数值"]]
    safe.to_csv(path, index=False, encoding="utf-8-sig")


def export(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    """Every observation into `out`, in the format its suffix names; the number written."""
    frame = export_frame(con)
    (write_csv if out.suffix.lower() == ".csv" else write_xlsx)(frame, out)
    return len(frame)
