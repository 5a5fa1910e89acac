"""Report-ready PNGs: the chart with its title, region and period, source and footnotes
drawn into the image, so a pasted chart still says where its numbers come from.

Kaleido 1.x renders through Debian's chromium (BROWSER_PATH). Its shared sync server
is fast once warm but not thread-safe (it has handed one caller's image to another), so
every render holds one process-wide lock.
"""
from __future__ import annotations

import io
import os
import textwrap
import threading
import zipfile

import plotly.graph_objects as go

from charts.meta import ChartMeta

os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
import kaleido  # noqa: E402  (reads BROWSER_PATH when it starts chromium)

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, sans-serif"
_render_lock = threading.Lock()
_FOOTNOTE_WIDTH = 70  # characters per line at 1200 px


def _footer_lines(meta: ChartMeta) -> list[str]:
    lines = [f"来源：{meta.source}"] if meta.source else []
    for note in meta.footnotes:
        lines += textwrap.wrap(note, _FOOTNOTE_WIDTH) or [""]
    return lines


def decorate(fig: go.Figure, meta: ChartMeta, height: int) -> tuple[go.Figure, int]:
    """A copy with title, subtitle and footer drawn in; returns it and the image height."""
    out = go.Figure(fig)
    footer = _footer_lines(meta)
    footer_px = 24 * len(footer) + 20
    total = height + footer_px
    subtitle = f"<br><span style='font-size:15px;color:#555'>{meta.subtitle}</span>" if meta.subtitle else ""
    out.update_layout(
        title={"text": f"{meta.title}{subtitle}", "x": 0.02, "xanchor": "left", "font": {"size": 22}},
        font={"family": FONT_FAMILY, "size": 14},
        paper_bgcolor="white", plot_bgcolor="white",
        margin={"t": 100, "l": 70, "r": 40, "b": footer_px + 60},
        showlegend=out.layout.showlegend is not False,
    )
    for n, line in enumerate(footer):
        out.add_annotation(text=line, xref="paper", yref="paper", x=0, xanchor="left",
                           y=0, yanchor="top", yshift=-(60 + 24 * n), showarrow=False,
                           font={"size": 13, "color": "#444"}, align="left")
    return out, total


def _ensure_server() -> None:
    if not kaleido._global_server.is_running():
        kaleido.start_sync_server(silence_warnings=True)


def report_png(fig: go.Figure, meta: ChartMeta, width: int = 1200, height: int = 700) -> bytes:
    """The decorated chart as PNG bytes at 2× scale."""
    decorated, total_height = decorate(fig, meta, height)
    with _render_lock:
        _ensure_server()
        return kaleido.calc_fig_sync(decorated, opts={"format": "png", "width": width,
                                                      "height": total_height, "scale": 2})


def zip_pngs(items: list[tuple[str, bytes]]) -> bytes:
    """A ZIP of PNGs named in Chinese (UTF-8 names), duplicate names numbered."""
    buffer, used = io.BytesIO(), set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for stem, data in items:
            name, n = f"{stem}.png", 2
            while name in used:
                name, n = f"{stem}（{n}）.png", n + 1
            used.add(name)
            archive.writestr(name, data)
    return buffer.getvalue()
