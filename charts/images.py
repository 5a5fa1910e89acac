"""Report-ready PNGs: the chart with its title, region and period, source and footnotes
drawn into the image, so a pasted chart still says where its numbers come from.

Kaleido 1.x renders through Debian's chromium (BROWSER_PATH). One Kaleido browser is
kept warm on its own event-loop thread (~0.2 s a chart instead of ~3 s for a cold
start). Kaleido's own `start_sync_server` does the same but waits forever when chromium
fails to start or dies, and its shared server is not thread-safe (it has handed one
caller's image to another), so every render here holds one process-wide lock, has a
timeout, and a broken browser is replaced on the next call. The charts of one request
(a page's ZIP, a briefing) render side by side in the browser's TABS tabs.
"""
from __future__ import annotations

import asyncio
import atexit
import io
import math
import os
import threading
import unicodedata
import zipfile
from collections.abc import Sequence

import plotly.graph_objects as go

from charts.format import plotly_text
from charts.meta import FONT_FAMILY, ChartMeta

os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
import kaleido  # noqa: E402  (reads BROWSER_PATH when it starts chromium)
from kaleido.errors import JavascriptError, KaleidoError  # noqa: E402

SCALE = 2
RENDER_TIMEOUT_S = 60.0
# Tabs rendering at once: twelve charts took 4.3–4.9 s in one tab and 3.3–3.8 s in two on
# this 2-core machine; three were no faster than two (bench/RESULTS.md, ninth pass).
TABS = 2
START_TIMEOUT_S = 60.0

# Pixel layout of the decorated image (at scale 1).
TITLE_PX, SUBTITLE_PX, FOOTER_PX, LEGEND_PX = 22, 15, 13, 13
LINE_HEIGHT = 1.45
SIDE_MARGIN = 70
AXIS_PX = 60  # tick labels and axis title below the plot area
MIN_PLOT_PX = 200  # below this the image grows taller rather than squeezing the chart


def text_width(text: str, font_px: int) -> float:
    """Approximate rendered width: CJK and full-width characters are about one em,
    Latin letters and digits about half of one."""
    return sum(font_px if unicodedata.east_asian_width(c) in "WF" else font_px * 0.55 for c in text)


# A line may not start with closing punctuation, so it stays on the line before.
_NO_LINE_START = set("，。、；：？！）》」』”’%,.;:?!)")


def wrap(text: str, font_px: int, width_px: float) -> list[str]:
    """Greedy wrap by estimated width; Chinese text has no spaces to break at."""
    lines, line = [], ""
    for char in text:
        if line and text_width(line + char, font_px) > width_px and char not in _NO_LINE_START:
            lines.append(line)
            line = ""
        line += char
    return lines + [line] if line else lines


def _lines_px(n: int, font_px: int) -> int:
    return round(n * font_px * LINE_HEIGHT)


def _legend_rows(fig: go.Figure, width_px: float) -> int:
    """Rows a horizontal legend needs at this width; 0 when the figure shows none."""
    names = [t.name or "" for t in fig.data if t.showlegend is not False]
    if fig.layout.showlegend is False or (fig.layout.showlegend is None and len(names) < 2):
        return 0
    rows, used = 1, 0.0
    for name in names:
        item = 50 + text_width(name, LEGEND_PX)  # symbol, gap and padding
        if used and used + item > width_px:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _text_block(fig: go.Figure, lines: list[str], font_px: int, color: str, from_plot_top: float) -> None:
    """Lines of one size whose top edge sits from_plot_top pixels above the plot area
    (negative: below its top). Escaped: plotly reads '<' and '&' as markup."""
    fig.add_annotation(text="<br>".join(plotly_text(line) for line in lines),
                       xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="top", yshift=from_plot_top,
                       align="left", showarrow=False, font={"size": font_px, "color": color})


def decorate(fig: go.Figure, meta: ChartMeta, width: int = 1200, height: int = 700) -> go.Figure:
    """A copy of fig with title, subtitle, source and footnotes drawn in, laid out in
    pixels so nothing overlaps or is cut off. Its layout carries the final size: width
    by height, taller only when the footnotes would squeeze the plot below MIN_PLOT_PX."""
    text_px = width - 2 * SIDE_MARGIN
    title = wrap(meta.title, TITLE_PX, text_px)
    subtitle = wrap(meta.subtitle, SUBTITLE_PX, text_px)
    footer = wrap(f"来源：{meta.source}", FOOTER_PX, text_px) if meta.source else []
    for note in meta.footnotes:
        footer += wrap(note, FOOTER_PX, text_px)

    out = go.Figure(fig)
    legend_rows = _legend_rows(out, text_px)
    title_px, subtitle_px = _lines_px(len(title), TITLE_PX), _lines_px(len(subtitle), SUBTITLE_PX)
    # A unit written above the y axis (figures.y_label_spec) needs its own line below the subtitle.
    y_label_px = 18 if any((a.yref or "").endswith("domain") for a in out.layout.annotations) else 0
    top = 20 + title_px + (8 + subtitle_px if subtitle else 0) + 30 + y_label_px
    below_plot = AXIS_PX + _lines_px(legend_rows, LEGEND_PX) + 16
    bottom = below_plot + _lines_px(len(footer), FOOTER_PX) + 20
    total = max(height, top + MIN_PLOT_PX + bottom)
    plot_px = total - top - bottom

    # The title is an annotation too: plotly.js misplaces a layout title of several
    # lines (it rises off the top edge), and long titles must wrap.
    out.update_layout(
        width=width, height=total, autosize=False, title_text=None,
        font={"family": FONT_FAMILY, "size": 14}, paper_bgcolor="white", plot_bgcolor="white",
        margin={"t": top, "l": SIDE_MARGIN, "r": 40, "b": bottom},
    )
    _text_block(out, title, TITLE_PX, "#222", from_plot_top=top - 20)
    if subtitle:
        _text_block(out, subtitle, SUBTITLE_PX, "#555", from_plot_top=top - 20 - title_px - 8)
    if legend_rows:
        # Horizontal, just below the tick labels: the footnotes start after its last row.
        out.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left",
                                  "y": -AXIS_PX / plot_px, "yanchor": "top", "font": {"size": LEGEND_PX}})
    if footer:
        _text_block(out, footer, FOOTER_PX, "#444", from_plot_top=-(plot_px + below_plot))
    return out


class _Renderer:
    """One Kaleido browser with TABS tabs, driven from its own event-loop thread."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: kaleido.Kaleido | None = None

    def _start(self) -> None:
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True).start()

        async def open_browser() -> kaleido.Kaleido:
            # No MathJax: it would be fetched from a CDN, and the charts use no TeX.
            browser = kaleido.Kaleido(n=TABS, timeout=RENDER_TIMEOUT_S, mathjax=False)
            await browser.open()
            return browser

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), self._loop).result(START_TIMEOUT_S)
        except BaseException:
            self.close()
            raise

    def render_many(self, jobs: Sequence[tuple[go.Figure, int, int]]) -> list[bytes]:
        """PNGs of (figure, width, height) jobs, in their order; Kaleido hands each job a
        free tab, so up to TABS render at once."""
        if self._kaleido is None:
            self._start()
        browser = self._kaleido

        async def all_jobs() -> list[bytes]:
            return await asyncio.gather(*(
                browser.calc_fig(fig, opts={"format": "png", "width": width, "height": height, "scale": SCALE})
                for fig, width, height in jobs))

        future = asyncio.run_coroutine_threadsafe(all_jobs(), self._loop)
        try:
            return future.result(RENDER_TIMEOUT_S * math.ceil(len(jobs) / TABS) + 5)
        except (KaleidoError, JavascriptError):
            raise  # the figure was bad; the browser is fine
        except BaseException:
            future.cancel()
            self.close()  # hung or dead: the next call starts a fresh browser
            raise

    def close(self) -> None:
        loop, browser = self._loop, self._kaleido
        self._loop = self._kaleido = None
        if loop is None:
            return
        if browser is not None:
            try:
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(10)
            except Exception:  # noqa: BLE001  (best effort: it may already be gone)
                pass
        loop.call_soon_threadsafe(loop.stop)


_renderer = _Renderer()
_render_lock = threading.Lock()


@atexit.register
def _close_browser() -> None:
    # Bounded wait: a render stuck at exit must not keep the process from ending.
    if _render_lock.acquire(timeout=10):
        try:
            _renderer.close()
        finally:
            _render_lock.release()


def report_png(fig: go.Figure, meta: ChartMeta, width: int = 1200, height: int = 700) -> bytes:
    """The decorated chart as PNG bytes at 2× scale (normally 2·width × 2·height pixels)."""
    return report_pngs([(fig, meta)], width, height)[0]


def report_pngs(charts: Sequence[tuple[go.Figure, ChartMeta]], width: int = 1200, height: int = 700) -> list[bytes]:
    """report_png of each chart, in order, rendered side by side: what a request for
    several charts at once (a page's ZIP, a briefing) should call."""
    if not charts:
        return []  # no browser started for nothing
    decorated = [decorate(fig, meta, width, height) for fig, meta in charts]
    with _render_lock:
        return _renderer.render_many([(fig, width, fig.layout.height) for fig in decorated])


def zip_pngs(items: list[tuple[str, bytes]]) -> bytes:
    """A ZIP of PNGs named in Chinese (zipfile sets the UTF-8 name flag for them), each
    item a file name with or without .png; duplicate names numbered （2）, （3）…"""
    buffer, used = io.BytesIO(), set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            # Flat names only: a separator would make folders (or escape them) on unzip.
            stem = name.removesuffix(".png").replace("/", "_").replace("\\", "_") or "图表"
            filename, n = f"{stem}.png", 2
            while filename in used:
                filename, n = f"{stem}（{n}）.png", n + 1
            used.add(filename)
            archive.writestr(filename, data)
    return buffer.getvalue()
