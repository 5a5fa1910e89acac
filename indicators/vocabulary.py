"""The words a figure is described in, defined once (../shared/interchange.md).

Schema checks, validation, queries, charts and pages all take them from here: periods
and the months they span, kinds (实际/目标), qualifiers and which make a figure inexact,
indicator types and which are shares, and the labels of a preview's statuses. The SQL
macro period_span in store/schema.sql mirrors period_span() below; a test holds them equal.
"""
from __future__ import annotations

import re

# Periods (期间), in the order a year runs; a figure without one is a full year's.
FULL_YEAR = "全年"
PERIODS = (FULL_YEAR, "上半年", "前三季度", *(f"第{q}季度" for q in range(1, 5)), *(f"1-{m}月" for m in range(1, 12)))
PERIOD_PATTERN = re.compile(r"^(全年|上半年|前三季度|第[1-4]季度|1-([1-9]|1[0-2])月)$")
FULL_YEAR_SPAN = "1-12"  # the months 全年 covers; 上半年 and 1-6月 share the span 1-6
PERIOD_HINT = "可写：全年、上半年、前三季度、第1季度……第4季度、1-N月（如 1-10月）"

# Kinds (类型) of an observation, and how offices write them.
ACTUAL, TARGET = "实际", "目标"
KINDS = (ACTUAL, TARGET)
KIND_SYNONYMS = {"实际": ACTUAL, "实际值": ACTUAL, "完成": ACTUAL, "目标": TARGET, "目标值": TARGET, "计划": TARGET}

# Qualifiers (限定): every one makes a figure inexact, and a change computed from one.
QUALIFIERS = ("约", "近", "余", "超过", "以上", "不足", "推算")
INEXACT_QUALIFIERS = QUALIFIERS
ESTIMATED = "推算"
# Written before the number (近90%); the others follow it (130余件, 8000以上).
PREFIX_QUALIFIERS = ("约", "近", "超过", "不足")
SUFFIX_QUALIFIERS = ("余", "以上")
# Office synonyms, mapped onto the contract's qualifiers.
QUALIFIER_SYNONYMS = {"多": "余", "逾": "超过", "突破": "超过", "左右": "约", "大约": "约", "将近": "近",
                      "接近": "近", "超": "超过", "少于": "不足", "不到": "不足"}

# Indicator types: counts over a period, counts at a date, and shares of a whole.
INDICATOR_TYPES = ("流量", "存量", "比率", "增长率")
COUNT_TYPES = ("流量", "存量")      # never negative
SHARE_TYPES = ("比率", "增长率")    # changes between two shares are in 百分点
SHARE_TYPE = "比率"                 # a share of a whole: 0–100
DIRECTIONS = ("higher_better", "lower_better", "neutral")

# A preview row's status against the store, and its label.
STATUS_LABELS = {"new": "新增", "changed": "修改", "unchanged": "不变"}

# What wrote a batch (batches.kind in the store).
BATCH_TYPES = ("curated", "import", "undo")


def is_valid_period(period: str) -> bool:
    return bool(PERIOD_PATTERN.match(period))


def period_span(period: str) -> str | None:
    """The months a canonical period covers, '1-6' for 上半年; None when it is not one."""
    if not is_valid_period(period):
        return None
    if period == FULL_YEAR:
        return FULL_YEAR_SPAN
    if period == "上半年":
        return "1-6"
    if period == "前三季度":
        return "1-9"
    if m := re.fullmatch(r"第([1-4])季度", period):
        quarter = int(m[1])
        return f"{3 * quarter - 2}-{3 * quarter}"
    if m := re.fullmatch(r"1-([0-9]+)月", period):
        return f"1-{m[1]}"
    return None


def is_share(indicator_type: str) -> bool:
    return indicator_type in SHARE_TYPES

# A cell of a collection round (数据征集): what the store holds for an asked figure, its
# label and the symbol drawn with its colour (never colour alone). "full" is the asked
# period and kind (全年实际 for the annual round).
COVERAGE_STATES = {"full": "全年实际", "partial": "仅部分期间", "target": "仅目标", "missing": "缺"}
COVERAGE_SYMBOLS = {"full": "●", "partial": "△", "target": "◇", "missing": "×"}
