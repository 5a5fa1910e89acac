"""数据更新 › 从报告提取: a report (uploaded or pasted) read into candidate figures, each
shown with its sentence; the editor checks and edits them, sees the usual preview
(new / changed / unchanged) and commits the accepted ones as one batch that keeps the
report file. Only drawn behind the editor login (views/upload.py); every write checks
`is_editor()` again when it runs.
"""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from indicators.catalog import load_catalog
from indicators.vocabulary import KINDS, PERIODS, QUALIFIERS
from loaders.filecheck import UnreadableFile
from loaders.reference import load_regions
from loaders.reports.context import ReportInfo, report_info
from loaders.reports.extract import NO, YES, Candidate, candidates_frame, extract_candidates
from loaders.reports.layout import around
from loaders.reports.reader import region_named
from loaders.reports.text import REPORT_SUFFIXES, report_text
from views.commit import commit_plan, show_issues, show_preview
from views.kept_upload import forget_report, kept_report_plan

ROUND = "report_round"    # bumped after a commit so the uploader and the table start anew
PASTED_NAME = "粘贴的报告.txt"
DEFAULT_USER = "网页上传"
CONTEXT_MARGIN = 200  # characters of the report either side of a figure
# A drop-down shows a blank as a grey None: these stand for "none" there and are read back as blank.
NO_INDICATOR, NO_QUALIFIER = "（未识别，请选择）", "（无）"
SHOWN = ["采纳", "指标", "地区", "口径", "年份", "期间", "类型", "数值", "限定", "单位", "原文（数字标出）", "置信", "位置", "理由"]


def _report_input(round_: int) -> tuple[str, bytes, str] | None:
    """(file name, bytes, text) of the report, or None before one is given."""
    how = st.radio("报告从哪里来", ["上传文件", "粘贴文字"], horizontal=True, key=f"report_how_{round_}")
    if how == "上传文件":
        uploaded = st.file_uploader("上传报告（.txt、.docx、.pdf、.html）", type=[s.lstrip(".") for s in REPORT_SUFFIXES],
                                    key=f"report_file_{round_}")
        if uploaded is None:
            return None
        data = uploaded.getvalue()
        try:
            return uploaded.name, data, report_text(uploaded.name, data)
        except UnreadableFile as err:
            st.error(str(err), icon=":material/error:")
            return None
    pasted = st.text_area("粘贴报告全文（含标题与落款更好）", height=220, key=f"report_paste_{round_}")
    if not pasted.strip():
        return None
    return PASTED_NAME, pasted.encode("utf-8"), pasted


def _report_details(text: str, round_: int, digest: str) -> ReportInfo | None:
    """The detected title, region and year, editable."""
    detected = report_info(text)
    names = [r.name for r in load_regions()]
    title_col, region_col, year_col = st.columns([3, 1, 1])
    title = title_col.text_input("报告标题（作为来源）", value=detected.title, key=f"report_title_{round_}_{digest}")
    region_name = region_col.selectbox("地区", names, key=f"report_region_{round_}_{digest}",
                                       index=names.index(detected.region.name) if detected.region else None,
                                       placeholder="请选择地区")
    year = year_col.number_input("年份", min_value=1990, max_value=2100, step=1, value=detected.year,
                                 key=f"report_year_{round_}_{digest}", placeholder="请填写年份")
    if region_name is None or year is None:
        st.info("请先确定报告的地区和年份。")
        return None
    return ReportInfo(title.strip(), region_named(region_name), int(year), detected.published, detected.is_plan)


def _marked(candidate: Candidate) -> str:
    """The sentence with its figure between 【】."""
    at = candidate.sentence.find(candidate.number_text)
    if at < 0:
        return candidate.sentence
    end = at + len(candidate.number_text)
    return f"{candidate.sentence[:at]}【{candidate.sentence[at:end]}】{candidate.sentence[end:]}"


def _editor_frame(candidates: list[Candidate], title: str) -> pd.DataFrame:
    frame = candidates_frame(candidates, title)
    frame["采纳"] = frame["采纳"] == YES
    frame["年份"] = pd.array([c.year for c in candidates], dtype="Int64")
    frame["原文（数字标出）"] = [_marked(c) for c in candidates]
    frame["指标"] = frame["指标"].replace("", NO_INDICATOR)
    frame["限定"] = frame["限定"].replace("", NO_QUALIFIER)
    return frame


def _edited_table(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    indicators = [i.name for i in load_catalog().indicators]
    column = st.column_config
    return st.data_editor(
        frame[SHOWN], key=key, hide_index=True, width="stretch", num_rows="fixed",
        disabled=["原文（数字标出）", "置信", "位置", "理由"],
        column_config={
            "采纳": column.CheckboxColumn("采纳", help="勾选的数字才会导入"),
            "指标": column.SelectboxColumn("指标", options=[NO_INDICATOR, *indicators], width="medium"),
            "地区": column.SelectboxColumn("地区", options=[r.name for r in load_regions()]),
            "期间": column.SelectboxColumn("期间", options=list(PERIODS)),
            "类型": column.SelectboxColumn("类型", options=list(KINDS)),
            "限定": column.SelectboxColumn("限定", options=[NO_QUALIFIER, *QUALIFIERS]),
            "年份": column.NumberColumn("年份", format="%d", min_value=1990, max_value=2100),
            "原文（数字标出）": column.TextColumn("原文（【】内为数字）", width="large"),
        })


def _paragraph_context(text: str, candidates: list[Candidate], round_: int) -> None:
    """The report's paragraph around one candidate, on demand."""
    labels = [f"{k + 1}. {c.number_text} · {c.position}" for k, c in enumerate(candidates)]
    chosen = st.selectbox("查看某个数字在报告中的上下文", labels, index=None, placeholder="选择一个数字",
                          key=f"report_context_{round_}")
    if chosen is None:
        return
    candidate = candidates[labels.index(chosen)]
    before, figure, after = around(text, candidate.offset, candidate.offset + len(candidate.number_text), CONTEXT_MARGIN)
    st.text(f"……{before}【{figure}】{after}……")


def report_extract_section() -> None:
    st.markdown("上传或粘贴一份法治政府建设年度报告、工作总结或简报：系统找出其中的数字，连同原句、期间、口径、"
                "限定一并列出。**请逐条核对**（可改指标、期间、口径等，勾选“采纳”），确认后作为一个批次写入，可撤销。")
    round_ = st.session_state.get(ROUND, 0)
    given = _report_input(round_)
    if given is None:
        forget_report()
        return
    file_name, data, text = given
    digest = hashlib.sha256(data).hexdigest()[:12]
    info = _report_details(text, round_, digest)
    if info is None:
        return
    candidates = extract_candidates(text, info)
    if not candidates:
        st.info("报告中没有找到数字。")
        return
    frame = _editor_frame(candidates, info.title or file_name)
    accepted = int(frame["采纳"].sum())
    st.caption(f"找到 {len(candidates)} 个数字，其中 {accepted} 个的指标、地区、期间和单位都已识别，已预先勾选。")
    key = f"report_table_{round_}_{digest}_{info.region.id}_{info.year}_{hashlib.sha1(info.title.encode()).hexdigest()[:6]}"
    edited = _edited_table(frame, key)
    _paragraph_context(text, candidates, round_)
    chosen = edited.assign(采纳=edited["采纳"].map({True: YES, False: NO}), 原文=frame["原文"], 来源=frame["来源"],
                           备注=frame["备注"], 指标=edited["指标"].replace(NO_INDICATOR, ""),
                           限定=edited["限定"].replace(NO_QUALIFIER, ""))
    if not (chosen["采纳"] == YES).any():
        st.info("没有勾选任何数字。")
        return
    user = st.text_input("操作人（记入导入历史）", value=DEFAULT_USER, key="report_user").strip() or DEFAULT_USER
    plan, tables = kept_report_plan(file_name, data, digest, chosen)
    if not plan.ok:
        show_issues(plan, key="report", fix="请在上表中改正。", headers={"工作表": "来源", "行": "表中行"})
        return
    show_preview(plan, key="report", tables=tables)
    if not plan.has_changes:
        st.info("没有新的或变化的数字，无需导入。")
        return
    if st.button("确认导入报告数字", type="primary", key="confirm_report_import", icon=":material/task_alt:"):
        commit_plan(plan, user, ROUND, source="从报告", tables=tables)
