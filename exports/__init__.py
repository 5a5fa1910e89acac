"""Files the dashboard writes for people to take away, one small object per format.

Each format names its suffix, MIME type and the function that writes a table into it;
the command line and the pages pick one by suffix, so that a new document (a Word 简报,
a collection workbook) is one more entry here and one module beside this one."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pandas as pd

from exports.tabular import write_csv, write_xlsx


@dataclass(frozen=True)
class TableFormat:
    suffix: str
    label: str
    mime: str
    write: Callable[[pd.DataFrame, Path | IO[bytes]], None]


TABLE_FORMATS = {
    ".xlsx": TableFormat(".xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         write_xlsx),
    ".csv": TableFormat(".csv", "CSV", "text/csv", write_csv),
}


def table_format(path: Path | str) -> TableFormat | None:
    """The format a file name asks for, or None when no table format has its suffix."""
    return TABLE_FORMATS.get(Path(path).suffix.lower())
