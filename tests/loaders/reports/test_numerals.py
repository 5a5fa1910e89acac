"""Chinese numerals as reports write them."""
from __future__ import annotations

import pytest

from loaders.reports.numerals import parse_chinese_numeral


@pytest.mark.parametrize("text, value", [
    ("一", 1), ("两", 2), ("十", 10), ("十五", 15), ("二十", 20), ("一百二十", 120), ("百", 100),
    ("三千二百", 3200), ("一千零八", 1008), ("三万五千", 35000), ("两亿", 200_000_000), ("〇", 0),
    ("三四", None), ("", None), ("五a", None),
])
def test_chinese_numerals(text, value):
    assert parse_chinese_numeral(text) == value
