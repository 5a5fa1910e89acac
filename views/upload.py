"""数据更新: upload an office's workbook, see every problem or what would change, confirm,
and undo a batch later. Nothing is written before 确认导入.

The page body is `upload_page()`, run only behind the editor login; every write checks
`is_editor()` again when it runs.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from exports.template import lists_from_db, template_bytes
from loaders.filecheck import UnreadableFile
from queries import sql as q
from store.batches import UndoRefused, undo_batch
from views.auth import is_editor, require_editor
from views.commit import FLASH, commit_plan, show_issues, show_preview
from views.common import md_escape, preview_dataframe
from views.connection import clear_after_write, connection, cursor, fetch
from views.kept_upload import forget_upload, kept_plan, kept_workbook
from views.report_extract import report_extract_section

ROUND = "upload_round"  # bumped after a commit so the uploader starts empty
PENDING_UNDO = "upload_pending_undo"  # the batch whose 撤销 was pressed, awaiting 确认撤销
HISTORY_LIMIT = 20
DEFAULT_USER = "网页上传"


def _template_download() -> None:
    st.download_button("下载空白填报模板（.xlsx）", data=lambda: template_bytes(*lists_from_db(cursor())),
                       file_name="法治政府建设指标填报模板.xlsx", on_click="ignore", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _show_publication_failure() -> None:
    """The last snapshot could not be published (a full disk, a directory not writable): every
    write still lands in the database, but replicas and the commands run beside the dashboard
    go on reading the snapshot before, and nobody but the console would know."""
    failed = connection().publisher.last_error
    if failed is not None:
        st.warning(f"最近一次数据快照发布失败（{md_escape(failed)}）：数据已写入数据库，但只读副本和看板运行时的命令行"
                   "仍显示发布前的数字。请管理员检查快照目录（见 README“运维”）；下一次写入会再试。", icon=":material/warning:")


def _show_flash() -> None:
    flash = st.session_state.pop(FLASH, None)
    if flash is None:
        return
    message, table = flash
    st.success(message, icon=":material/check_circle:")
    if table is not None and not table.empty:
        preview_dataframe(table)


def _choose_region(sheets: list[str]) -> str | None:
    names = list(fetch(q.regions())["name"])
    return st.selectbox(f"工作表“{md_escape('、'.join(sheets))}”没有“地区”列：这些数字属于哪个地区？", names, index=None,
                        placeholder="请选择地区", key="upload_region")


def _import_section() -> None:
    uploaded = st.file_uploader("上传填报表（.xlsx、.xls 或 .csv）", type=["xlsx", "xls", "csv"],
                                key=f"upload_file_{st.session_state.get(ROUND, 0)}")
    if uploaded is None:
        forget_upload()
        return
    data = uploaded.getvalue()
    try:
        workbook = kept_workbook(uploaded.file_id, uploaded.name, data)
    except UnreadableFile as err:
        st.error(md_escape(err), icon=":material/error:")
        return
    for note in workbook.notes:
        st.caption(md_escape(note))
    for warning in workbook.warnings:  # a statistical form's audit rules: shown, not blocking
        st.warning(f"审核提示：{md_escape(warning)}", icon=":material/rule:")
    region = _choose_region(workbook.sheets_without_region) if workbook.sheets_without_region else None
    if workbook.sheets_without_region and region is None:
        st.info("请先选择地区，再检查数据。")
        return
    allow_new = st.checkbox("允许新建指标：表中未登记的指标按其名称和单位新建", key="upload_allow_new")
    user = st.text_input("操作人（记入导入历史）", value=DEFAULT_USER, key="upload_user").strip() or DEFAULT_USER
    kept = kept_plan(uploaded.file_id, uploaded.name, data, region, allow_new)
    plan = kept.plan
    if not plan.ok:
        show_issues(plan, key="upload")
        return
    if plan.workbook.has_no_table:
        st.error("文件中没有找到可识别的表格（明细表、汇总表或统计报表），未写入任何数据。"
                 "表头需要“指标”列，以及“年份”和“数值”列或以年份为列名的各列；可下载填报模板对照。",
                 icon=":material/error:")
        return
    if plan.validation.rows.empty:
        st.info("文件中没有找到可导入的数字。")
        return
    show_preview(plan, key="upload", tables=kept.tables)
    if not plan.has_changes:
        st.info("没有新的或变化的数字，无需导入。")
        return
    if st.button("确认导入", type="primary", key="confirm_import", icon=":material/task_alt:"):
        commit_plan(plan, user, ROUND, tables=kept.tables)


def _undo(batch_id: int) -> None:
    st.session_state.pop(PENDING_UNDO, None)
    if not is_editor():
        st.error("编辑登录已失效，请重新登录后再撤销。")
        return
    try:
        result = undo_batch(cursor(), batch_id, user=st.session_state.get("upload_user") or DEFAULT_USER)
    except UndoRefused as err:
        st.error(str(err), icon=":material/block:")
        return
    clear_after_write()
    st.session_state[FLASH] = (result.describe(), None)
    st.rerun()


def _text(value: object) -> str:
    """A batch's optional text (user, file name, hash): blank when missing, never "nan"."""
    return "" if value is None or pd.isna(value) else str(value)


def _what_it_did(batch: pd.Series) -> str:
    if batch["kind"] == "undo":
        readded = f"，重新加入 {batch['n_new']}" if batch["n_new"] else ""
        return f"删除 {batch['n_removed']}，恢复 {batch['n_changed']}{readded}"
    return f"新增 {batch['n_new']}，修改 {batch['n_changed']}"


def _batch_line(batch: pd.Series) -> str:
    when = pd.Timestamp(batch["created_at"]).strftime("%Y-%m-%d %H:%M")
    kinds = {"curated": "初始载入", "import": "导入", "undo": "撤销"}
    # user and file names are user text: escaped so they cannot become links or formatting
    parts = [f"**批次 {batch['id']}**", when, kinds.get(batch["kind"], batch["kind"]),
             md_escape(_text(batch["user_name"]))]
    if _text(batch["file_name"]):
        parts.append(f"{md_escape(batch['file_name'])}（SHA-256 {_text(batch['file_sha256'])[:12]}）")
    parts.append(_what_it_did(batch))
    if pd.notna(batch["undoes"]):
        parts.append(f"撤销了批次 {int(batch['undoes'])}")
    if pd.notna(batch["undone_by"]):
        parts.append(f"已由批次 {int(batch['undone_by'])} 撤销")
    return " · ".join(p for p in parts if p)


def _confirm_undo(batch: pd.Series) -> None:
    """The second step of an undo: what it will do, then 确认撤销 or 取消."""
    effects = [f"删除它写入的 {batch['n_new']} 条数字" if batch["n_new"] else "",
               f"把它修改的 {batch['n_changed']} 条数字恢复为原值" if batch["n_changed"] else "",
               f"重新加入它删除的 {batch['n_removed']} 条数字" if batch["n_removed"] else ""]
    with st.container(border=True):
        st.warning(f"确定撤销批次 {batch['id']}？撤销将" + "，".join(e for e in effects if e) +
                   "。撤销本身也会记为一个批次，之后可以再撤销它。", icon=":material/warning:")
        confirm, cancel = st.columns(2)
        if confirm.button("确认撤销", type="primary", key=f"confirm_undo_{batch['id']}", icon=":material/undo:"):
            _undo(int(batch["id"]))
        if cancel.button("取消", key=f"cancel_undo_{batch['id']}"):
            st.session_state.pop(PENDING_UNDO, None)
            st.rerun()


def _history_section() -> None:
    st.subheader("导入历史")
    batches = fetch(q.batches())
    if batches.empty:
        st.caption("还没有任何批次。")
        return
    st.caption("每次导入都是一个批次，可整体撤销；撤销也是一个批次，同样可以撤销。"
               "初始载入的整理数据只能由管理员用命令行撤销。")
    for _, batch in batches.head(HISTORY_LIMIT).iterrows():
        text, action = st.columns([6, 1], vertical_alignment="center")
        text.markdown(_batch_line(batch))
        undoable = batch["kind"] in ("import", "undo") and pd.isna(batch["undone_by"])
        if undoable and action.button("撤销", key=f"undo_{batch['id']}", icon=":material/undo:"):
            st.session_state[PENDING_UNDO] = int(batch["id"])
        if undoable and st.session_state.get(PENDING_UNDO) == batch["id"]:
            _confirm_undo(batch)


def upload_page() -> None:
    st.title("数据更新")
    _show_flash()
    _show_publication_failure()
    st.markdown("上传各单位报来的 Excel 或 CSV 表格：系统先逐格检查，列出将新增、修改的数字，"
                "**确认后才写入**，每次导入都可撤销。")
    workbook_tab, report_tab = st.tabs(["上传填报表", "从报告提取"], key="upload_source")
    with workbook_tab:
        _template_download()
        _import_section()
    with report_tab:
        report_extract_section()
    _history_section()


if require_editor():
    upload_page()
