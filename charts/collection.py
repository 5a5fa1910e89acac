"""A collection round for people: the coverage matrix a leader reads at a glance (colour
and a symbol per state, counts at the margins, each cell with its links to 地区对比 and
the region's trend), the list of figures to chase as plain text, and the long table that
`fazhi coverage` prints and writes."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from charts.format import format_value
from indicators.collection import Collection
from indicators.vocabulary import COVERAGE_STATES, COVERAGE_SYMBOLS

# Light fills that keep dark text readable; the symbol says the same for who cannot tell them apart.
STATE_COLOURS = {"full": "#d4edda", "partial": "#fff3cd", "target": "#dbe7f7", "missing": "#f8d7da"}
COVERAGE_COLUMNS = ["指标", "地区", "状态", "期间", "类型", "数值", "来源", "收到时间"]


def state_label(state: str) -> str:
    return f"{COVERAGE_SYMBOLS[state]} {COVERAGE_STATES[state]}"


def legend() -> str:
    return "　".join(state_label(s) for s in COVERAGE_STATES)


def figure_text(cell: pd.Series) -> str:
    """The cell's figure as the reports write it, its period named when not the asked one."""
    if cell["state"] == "missing":
        return ""
    text = format_value(float(cell["value"]), cell["unit"], _text(cell["qualifier"]))
    return text if cell["state"] == "full" else f"{cell['period']}{'' if cell['kind'] == '实际' else cell['kind']} {text}"


def _text(value: object) -> str:
    """A text cell of the coverage query: '' where the cell has no figure."""
    return "" if value is None or pd.isna(value) else str(value)


def coverage_table(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per asked figure, in Chinese: what `fazhi coverage` prints and writes."""
    records = [[c["indicator"], c["region"], COVERAGE_STATES[c["state"]], _text(c["period"]), _text(c["kind"]),
                figure_text(c), _text(c["source_label"]),
                pd.Timestamp(c["arrived"]).strftime("%Y-%m-%d %H:%M") if pd.notna(c["arrived"]) else ""]
               for _, c in cells.iterrows()]
    return pd.DataFrame(records, columns=COVERAGE_COLUMNS)


def region_summary(cells: pd.DataFrame) -> pd.DataFrame:
    """Per region, in order: how many asked cells hold the asked figure, of how many, and
    when the latest of them arrived."""
    rows = []
    for (region_id, region), group in cells.groupby(["region_id", "region"], sort=False):
        full = group[group["state"] == "full"]
        arrived = full["arrived"].max() if not full.empty else None
        rows.append({"region_id": region_id, "region": region, "filled": len(full), "asked": len(group),
                     "arrived": arrived})
    return pd.DataFrame(rows, columns=["region_id", "region", "filled", "asked", "arrived"])


def progress_table(summary: pd.DataFrame) -> pd.DataFrame:
    """region_summary in Chinese, one line per region: what a phone shows without scrolling
    sideways, where the matrix (a column per region) does not fit. 进度 is the share of the
    asked figures received, for a progress bar; 最近收到 is blank until one has arrived."""
    return pd.DataFrame({
        "地区": summary["region"],
        "已收齐": [f"{filled}/{asked} 项" for filled, asked in zip(summary["filled"], summary["asked"])],
        "进度": summary["filled"] / summary["asked"],
        "最近收到": [pd.Timestamp(t).strftime("%Y-%m-%d") if pd.notna(t) else "" for t in summary["arrived"]],
    })


def chase_text(cells: pd.DataFrame, collection: Collection, year: int) -> str:
    """Per region, the asked figures still missing (anything short of the asked period
    and kind), as plain text to paste into a notice."""
    lines = []
    for region, group in cells.groupby("region", sort=False):
        open_cells = group[group["state"] != "full"]
        if open_cells.empty:
            continue
        names = "、".join(f"{c['indicator']}（已有{c['period']}数）" if c["state"] == "partial" else c["indicator"]
                         for _, c in open_cells.iterrows())
        lines.append(f"{region}：尚缺 {len(open_cells)} 项{year}年{collection.period}{collection.kind}数——{names}。")
    if not lines:
        return f"{year}年{collection.name}的全部数字均已收齐。"
    return "\n".join(lines)


def _links(indicator_id: str, region_id: str, year: int, collection: Collection) -> tuple[str, str]:
    compare = "compare?" + urlencode({"indicator": indicator_id, "year": year, "span": collection.span,
                                      "level": collection.region_level})
    trend = "trends?" + urlencode({"indicator": indicator_id, "regions": region_id})
    return compare, trend


@dataclass(frozen=True)
class CoverageMatrix:
    """Indicators down, regions across, the counts at the margins: each cell's text, its
    state (for its colour; '' at the margins) and its links to 地区对比 and the region's
    trend (None at the margins). The three frames share index and columns."""

    texts: pd.DataFrame
    states: pd.DataFrame
    links: pd.DataFrame


TOTAL, ARRIVED = "已收齐", "最近收到"


def coverage_matrix(cells: pd.DataFrame, collection: Collection, year: int) -> CoverageMatrix:
    """The matrix a leader reads at a glance: the symbol and figure per cell, the number
    filled per indicator on the right, per region at the bottom with the day the latest
    of its figures arrived."""
    regions = list(dict.fromkeys(cells["region"]))
    texts, states, links = {}, {}, {}
    for (indicator_id, indicator, unit), group in cells.groupby(["indicator_id", "indicator", "unit"], sort=False):
        label = f"{indicator}（{unit}）"
        texts[label] = [f"{COVERAGE_SYMBOLS[c['state']]} {figure_text(c) or COVERAGE_STATES[c['state']]}"
                        for _, c in group.iterrows()] + [f"{int((group['state'] == 'full').sum())}/{len(group)}"]
        states[label] = list(group["state"]) + [""]
        links[label] = [_links(indicator_id, c["region_id"], year, collection) for _, c in group.iterrows()] + [None]
    summary = region_summary(cells)
    texts[TOTAL] = [f"{r.filled}/{r.asked}" for r in summary.itertuples()] + [
        f"{int(summary['filled'].sum())}/{int(summary['asked'].sum())}"]
    texts[ARRIVED] = [f"{pd.Timestamp(t):%Y-%m-%d}" if pd.notna(t) else "—" for t in summary["arrived"]] + [""]
    for margin in (TOTAL, ARRIVED):
        states[margin], links[margin] = [""] * (len(regions) + 1), [None] * (len(regions) + 1)
    columns = [*regions, TOTAL]

    def frame(data: dict) -> pd.DataFrame:
        return pd.DataFrame.from_dict(data, orient="index", columns=columns)

    return CoverageMatrix(frame(texts), frame(states), frame(links))
