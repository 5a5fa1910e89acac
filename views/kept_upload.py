"""The file on 数据更新, read and checked once: kept in the session across the page's reruns.

Streamlit reruns the whole page on every widget change. Without this, typing the 操作人,
ticking a box or pressing 确认导入 read, validated and previewed the upload again: 4–5 s
for a 100k-row workbook, before the commit even began. The read workbook is kept per
upload (Streamlit's file id: a file uploaded again is read again); the plan also per
region, 允许新建指标 and the writes this process has made (views/connection.writes_so_far),
so that a commit or an undo anywhere re-checks the file against the new figures.

One upload per session is kept, and dropped when the uploader is emptied (also after a
commit, which starts a new one) and when the editor opens another page (app.py): the bench's
100k-row workbook, planned with its tables, held ~260 MB.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from loaders.readers import reader_for
from loaders.workbook import ParsedWorkbook
from store.imports import ImportPlan, plan_import
from views.connection import cursor, writes_so_far

KEPT = "upload_kept"


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


def forget_upload() -> None:
    st.session_state.pop(KEPT, None)
