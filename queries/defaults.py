"""What a page opens on and which of its figures it shows, when the URL does not say:
rules chosen from query results, so that the first view shows something worth seeing
and never puts unlike figures side by side. Pure functions of DataFrames."""
from __future__ import annotations

import pandas as pd

from indicators.vocabulary import ACTUAL, FULL_YEAR, FULL_YEAR_SPAN

# The headline indicators of 总览, in the order its cards show them.
HEADLINE = ["mediation_resolved", "admin_review_received", "head_appearance_rate", "lenient_penalty_cases",
            "lenient_penalty_amount", "admin_litigation_cases", "legal_aid_cases", "notarization_cases"]


def comparison_default(at_level: pd.DataFrame) -> tuple[int, str]:
    """The year and span 地区对比 opens on, from the coverage_summary() rows of one level
    (comparable_at): the latest year in which at least two regions have figures of one
    span (the full year when it is one of them), so that the first view ranks something
    rather than one lone region with a newer half-year figure. Without such a year: the
    latest year, its full year if it has one, else its span with the most figures."""
    comparable = at_level[at_level["several_regions"]]
    candidates = comparable if not comparable.empty else at_level
    year = int(candidates["year"].max())
    # Sorted by span, so that a tie in figures goes to the same span on every run.
    in_year = candidates[candidates["year"] == year].groupby("span")["n"].sum()
    span = FULL_YEAR_SPAN if FULL_YEAR_SPAN in in_year.index else str(in_year.idxmax())
    return year, span


def can_rank(at_level: pd.DataFrame) -> bool:
    """True when some year and span of coverage_summary() rows of one level has figures of
    at least two regions to rank."""
    return bool(at_level["several_regions"].any())


def comparable_at(coverage: pd.DataFrame, level: str) -> pd.DataFrame:
    """The coverage() or coverage_summary() rows that can be ranked against each other at
    a level: region-wide actual figures of that level's regions (a body's scope or a
    target never is)."""
    return coverage[(coverage["level"] == level) & (coverage["scope"] == "") & (coverage["kind"] == ACTUAL)]


def left_out_of_ranking(year_rows: pd.DataFrame, level: str, span: str) -> pd.DataFrame:
    """The coverage() rows of the ranked year that the ranking of (level, span) does not
    include: another period, scope, kind or level. 地区对比 lists each with its reason."""
    ranked = comparable_at(year_rows, level)
    return year_rows[~year_rows.index.isin(ranked.index[ranked["span"] == span])]


def left_out_count(summary: pd.DataFrame, year: int, level: str, span: str) -> int:
    """How many figures left_out_of_ranking() lists, from coverage_summary() rows: the
    year's figures less those of the ranking, so that 地区对比 can label the list without
    fetching it."""
    year_rows = summary[summary["year"] == year]
    ranked = comparable_at(year_rows, level)
    return int(year_rows["n"].sum() - ranked.loc[ranked["span"] == span, "n"].sum())


def overview_default_year(headline_figures: pd.DataFrame) -> str | None:
    """The year 总览 opens on: the one with the most headline actual figures (latest on
    ties), so that a partial latest year with one figure does not greet a leader with
    empty cards."""
    counts = headline_figures[headline_figures["kind"] == ACTUAL].groupby("year")["indicator_id"].nunique()
    return str(max(counts.index, key=lambda y: (counts[y], y))) if len(counts) else None


def card_figure(year_rows: pd.DataFrame, indicator_id: str) -> pd.Series | None:
    """The figure a headline card shows: the region-wide full-year figure when there is
    one, else the latest period, else a body's."""
    rows = year_rows[year_rows["indicator_id"] == indicator_id]
    if rows.empty:
        return None
    rows = rows.assign(whole=rows["scope"] == "", full=rows["period"] == FULL_YEAR)
    return rows.sort_values(["whole", "full", "span"], ascending=False).iloc[0]


def card_label(name: str, figure: pd.Series) -> str:
    """The indicator as a headline card names its figure: a partial period or a body's
    scope written beside the name, so that 20742件 (1-10月) never reads as a full year's."""
    qualifiers = [p for p in (figure["period"] if figure["period"] != FULL_YEAR else "", figure["scope"]) if p]
    return name + (f"（{'，'.join(qualifiers)}）" if qualifiers else "")


def headline_first(year_rows: pd.DataFrame) -> pd.DataFrame:
    """The year's figures with the headline indicators first, for 简报要点."""
    headline = year_rows["indicator_id"].isin(HEADLINE)
    return pd.concat([year_rows[headline], year_rows[~headline]])
