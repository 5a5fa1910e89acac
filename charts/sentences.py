"""简报要点: sentences written from the data in the reports' own style, e.g.
"2020年，姑苏区行政机关负责人出庭应诉率近90%，比2019年提高15个百分点。"

Pure functions over rows of queries.sql.year_over_year. They never claim what the data
does not say: no comparison without a like period the year before, 约 where the change
is inexact, and targets, partial periods and derived values named as such.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from charts.format import format_value, trim_number
from indicators.vocabulary import ACTUAL, PREFIX_QUALIFIERS, TARGET, is_share


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def when(year: int, period: str) -> str:
    """'2020年', '2024年1-10月', '2019年上半年'."""
    return f"{year}年" if period == "全年" else f"{year}年{period}"


def subject(region: str, scope: str) -> str:
    return f"{region}（{scope}）" if scope else region


def value_phrase(value: float, unit: str, qualifier: str, kind: str = ACTUAL) -> str:
    """'近90%' reads without a verb, as the reports write it; other figures take 为."""
    text = format_value(value, unit, qualifier)
    if kind == TARGET:
        return f"目标为{text}"
    return text if qualifier in PREFIX_QUALIFIERS else f"为{text}"


def change_phrase(row: Mapping) -> str:
    """'，比2019年提高15个百分点' / '，同比增长约12.5%' / '' when there is no like period."""
    if _missing(row.get("prev_value")):
        return ""
    approx = "约" if row.get("change_inexact") else ""
    same_period = "" if row["period"] == "全年" else "同期"
    if is_share(row["type"]):
        change = row["change_pp"]
        if abs(change) < 1e-9:
            return f"，与{row['prev_year']}年{same_period}持平"
        word = "提高" if change > 0 else "下降"
        return f"，比{row['prev_year']}年{same_period}{word}{approx}{trim_number(abs(change))}个百分点"
    change = row.get("change_pct")
    if _missing(change):
        return ""
    if abs(change) < 1e-9:
        return "，与上年同期持平"
    word = "增长" if change > 0 else "下降"
    return f"，同比{word}{approx}{trim_number(abs(change))}%"


def brief_sentence(row: Mapping) -> str:
    """One sentence for one figure."""
    kind = row.get("kind", ACTUAL)
    text = (f"{when(row['year'], row['period'])}，{subject(row['region'], row['scope'])}"
            f"{row['indicator']}{value_phrase(row['value'], row['unit'], row['qualifier'], kind)}")
    if kind == ACTUAL:
        text += change_phrase(row)
    return text + "。"
