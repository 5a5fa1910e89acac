"""简报要点 sentences: the reports' style, never claiming more than the data says."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from charts.format import format_change, format_changes, format_exact, format_value
from charts.sentences import brief_sentence

NAN = math.nan
BASE = dict(year=2020, period="全年", region="姑苏区", scope="", kind="实际", prev_year=None, prev_value=None,
            prev_qualifier=None, change_pct=NAN, change_pp=NAN, change_inexact=False)


def row(**kw):
    return {**BASE, **kw}


@pytest.mark.parametrize("data, expected", [
    # the issue's own example: approximate level, derived previous year, change in 百分点
    (row(indicator="行政机关负责人出庭应诉率", unit="%", type="比率", value=90.0, qualifier="近", prev_year=2019,
         prev_value=75.0, prev_qualifier="推算", change_pp=15.0),
     "2020年，姑苏区行政机关负责人出庭应诉率近90%，比2019年提高15个百分点。"),
    # partial period, no like period last year: no comparison at all
    (row(year=2024, period="1-10月", indicator="人民调解成功调处矛盾纠纷数", unit="件", type="流量", value=20742.0,
         qualifier=""),
     "2024年1-10月，姑苏区人民调解成功调处矛盾纠纷数为20742件。"),
    # scale and per-cent change
    (row(year=2023, region="苏州市", indicator="人民调解成功调处矛盾纠纷数", unit="件", type="流量", value=204900.0,
         qualifier="", prev_year=2022, prev_value=144336.0, change_pct=41.9598),
     "2023年，苏州市人民调解成功调处矛盾纠纷数为20.49万件，同比增长41.96%。"),
    # lower bound keeps 余; an inexact change says 约
    (row(indicator="免罚轻罚案件数", unit="件", type="流量", value=130.0, qualifier="余", prev_year=2019,
         prev_value=100.0, change_pct=30.0, change_inexact=True),
     "2020年，姑苏区免罚轻罚案件数为130余件，同比增长约30%。"),
    # a body's own figure names the body
    (row(indicator="行政应诉案件数", scope="区政府本级", unit="件", type="流量", value=23.0, qualifier=""),
     "2020年，姑苏区（区政府本级）行政应诉案件数为23件。"),
    # a target is a target, with no change against last year
    (row(year=2022, region="吴中区", kind="目标", indicator="执业公证员人数增长率", unit="%", type="增长率",
         value=10.0, qualifier="以上"),
     "2022年，吴中区执业公证员人数增长率目标为10%以上。"),
    # a derived value says so
    (row(year=2019, indicator="行政机关负责人出庭应诉率", unit="%", type="比率", value=75.0, qualifier="推算"),
     "2019年，姑苏区行政机关负责人出庭应诉率为75%（推算）。"),
    # a fall in a share, within the same partial period
    (row(year=2024, period="上半年", indicator="行政机关负责人出庭应诉率", unit="%", type="比率", value=80.0,
         qualifier="", prev_year=2023, prev_value=82.5, change_pp=-2.5),
     "2024年上半年，姑苏区行政机关负责人出庭应诉率为80%，比2023年同期下降2.5个百分点。"),
])
def test_brief_sentence(data, expected):
    assert brief_sentence(data) == expected


@pytest.mark.parametrize("value, unit, qualifier, expected", [
    (90, "%", "近", "近90%"), (204900, "件", "", "20.49万件"), (904000000, "元", "", "9.04亿元"),
    (130, "件", "余", "130余件"), (10, "%", "以上", "10%以上"), (8000, "人", "超过", "超过8000人"),
    (75, "%", "推算", "75%（推算）"), (NAN, "件", "", "—"), (None, "件", "", "—"), (0, "件", "", "0件"),
    (27.9, "%", "", "27.9%"), (12468, "件", "", "12468件"),
    (41.96, "%", "", "41.96%"),  # a rate as the report writes it, not rounded to 42%
])
def test_format_value(value, unit, qualifier, expected):
    assert format_value(value, unit, qualifier) == expected


# An import's preview: scaled where that is exact, else in full, so no change is rounded away.
@pytest.mark.parametrize("value, unit, qualifier, expected", [
    (204900, "件", "", "20.49万件"), (904000000, "元", "", "9.04亿元"), (130, "件", "余", "130余件"),
    (99.96, "%", "", "99.96%"), (100, "%", "", "100%"), (0.85, "%", "", "0.85%"), (99.96, "%", "近", "近99.96%"),
    (123459, "元", "", "123459元"), (123456, "元", "", "123456元"), (1500000001, "元", "", "1500000001元"),
    (12468, "件", "", "12468件"),
])
def test_format_exact(value, unit, qualifier, expected):
    assert format_exact(value, unit, qualifier) == expected


@pytest.mark.parametrize("pct, pp, inexact, estimated, expected", [
    (None, 15.0, False, False, "+15个百分点"), (None, -2.5, True, False, "-2.5个百分点（约）"),
    (41.9598, None, False, False, "+41.96%"), (None, None, False, False, "—"), (NAN, NAN, False, False, "—"),
    (None, 15.0, False, True, "+15个百分点（推算）"), (20.0, None, True, True, "+20%（推算）"),
])
def test_format_change(pct, pp, inexact, estimated, expected):
    assert format_change(pct, pp, inexact, estimated) == expected


def test_every_change_of_an_estimated_figure_says_so_wherever_it_is_shown():
    """总览's card, the briefing, 地区对比 and the parts table read year_over_year's rows
    through format_changes: the card once said "+15个百分点" where 趋势 said "（推算）"."""
    rows = pd.DataFrame({"change_pct": [None, 41.96, 3.0], "change_pp": [15.0, None, None],
                         "change_inexact": [False, False, True], "qualifier": ["近", "", "约"],
                         "prev_qualifier": ["推算", "推算", ""]})
    assert format_changes(rows) == ["+15个百分点（推算）", "+41.96%（推算）", "+3%（约）"]
