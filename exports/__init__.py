"""Files the dashboard writes for people to take away, one small object per format.

Each format names its suffix, MIME type and the function that writes a table into it;
the command line and the pages pick one by suffix, so that a new document (a Word 简报,
a collection workbook) is one more entry here and one module beside this one."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pandas as pd

from exports.tabular import write_csv, write_xlsx

if TYPE_CHECKING:
    from exports.briefing import Briefing


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


@dataclass(frozen=True)
class DocumentFormat:
    """A briefing written as a document leaders carry (exports/briefing.py gathers it)."""
    suffix: str
    label: str
    mime: str
    write: Callable[[Briefing, Path | IO[bytes]], None]


# The writers import python-docx / python-pptx when a briefing is written, not with this module.
def _write_docx(briefing: Briefing, out: Path | IO[bytes]) -> None:
    from exports.briefing_docx import write_docx

    write_docx(briefing, out)


def _write_pptx(briefing: Briefing, out: Path | IO[bytes]) -> None:
    from exports.briefing_pptx import write_pptx

    write_pptx(briefing, out)


DOCUMENT_FORMATS = {
    ".docx": DocumentFormat(".docx", "简报（Word）",
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _write_docx),
    ".pptx": DocumentFormat(".pptx", "幻灯片（PPT）",
                            "application/vnd.openxmlformats-officedocument.presentationml.presentation", _write_pptx),
}


def document_format(path: Path | str) -> DocumentFormat | None:
    """The document format a file name asks for, or None when none has its suffix."""
    return DOCUMENT_FORMATS.get(Path(path).suffix.lower())
