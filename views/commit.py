"""Committing a previewed import on 数据更新, from a workbook or a report alike: one batch,
the query cache it makes stale cleared, and what happened shown once after the rerun."""
from __future__ import annotations

import duckdb
import streamlit as st

from charts.tables import preview_table
from store.imports import ImportPlan, commit_import
from views.auth import is_editor
from views.connection import clear_after_write, cursor

FLASH = "upload_flash"  # (message, table) shown once on 数据更新 after a commit or an undo


def commit_plan(plan: ImportPlan, user: str, round_key: str, source: str = "") -> None:
    """Write a checked plan as one batch (after checking the editor login once more); the
    counter under `round_key` is bumped so that its uploader starts empty. `source` says
    where the figures came from in the message, e.g. "从报告"."""
    if not is_editor():
        st.error("编辑登录已失效，请重新登录后再导入。")
        return
    landed = preview_table(plan, ("new", "changed"))
    try:
        result = commit_import(cursor(), plan, user)
    except duckdb.Error as err:
        st.error(f"写入失败，未写入任何数据：{err}")
        return
    clear_after_write()
    st.session_state[FLASH] = (f"已{source}导入为批次 {result.batch_id}：新增 {result.new} 条，修改 {result.changed} 条。"
                               "各页面已显示新数字。", landed)
    st.session_state[round_key] = st.session_state.get(round_key, 0) + 1
    st.rerun()
