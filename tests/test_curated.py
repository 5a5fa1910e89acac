"""Every curated figure traces to its sentence, and the sentence to its report."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from indicators.catalog import load_catalog
from loaders.curated import read_curated
from loaders.periods import is_valid_period
from loaders.reference import load_regions, load_sources
from loaders.units import conversion_factor

ROWS = read_curated()
INDICATORS = load_catalog().by_id()
REGIONS = {r.name for r in load_regions()}
SOURCES = {s.id: s for s in load_sources()}
QUALIFIERS = {"", "约", "近", "余", "超过", "以上", "不足", "推算"}
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def squeeze(text: str) -> str:
    """The reports were extracted from PDFs: line breaks and spaces fall anywhere."""
    return re.sub(r"\s+", "", text)


SOURCE_TEXT = {sid: squeeze(s.text()) for sid, s in SOURCES.items()}


def row_id(row: dict) -> str:
    return f"{row['indicator']}-{row['region']}-{row['scope'] or '全区'}-{row['year']}-{row['period']}-{row['kind']}"


def test_there_are_well_over_a_hundred_figures():
    assert len(ROWS) >= 120


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_row_is_true_to_its_sentence(row):
    indicator = INDICATORS[row["indicator"]]
    assert row["region"] in REGIONS
    assert row["source"] in SOURCES
    assert is_valid_period(row["period"])
    assert row["kind"] in ("实际", "目标")
    assert row["qualifier"] in QUALIFIERS
    assert conversion_factor(row["unit"], indicator.unit) is not None, (row["unit"], indicator.unit)
    assert squeeze(row["sentence"]) in SOURCE_TEXT[row["source"]], "sentence not found in its report"
    if row["qualifier"] == "推算":
        assert row["note"].strip(), "a derived figure says how it was computed"
    else:
        numbers = {Decimal(n) for n in NUMBER.findall(squeeze(row["sentence"]))}
        assert Decimal(row["value"]) in numbers, "the number does not appear in its sentence"


def test_each_key_appears_once():
    keys = [(r["indicator"], r["region"], r["scope"], r["year"], r["period"], r["kind"]) for r in ROWS]
    assert len(keys) == len(set(keys))


def find(indicator: str, region: str, year: int, scope: str = "", period: str | None = None) -> dict:
    hits = [r for r in ROWS if r["indicator"] == indicator and r["region"] == region and r["year"] == str(year)
            and r["scope"] == scope and (period is None or r["period"] == period)]
    assert len(hits) == 1, (indicator, region, year, scope, hits)
    return hits[0]


@pytest.mark.parametrize("indicator, region, year, scope, expect", [
    # H1 and Jan-Oct figures are not full-year figures
    ("admin_litigation_cases", "姑苏区", 2019, "区政府本级", {"value": "17", "period": "上半年"}),
    ("mediation_resolved", "姑苏区", 2024, "", {"value": "20742", "period": "1-10月"}),
    ("mediation_amount", "姑苏区", 2024, "", {"value": "22516", "unit": "万元", "qualifier": "约"}),
    ("legality_reviews", "苏州市", 2023, "市司法局", {"period": "1-10月"}),
    # the city justice bureau's own suits and reviews are not city-wide figures
    ("admin_litigation_cases", "苏州市", 2023, "市司法局", {"value": "31", "period": "全年"}),
    ("admin_review_as_respondent", "苏州市", 2023, "市司法局", {"value": "6"}),
    # while city-wide mediation and 免罚轻罚 are
    ("mediation_resolved", "苏州市", 2023, "", {"value": "20.49", "unit": "万件", "qualifier": ""}),
    ("lenient_penalty_cases", "苏州市", 2023, "", {"value": "4.15", "unit": "万件"}),
    ("lenient_penalty_amount", "苏州市", 2023, "", {"value": "9.04", "unit": "亿元"}),
    # qualifiers
    ("head_appearance_rate", "姑苏区", 2020, "", {"value": "90", "qualifier": "近"}),
    ("lenient_penalty_cases", "姑苏区", 2020, "", {"value": "130", "qualifier": "余"}),
    ("lawyers", "苏州市", 2023, "", {"value": "8000", "qualifier": "超过"}),
    ("admin_review_mediation_rate", "姑苏区", 2020, "", {"value": "30", "qualifier": "超过"}),
    # figures reported as a change yield the earlier year, marked 推算
    ("head_appearance_rate", "姑苏区", 2019, "", {"value": "75", "qualifier": "推算"}),
    ("mediation_resolved", "苏州市", 2022, "", {"value": "14.4336", "unit": "万件", "qualifier": "推算"}),
    # scopes kept apart
    ("admin_litigation_cases", "姑苏区", 2020, "区政府本级", {"value": "23"}),
    ("admin_litigation_cases", "姑苏区", 2020, "", {"value": "50"}),
])
def test_traps(indicator, region, year, scope, expect):
    row = find(indicator, region, year, scope)
    assert {k: row[k] for k in expect} == expect


def test_every_plan_figure_is_a_target():
    plan = [r for r in ROWS if r["source"] == "wuzhong-2022-plan"]
    assert plan and {r["kind"] for r in plan} == {"目标"}
    assert {r["kind"] for r in ROWS if r["source"] != "wuzhong-2022-plan"} == {"实际"}


def test_derived_values_follow_from_their_notes():
    assert float(find("mediation_resolved", "苏州市", 2022)["value"]) == pytest.approx(20.49 / 1.4196, abs=0.00005)
