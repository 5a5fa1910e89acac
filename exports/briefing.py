"""What a briefing for leaders holds, gathered once and written as Word (briefing_docx.py)
or PowerPoint (briefing_pptx.py): the headline figures of a region and year with the
change on last year, the 简报要点 sentences, the charts as report images, and the 说明 and
资料来源 for exactly the figures shown.

Everything comes through the functions 总览 and the chart pages use (queries/, the page
rules of queries/defaults.py, charts/format.py, charts/sentences.py, charts/figures.py,
charts/images.py), so that every figure reads as the dashboard shows it; the document
writers only lay out text and pictures. The fixed wording is in briefing.yaml.
"""
from __future__ import annotations

import datetime as dt
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import yaml

from charts.figures import ranking_figure, trend_figure
from charts.format import QUALIFIER_MEANINGS, change_from_zero, format_changes, format_value
from charts.images import report_pngs
from charts.meta import ChartMeta, source_line
from charts.sentences import brief_sentence, value_phrase, when
from indicators.vocabulary import ACTUAL, FULL_YEAR, TARGET
from queries import sql as q
from queries.defaults import HEADLINE, card_figure, card_label, headline_first
from queries.regions import region_ids_by_text
from store.frame import fetch_frame

WORDING_PATH = Path(__file__).with_name("briefing.yaml")
POINTS_FIRST = 8  # 要点 listed first, as 总览 lists them; the rest follow in an appendix
IMAGE_WIDTH, IMAGE_HEIGHT = 700, 440  # px at scale 1: text stays legible at a page's width and on a slide
LEVEL_NAMES = {"区县": "县级市（区）", "街道": "街道"}  # the levels 地区对比 ranks
RANKING_MAX_REGIONS = 40  # bars a ranking draws, as on 地区对比

# (figure, description) pairs, width and height → their PNGs in order (charts/images.report_pngs)
Renderer = Callable[[Sequence[tuple[go.Figure, ChartMeta]], int, int], list[bytes]]


class NoFigures(ValueError):
    """The region has no figure for the year: there is nothing to brief on."""


@cache
def wording() -> dict:
    return yaml.safe_load(WORDING_PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class HeadlineFigure:
    """One row of the 主要指标 table, every cell as 总览's card shows it."""
    indicator: str
    value: str  # format_value: 近90%, 130余件, 20.49万件
    period: str  # when(): 2020年, 2024年1-10月
    change: str
    source: str


@dataclass(frozen=True)
class BriefingChart:
    title: str
    subtitle: str
    takeaway: str
    source: str
    png: bytes

    @property
    def caption(self) -> str:
        return f"{self.title}（{self.subtitle}）"

    @property
    def size_px(self) -> tuple[int, int]:
        """Width and height from the PNG header, to fit the picture in a slide's box."""
        return struct.unpack(">II", self.png[16:24])


@dataclass(frozen=True)
class _Drawn:
    """A chart of the briefing before its image is rendered."""
    meta: ChartMeta
    fig: go.Figure
    takeaway: str


@dataclass(frozen=True)
class Briefing:
    region: str
    year: int
    issued: dt.date
    headline: tuple[HeadlineFigure, ...]
    points: tuple[str, ...]
    charts: tuple[BriefingChart, ...]
    caveats: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def title(self) -> str:
        return briefing_title(self.region, self.year)

    @property
    def issuer(self) -> str:
        return wording()["issuer"]

    @property
    def issued_text(self) -> str:
        return f"{self.issued.year}年{self.issued.month}月{self.issued.day}日"

    @property
    def first_points(self) -> tuple[str, ...]:
        return self.points[:POINTS_FIRST]

    @property
    def more_points(self) -> tuple[str, ...]:
        return self.points[POINTS_FIRST:]


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def printable(text: str) -> str:
    """Text as both documents can hold it: a control character from an uploaded cell
    (a vertical tab from Excel's Alt+Enter, say) has no place in their XML and would
    stop the writing; it is dropped, every other character kept."""
    return _NOT_IN_XML.sub("", text)


def briefing_title(region: str, year: int) -> str:
    """姑苏区2020年法治政府建设主要指标简报: the documents' title and file name."""
    return wording()["title"].format(region=region, year=year)


def find_region(con: duckdb.DuckDBPyConnection, text: str) -> tuple[str, str] | None:
    """(id, name) of the catalog region named, by its id, name or an alias (姑苏 → 姑苏区)."""
    regions = fetch_frame(con, *q.regions())
    region_id = region_ids_by_text(regions).get(text.strip())
    if region_id is None:
        return None
    return region_id, str(regions.loc[regions["id"] == region_id, "name"].iloc[0])


def _present(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _headline(row: pd.Series, name: str, year: int) -> HeadlineFigure:
    has_prev = not pd.isna(row["prev_value"])
    change = format_changes(pd.DataFrame([row]))[0] if has_prev else wording()["no_previous"]
    if change == "—":
        change = change_from_zero(int(row["prev_year"]), row["prev_value"], row["unit"], row["prev_qualifier"])
    value = format_value(row["value"], row["unit"], row["qualifier"])
    source = row["source_label"] if _present(row["source_label"]) else "由报告数字推算"
    return HeadlineFigure(card_label(name, row), value, when(year, row["period"]), change, source)


def _trend_chart(con: duckdb.DuckDBPyConnection, row: pd.Series, region_id: str, region: str,
                 year: int) -> tuple[_Drawn, pd.DataFrame] | None:
    """The headline indicator's years up to the briefing's, in its card's scope, when the
    card's own line (its span, actual figures) has at least two years."""
    series = fetch_frame(con, *q.series([row["indicator_id"]], [region_id], year_to=year, scope=row["scope"]))
    line = series[(series["span"] == row["span"]) & (series["kind"] == ACTUAL)]
    if line["year"].nunique() < 2:
        return None
    fig, notes = trend_figure(series)
    years = sorted(series["year"].unique())
    subject = f"{region}（{row['scope']}）" if row["scope"] else region
    meta = ChartMeta(row["indicator"], f"{subject} · {years[0]}—{years[-1]}年", source_line(series), tuple(notes))
    return _Drawn(meta, fig, brief_sentence(row)), series


def _ranking_chart(con: duckdb.DuckDBPyConnection, row: pd.Series, region_id: str, region: str, level: str,
                   year: int, direction: str) -> tuple[_Drawn, pd.DataFrame] | None:
    """地区对比's ranking of the card's figure among the regions of its level, when the
    region is ranked with at least one other (region-wide actual figures of one span)."""
    if row["scope"] or level not in LEVEL_NAMES:
        return None
    ranked = fetch_frame(con, *q.ranking(row["indicator_id"], year, row["span"], level=level))
    positions = [n for n, r in enumerate(ranked["region_id"]) if r == region_id]
    if len(ranked) < 2 or not positions:
        return None
    fig, notes = ranking_figure(ranked.head(RANKING_MAX_REGIONS))
    if len(ranked) > RANKING_MAX_REGIONS:
        notes.append(f"地区较多（{len(ranked)} 个），图中只画排名前 {RANKING_MAX_REGIONS} 的地区。")
    order = "数值越低越好" if direction == "lower_better" else "数值由高到低"
    period = "" if row["period"] == FULL_YEAR else row["period"]
    meta = ChartMeta(f"{row['indicator']}：地区对比", f"{year}年{period} · {LEVEL_NAMES[level]}", source_line(ranked),
                     (f"排序：{order}。", *notes))
    reference = "，排名仅供参考" if ranked["qualifier"].astype(bool).any() else ""
    takeaway = (f"{when(year, row['period'])}，{region}{row['indicator']}"
                f"{value_phrase(row['value'], row['unit'], row['qualifier'])}，"
                f"在有数据的{len(ranked)}个{LEVEL_NAMES[level]}中列第{positions[0] + 1}位"
                f"（{order}{reference}）。")
    return _Drawn(meta, fig, takeaway), ranked



def caveats(shown: pd.DataFrame, changes_shown: bool, missing: list[str], year: int) -> list[str]:
    """The 说明 lines for the figures shown (rows with qualifier, period, kind and scope):
    a qualifier, a partial period, a target or a body's scope is explained only when a
    figure of that sort is in the document."""
    texts = wording()["caveats"]
    lines = []
    qualifiers = [x for x in dict.fromkeys(shown["qualifier"].fillna("")) if x]
    lines += [texts["qualifier"].format(qualifier=x, meaning=QUALIFIER_MEANINGS[x])
              for x in QUALIFIER_MEANINGS if x in qualifiers]
    partial = [p for p in dict.fromkeys(shown["period"]) if p != FULL_YEAR]
    if partial:
        lines.append(texts["partial"].format(periods="”“".join(partial)))
    if (shown["kind"] == TARGET).any():
        lines.append(texts["target"])
    scopes = [s for s in dict.fromkeys(shown["scope"].fillna("")) if s]
    if scopes:
        lines.append(texts["scope"].format(scopes="、".join(scopes)))
    if changes_shown:
        lines.append(texts["change"])
    if missing:
        lines.append(texts["missing"].format(year=year, names="、".join(missing)))
    lines.append(texts["generated"])
    return lines


def sources(con: duckdb.DuckDBPyConnection, shown: pd.DataFrame) -> list[str]:
    """Each source document of the figures shown once, in order of first appearance: an
    archived report with its publisher and date, an uploaded file by its name."""
    labels = [s for s in dict.fromkeys(shown["source_label"]) if _present(s)]
    documents = fetch_frame(con, *q.source_documents(labels)).set_index("title")
    lines = []
    for label in labels:
        if label in documents.index:
            doc = documents.loc[label]
            about = [x for x in (doc["publisher"], _date_text(doc["published"])) if _present(x)]
            lines.append(f"{label}（{'，'.join(about)}）" if about else label)
        else:
            lines.append(label)
    if (~shown["source_label"].map(_present)).any():
        lines.append(wording()["derived_source"])
    return lines


def _date_text(value: object) -> str:
    if value is None or pd.isna(value):
        return ""
    date = pd.Timestamp(value)
    return f"{date.year}年{date.month}月{date.day}日"


def gather(con: duckdb.DuckDBPyConnection, region_id: str, year: int, issued: dt.date | None = None,
           render: Renderer = report_pngs, headline_ids: Sequence[str] = HEADLINE) -> Briefing:
    """The briefing of one region and year; NoFigures when it has no actual figure.
    headline_ids are 总览's headline indicators unless a benchmark names its own."""
    regions = fetch_frame(con, *q.regions()).set_index("id")
    region, level = regions.loc[region_id, "name"], regions.loc[region_id, "level"]
    catalog = fetch_frame(con, *q.indicators_with_data()).set_index("id")
    year_rows = fetch_frame(con, *q.year_over_year(None, [region_id], year, scope=None))
    if year_rows.empty:
        raise NoFigures(f"{region}{year}年没有任何实际数字，未生成简报。")

    headline, cards, missing = [], [], []
    for indicator_id in (i for i in headline_ids if i in catalog.index):
        row = card_figure(year_rows, indicator_id)
        if row is None:
            missing.append(catalog.loc[indicator_id, "name"])
            continue
        cards.append(row)
        headline.append(_headline(row, catalog.loc[indicator_id, "name"], year))

    charted: list[tuple[_Drawn, pd.DataFrame] | None] = []
    for row in cards:
        charted.append(_trend_chart(con, row, region_id, region, year))
    for row in cards:
        direction = catalog.loc[row["indicator_id"], "direction"]
        charted.append(_ranking_chart(con, row, region_id, region, level, year, direction))
    drawn = [c for c in charted if c is not None]
    # All at once: the renderer draws several side by side.
    images = render([(d.fig, d.meta) for d, _ in drawn], IMAGE_WIDTH, IMAGE_HEIGHT)
    charts = tuple(BriefingChart(d.meta.title, d.meta.subtitle, d.takeaway, d.meta.source, png)
                   for (d, _), png in zip(drawn, images, strict=True))

    columns = ["qualifier", "period", "kind", "scope", "source_label"]
    shown = pd.concat([year_rows[columns], *(frame[columns] for _, frame in drawn)], ignore_index=True)
    changes_shown = bool(year_rows["prev_value"].notna().any())
    points = [brief_sentence(r) for r in headline_first(year_rows).to_dict("records")]
    return Briefing(region=region, year=year, issued=issued or dt.date.today(), headline=tuple(headline),
                    points=tuple(points), charts=charts,
                    caveats=tuple(caveats(shown, changes_shown, missing, year)), sources=tuple(sources(con, shown)))
