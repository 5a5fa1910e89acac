"""A report as the importer sees it: its accepted candidates as long-format rows.

`fazhi import report.docx` and the page's 从报告提取 tab go through here, so a report's
figures are validated, previewed and committed like any workbook's, with the report file
kept in the batch. Each row's sheet is "报告" and its cell the row of the candidate table;
原文 and 来源 carry the provenance.
"""
from __future__ import annotations

import pandas as pd

from loaders.filecheck import UnreadableFile
from loaders.reference import Region, load_regions
from loaders.reports.context import ReportInfo
from loaders.reports.extract import CANDIDATE_COLUMNS, YES, Candidate, candidates_frame, extract_report
from loaders.reports.text import report_text
from loaders.workbook import Column, ParsedRow, ParsedWorkbook

REPORT_SHEET = "报告"
ACCEPT = "采纳"


def region_named(name: str) -> Region | None:
    text = name.strip()
    return next((r for r in load_regions() if text == r.name or text in r.aliases), None)


def read_report(file_name: str, data: bytes, *, title: str | None = None, region: str | None = None,
                year: int | None = None) -> tuple[str, ReportInfo, list[Candidate]]:
    """(text, what the report is, its candidates); UnreadableFile when it cannot be read."""
    text = report_text(file_name, data)
    chosen = None
    if region:
        chosen = region_named(region)
        if chosen is None:
            raise UnreadableFile(f"地区“{region}”不在地区目录中")
    info, candidates = extract_report(text, title=title, region=chosen, year=year)
    return text, info, candidates


def frame_workbook(frame: pd.DataFrame) -> ParsedWorkbook:
    """The rows of a candidate table whose 采纳 is 是 (all rows when it has no 采纳 column)."""
    names = [c for c in frame.columns if c in CANDIDATE_COLUMNS]
    letters = {name: _letters(k) for k, name in enumerate(frame.columns)}
    columns = {name: Column(letters[name], name) for name in names}
    book = ParsedWorkbook()
    for k, row in enumerate(frame.to_dict("records")):
        if ACCEPT in row and str(row[ACCEPT]).strip() != YES:
            continue
        values = {name: (None if _blank(row[name]) else row[name]) for name in names}
        book.rows.append(ParsedRow(REPORT_SHEET, k + 2, values, columns))
    return book


def report_workbook(file_name: str, data: bytes, sheet: str | None = None) -> ParsedWorkbook:
    """The reader registry's entry (loaders/readers.py): a report's accepted figures."""
    _, info, candidates = read_report(file_name, data)
    book = frame_workbook(candidates_frame(candidates, info.title or file_name))
    book.notes.append(f"从报告“{info.title or file_name}”中识别出 {len(candidates)} 个数字，"
                      f"其中 {len(book.rows)} 个可直接采纳")
    return book


def _blank(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out
