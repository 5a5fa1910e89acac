"""The query layer: like periods only, 百分点 for shares, qualifiers carried along."""
from __future__ import annotations

import pandas as pd
import pytest

from indicators.vocabulary import ESTIMATED, INEXACT_QUALIFIERS, QUALIFIERS
from queries import admin
from queries import sql as q
from store.batches import BatchInfo, commit_batch, undo_batch
from store.frame import fetch_frame
from tests.conftest import REGION_IDS, SMALL_ROWS, obs


def run(con, query):
    text, params = query
    return con.execute(text, params).df()


def yoy_row(con, indicator, region_id, year, scope=""):
    frame = run(con, q.year_over_year([indicator], [region_id], year, scope=scope))
    assert len(frame) == 1, frame
    return frame.iloc[0]


def test_share_change_is_in_percentage_points(small_db):
    row = yoy_row(small_db, "head_appearance_rate", "320508", 2020)
    assert row.change_pp == pytest.approx(15)
    assert row.change_pct != row.change_pct  # NaN: no per-cent change for a share
    assert row.qualifier == "近" and row.prev_qualifier == "推算"
    # the 2019 value was derived from the reported "+15个百分点": the change is the report's own
    assert not bool(row.change_inexact)


def test_approximate_values_make_the_change_inexact(make_db):
    from tests.conftest import obs
    con = make_db([obs("head_appearance_rate", "吴中区", 2020, 90, qualifier="近"),
                   obs("head_appearance_rate", "吴中区", 2019, 80)])
    row = yoy_row(con, "head_appearance_rate", "320506", 2020)
    assert row.change_pp == pytest.approx(10) and bool(row.change_inexact)


@pytest.mark.parametrize("qualifier, prev_qualifier, inexact", [
    ("", "", False),
    # Every qualifier the store accepts, expected as the vocabulary says: the query asks only
    # whether there is one, which holds while every qualifier is an inexact one.
    *((q, "", q in INEXACT_QUALIFIERS) for q in QUALIFIERS),                    # this year
    *(("", q, q in INEXACT_QUALIFIERS) for q in QUALIFIERS if q != ESTIMATED),  # or last year
    ("", ESTIMATED, False),
    ("约", ESTIMATED, False),  # last year's 推算 was computed from this year's reported change
])
def test_any_qualifier_makes_the_change_inexact(make_db, qualifier, prev_qualifier, inexact):
    con = make_db([obs("mediation_resolved", "吴中区", 2020, 120, qualifier=qualifier),
                   obs("mediation_resolved", "吴中区", 2019, 100, qualifier=prev_qualifier)])
    assert bool(yoy_row(con, "mediation_resolved", "320506", 2020).change_inexact) is inexact


def test_count_change_is_in_per_cent(small_db):
    row = yoy_row(small_db, "mediation_resolved", "320500", 2023)
    assert row.change_pct == pytest.approx((204900 - 144300) / 144300 * 100)
    assert row.change_pp != row.change_pp


@pytest.mark.parametrize("region_id, expect_prev", [
    ("320508", None),   # 1-10月 2024 against a full year 2023: never compared
    ("320507", 12000),  # 1-10月 against 1-10月: compared
])
def test_like_period_rule(small_db, region_id, expect_prev):
    row = yoy_row(small_db, "mediation_resolved", region_id, 2024)
    if expect_prev is None:
        assert row.prev_value != row.prev_value and row.change_pct != row.change_pct
    else:
        assert row.prev_value == expect_prev and row.prev_period == "1-10月"


def test_half_year_compares_with_months_one_to_six(make_db):
    from tests.conftest import obs
    con = make_db([obs("mediation_resolved", "姑苏区", 2019, 100, period="上半年"),
                   obs("mediation_resolved", "姑苏区", 2020, 150, period="1-6月")])
    row = yoy_row(con, "mediation_resolved", "320508", 2020)
    assert row.prev_value == 100 and row.change_pct == pytest.approx(50)


def test_lower_bound_makes_change_inexact(small_db):
    row = yoy_row(small_db, "mediation_resolved", "320507", 2024)
    assert row.qualifier == "余" and bool(row.change_inexact)


def test_scopes_are_never_mixed(small_db):
    whole = yoy_row(small_db, "admin_litigation_cases", "320508", 2020)
    body = yoy_row(small_db, "admin_litigation_cases", "320508", 2020, scope="区政府本级")
    assert (whole.value, body.value) == (50, 23)


def test_ranking_compares_one_span_one_kind(small_db):
    frame = run(small_db, q.ranking("mediation_resolved", 2024, "1-10", level="区县"))
    assert list(frame.region) == ["姑苏区", "吴中区", "相城区"]  # the 吴中区 target is not ranked
    assert set(frame.kind) == {"实际"}


def test_derived_ratio_only_on_the_same_key(small_db):
    frame = run(small_db, q.series(["admin_litigation_loss_rate"], ["320508"], scope=None))
    got = {r.scope: r for r in frame.itertuples()}
    assert got[""].value == pytest.approx(18) and got[""].qualifier == "推算"
    assert "9 ÷" in got[""].note and bool(got[""].derived)
    assert got["区政府本级"].value == 0


def test_targets_meet_actuals_on_the_same_key(small_db):
    frame = run(small_db, q.targets_against_actuals(["320506"]))
    row = frame.iloc[0]
    assert row.target_value == 30000 and row.actual_value != row.actual_value  # 1-10月 is not 全年


def test_text_search_is_a_bound_parameter(small_db):
    frame = run(small_db, q.observations(text="'; DROP TABLE observations; --"))
    assert frame.empty
    assert small_db.execute("SELECT count(*) FROM observations").fetchone()[0] == len(
        __import__("tests.conftest", fromlist=["SMALL_ROWS"]).SMALL_ROWS)


@pytest.mark.parametrize("level, span, regions, expect", [
    ("区县", "1-12", None, {("姑苏区", 2019), ("姑苏区", 2020), ("吴中区", 2020)}),
    ("区县", "1-12", ["320506"], {("吴中区", 2020)}),
    ("区县", "1-10", None, set()),       # a 1-10月 figure is never a full-year cell
    ("地级市", "1-12", None, set()),     # another level's figures stay out
])
def test_heatmap_cells_keep_one_level_span_scope_and_kind(make_db, level, span, regions, expect):
    con = make_db([obs("mediation_resolved", "姑苏区", 2019, 100), obs("mediation_resolved", "姑苏区", 2020, 120),
                   obs("mediation_resolved", "吴中区", 2020, 90),
                   obs("mediation_resolved", "吴中区", 2021, 80, scope="区政府本级"),
                   obs("mediation_resolved", "吴中区", 2022, 200, kind="目标"),
                   obs("mediation_resolved", "相城区", 2021, 70, period="1-6月")])
    frame = run(con, q.heatmap_cells("mediation_resolved", level, span, regions))
    assert set(zip(frame["region"], frame["year"])) == expect


@pytest.mark.parametrize("query", [
    q.indicators_with_data(), q.regions(), q.batches(), q.coverage("mediation_resolved"),
    q.coverage("mediation_resolved", 2024), q.coverage_summary("mediation_resolved"),
    q.observations(), q.observations(["mediation_resolved"], ["320508"], 2019, 2024, "实际", "调解"),
    q.series(["mediation_resolved"], ["320508"], scope=None), q.targets_against_actuals(), q.target_regions(),
    q.heatmap_cells("mediation_resolved", "区县", "1-12", ["320508"]),
    admin.batch_history(), admin.fillable_indicator_names(["admin_litigation_loss_rate"]), admin.region_names(),
    admin.long_format(),
], ids=lambda query: query[0].split("FROM")[0].split()[1][:30])
def test_every_builder_runs(small_db, query):
    run(small_db, query)


def test_indicators_with_data_counts_figures(small_db):
    frame = run(small_db, q.indicators_with_data()).set_index("id")
    assert frame.loc["mediation_resolved", "n_observations"] == 8
    assert frame.loc["admin_litigation_loss_rate", "n_observations"] == 2  # derived, on two keys


# What q.observations returns, written the obvious way: sort every matching row.
NAIVE_OBSERVATIONS = """
SELECT o.indicator_id, o.region_id, o.scope, o.year, o.period, o.kind
FROM observations AS o JOIN indicators AS i ON i.id = o.indicator_id JOIN regions AS r ON r.id = o.region_id
WHERE ($indicators IS NULL OR list_contains($indicators, o.indicator_id))
  AND ($regions IS NULL OR list_contains($regions, o.region_id))
  AND ($year_from IS NULL OR o.year >= $year_from) AND ($year_to IS NULL OR o.year <= $year_to)
  AND ($kind IS NULL OR o.kind = $kind)
  AND ($text IS NULL OR contains(i.name, $text) OR contains(coalesce(o.sentence, ''), $text)
       OR contains(coalesce(o.note, ''), $text))
ORDER BY i.sort_order, r.sort_order, o.scope, o.year, o.end_month, o.kind
LIMIT $limit
"""


OBSERVATION_FILTERS = [
    {},
    {"region_ids": ["320508", "320507"]},
    {"year_from": 2021, "kind": "实际"},
    {"indicator_ids": ["admin_litigation_cases", "mediation_resolved"], "year_to": 2023},
    {"year_from": 2022, "year_to": 2023},  # counted from indicator_year_stats
    {"indicator_ids": ["mediation_resolved", "admin_litigation_loss_rate"]},
    {"text": "调解"},   # an indicator's name
    {"text": "90-15"},  # a note
    {"text": "没有"},
]


def naive_params(filters: dict, limit: int) -> dict:
    return {"indicators": filters.get("indicator_ids"), "regions": filters.get("region_ids"),
            "year_from": filters.get("year_from"), "year_to": filters.get("year_to"), "kind": filters.get("kind"),
            "text": filters.get("text"), "limit": limit}


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 8, 9, 13, 100])
@pytest.mark.parametrize("filters", OBSERVATION_FILTERS, ids=str)
def test_observations_are_the_first_rows_in_catalog_order(small_db, filters, limit):
    keys = ["indicator_id", "region_id", "scope", "year", "period", "kind"]
    got = run(small_db, q.observations(**filters, limit=limit))[keys]
    naive = naive_params(filters, limit)
    assert list(got.itertuples(index=False, name=None)) == small_db.execute(NAIVE_OBSERVATIONS, naive).fetchall()


@pytest.mark.parametrize("filters", OBSERVATION_FILTERS, ids=str)
def test_year_counts_cover_every_match_past_the_row_limit(small_db, filters):
    every_match = small_db.execute(NAIVE_OBSERVATIONS, naive_params(filters, 10_000)).df()
    counts = run(small_db, q.observation_year_counts(**filters))
    assert dict(zip(counts["year"], counts["n"])) == every_match.groupby("year").size().to_dict()
    assert len(run(small_db, q.observations(**filters, limit=1))) <= 1  # while the table lists one row


def test_target_regions_are_those_with_targets(small_db):
    assert run(small_db, q.target_regions()).to_dict("records") == [{"id": "320506", "name": "吴中区"}]


@pytest.mark.parametrize("indicator", ["mediation_resolved", "admin_litigation_cases", "admin_litigation_loss_rate",
                                       "lenient_penalty_amount"])
def test_indicator_regions_list_coverage_in_its_order(small_db, indicator):
    coverage = run(small_db, q.coverage(indicator))
    regions = run(small_db, q.indicator_regions(indicator))
    assert regions["region_id"].tolist() == list(dict.fromkeys(coverage["region_id"]))
    assert dict(zip(regions["region_id"], regions["has_whole"])) == {
        r: bool((part["scope"] == "").any()) for r, part in coverage.groupby("region_id")}


SUMMARY_COLUMNS = ["level", "scope", "kind", "year", "span", "period", "end_month", "n", "several_regions"]


@pytest.mark.parametrize("rows, expected", [
    # Two regions' full years: one row, comparable.
    ([obs("mediation_resolved", "姑苏区", 2023, 1), obs("mediation_resolved", "吴中区", 2023, 2)],
     [("区县", "", "实际", 2023, "1-12", "全年", 12, 2, True)]),
    # One region's figures, however many, are never comparable; years and spans stay apart.
    ([obs("mediation_resolved", "姑苏区", 2023, 1), obs("mediation_resolved", "姑苏区", 2024, 2, period="1-6月"),
      obs("mediation_resolved", "姑苏区", 2024, 3, period="上半年")],
     [("区县", "", "实际", 2023, "1-12", "全年", 12, 1, False),
      ("区县", "", "实际", 2024, "1-6", "1-6月", 6, 2, False)]),
    # 上半年 and 1-6月 share a span, named as the first region in catalog order names it
    # (姑苏区 before 吴中区), not by the smaller name 1-6月; ordered by year, month, level,
    # scope, kind.
    ([obs("mediation_resolved", "吴中区", 2024, 1, period="1-6月"), obs("mediation_resolved", "姑苏区", 2024, 2, period="上半年"),
      obs("mediation_resolved", "苏州市", 2024, 3, period="1-3月"), obs("mediation_resolved", "吴中区", 2023, 4)],
     [("区县", "", "实际", 2023, "1-12", "全年", 12, 1, False),
      ("地级市", "", "实际", 2024, "1-3", "1-3月", 3, 1, False),
      ("区县", "", "实际", 2024, "1-6", "上半年", 6, 2, True)]),
    # Another level, scope or kind is a row of its own; parts (分项) are not figures of the total.
    ([obs("mediation_resolved", "苏州市", 2023, 1), obs("mediation_resolved", "姑苏区", 2023, 2),
      obs("mediation_resolved", "姑苏区", 2023, 3, scope="区政府本级"), obs("mediation_resolved", "吴中区", 2023, 4, kind="目标"),
      obs("mediation_resolved", "相城区", 2023, 5, breakdown="公安")],
     [("区县", "", "实际", 2023, "1-12", "全年", 12, 1, False),
      ("区县", "", "目标", 2023, "1-12", "全年", 12, 1, False),
      ("区县", "区政府本级", "实际", 2023, "1-12", "全年", 12, 1, False),
      ("地级市", "", "实际", 2023, "1-12", "全年", 12, 1, False)]),
])
def test_coverage_summary_counts_figures_per_level_scope_kind_year_and_span(make_db, rows, expected):
    summary = run(make_db(rows), q.coverage_summary("mediation_resolved"))
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert list(summary.itertuples(index=False, name=None)) == expected


MORE_ROWS = [obs("mediation_resolved", "姑苏区", 2024, 9000, period="上半年"),
             obs("mediation_resolved", "吴中区", 2024, 8000, period="1-6月"),
             obs("mediation_resolved", "相城区", 2024, 7000, period="1-6月", scope="区政府本级"),
             obs("mediation_resolved", "姑苏区", 2023, 100, breakdown="公安"),
             obs("admin_litigation_cases", "吴中区", 2020, 40), obs("admin_litigation_lost", "吴中区", 2020, 4)]


@pytest.mark.parametrize("indicator", ["mediation_resolved", "admin_litigation_cases", "admin_litigation_loss_rate",
                                       "head_appearance_rate"])
def test_coverage_summary_agrees_with_coverage(make_db, indicator):
    con = make_db(SMALL_ROWS + MORE_ROWS)
    coverage = run(con, q.coverage(indicator))
    keys = ["level", "scope", "kind", "year", "span"]
    expected = coverage.groupby(keys, sort=False).agg(
        period=("period", "first"), end_month=("end_month", "max"), n=("n", "sum"),
        several_regions=("region_id", lambda ids: ids.nunique() >= 2))
    summary = run(con, q.coverage_summary(indicator)).set_index(keys)
    pd.testing.assert_frame_equal(summary.sort_index(), expected.sort_index(), check_dtype=False)


@pytest.mark.parametrize("year, expected", [(2024, 7), (2023, 3), (2019, 0)])
def test_coverage_of_one_year_is_that_years_rows_of_all(make_db, year, expected):
    con = make_db(SMALL_ROWS + MORE_ROWS)
    every_year = fetch_frame(con, *q.coverage("mediation_resolved"))
    one_year = fetch_frame(con, *q.coverage("mediation_resolved", year))
    assert len(one_year) == expected
    assert one_year.to_dict("records") == every_year[every_year["year"] == year].to_dict("records")


INDICATORS = ["mediation_resolved", "head_appearance_rate", "admin_litigation_cases", "admin_litigation_loss_rate"]
ONE_REGION = {
    "series": lambda region: q.series(INDICATORS, [region], scope=None),
    "year_over_year": lambda region: q.year_over_year(INDICATORS, [region], None, None),
    "targets_against_actuals": lambda region: q.targets_against_actuals([region]),
}


def upload(con, rows):
    return commit_batch(con, pd.DataFrame(rows), BatchInfo(batch_type="import", user="test")).batch_id


@pytest.mark.parametrize("undo", [False, True], ids=["after commits", "after undo"])
@pytest.mark.parametrize("region", REGION_IDS.values())
@pytest.mark.parametrize("name", ONE_REGION)
def test_one_region_is_read_from_region_figures_as_from_observations_all(small_db, name, region, undo):
    upload(small_db, [obs("mediation_resolved", "吴中区", 2023, 25000, sentence="调解25000件"),
                      obs("head_appearance_rate", "姑苏区", 2021, 95, kind="目标")])
    batch = upload(small_db, [obs("admin_litigation_cases", "姑苏区", 2020, 40),
                              obs("mediation_resolved", "相城区", 2024, 16000, period="1-10月", kind="目标"),
                              obs("mediation_resolved", "苏州市", 2023, 3, breakdown="公安")])
    if undo:
        undo_batch(small_db, batch, "test")
    sql, params = ONE_REGION[name](region)
    assert "region_figures" in sql and "observations_all" not in sql
    expected = run(small_db, (sql.replace("region_figures", "observations_all"), params))
    assert not expected.empty or name == "targets_against_actuals"
    pd.testing.assert_frame_equal(run(small_db, (sql, params)), expected)
