"""What an exported chart carries with it: title, region and period, source, caveats."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# Noto CJK is what the server renders images with (Debian's fonts-noto-cjk); the others
# are what a phone or a Windows desktop draws the interactive charts with.
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


@dataclass(frozen=True)
class ChartMeta:
    title: str
    subtitle: str
    source: str
    footnotes: tuple[str, ...] = ()

    @property
    def file_stem(self) -> str:
        """A Chinese file name safe on Windows: the title and subtitle, no separators."""
        text = f"{self.title}_{self.subtitle}" if self.subtitle else self.title
        return "".join(c for c in text if c not in '\\/:*?"<>|\n\r\t ·').strip()[:80] or "图表"


def camera_config(filename: str) -> dict:
    """The chart's camera button: PNG at 2×, named in Chinese; no Plotly logo. The dashboard's
    chart element (views/static/plotly_element.js) draws the button itself from these options,
    so that a change of file name does not make Plotly redraw the chart from scratch."""
    return {"displaylogo": False, "responsive": True,
            "toImageButtonOptions": {"format": "png", "scale": 2, "filename": filename}}


def source_line(frame: pd.DataFrame, *columns: str) -> str:
    """The documents a chart's figures come from, in order of first appearance, row by
    row across `columns` (a change rests on this year's figure and last year's)."""
    cells = frame[list(columns or ("source_label",))].to_numpy().ravel()
    labels = [s for s in dict.fromkeys(cells) if isinstance(s, str) and s]
    derived = "由报告数字推算" if "derived" in frame and frame["derived"].any() else ""
    return "；".join(labels + ([derived] if derived else [])) or "法治政府建设指标看板"


def chart_subtitle(frame: pd.DataFrame) -> str:
    """'姑苏区、吴中区 · 2019—2023年': the regions and years of the rows a chart draws, so
    a chosen region without a figure in it is never named."""
    regions = "、".join(dict.fromkeys(frame["region"]))
    years = sorted(frame["year"].unique())
    return f"{regions} · {years[0]}—{years[-1]}年" if len(years) > 1 else f"{regions} · {years[0]}年"
