"""The declared indicator catalog (indicators/catalog.yaml) is complete and consistent.

Reads the YAML directly (no project code), so the catalog is checked on its own terms.
"""
from __future__ import annotations

import re

import pytest
import yaml

from indicators.vocabulary import DIRECTIONS, INDICATOR_TYPES
from paths import ROOT

CATALOG = yaml.safe_load((ROOT / "indicators" / "catalog.yaml").read_text(encoding="utf-8"))
DERIVED_PATH = ROOT / "indicators" / "derived.yaml"
DERIVED = (yaml.safe_load(DERIVED_PATH.read_text(encoding="utf-8")) or {}).get("derived") or [] \
    if DERIVED_PATH.exists() else []

INDICATORS = CATALOG["indicators"]
CATEGORY_IDS = {c["id"] for c in CATALOG["categories"]}
SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")

# The dashboard's headline cards: id -> (unit, type or None, direction or None)
HEADLINE = {
    "mediation_resolved": ("件", "流量", None),
    "mediation_amount": ("元", "流量", None),
    "admin_review_received": ("件", "流量", "neutral"),
    "admin_review_closed": ("件", "流量", None),
    "admin_review_closure_rate": ("%", "比率", None),
    "admin_review_mediated": ("件", "流量", None),
    "admin_review_mediation_rate": ("%", "比率", None),
    "admin_review_corrected": ("件", "流量", None),
    "admin_litigation_cases": ("件", "流量", "neutral"),
    "admin_litigation_lost": ("件", "流量", "lower_better"),
    "head_appearance_rate": ("%", "比率", "higher_better"),
    "lenient_penalty_cases": ("件", "流量", None),
    "lenient_penalty_amount": ("元", "流量", None),
    "lenient_penalty_enterprises": ("家", "流量", None),
    "legal_aid_cases": ("件", "流量", None),
    "notarization_cases": ("件", "流量", None),
    "major_decisions": ("个", None, None),
    "legal_advisors": ("人", "存量", None),
    "lawyers": ("人", "存量", None),
}


def test_categories_are_the_eight_national_headings():
    assert CATALOG["version"] == 1
    assert [(c["id"], c["name"]) for c in CATALOG["categories"]] == [
        ("functions", "政府职能依法全面履行"), ("institutions", "依法行政制度体系"),
        ("decisions", "重大行政决策"), ("enforcement", "行政执法"), ("emergencies", "突发事件应对"),
        ("oversight", "行政权力制约和监督"), ("disputes", "社会矛盾纠纷依法有效化解"),
        ("organization", "法治政府建设组织保障和落实机制")]


def test_catalog_is_of_a_useful_size():
    assert len(INDICATORS) >= 60


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: str(i.get("id")))
def test_every_indicator_is_fully_declared(indicator):
    assert SNAKE.fullmatch(str(indicator.get("id", ""))), "id must be snake_case"
    for field in ("name", "name_en", "unit", "subcategory", "definition", "source"):
        value = indicator.get(field)
        assert isinstance(value, str) and value.strip(), f"{field} is missing or empty"
    assert isinstance(indicator.get("aliases", []), list)
    assert all(isinstance(a, str) and a.strip() for a in indicator.get("aliases", []))
    assert indicator["type"] in INDICATOR_TYPES
    assert indicator["direction"] in DIRECTIONS
    assert indicator["category"] in CATEGORY_IDS
    if indicator["type"] in ("比率", "增长率"):
        assert indicator["unit"] == "%", "shares and growth rates are stored in %"
    if indicator["unit"] == "%":
        assert indicator["type"] in ("比率", "增长率")
    # canonical units carry no scale prefix: values are stored in 元, not 万元
    assert indicator["unit"][0] not in "万亿", indicator["unit"]
    assert indicator["unit"] not in ("起", "名"), "起 and 名 are report counters; the canonical units are 件 and 人"


def test_ids_are_unique():
    ids = [i["id"] for i in INDICATORS] + [d["id"] for d in DERIVED]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_names_and_aliases_are_unique_across_the_catalog():
    names = [n for i in INDICATORS for n in (i["name"], *i.get("aliases", []))]
    names += [n for d in DERIVED for n in (d["name"], *(d.get("aliases") or []))]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


@pytest.mark.parametrize("indicator_id, expected", HEADLINE.items(), ids=list(HEADLINE))
def test_headline_indicators_exist_with_their_units(indicator_id, expected):
    by_id = {i["id"]: i for i in INDICATORS}
    assert indicator_id in by_id, f"headline indicator {indicator_id} is missing"
    unit, typ, direction = expected
    indicator = by_id[indicator_id]
    assert indicator["unit"] == unit
    if typ:
        assert indicator["type"] == typ
    if direction:
        assert indicator["direction"] == direction


@pytest.mark.parametrize("derived", DERIVED, ids=lambda d: str(d.get("id")))
def test_derived_inputs_are_declared_in_the_catalog(derived):
    by_id = {i["id"]: i for i in INDICATORS}
    assert derived["numerator"] in by_id and derived["denominator"] in by_id
    assert by_id[derived["numerator"]]["unit"] == by_id[derived["denominator"]]["unit"]


SCOPES = {s["name"] for s in yaml.safe_load((ROOT / "data" / "scopes.yaml").read_text(encoding="utf-8"))["scopes"]}


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i["id"])
def test_report_cues_are_declared_well(indicator):
    """`cues` (loaders/reports/cues.py): words, or parts in order joined by "…"; `body` a
    body every level has declared in data/scopes.yaml; `region_wide` a flag."""
    cues = indicator.get("cues", [])
    assert isinstance(cues, list)
    for cue in cues:
        assert isinstance(cue, str) and all(part.strip() for part in cue.split("…")), cue
    assert isinstance(indicator.get("region_wide", False), bool)
    if "body" in indicator:
        assert {f"区{indicator['body']}", f"市{indicator['body']}"} <= SCOPES
        assert not indicator.get("region_wide"), "a figure is either a body's own work or the whole region's"


def test_cues_do_not_repeat_within_an_indicator():
    for indicator in INDICATORS:
        cues = indicator.get("cues", [])
        assert len(cues) == len(set(cues)), indicator["id"]
