"""Cell text as offices write it -> (exact value, qualifier, unit); no figure is never zero."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.values import ParsedValue, ValueParseError, parse_value


@pytest.mark.parametrize("raw, value, qualifier, unit", [
    ("38", "38", "", ""),
    (38, "38", "", ""),
    (27.9, "27.9", "", ""),
    ("约1.2万", "12000", "约", ""),
    ("4.15万", "41500", "", ""),
    ("9.04亿", "904000000", "", ""),
    ("9.04亿元", "904000000", "", "元"),
    ("430余", "430", "余", ""),
    ("130余件", "130", "余", "件"),
    ("130多件", "130", "余", "件"),
    ("1.2万余件", "12000", "余", "件"),
    ("近90%", "90", "近", "%"),
    ("90％", "90", "", "%"),
    ("10%以上", "10", "以上", "%"),
    ("超过1000", "1000", "超过", ""),
    ("逾5000人", "5000", "超过", "人"),
    ("突破5万", "50000", "超过", ""),
    ("不足10", "10", "不足", ""),
    ("300左右", "300", "约", ""),
    ("不低于95%", "95", "以上", "%"),  # a plan's bounds: at least, at most
    ("不少于30场", "30", "以上", "场"),
    ("不超过5件", "5", "不足", "件"),
    ("18,532", "18532", "", ""),
    ("１２３，４５６．７", "123456.7", "", ""),
    (" 1 234 ", "1234", "", ""),
    ("-3", "-3", "", ""),
])
def test_reads_office_numbers(raw, value, qualifier, unit):
    parsed = parse_value(raw)
    assert parsed.value == Decimal(value)
    assert (parsed.qualifier, parsed.unit) == (qualifier, unit)


@pytest.mark.parametrize("raw", [None, "", "  ", "—", "——", "－", "-", "/", "无", "空", "N/A", "n/a", float("nan")])
def test_no_figure_is_none_never_zero(raw):
    assert parse_value(raw) is None


@pytest.mark.parametrize("raw, message", [
    ("abc", "不是可识别的数字"),
    ("逾千", "不是可识别的数字"),
    ("1,2", "不是可识别的数字"),
    ("12.5.3", "不是可识别的数字"),
    ("约430余", "多个限定词"),
    (True, "不是数字"),
    (float("inf"), "无穷大"),
])
def test_unreadable_is_an_error_in_chinese(raw, message):
    with pytest.raises(ValueParseError, match=message):
        parse_value(raw)


def test_scale_written_in_the_cell_is_marked():
    assert parse_value("4.15万").scaled and not parse_value("41500").scaled


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_plain_numbers_round_trip_exactly(number):
    assert parse_value(str(number)) == ParsedValue(number)
