"""The collection round and plausibility rules declared in indicators/collections/."""
from __future__ import annotations

from indicators.catalog import load_catalog
from indicators.collection import load_collection, load_plausibility
from loaders.reference import load_regions


def test_the_annual_round_asks_catalog_indicators_of_the_county_level_for_a_full_year():
    collection = load_collection()
    catalog = load_catalog().by_id()
    assert [i for i in collection.indicators if i not in catalog] == []
    assert len(set(collection.indicators)) == len(collection.indicators) >= 16
    assert (collection.period, collection.kind, collection.span) == ("全年", "实际", "1-12")
    assert sum(r.level == collection.region_level for r in load_regions()) == 10
    derived = {d.id for d in load_catalog().derived}
    assert not derived & set(collection.indicators)  # computed figures are never asked for


def test_the_plausibility_rules_state_their_thresholds():
    rules = load_plausibility()
    assert (rules.jump_factor, rules.share_points) == (3, 30)
    assert "3 倍" in rules.jump_text and "30 个百分点" in rules.share_text
    assert {"件", "人", "人次"} <= rules.whole_units and "元" not in rules.whole_units
