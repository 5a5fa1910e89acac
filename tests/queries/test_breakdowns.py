"""Breakdowns (分项) beside totals: every page query keeps to totals; the 按分项 queries
give the parts with their share of the total and each part's change on last year."""
from __future__ import annotations

import pandas as pd
import pytest

from queries import sql as q
from store.frame import fetch_frame
from tests.conftest import SMALL_ROWS, obs

GUSU, WUZHONG = "320508", "320506"
PARTS = [
    obs("mediation_resolved", "姑苏区", 2023, 25000 - 1, breakdown="婚姻家庭"),  # a part nearly the total
    obs("mediation_resolved", "姑苏区", 2023, 600, breakdown="邻里"),
    obs("mediation_resolved", "姑苏区", 2022, 500, breakdown="邻里"),
    obs("mediation_resolved", "吴中区", 2024, 99999, period="1-10月", breakdown="邻里"),
    obs("admin_litigation_cases", "姑苏区", 2020, 20, breakdown="公安"),
    obs("admin_litigation_lost", "姑苏区", 2020, 5, breakdown="公安"),
]


@pytest.fixture
def con(make_db):
    return make_db(SMALL_ROWS + PARTS)


@pytest.fixture
def totals_only(make_db):
    return make_db(SMALL_ROWS, name="totals.duckdb")


@pytest.mark.parametrize("query", [
    q.series(["mediation_resolved", "admin_litigation_loss_rate"], [GUSU, WUZHONG], scope=None),
    q.year_over_year(["mediation_resolved", "admin_litigation_loss_rate"], [GUSU, WUZHONG]),
    q.ranking("mediation_resolved", 2024, "1-10"),
    q.coverage("mediation_resolved"),
    q.coverage("mediation_resolved", 2023),
    q.coverage_summary("mediation_resolved"),
    q.heatmap_cells("mediation_resolved", "区县", "1-10"),
    q.indicator_regions("mediation_resolved"),
    q.targets_against_actuals(),
], ids=["series", "yoy", "ranking", "coverage", "coverage one year", "coverage_summary", "heatmap",
        "indicator_regions", "targets"])
def test_page_queries_show_totals_only(con, totals_only, query):
    pd.testing.assert_frame_equal(fetch_frame(con, *query), fetch_frame(totals_only, *query))


def test_parts_come_with_their_share_and_their_own_change(con):
    parts = fetch_frame(con, *q.breakdown_parts("mediation_resolved", GUSU, 2023, "全年"))
    assert parts["breakdown"].tolist() == ["婚姻家庭", "邻里"]  # largest first
    assert parts["total"].tolist() == [25000, 25000]
    assert parts["share"].round(2).tolist() == [round(24999 / 250, 2), round(600 / 250, 2)]
    # each part against the same part a year earlier; 婚姻家庭 had none
    assert parts["prev_value"].tolist()[1] == 500 and pd.isna(parts["prev_value"].tolist()[0])
    assert parts["change_pct"].round(1).tolist()[1] == 20.0


def test_a_ratio_of_parts_is_computed_part_by_part_and_has_no_share(con):
    rates = fetch_frame(con, *q.breakdown_parts("admin_litigation_loss_rate", GUSU, 2020, "全年"))
    assert rates["breakdown"].tolist() == ["公安"] and rates["value"].tolist() == [25]  # 5 / 20, not 5 / 50
    assert rates["share"].isna().all() and rates["derived"].all()
    total = fetch_frame(con, *q.series(["admin_litigation_loss_rate"], [GUSU]))
    assert total["value"].tolist() == [18]  # the total's rate is its own: 9 / 50


def test_choices_list_where_parts_exist(con):
    choices = fetch_frame(con, *q.breakdown_choices("mediation_resolved"))
    assert list(zip(choices["region"], choices["year"], choices["period"], choices["n_parts"], choices["has_total"])) == [
        ("吴中区", 2024, "1-10月", 1, True), ("姑苏区", 2023, "全年", 2, True), ("姑苏区", 2022, "全年", 1, False)]
    assert fetch_frame(con, *q.breakdown_choices("head_appearance_rate")).empty
    one_region = fetch_frame(con, *q.breakdown_choices("mediation_resolved", [GUSU]))
    assert list(zip(one_region["year"], one_region["has_total"])) == [(2023, True), (2022, False)]


def test_a_total_counts_only_for_parts_of_its_own_scope_and_period(make_db):
    con = make_db([obs("legal_aid_cases", "姑苏区", 2023, 40, scope="区司法局", breakdown="刑事"),
                   obs("legal_aid_cases", "姑苏区", 2023, 300),  # region-wide total: not the 司法局's
                   obs("legal_aid_cases", "姑苏区", 2023, 90, period="上半年", breakdown="民事"),
                   obs("legal_aid_cases", "姑苏区", 2023, 100, period="上半年", kind="目标", breakdown="刑事")],
                  name="scoped.duckdb")
    choices = fetch_frame(con, *q.breakdown_choices("legal_aid_cases"))
    assert list(zip(choices["scope"], choices["period"], choices["n_parts"], choices["has_total"])) == [
        ("区司法局", "全年", 1, False), ("", "上半年", 1, False)]


# One figure's parts against: its own total (same scope and period), last year's same part
# of a like period (上半年 and 1-6月 alike, never the full year).
@pytest.mark.parametrize("rows, scope, period, expected", [
    ([obs("admin_litigation_cases", "姑苏区", 2023, 40, breakdown="刑事")], "", "全年",
     [("刑事", None, None, None)]),  # no total, no last year: nothing made up
    ([obs("admin_litigation_cases", "姑苏区", 2023, 40, breakdown="刑事"), obs("admin_litigation_cases", "姑苏区", 2023, 200),
      obs("admin_litigation_cases", "姑苏区", 2022, 50, breakdown="刑事")], "", "全年",
     [("刑事", 200, 20.0, 50)]),
    ([obs("admin_litigation_cases", "姑苏区", 2023, 40, period="1-6月", breakdown="刑事"),
      obs("admin_litigation_cases", "姑苏区", 2022, 32, period="上半年", breakdown="刑事"),
      obs("admin_litigation_cases", "姑苏区", 2022, 90, breakdown="刑事")], "", "1-6月",
     [("刑事", None, None, 32)]),  # the like half-year, not the full year
    ([obs("admin_litigation_cases", "姑苏区", 2023, 40, scope="区司法局", breakdown="刑事"),
      obs("admin_litigation_cases", "姑苏区", 2023, 300),
      obs("admin_litigation_cases", "姑苏区", 2022, 10, breakdown="刑事")], "区司法局", "全年",
     [("刑事", None, None, None)]),  # the region-wide total and part are another scope's
    ([obs("admin_litigation_cases", "姑苏区", 2023, 40, breakdown="刑事"),
      obs("admin_litigation_cases", "姑苏区", 2023, 60, breakdown="民事"),
      obs("admin_litigation_cases", "姑苏区", 2023, 100, kind="目标"),
      obs("admin_litigation_cases", "姑苏区", 2022, 80, breakdown="民事")],
     "", "全年", [("民事", None, None, 80), ("刑事", None, None, None)]),  # a target is no total
])
def test_parts_take_their_own_total_and_last_years_like_part(make_db, rows, scope, period, expected):
    con = make_db(rows, name="parts.duckdb")
    parts = fetch_frame(con, *q.breakdown_parts("admin_litigation_cases", GUSU, 2023, period, scope))
    got = [(b, None if pd.isna(t) else t, None if pd.isna(s) else round(s, 1), None if pd.isna(p) else p)
           for b, t, s, p in zip(parts["breakdown"], parts["total"], parts["share"], parts["prev_value"])]
    assert got == expected
