"""The readers a file can come in through, one small object each: which files a reader
takes and the function that turns their bytes into parsed rows. A new kind of source
(a report's text) is one more entry here.

Within a workbook, each sheet is read by the first sheet reader that claims it: an
official statistical form (a sheet carrying a known 表号, loaders/forms/ with its
profile in indicators/forms/) through its profile, every other sheet as a long or wide
table. A new form is a new profile, not a new entry."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from loaders.forms import parse_sheet
from loaders.reports.reader import report_workbook
from loaders.reports.text import REPORT_SUFFIXES
from loaders.workbook import ParsedWorkbook, read_workbook


@dataclass(frozen=True)
class Reader:
    name: str
    label: str                       # what the page and messages call it
    suffixes: tuple[str, ...]
    read: Callable[[str, bytes, str | None], ParsedWorkbook]  # (file name, bytes, sheet)


def read_tables_and_forms(file_name: str, data: bytes, sheet: str | None = None) -> ParsedWorkbook:
    return read_workbook(file_name, data, sheet, parse=parse_sheet)


WORKBOOK = Reader("workbook", "填报表或统计报表（Excel/CSV）", (".xlsx", ".xls", ".csv"), read_tables_and_forms)
# A report's text: its figures that the reader accepted (采纳=是), as long-format rows.
REPORT = Reader("report", "报告（.txt、.docx、.pdf、.html）", REPORT_SUFFIXES, report_workbook)
READERS = (WORKBOOK, REPORT)


def reader_for(file_name: str) -> Reader:
    """The reader for a file by its name; a name no reader claims goes to the workbook
    reader, whose content checks say in Chinese what the file is and why it is refused."""
    suffix = PurePath(file_name).suffix.lower()
    return next((r for r in READERS if suffix in r.suffixes), WORKBOOK)
