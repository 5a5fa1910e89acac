"""Twelve report PNGs through charts/images.py: cold (chromium starting) and warm; and a
briefing (exports/briefing.py) of a region's year written as Word and PowerPoint.

Figures are the pages' own (charts/figures.py) on the synthetic data, so the images
carry as many points as a visitor's download would.
"""
from __future__ import annotations

import io
import time
from pathlib import Path

import duckdb

from bench.queries import choose
from charts.figures import heatmap_figure, ranking_figure, target_figure, trend_figure, yoy_figure
from charts.images import report_pngs
from charts.meta import ChartMeta
from queries import sql as q

N_CHARTS = 12
BRIEFING_CHARTS = 8


def _figures(con: duckdb.DuckDBPyConnection) -> list[tuple[object, str]]:
    """Twelve (figure, title) pairs: trend, change, ranking, heat map and target charts
    for three indicators, as the trends, compare and targets pages draw them."""
    choices = choose(con)
    targets = con.execute(*q.targets_against_actuals([choices.target_region])).df()
    figures: list[tuple[object, str]] = []
    for indicator in (choices.indicator, *choices.headline[1:3]):
        series = con.execute(*q.series([indicator], choices.regions)).df()
        yoy = con.execute(*q.year_over_year([indicator], choices.regions)).df()
        ranked = con.execute(*q.ranking(indicator, choices.year, "1-12")).df()
        grid = con.execute(*q.heatmap_cells(indicator, "区县", "1-12", choices.level_regions[:40])).df()
        figures += [(trend_figure(series)[0], f"{indicator} 趋势"), (yoy_figure(yoy)[0], f"{indicator} 同比")]
        # 地区对比 draws a ranking only where there is one (an indicator may have no
        # full-year figures in the year chosen).
        figures += [(ranking_figure(ranked)[0], f"{indicator} 排名")] if len(ranked) else []
        figures.append((heatmap_figure(grid), f"{indicator} 热力图"))
    figures.append((target_figure(targets)[0], "目标与实际"))
    return [(fig, title) for fig, title in figures if fig is not None][:N_CHARTS]


def measure(db: Path) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        figures = _figures(con)
    finally:
        con.close()

    def render_all() -> float:
        # As a page's ZIP asks for them (views/common.py): all at once.
        started = time.perf_counter()
        pngs = report_pngs([(fig, ChartMeta(title, "合成数据（基准测试）", "合成数据", ("基准测试图表。",)))
                            for fig, title in figures])
        if len(pngs) != len(figures) or not all(png.startswith(b"\x89PNG") for png in pngs):
            raise RuntimeError("report_pngs returned something other than a PNG per chart")
        return time.perf_counter() - started

    cold = render_all()
    warm = min(render_all() for _ in range(2))
    return {"charts": len(figures), "cold_seconds": round(cold, 2), "warm_seconds": round(warm, 2),
            "briefing": measure_briefing(db)}


def measure_briefing(db: Path) -> dict[str, object]:
    """One briefing as 总览's buttons make it: gathered (queries and chart images) and
    written as .docx and .pptx, warm (chromium already running). The region and year are
    the first of the pages' choices whose briefing has at least BRIEFING_CHARTS charts
    (trends and rankings of the eight synthetic headline indicators), else the fullest."""
    from exports import DOCUMENT_FORMATS
    from exports.briefing import gather

    con = duckdb.connect(str(db), read_only=True)
    try:
        choices = choose(con)

        def briefing(region: str, year: int, render=report_pngs):  # noqa: ANN202
            return gather(con, region, year, render=render, headline_ids=choices.headline)

        candidates = [(r, y) for r in choices.regions for y in (choices.year, choices.year - 1)]
        counts = {key: len(briefing(*key, render=lambda charts, *_: [b""] * len(charts)).charts)
                  for key in candidates}
        region, year = next((k for k in candidates if counts[k] >= BRIEFING_CHARTS), max(counts, key=counts.get))

        def one() -> tuple[float, int]:
            started = time.perf_counter()
            made = briefing(region, year)
            for document in DOCUMENT_FORMATS.values():
                document.write(made, io.BytesIO())
            return time.perf_counter() - started, len(made.charts)

        one()  # warms chromium and the document libraries
        seconds, charts = min(one() for _ in range(2))
    finally:
        con.close()
    return {"charts": charts, "warm_seconds": round(seconds, 2)}
