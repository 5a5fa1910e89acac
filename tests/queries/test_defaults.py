"""The choices a page opens on when its URL does not say."""
from __future__ import annotations

import pandas as pd
import pytest

from queries import sql as q
from queries.defaults import (
    can_rank,
    card_label,
    comparison_default,
    left_out_count,
    left_out_of_ranking,
)
from store.frame import fetch_frame
from tests.conftest import obs


def at_level(*slices: tuple[int, str, int, bool]) -> pd.DataFrame:
    """coverage_summary() rows of one level, region-wide actual figures: year, span, n, several_regions."""
    return pd.DataFrame(slices, columns=["year", "span", "n", "several_regions"])


@pytest.mark.parametrize("slices, expected", [
    # A newer 1-10月 figure of one region: the latest year two regions share opens instead.
    ([(2023, "1-12", 2, True), (2024, "1-10", 1, False)], (2023, "1-12")),
    # Two figures of one region (上半年 and 1-6月) are no comparison either.
    ([(2023, "1-12", 2, True), (2024, "1-6", 2, False)], (2023, "1-12")),
    # Two regions' half-year figures are a comparison: the newest one opens.
    ([(2023, "1-12", 2, True), (2024, "1-6", 2, True)], (2024, "1-6")),
    # The full year first when the year has it beside a partial period.
    ([(2023, "1-6", 5, True), (2023, "1-12", 2, True)], (2023, "1-12")),
    # Else the period with the most figures; on a tie, the first span in sorted order.
    ([(2024, "1-3", 2, True), (2024, "1-6", 3, True)], (2024, "1-6")),
    ([(2024, "1-6", 2, True), (2024, "1-3", 2, True)], (2024, "1-3")),
    # Nothing two regions share: the latest year, its full year if any.
    ([(2022, "1-12", 1, False), (2023, "1-12", 1, False), (2023, "1-10", 1, False)], (2023, "1-12")),
    ([(2022, "1-12", 1, False), (2024, "1-10", 1, False)], (2024, "1-10")),
])
def test_comparison_opens_on_the_latest_year_it_can_rank(slices, expected):
    assert comparison_default(at_level(*slices)) == expected


@pytest.mark.parametrize("slices, expected", [
    ([(2023, "1-12", 2, True), (2024, "1-10", 1, False)], True),
    ([(2023, "1-12", 1, False), (2024, "1-6", 2, False)], False),
])
def test_a_ranking_needs_two_regions_of_one_year_and_span(slices, expected):
    assert can_rank(at_level(*slices)) is expected


SUMMARY_COLUMNS = ["level", "scope", "kind", "year", "span", "n"]


@pytest.mark.parametrize("summary, year, level, span, expected", [
    # Ranked: 区县 full years. Left out: their 1-10月, a body's scope, a target, the city.
    ([("区县", "", "实际", 2023, "1-12", 3), ("区县", "", "实际", 2023, "1-10", 2),
      ("区县", "区政府本级", "实际", 2023, "1-12", 1), ("区县", "", "目标", 2023, "1-12", 4),
      ("地级市", "", "实际", 2023, "1-12", 1), ("区县", "", "实际", 2022, "1-12", 9)], 2023, "区县", "1-12", 8),
    ([("区县", "", "实际", 2023, "1-12", 3), ("区县", "", "实际", 2023, "1-10", 2)], 2023, "区县", "1-10", 3),
    # At 街道 level every 区县 figure is left out.
    ([("区县", "", "实际", 2023, "1-12", 3), ("街道", "", "实际", 2023, "1-12", 2)], 2023, "街道", "1-12", 3),
    ([("区县", "", "实际", 2023, "1-12", 3)], 2023, "区县", "1-12", 0),
])
def test_left_out_count_is_the_years_figures_less_the_ranked(summary, year, level, span, expected):
    assert left_out_count(pd.DataFrame(summary, columns=SUMMARY_COLUMNS), year, level, span) == expected


COVERAGE_COLUMNS = ["region", "level", "scope", "kind", "span"]


@pytest.mark.parametrize("year_rows, level, span, expected", [
    ([("姑苏区", "区县", "", "实际", "1-12"), ("吴中区", "区县", "", "实际", "1-12"),
      ("相城区", "区县", "", "实际", "1-10"), ("吴中区", "区县", "区政府本级", "实际", "1-12"),
      ("吴中区", "区县", "", "目标", "1-12"), ("苏州市", "地级市", "", "实际", "1-12")],
     "区县", "1-12", ["相城区", "吴中区", "吴中区", "苏州市"]),
    ([("姑苏区", "区县", "", "实际", "1-12"), ("相城区", "区县", "", "实际", "1-10")], "区县", "1-10", ["姑苏区"]),
    ([("姑苏区", "区县", "", "实际", "1-12")], "区县", "1-12", []),
])
def test_left_out_of_ranking_is_every_other_figure_of_the_year(year_rows, level, span, expected):
    rows = pd.DataFrame(year_rows, columns=COVERAGE_COLUMNS)
    assert left_out_of_ranking(rows, level, span)["region"].tolist() == expected


def test_left_out_count_agrees_with_the_list(make_db):
    con = make_db([obs("mediation_resolved", "姑苏区", 2023, 1), obs("mediation_resolved", "吴中区", 2023, 2),
                   obs("mediation_resolved", "相城区", 2023, 3, period="1-10月"),
                   obs("mediation_resolved", "吴中区", 2023, 4, period="上半年"),
                   obs("mediation_resolved", "姑苏区", 2023, 5, period="1-6月"),
                   obs("mediation_resolved", "姑苏区", 2023, 6, scope="区政府本级"),
                   obs("mediation_resolved", "吴中区", 2023, 7, kind="目标"),
                   obs("mediation_resolved", "苏州市", 2023, 8), obs("mediation_resolved", "苏州市", 2022, 9)])
    summary = fetch_frame(con, *q.coverage_summary("mediation_resolved"))
    year_rows = fetch_frame(con, *q.coverage("mediation_resolved", 2023))
    for level, span in [("区县", "1-12"), ("区县", "1-10"), ("区县", "1-6"), ("地级市", "1-12")]:
        assert left_out_count(summary, 2023, level, span) == len(left_out_of_ranking(year_rows, level, span))


@pytest.mark.parametrize("period, scope, label", [
    ("全年", "", "人民调解案件数"),
    ("1-10月", "", "人民调解案件数（1-10月）"),
    ("全年", "区政府本级", "人民调解案件数（区政府本级）"),
    ("上半年", "区政府本级", "人民调解案件数（上半年，区政府本级）"),
])
def test_a_card_names_a_partial_period_and_a_bodys_scope(period, scope, label):
    assert card_label("人民调解案件数", pd.Series({"period": period, "scope": scope})) == label
