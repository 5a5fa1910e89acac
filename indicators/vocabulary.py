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
# Qualifiers that make a figure a bound, not a value: 130余件 is at least 130.
BOUND_QUALIFIERS = ("余", "超过", "以上", "不足")
PREFIX_QUALIFIERS = ("约", "近", "超过", "不足")
SUFFIX_QUALIFIERS = ("余", "以上")
# Office synonyms, mapped onto the contract's qualifiers.
QUALIFIER_SYNONYMS = {"多": "余", "逾": "超过", "突破": "超过", "左右": "约", "大约": "约", "将近": "近",
                      "接近": "近", "超": "超过", "少于": "不足", "不到": "不足",
                      # bounds a plan sets: at least (以上), at most (the nearest upper bound, 不足)
                      "不低于": "以上", "不少于": "以上", "至少": "以上", "不超过": "不足", "不高于": "不足"}

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

# Words of report text (loaders/reports): what a sentence says about its figures.
# Qualifiers as reports write them: before the number, and after it (130余件, 8000人以上).
REPORT_PREFIX_QUALIFIERS = ("约", "近", "超过", "不足", "逾", "突破", "大约", "将近", "接近", "超", "少于", "不到",
                            "不低于", "不少于", "至少", "不超过", "不高于")
REPORT_SUFFIX_QUALIFIERS = ("余", "多", "以上", "左右")
# "今年以来" and "目前" in a report run to the last quarter's end before it was published.
SINCE_NEW_YEAR_WORDS = ("今年以来", "年初以来", "今年")
TO_DATE_WORDS = ("截止目前", "截至目前", "目前", "至今")
FULL_YEAR_WORDS = ("全年", "一年来", "年内")
# A sentence saying the figure is aimed at, not reached; a plan's title says so for all of it.
TARGET_WORDS = ("确保", "力争", "争取", "目标", "年内实现", "推出第", "持续推出", "达到")
PLAN_TITLE_WORDS = ("要点", "计划", "打算", "方案")
# A title that also names what was done ("2020年工作总结和2021年工作计划") is not a plan as a
# whole: its plan part is told by the section headings and target words, as in any report.
ACCOUNT_TITLE_WORDS = ("报告", "总结", "简报")
PLAN_SECTION_WORDS = ("工作打算", "工作计划", "工作要点", "工作思路", "下一步")
# A change on an earlier figure: "同比增长12.1%", "比2019年提高15个百分点".
CHANGE_BASE_WORDS = ("同比", "较上年", "比上年", "较去年", "比去年")
CHANGE_UP_WORDS = ("增长", "提高", "上升", "增加", "提升")
CHANGE_DOWN_WORDS = ("下降", "减少", "降低")
PERCENT_POINTS = "个百分点"
# A sentence about the whole region, whoever reports it.
REGION_WIDE_WORDS = ("全市", "全区", "我市", "我区", "全县", "苏州")
# A zero said in words: "无被裁决败诉" is 0 lost suits when an indicator's cue follows.
ZERO_WORDS = ("无被裁决", "无被判决", "未发生", "无", "零")
# A cell of a collection round (数据征集): what the store holds for an asked figure, its
# label and the symbol drawn with its colour (never colour alone). "full" is the asked
# period and kind (全年实际 for the annual round).
COVERAGE_STATES = {"full": "全年实际", "partial": "仅部分期间", "target": "仅目标", "missing": "缺"}
COVERAGE_SYMBOLS = {"full": "●", "partial": "△", "target": "◇", "missing": "×"}
