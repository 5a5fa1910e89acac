"""A checked import on 数据更新, from a workbook or a report alike: its problems or its
preview (plausibility warnings, new indicators, what will be added and changed), and its
commit as one batch, the query cache it makes stale cleared, and what happened shown once
after the rerun."""
from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd
import streamlit as st

from charts.tables import preview_table, warnings_table
from exports.issues import issues_workbook
from indicators.vocabulary import STATUS_LABELS
from loaders.validate import issues_frame
from store.imports import ImportPlan, commit_import
from views.auth import is_editor
from views.common import md_escape, preview_dataframe
from views.connection import clear_after_write, cursor

FLASH = "upload_flash"  # (message, table) shown once on 数据更新 after a commit or an undo


def show_issues(plan: ImportPlan, key: str, fix: str = "请改正后重新上传。",
                headers: dict[str, str] | None = None) -> None:
    """Why nothing was written: every problem, and the list as a workbook. `key` keeps
    the widgets of the page's two import tabs apart; `headers` renames the list's columns
    where the figures came from a report rather than a sheet."""
    issues = plan.validation.issues
    st.error(f"发现 {len(issues)} 个问题，未写入任何数据。{fix}", icon=":material/error:")
    st.dataframe(issues_frame(issues).rename(columns=headers or {}), hide_index=True, width="stretch")
    # made when downloaded, not on every rerun of the page (0.5 s for 10k problems)
    st.download_button("下载问题清单（.xlsx）", data=lambda: issues_workbook(issues), file_name="导入问题清单.xlsx",
                       on_click="ignore", icon=":material/download:", key=f"{key}_issues_download",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _made(tables: dict[str, pd.DataFrame], name: str, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    if name not in tables:
        tables[name] = make()
    return tables[name]


def show_preview(plan: ImportPlan, key: str, tables: dict[str, pd.DataFrame] | None = None) -> None:
    """What a checked import will write, before the editor confirms it. `tables` keeps the
    plan's tables in Chinese across reruns where the caller keeps the plan (0.3 s for
    20k rows: one formatted value per row)."""
    tables = {} if tables is None else tables
    for new in plan.validation.new_indicators:
        st.warning(f"将新建指标“{md_escape(new.name)}”（单位：{md_escape(new.unit)}），暂归入“{new.category_name}”类，"
                   "可在指标目录中调整。", icon=":material/add_circle:")
    if not plan.warnings.empty:  # plausibility: a reminder to check, never a refusal
        st.warning(f"请核对 {len(plan.warnings)} 处可能的笔误（仅提醒，不影响导入）。", icon=":material/rule:")
        st.dataframe(_made(tables, "warnings", lambda: warnings_table(plan.warnings)), hide_index=True,
                     width="stretch", key=f"{key}_plausibility_warnings")
    for column, (status, label) in zip(st.columns(3), STATUS_LABELS.items()):
        column.metric(label, f"{plan.count(status)} 条")
    tabs = st.tabs([f"{label}（{plan.count(status)}）" for status, label in STATUS_LABELS.items()])
    for tab, status in zip(tabs, STATUS_LABELS):
        with tab:
            table = _made(tables, status, lambda status=status: preview_table(plan, (status,)))
            if status != "changed":
                table = table.drop(columns="原值")
            if table.empty:  # an empty st.dataframe says "empty", in English
                st.caption(f"没有{STATUS_LABELS[status]}的数字。")
            else:
                preview_dataframe(table)


def commit_plan(plan: ImportPlan, user: str, round_key: str, source: str = "",
                tables: dict[str, pd.DataFrame] | None = None) -> None:
    """Write a checked plan as one batch (after checking the editor login once more); the
    counter under `round_key` is bumped so that its uploader starts empty. `source` says
    where the figures came from in the message, e.g. "从报告"; `tables` as for show_preview."""
    if not is_editor():
        st.error("编辑登录已失效，请重新登录后再导入。")
        return
    tables = {} if tables is None else tables
    parts = [_made(tables, status, lambda status=status: preview_table(plan, (status,))) for status in ("new", "changed")]
    # an empty part is left out: its columns, all object, would make 年份 one too
    landed = pd.concat([part for part in parts if not part.empty] or parts[:1], ignore_index=True)
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
