"""Pieces every page shares: choosers kept in the URL, a chart with its image download,
and the page's ZIP of all its charts.

Every choice lives in st.query_params, so a leader can send a colleague the very view
they see. Images are generated only when asked for (a callable passed to the download
button), since a PNG costs a chromium render.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.images import report_png, report_pngs, zip_pngs
from charts.meta import ChartMeta, camera_config
from queries import sql as q
from views.connection import fetch
from views.plotly_element import plotly_element

DEFAULT_REGION = "姑苏区"
PAGE_CHARTS = "_page_charts"
# A page's chart for its ZIP, made when called (None: nothing to draw). PAGE_CHARTS keeps
# each beside whether it is known to exist before it is made.
MadeChart = Callable[[], tuple[go.Figure, ChartMeta] | None]


def indicators_with_data() -> pd.DataFrame:
    frame = fetch(q.indicators_with_data())
    return frame[frame["n_observations"] > 0]


def all_regions() -> pd.DataFrame:
    return fetch(q.regions())


def lookup(keys: pd.Series, values: pd.Series) -> dict:
    """{key: value} of two columns, converted whole as store.frame.each_row does: the
    2,848 regions of the 3M bench took 5 ms item by item on every run of 趋势, 0.7 ms so."""
    return dict(zip(keys.tolist(), values.tolist()))


def _param_list(name: str) -> list[str]:
    return [v for v in st.query_params.get_all(name) if v]


# What each URL parameter was last set to by this session's own choice (pick_one, pick_many):
# a value the URL still holds from it was chosen here, not given by a shared link.
_WRITTEN = "_url_written"


def _own(param: str, value: object) -> bool:
    return st.session_state.get(_WRITTEN, {}).get(param) == value


def _written(param: str, value: object) -> None:
    st.session_state.setdefault(_WRITTEN, {})[param] = value


def _replaced(label: str, param: str, asked: object, shown: str) -> None:
    """Say that what the URL asked for has no figures here and what is shown instead: from a
    shared link, or from an earlier choice on this page (another region has no such year).
    Drawn below the chooser, so that choosers side by side stay level. (The URL's own text
    is not echoed.)"""
    whose = "原先所选的" if _own(param, asked) else "链接指定的"
    st.info(f"{whose}{label.split('（')[0]}在这里没有数字，{shown}。", icon=":material/info:")


def pick_one(label: str, options: Sequence[str], param: str, default: str | None = None,
             format_func: Callable[[str], str] = str, key: str | None = None) -> str | None:
    """A selectbox whose choice is read from and written to the URL."""
    if not options:
        return None
    wanted = st.query_params.get(param)
    start = wanted if wanted in options else (default if default in options else options[0])
    choice = st.selectbox(label, options, index=list(options).index(start), format_func=format_func,
                          key=key or f"pick_{param}")
    if wanted and wanted not in options:
        _replaced(label, param, wanted, f"已改为显示“{md_escape(format_func(start))}”")
    st.query_params[param] = choice
    _written(param, choice)
    return choice


def pick_many(label: str, options: Sequence[str], param: str, default: Sequence[str],
              format_func: Callable[[str], str] = str, key: str | None = None,
              placeholder: str = "请选择（可多选）") -> list[str]:
    """A multiselect whose choices are read from and written to the URL. Streamlit's own
    placeholder and "Select all" entry are English: the one is replaced, the other left
    out (a dashboard of thousands of regions has no use for choosing them all)."""
    asked = _param_list(param)
    kept = [v for v in asked if v in options]
    wanted = kept or [d for d in default if d in options]
    chosen = st.multiselect(label, options, default=wanted, format_func=format_func, key=key or f"pick_{param}",
                            placeholder=placeholder, select_all=False)
    if len(kept) < len(asked):
        left = len(asked) - len(kept)
        shown = (f"已略去其中 {left} 个" if kept else
                 f"已改为显示“{md_escape('、'.join(format_func(c) for c in wanted))}”" if wanted else "已改为不限")
        _replaced(label, param, asked, shown)
    st.query_params[param] = chosen
    _written(param, chosen)
    return chosen


# Past this many regions with figures a region chooser first asks for their parent.
# Streamlit rebuilds every option of a multiselect on each rerun: with ~2,850 counties (the
# 3M bench catalogue) that was ~60 ms of each filter → chart (bench/RESULTS.md).
REGION_OPTIONS_MAX = 60
_TOP_LEVEL = "（无上级地区）"


def pick_regions(label: str, regions: pd.DataFrame, param: str, default: Sequence[str]) -> list[str]:
    """Regions (rows of queries.sql.indicator_regions) chosen in a multiselect, read from
    and written to the URL. With more than REGION_OPTIONS_MAX, a 上级地区 chooser comes
    first and the multiselect lists that parent's regions plus those already chosen, so a
    choice can still span parents."""
    names = lookup(regions["region_id"], regions["region"])
    if len(regions) <= REGION_OPTIONS_MAX:
        return pick_many(label, list(names), param, default, names.get)
    chosen = [v for v in _param_list(param) if v in names] or [d for d in default if d in names]
    counts = regions.groupby("parent_id", sort=False).size()
    parent_names = lookup(regions["parent_id"], regions["parent"])
    start = regions.loc[regions["region_id"] == chosen[0], "parent_id"].iloc[0] if chosen else counts.index[0]
    parent = pick_one("上级地区", list(counts.index), f"{param}_parent", start,
                      lambda p: f"{parent_names[p] or _TOP_LEVEL}（{counts[p]} 个地区）")
    under = regions.loc[regions["parent_id"] == parent, "region_id"].tolist()
    options = [*chosen, *(r for r in under if r not in chosen)]
    return pick_many(label, options, param, chosen, names.get)


def indicator_picker(indicators: pd.DataFrame, param: str = "indicator", default: str = "mediation_resolved",
                     label: str = "指标") -> str | None:
    names = lookup(indicators["id"], indicators["name"] + "（" + indicators["unit"] + "）")
    return pick_one(label, list(names), param, default, format_func=names.get)


def start_page_charts() -> None:
    st.session_state[PAGE_CHARTS] = {}


def _with_notes(meta: ChartMeta, notes: Sequence[str]) -> ChartMeta:
    return ChartMeta(meta.title, meta.subtitle, meta.source, tuple(meta.footnotes) + tuple(notes))


def keep_chart(fig: go.Figure, meta: ChartMeta, notes: Sequence[str] = (), key: str = "") -> ChartMeta:
    """Puts a chart in the page's ZIP without drawing it (one in a closed tab still belongs
    to the page), and returns its full description."""
    full = _with_notes(meta, notes)
    # By key: a fragment's rerun (breakdown_section) redraws its chart in its own place.
    st.session_state.setdefault(PAGE_CHARTS, {})[key] = (lambda: (fig, full), True)
    return full


def keep_chart_unmade(make: Callable[[], tuple[go.Figure, ChartMeta, Sequence[str]] | None], key: str) -> None:
    """Puts in the page's ZIP a chart that nobody sees yet (its tab is closed), read and
    made only if the ZIP is downloaded: `make` returns the figure, its description and its
    notes, or None when there is nothing to draw. It runs outside the page's run (a
    deferred download), so it must not touch the session. 趋势's 同比 chart cost each filter
    change its query (~13 ms at 300k when not cached) and its figure (~17 ms at 10k)."""
    def made() -> tuple[go.Figure, ChartMeta] | None:
        chart = make()
        return None if chart is None else (chart[0], _with_notes(chart[1], chart[2]))
    st.session_state.setdefault(PAGE_CHARTS, {})[key] = (made, False)


def chart(fig: go.Figure, meta: ChartMeta, notes: Sequence[str] = (), key: str = "") -> None:
    """The interactive chart, its footnotes, and a 下载图片 button for a report-ready PNG."""
    full = keep_chart(fig, meta, notes, key)
    plotly_element(fig, camera_config(full.file_stem), key=f"chart_{key}")
    # One place for the notes, however many: a count that changed from one filter to the next
    # moved what follows, and the browser drew the charts below it anew instead of updating them.
    footnotes = st.empty()
    if full.footnotes:
        footnotes.caption("  \n".join(f"注：{md_escape(note)}" for note in full.footnotes))
    st.download_button("下载图片（含标题、来源和注释）", data=lambda: report_png(fig, full),
                       file_name=f"{full.file_stem}.png", mime="image/png", key=f"png_{key}",
                       on_click="ignore", icon=":material/image:")


def page_zip_button(page_name: str) -> None:
    """All charts of this page in one ZIP, rendered when downloaded. The label counts them
    when each is known; a chart not yet read (keep_chart_unmade) may turn out to have
    nothing to draw, so then it gives no number rather than a wrong one."""
    # The page's own dict, read when the button is pressed: a fragment rerun since the page
    # ran (a breakdown chosen) has replaced its chart in it.
    charts = st.session_state.get(PAGE_CHARTS, {})
    if not charts:
        return
    known = all(certain for _, certain in charts.values())
    st.download_button(f"下载本页全部图表（{len(charts)} 张，ZIP）" if known else "下载本页全部图表（ZIP）",
                       data=lambda: zip_pngs(_made_pngs(charts)),
                       file_name=f"{page_name}_全部图表.zip", mime="application/zip", key="page_zip",
                       on_click="ignore", icon=":material/folder_zip:")


def _made_pngs(charts: dict[str, tuple[MadeChart, bool]]) -> list[tuple[str, bytes]]:
    made = [m for m in (make() for make, _ in charts.values()) if m is not None]
    return [(full.file_stem, png) for (_, full), png in zip(made, report_pngs(made), strict=True)]


def as_table(frame: pd.DataFrame, headers: dict[str, str], order: Sequence[str]) -> pd.DataFrame:
    """The columns of a page's table under their Chinese headers, in order, with missing
    text shown blank: st.dataframe writes a grey "None" where, say, an uploaded figure has
    no report sentence. Numbers are left as they are (a missing one stays missing)."""
    table = frame.rename(columns=headers)[list(order)]
    text = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
    return table.fillna({c: "" for c in text})


# GFM turns a bare URL or e-mail address into a link after escapes are resolved, so
# escaping cannot stop it: a word joiner (invisible, U+2060) inside "://", after "www"
# and before "@" breaks the pattern while the text reads the same.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(?=://)|(?<=www)(?=\.)|(?=@)")
_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()<>#+-.!|~$:")


def preview_dataframe(table: pd.DataFrame) -> None:
    """An import's preview (charts.tables.preview_table). 指标 is held to a medium width so
    that 新值, right after it, stays on a phone's screen without scrolling sideways."""
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"指标": st.column_config.TextColumn(width="medium"),
                                "年份": st.column_config.NumberColumn(format="%d")})


def md_escape(text: object) -> str:
    """The one rule for user-supplied text (names, definitions, file names, notes) shown
    through Markdown (markdown, caption, info, metric labels and help, expander labels):
    it stays text, never a link, an image, HTML or formatting."""
    unlinked = _AUTOLINK.sub("\u2060", str(text))
    return "".join("\\" + c if c in _MARKDOWN_PUNCTUATION else c for c in unlinked)


def page_at(url_path: str) -> str | None:
    """The script of the app's page served at /url_path, when app.py's navigation has one
    (a page another part of the app may or may not offer, such as 数据征集)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    pages = ctx.pages_manager.get_pages().values() if ctx is not None else []
    return next((p["script_path"] for p in pages if p.get("url_pathname") == url_path), None)


COLLECTION_PAGE = "collection"  # 数据征集: where offices are asked for the missing figures


def link_to_collection() -> None:
    """A link to 数据征集, only when the app has that page."""
    script = page_at(COLLECTION_PAGE)
    if script is not None:
        st.page_link(script, label="去“数据征集”页请各地区报送数字", icon=":material/forward_to_inbox:")


def empty(message: str) -> None:
    st.info(message, icon=":material/info:")


def no_data_at_all(indicators: pd.DataFrame) -> bool:
    """True (after saying so) when the database holds no figure yet. `indicators` are rows of
    queries.sql.indicators_with_data the page has read anyway (all, or those with figures):
    read here again, the cached result was unpickled twice on every run."""
    if indicators["n_observations"].sum() == 0:
        empty("数据库中还没有任何数字。请在“数据更新”页上传填报表，或由管理员运行 `fazhi init` 载入整理好的数据。")
        return True
    return False


def chinese_widget_static_css() -> str:
    """Chinese for the texts Streamlit's widgets write in English and offer no parameter
    for: the uploader's "Upload" button and "20MB per file • XLSX…" line, and a text
    input's "Press Enter to apply". The English is hidden and the Chinese drawn in its
    place. Fixed text and the configured upload limit only, never data; not the file types,
    which differ between uploaders (workbooks, reports) and each one's label names."""
    limit = st.get_option("server.maxUploadSize")
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {{ content: "选择文件"; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "或把文件拖到这里 · 单个文件不超过 {limit}MB"; font-size: 0.875rem; opacity: 0.7; }}
[data-testid="InputInstructions"] > span {{ display: none; }}
[data-testid="InputInstructions"]::after {{ content: "按回车键确认"; }}
</style>"""


def chinese_interface_script() -> str:
    """The script (views/static/interface_zh.js, fixed text) that puts Chinese in place of
    the English Streamlit and Plotly write in tooltips, placeholders and messages."""
    return "<script>" + (Path(__file__).parent / "static" / "interface_zh.js").read_text(encoding="utf-8") + "</script>"


def whole_labels_css() -> str:
    """Card labels and values wrap instead of ending in an ellipsis: a label cut after the
    indicator's name hides its period, scope or qualifier ("…（1-10月）"), and a part-year
    figure would read as a full year's."""
    return """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] > div,
[data-testid="stMetricLabel"] .stMarkdownEllipsis, [data-testid="stMetricLabel"] p,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] .stMarkdownEllipsis, [data-testid="stMetricValue"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; height: auto !important; min-height: 0; }
</style>"""
