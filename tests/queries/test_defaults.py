"""The choices a page opens on when its URL does not say."""
from __future__ import annotations

import pandas as pd
import pytest

from queries.defaults import card_label, comparison_default


def rows(*figures: tuple[str, int, str]) -> pd.DataFrame:
    return pd.DataFrame(figures, columns=["region_id", "year", "span"])


@pytest.mark.parametrize("figures, expected", [
    # A newer 1-10月 figure of one region: the latest year two regions share opens instead.
    ([("a", 2023, "1-12"), ("b", 2023, "1-12"), ("a", 2024, "1-10")], (2023, "1-12")),
    # Two regions' half-year figures are a comparison: the newest one opens.
    ([("a", 2023, "1-12"), ("b", 2023, "1-12"), ("a", 2024, "1-6"), ("b", 2024, "1-6")], (2024, "1-6")),
    # The full year first when the year has it beside a partial period.
    ([("a", 2023, "1-6"), ("b", 2023, "1-6"), ("a", 2023, "1-12"), ("b", 2023, "1-12")], (2023, "1-12")),
    # Nothing two regions share: the latest year, its full year if any.
    ([("a", 2022, "1-12"), ("b", 2023, "1-12"), ("b", 2023, "1-10")], (2023, "1-12")),
    ([("a", 2022, "1-12"), ("b", 2024, "1-10")], (2024, "1-10")),
])
def test_comparison_opens_on_the_latest_year_it_can_rank(figures, expected):
    assert comparison_default(rows(*figures)) == expected


@pytest.mark.parametrize("period, scope, label", [
    ("全年", "", "人民调解案件数"),
    ("1-10月", "", "人民调解案件数（1-10月）"),
    ("全年", "区政府本级", "人民调解案件数（区政府本级）"),
    ("上半年", "区政府本级", "人民调解案件数（上半年，区政府本级）"),
])
def test_a_card_names_a_partial_period_and_a_bodys_scope(period, scope, label):
    assert card_label("人民调解案件数", pd.Series({"period": period, "scope": scope})) == label
