"""The shared vocabulary agrees with itself and with the store's SQL macros."""
from __future__ import annotations

import duckdb
import pytest

from indicators import vocabulary as v
from store.connection import SCHEMA_PATH


@pytest.fixture(scope="module")
def schema():
    con = duckdb.connect()
    con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
    yield con
    con.close()


@pytest.mark.parametrize("period, span", [
    ("全年", "1-12"), ("上半年", "1-6"), ("前三季度", "1-9"), ("第1季度", "1-3"), ("第4季度", "10-12"),
    ("1-6月", "1-6"), ("1-10月", "1-10"), ("1-1月", "1-1"), ("二季度", None), ("1-13月", None),
])
def test_period_span(period, span):
    assert v.period_span(period) == (span if v.is_valid_period(period) else None)


@pytest.mark.parametrize("period", v.PERIODS)
def test_every_period_spans_the_same_months_in_python_and_sql(schema, period):
    assert v.is_valid_period(period)
    assert schema.execute("SELECT period_span(?)", [period]).fetchone()[0] == v.period_span(period)


def test_every_qualifier_is_inexact_and_placed():
    assert set(v.INEXACT_QUALIFIERS) == set(v.QUALIFIERS)
    assert set(v.PREFIX_QUALIFIERS) | set(v.SUFFIX_QUALIFIERS) | {v.ESTIMATED} == set(v.QUALIFIERS)
    assert set(v.QUALIFIER_SYNONYMS.values()) <= set(v.QUALIFIERS)


def test_kinds_and_types():
    assert set(v.KIND_SYNONYMS.values()) == set(v.KINDS)
    assert set(v.SHARE_TYPES) | set(v.COUNT_TYPES) == set(v.INDICATOR_TYPES)
    assert v.is_share("比率") and not v.is_share("流量")
