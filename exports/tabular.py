"""Tables out: the long format of ../shared/interchange.md as .xlsx or .csv, text never a live formula."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from charts.images import text_width
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


# Excel counts a column's width in digits; a Chinese character takes about two.
MAX_COLUMN_WIDTH = 60  # a column whose text is longer wraps it instead of growing
WIDTH_SAMPLE_ROWS = 1000  # widths are judged from the first rows: a 3M-row download is not measured whole


def print_for_clerks(sheet: Worksheet, header_row: int) -> None:
    """A4 landscape, every column on one page's width, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"


def column_width(texts: list[str]) -> float:
    """The width that shows the longest text whole, up to MAX_COLUMN_WIDTH."""
    return min(max(text_width(text, 2) for text in texts) + 2, MAX_COLUMN_WIDTH)


def write_xlsx(frame: pd.DataFrame, path: Path | str, sheet_title: str = "明细表") -> None:
    """A frame as one sheet that reads without widening a column: header bold and frozen,
    each column as wide as its text (a longer one wraps), printed as clerks print; user
    text is kept as written and never runs (keep_text_literal)."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([plain_number(v) if isinstance(v, float) else v for v in row])
    keep_text_literal(sheet, min_row=2)
    for header in sheet[1]:
        header.font = Font(bold=True)
    sample = frame.head(WIDTH_SAMPLE_ROWS)
    for n, name in enumerate(frame.columns, start=1):
        texts = [str(name), *(str(v) for v in sample[name].tolist() if not pd.isna(v))]
        width = column_width(texts)
        sheet.column_dimensions[get_column_letter(n)].width = width
        if width == MAX_COLUMN_WIDTH:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=n, max_col=n):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    print_for_clerks(sheet, 1)
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
