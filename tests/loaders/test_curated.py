"""Every curated figure (data/observations.csv) traces to its sentence, and the sentence to its report.

Reads the CSV and YAML files directly (no project code).
"""
from __future__ import annotations

import csv
import re
from decimal import Decimal, InvalidOperation

import pytest
import yaml

from paths import ROOT

DATA = ROOT / "data"
COLUMNS = ["indicator", "region", "scope", "year", "period", "kind", "value", "qualifier",
           "unit", "source", "sentence", "note"]

with (DATA / "observations.csv").open(encoding="utf-8", newline="") as _f:
    _reader = csv.DictReader(_f)
    HEADER = _reader.fieldnames
    ROWS = list(_reader)

INDICATORS = {i["id"]: i for i in yaml.safe_load(
    (ROOT / "indicators" / "catalog.yaml").read_text(encoding="utf-8"))["indicators"]}
REGIONS = {r["name"] for r in yaml.safe_load((DATA / "regions.yaml").read_text(encoding="utf-8"))["regions"]}
SOURCES = {s["id"]: s for s in yaml.safe_load(
    (DATA / "sources" / "sources.yaml").read_text(encoding="utf-8"))["sources"]}

PERIOD = re.compile(r"^(全年|上半年|前三季度|第[1-4]季度|1-([1-9]|1[0-2])月)$")
KINDS = {"实际", "目标"}
QUALIFIERS = {"", "约", "近", "余", "超过", "以上", "不足", "推算"}
EQUIVALENT = {"件": {"起"}, "人": {"名"}}
NUMBER = re.compile(r"\d+(?:\.\d+)?")
PLAN = "wuzhong-2022-plan"


def squeeze(text: str) -> str:
    """The reports were extracted from PDFs: line breaks and spaces fall anywhere."""
    return re.sub(r"\s+", "", text)


SOURCE_TEXT = {sid: squeeze((DATA / "sources" / s["file"]).read_text(encoding="utf-8"))
               for sid, s in SOURCES.items()}


def allowed_units(unit: str) -> set[str]:
    bases = {unit} | EQUIVALENT.get(unit, set())
    return bases | {p + b for b in bases for p in ("万", "亿")}


def key(row: dict) -> tuple:
    return tuple(row[c] for c in ("indicator", "region", "scope", "year", "period", "kind"))


def row_id(row: dict) -> str:
    return "-".join(str(k or "全域") for k in key(row))


def test_header_is_the_contract():
    assert HEADER == COLUMNS


def test_there_are_well_over_a_hundred_figures():
    assert len(ROWS) >= 100


def test_each_key_appears_once():
    keys = [key(r) for r in ROWS]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


def test_every_source_is_cited():
    assert {r["source"] for r in ROWS} == set(SOURCES)


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_row_is_well_formed(row):
    assert row["indicator"] in INDICATORS, "unknown indicator"
    assert row["region"] in REGIONS, "unknown region"
    assert row["source"] in SOURCES, "unknown source"
    assert row["scope"] == row["scope"].strip()
    assert re.fullmatch(r"(19|20)\d\d", row["year"])
    assert PERIOD.fullmatch(row["period"]), row["period"]
    assert row["kind"] in KINDS
    assert row["qualifier"] in QUALIFIERS
    try:
        value = Decimal(row["value"])
    except InvalidOperation:
        pytest.fail(f"value is not a plain number: {row['value']!r}")
    assert re.fullmatch(r"\d+(\.\d+)?", row["value"]), "plain decimal, no signs or separators"
    assert value >= 0
    unit = INDICATORS[row["indicator"]]["unit"]
    assert row["unit"] in allowed_units(unit), (row["unit"], unit)
    if unit == "%":
        assert value <= 100 or INDICATORS[row["indicator"]]["type"] == "增长率"


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_row_is_true_to_its_sentence(row):
    sentence = squeeze(row["sentence"])
    assert sentence, "every figure carries its sentence"
    assert sentence in SOURCE_TEXT[row["source"]], "sentence not found in its report"
    if row["qualifier"] == "推算":
        assert row["note"].strip(), "a derived figure says how it was computed"
    else:
        numbers = {Decimal(n) for n in NUMBER.findall(sentence)}
        assert Decimal(row["value"]) in numbers, "the number does not appear in its sentence"


def test_every_plan_figure_is_a_target_and_nothing_else_is():
    plan = [r for r in ROWS if r["source"] == PLAN]
    assert plan and {r["kind"] for r in plan} == {"目标"}
    assert {r["kind"] for r in ROWS if r["source"] != PLAN} == {"实际"}


def find(indicator: str, region: str, year: int, scope: str = "", period: str | None = None) -> dict:
    hits = [r for r in ROWS if r["indicator"] == indicator and r["region"] == region and r["year"] == str(year)
            and r["scope"] == scope and (period is None or r["period"] == period)]
    assert len(hits) == 1, (indicator, region, year, scope, period, len(hits))
    return hits[0]


@pytest.mark.parametrize("indicator, region, year, scope, expect", [
    # H1 and Jan-Oct figures are not full-year figures
    ("admin_litigation_cases", "姑苏区", 2019, "区政府本级", {"value": "17", "period": "上半年"}),
    ("mediation_resolved", "姑苏区", 2024, "", {"value": "20742", "unit": "件", "period": "1-10月", "qualifier": ""}),
    ("mediation_amount", "姑苏区", 2024, "", {"value": "22516", "unit": "万元", "period": "1-10月", "qualifier": "约"}),
    ("legality_reviews", "苏州市", 2023, "市司法局", {"value": "100", "period": "1-10月"}),
    ("legal_advisors", "姑苏区", 2020, "", {"value": "40", "period": "1-6月", "qualifier": "余"}),
    ("fines_confiscations", "姑苏区", 2019, "区民卫局", {"value": "24.3", "unit": "万元", "period": "1-6月"}),
    # the city justice bureau's own suits and reviews are not city-wide figures
    ("admin_litigation_cases", "苏州市", 2023, "市司法局", {"value": "31", "period": "全年"}),
    ("admin_review_as_respondent", "苏州市", 2023, "市司法局", {"value": "6", "period": "全年"}),
    # while city-wide mediation and 免罚轻罚 are
    ("mediation_resolved", "苏州市", 2023, "", {"value": "20.49", "unit": "万件", "qualifier": "", "period": "全年"}),
    ("mediation_growth", "苏州市", 2023, "", {"value": "41.96", "unit": "%"}),
    ("lenient_penalty_cases", "苏州市", 2023, "", {"value": "4.15", "unit": "万件", "period": "全年"}),
    ("lenient_penalty_amount", "苏州市", 2023, "", {"value": "9.04", "unit": "亿元", "period": "全年"}),
    # qualifiers
    ("head_appearance_rate", "姑苏区", 2020, "", {"value": "90", "qualifier": "近"}),
    ("lenient_penalty_cases", "姑苏区", 2020, "", {"value": "130", "qualifier": "余"}),
    ("lawyers", "苏州市", 2023, "", {"value": "8000", "qualifier": "超过"}),
    ("admin_review_mediation_rate", "姑苏区", 2020, "", {"value": "30", "qualifier": "超过"}),
    ("law_vice_principal_classes", "姑苏区", 2024, "", {"value": "300", "qualifier": "近"}),
    # figures reported as a change yield the earlier year, marked 推算
    ("head_appearance_rate", "姑苏区", 2019, "", {"value": "75", "qualifier": "推算", "period": "全年"}),
    ("mediation_resolved", "苏州市", 2022, "", {"value": "14.4336", "unit": "万件", "qualifier": "推算"}),
    # scopes kept apart
    ("admin_litigation_cases", "姑苏区", 2020, "区政府本级", {"value": "23"}),
    ("admin_litigation_cases", "姑苏区", 2020, "", {"value": "50"}),
    ("legal_advisors", "姑苏区", 2020, "区政府本级", {"value": "10"}),
    # a part of a total has its own indicator
    ("resettlement_notarizations", "姑苏区", 2020, "", {"value": "951"}),
    ("notarization_cases", "姑苏区", 2020, "", {"value": "12468"}),
])
def test_traps(indicator, region, year, scope, expect):
    row = find(indicator, region, year, scope)
    assert {k: row[k] for k in expect} == expect


@pytest.mark.parametrize("indicator, region, year, scope", [
    ("admin_litigation_cases", "苏州市", 2023, ""),   # 31 is 市司法局's own
    ("admin_review_received", "苏州市", 2023, ""),    # 6 is 市司法局's own, as respondent
    ("admin_litigation_cases", "姑苏区", 2019, ""),   # 17 is 区政府's own
])
def test_bodies_figures_are_not_region_wide(indicator, region, year, scope):
    assert not [r for r in ROWS if r["indicator"] == indicator and r["region"] == region
                and r["year"] == str(year) and r["scope"] == scope]


def test_no_part_year_figure_is_labelled_full_year():
    for row in ROWS:
        sentence = squeeze(row["sentence"])
        if row["source"] == "gusu-sfj-2024-report" and row["indicator"].startswith("mediation_"):
            assert row["period"] == "1-10月", row_id(row)
        if "上半年" in sentence and row["source"] == "gusu-2019-bulletin":
            assert row["period"] == "上半年", row_id(row)
        if re.search(r"截[止至]6月底", sentence):
            assert row["period"] == "1-6月", row_id(row)
        if re.search(r"截[止至]10月底", sentence):
            assert row["period"] == "1-10月", row_id(row)


@pytest.mark.parametrize("word, qualifier", [("近", "近"), ("约", "约"), ("余", "余"), ("突破", "超过"),
                                             ("超过", "超过"), ("以上", "以上")])
def test_qualifier_words_are_carried(word, qualifier):
    """Where the word stands right next to the figure, the row carries its qualifier."""
    for row in ROWS:
        if row["qualifier"] == "推算":
            continue
        sentence, value = squeeze(row["sentence"]), row["value"]
        before = rf"{word}{re.escape(value)}(?![\d.])"
        after = rf"(?<![\d.]){re.escape(value)}{word}"
        pattern = after if word in ("余", "以上") else before
        if word == "以上":
            pattern = rf"(?<![\d.]){re.escape(value)}%?{word}"
        if re.search(pattern, sentence) and not re.search(rf"(?<![\d.]){re.escape(value)}(?![\d.])",
                                                          re.sub(pattern, "", sentence)):
            assert row["qualifier"] == qualifier, row_id(row)


def test_derived_values_follow_from_their_notes():
    derived_2022 = Decimal(find("mediation_resolved", "苏州市", 2022)["value"])
    assert derived_2022 == (Decimal("20.49") / Decimal("1.4196")).quantize(Decimal("0.0001"))
    # Kept precise enough that the change the dashboard recomputes is the report's own.
    reported_2023 = Decimal(find("mediation_resolved", "苏州市", 2023)["value"])
    assert ((reported_2023 / derived_2022 - 1) * 100).quantize(Decimal("0.01")) == Decimal("41.96")
    assert Decimal(find("head_appearance_rate", "姑苏区", 2019)["value"]) == Decimal(90) - Decimal(15)
    for row in ROWS:
        if row["qualifier"] == "推算":
            assert "推算" in row["note"] and re.search(r"\d", row["note"]), row_id(row)


def test_curated_scopes_are_declared():
    """One body, one name: a scope in data/observations.csv is one of data/scopes.yaml's
    names (区政府法律顾问 was once a second name for 区政府本级)."""
    from loaders.curated import read_curated
    from loaders.reference import load_scopes

    names = {s.name for s in load_scopes()}
    assert {r["scope"] for r in read_curated() if r["scope"]} <= names
