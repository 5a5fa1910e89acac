"""The declared indicator catalog is complete and consistent."""
from __future__ import annotations

import re

import pytest

from indicators.catalog import DIRECTIONS, TYPES, load_catalog

CATALOG = load_catalog()
CATEGORY_IDS = {c.id for c in CATALOG.categories}
ALL = (*CATALOG.indicators, *CATALOG.derived)

HEADLINE = {
    "mediation_resolved": "件", "mediation_amount": "元", "admin_review_received": "件",
    "admin_review_closed": "件", "admin_review_closure_rate": "%", "admin_review_mediated": "件",
    "admin_review_mediation_rate": "%", "admin_review_corrected": "件", "admin_litigation_cases": "件",
    "admin_litigation_lost": "件", "head_appearance_rate": "%", "lenient_penalty_cases": "件",
    "lenient_penalty_amount": "元", "lenient_penalty_enterprises": "家", "legal_aid_cases": "件",
    "notarization_cases": "件", "major_decisions": "个", "legal_advisors": "人", "lawyers": "人",
}


def test_categories_are_the_eight_national_headings():
    assert [c.name for c in CATALOG.categories] == [
        "政府职能依法全面履行", "依法行政制度体系", "重大行政决策", "行政执法", "突发事件应对",
        "行政权力制约和监督", "社会矛盾纠纷依法有效化解", "法治政府建设组织保障和落实机制"]


@pytest.mark.parametrize("indicator", ALL, ids=lambda i: i.id)
def test_every_indicator_is_fully_declared(indicator):
    assert re.fullmatch(r"[a-z][a-z0-9_]*", indicator.id)
    assert indicator.name and indicator.name_en and indicator.unit
    assert indicator.type in TYPES
    assert indicator.direction in DIRECTIONS
    assert indicator.category in CATEGORY_IDS
    assert indicator.definition.strip() and indicator.source.strip()
    if indicator.type in ("比率", "增长率"):
        assert indicator.unit == "%"


def test_ids_names_and_aliases_are_unique():
    ids = [i.id for i in ALL]
    assert len(ids) == len(set(ids))
    names = [n for i in ALL for n in (i.name, *i.aliases)]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


@pytest.mark.parametrize("indicator_id, unit", HEADLINE.items())
def test_headline_indicators_exist_with_their_units(indicator_id, unit):
    assert CATALOG.by_id()[indicator_id].unit == unit


@pytest.mark.parametrize("derived", CATALOG.derived, ids=lambda d: d.id)
def test_derived_inputs_are_declared(derived):
    base = CATALOG.by_id()
    assert derived.numerator in base and derived.denominator in base
    assert base[derived.numerator].unit == base[derived.denominator].unit
