"""The figures written in a sentence: '20742件', '约22516万元', '近90%', '三千二百余人', '近百场'.

A number is a figure only with a unit after it (a counter, a currency, %). Dates, years,
document numbers (〔2021〕12号), plan titles (2021—2025年), ordinals (第二批), rankings
(前10名), phone numbers and names in quotes (“两个免于提交”) are not figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from indicators.vocabulary import (
    CHANGE_BASE_WORDS,
    CHANGE_DOWN_WORDS,
    CHANGE_UP_WORDS,
    PERCENT_POINTS,
    REPORT_PREFIX_QUALIFIERS,
    ZERO_WORDS,
)
from loaders.reports.numerals import NUMERAL_CHARS, parse_chinese_numeral
from loaders.values import normalize_qualifier

# Counters and units a report writes after a number, longest first when matched.
COUNTERS = ("个百分点", "平方米", "人次", "户次", "件次", "场次", "节次", "家次", "元", "%", "件", "人", "名", "个",
            "项", "家", "条", "台", "户", "次", "场", "期", "批", "类", "处", "份", "门", "分", "起", "所", "宗",
            "位", "支", "套", "部", "篇", "本", "册", "间", "座", "辆", "单", "笔")
_ALT = lambda words: "|".join(sorted(map(re.escape, words), key=len, reverse=True))  # noqa: E731
_CN = f"[{NUMERAL_CHARS}]+"
MENTION = re.compile(
    rf"(?P<pre>{_ALT(REPORT_PREFIX_QUALIFIERS)})?"
    rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|{_CN})"
    rf"(?P<mid>余|多)?(?P<scale>[万亿](?!余))?(?P<mid2>余|多)?"
    rf"(?P<unit>{_ALT(COUNTERS)})"
    rf"(?P<post>以上|左右)?"
)
_ORDINAL_BEFORE = re.compile(r"(第|前|〔|\[|No\.?)$")
_CHANGE_BEFORE = re.compile(
    rf"(?P<base>{_ALT(CHANGE_BASE_WORDS)}|[比较](?P<year>\d{{4}})年)?(?P<dir>{_ALT(CHANGE_UP_WORDS + CHANGE_DOWN_WORDS)})了?$")
_NOT_AFTER = re.compile(r"^(月|日|号|年|季度|周岁|岁)")


@dataclass(frozen=True)
class Change:
    """The number is a change on an earlier figure."""

    down: bool
    base_year: int | None  # 比2019年: 2019; 同比: None (the year before)
    has_base: bool          # a base is named (同比, 较上年, 比2019年): the earlier figure can be computed


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    value: Decimal
    unit: str        # as written, scale included: '万件', '万元', '%', '个百分点'
    qualifier: str   # a contract qualifier, or ''
    text: str        # as written in the sentence
    change: Change | None = None
    zero_in_words: bool = False  # "无被裁决败诉": the indicator's cue must follow at once

    @property
    def is_points(self) -> bool:
        return self.unit == PERCENT_POINTS


def _inside_quotes(sentence: str, position: int) -> bool:
    before = sentence[:position]
    return before.count("“") > before.count("”") or before.count("《") > before.count("》")


def _value(number: str) -> Decimal | None:
    if number[0].isdigit():
        return Decimal(number.replace(",", ""))
    parsed = parse_chinese_numeral(number)
    return Decimal(parsed) if parsed is not None else None


def _qualifier(match: re.Match) -> str | None:
    found = {normalize_qualifier(q) for q in (match["pre"], match["mid"], match["mid2"], match["post"]) if q}
    return found.pop() if len(found) == 1 else ("" if not found else None)


def _change(before: str) -> Change | None:
    match = _CHANGE_BEFORE.search(before[-12:])
    if match is None:
        return None
    return Change(match["dir"] in CHANGE_DOWN_WORDS, int(match["year"]) if match["year"] else None, bool(match["base"]))


def mentions(sentence: str) -> list[Mention]:
    found: list[Mention] = []
    for match in MENTION.finditer(sentence):
        number = match["num"]
        start = match.start("num") if not match["pre"] else match.start()
        before = sentence[:match.start()]
        if before and (before[-1].isdigit() or before[-1] in ".-—－"):
            continue  # inside a longer number or a range/date
        if _ORDINAL_BEFORE.search(before) or _inside_quotes(sentence, match.start("num")):
            continue
        if not number[0].isdigit() and (len(number) == 1 and number in "十百千" and not match["pre"]):
            continue  # 百 alone is a number only after a qualifier (近百)
        if _NOT_AFTER.match(sentence[match.end():]) and match["unit"] in ("个", "分"):
            continue  # 18个月, 3分钟: durations
        value = _value(number)
        qualifier = _qualifier(match)
        if value is None or qualifier is None:
            continue
        if match["scale"] and match["unit"] in ("%", "个百分点"):
            continue
        unit = (match["scale"] or "") + match["unit"]
        found.append(Mention(start, match.end(), value, unit, qualifier, sentence[start:match.end()],
                             _change(before)))
    return found


_ZERO = re.compile(f"(?<![\u4e00-\u9fff])(?:{_ALT(ZERO_WORDS)})|(?<=[，,、；])(?:{_ALT(ZERO_WORDS)})")


def zero_mentions(sentence: str) -> list[Mention]:
    """Places where a zero may be said in words, at a clause's start; a figure only when
    an indicator's cue follows at once (cues.match_indicator checks)."""
    return [Mention(m.start(), m.end(), Decimal(0), "", "", m[0], zero_in_words=True)
            for m in _ZERO.finditer(sentence)]
