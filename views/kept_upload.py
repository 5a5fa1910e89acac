"""The file on 数据更新, read and checked once: kept in the session across the page's reruns.

Streamlit reruns the whole page on every widget change. Without this, typing the 操作人,
ticking a box or pressing 确认导入 read, validated and previewed the upload again: 4–5 s
for a 100k-row workbook, before the commit even began. The read workbook is kept per
upload (Streamlit's file id: a file uploaded again is read again); the plan also per
region, 允许新建指标 and the writes this process has made (views/connection.writes_so_far),
so that a commit or an undo anywhere re-checks the file against the new figures.

One upload per session is kept, and dropped when the uploader is emptied (also after a
commit, which starts a new one) and when the editor opens another page (app.py): the bench's
100k-row workbook, planned with its tables, held ~260 MB. 从报告提取's checked figures are
kept alike (kept_report_plan), per edit of its table, until its report is taken away.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from loaders.readers import reader_for
from loaders.reports.reader import frame_workbook
from loaders.workbook import ParsedWorkbook
from store.imports import ImportPlan, plan_import
from views.connection import cursor, writes_so_far

KEPT = "upload_kept"
REPORT_KEPT = "report_plan_kept"


@dataclass(frozen=True)
class KeptUpload:
    file_id: str
    workbook: ParsedWorkbook
    plan_key: tuple[str | None, bool, int] | None = None
    plan: ImportPlan | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # the plan's, as views/commit shows them


def kept_workbook(file_id: str, file_name: str, data: bytes) -> ParsedWorkbook:
    """The upload read (loaders/readers.py), once per upload. UnreadableFile when refused
    (nothing is kept then)."""
    kept = st.session_state.get(KEPT)
    if kept is None or kept.file_id != file_id:
        forget_upload()  # the file before is let go first, also when this one is refused
        kept = KeptUpload(file_id, reader_for(file_name).read(file_name, data, None))
        st.session_state[KEPT] = kept
    return kept.workbook


def kept_plan(file_id: str, file_name: str, data: bytes, region: str | None, allow_new: bool) -> KeptUpload:
    """The upload checked and previewed against the store as it is now (kept_workbook
    first), with its plan and the tables made of it."""
    workbook = kept_workbook(file_id, file_name, data)
    kept = st.session_state[KEPT]
    key = (region, allow_new, writes_so_far())
    if kept.plan_key != key:
        plan = plan_import(cursor(), file_name, data, region=region, allow_new_indicators=allow_new, workbook=workbook)
        kept = st.session_state[KEPT] = KeptUpload(file_id, workbook, key, plan)
    return kept


def kept_report_plan(file_name: str, data: bytes, digest: str,
                     rows: pd.DataFrame) -> tuple[ImportPlan, dict[str, pd.DataFrame]]:
    """A report's accepted rows (in the shape loaders.reports.reader reads) checked and
    previewed against the store as it is now, with the tables made of the plan: again only
    when the report (`digest`, the caller's hash of `data`), the edited rows or the store (a
    write of this process) change. Typing the 操作人 or pressing 确认导入 used to check every
    row again."""
    key = (digest, file_name, hashlib.sha256(rows.to_csv(index=False).encode("utf-8")).hexdigest(), writes_so_far())
    kept = st.session_state.get(REPORT_KEPT)
    if kept is None or kept[0] != key:
        plan = plan_import(cursor(), file_name, data, workbook=frame_workbook(rows))
        kept = st.session_state[REPORT_KEPT] = (key, plan, {})
    return kept[1], kept[2]


def forget_upload() -> None:
    st.session_state.pop(KEPT, None)


def forget_report() -> None:
    st.session_state.pop(REPORT_KEPT, None)


def forget_everything_kept() -> None:
    """When the editor leaves 数据更新 (app.py)."""
    forget_upload()
    forget_report()
