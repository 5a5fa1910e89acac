"""Read one figure as an office writes it: '约1.2万', '130余件', '近90%', '１２３，４５６．７'.

A cell becomes a ParsedValue (exact Decimal, qualifier, unit written after the number)
or None when it says "no figure" (blank, —, /, 无 …): never a zero. Anything else that
is not a number raises ValueParseError with a Chinese message for the clerk.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from indicators.vocabulary import QUALIFIER_SYNONYMS, REPORT_PREFIX_QUALIFIERS, REPORT_SUFFIX_QUALIFIERS
from loaders.units import SCALE_PREFIXES

# Marks that mean "no figure" (compared after NFKC and stripping, case-insensitively).
NO_FIGURE = {"", "—", "——", "-", "--", "–", "/", "\\", "无", "空", "暂无", "n/a", "na", "#n/a", "null", "none", "nan"}

# A cell is written as a report writes its figures: the same qualifier words, longest first.
_PREFIX = "|".join(sorted(REPORT_PREFIX_QUALIFIERS, key=len, reverse=True))
_SUFFIX = "|".join(sorted(REPORT_SUFFIX_QUALIFIERS, key=len, reverse=True))
_NUMBER_TEXT = re.compile(
    rf"^(?P<pre>{_PREFIX})?(?P<num>[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)"
    rf"(?P<scale>[万亿])?(?P<mid>余|多)?(?P<unit>[^\d\s.,+-]{{0,4}}?)(?P<post>{_SUFFIX})?$"
)


class ValueParseError(ValueError):
    """The cell is neither a number nor a "no figure" mark; str() is for the user."""


@dataclass(frozen=True)
class ParsedValue:
    value: Decimal
    qualifier: str = ""  # one of QUALIFIERS, or '' for an exact figure
    unit: str = ""       # the unit written after the number ('%', '件', '元'), scale already applied
    scaled: bool = False  # the cell wrote its own 万/亿: it overrides a 万元 column's scale


def normalize_text(text: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC), whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def normalize_qualifier(text: str) -> str:
    return QUALIFIER_SYNONYMS.get(text, text)


def is_no_figure(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and normalize_text(raw).lower() in NO_FIGURE


def _from_number(raw: int | float | Decimal) -> ParsedValue:
    if isinstance(raw, float) and math.isinf(raw):
        raise ValueParseError("数值无穷大，不是可用的数字")
    # str(float) is the shortest repr: 27.9 stays 27.9, not 27.899999999999998578...
    return ParsedValue(Decimal(str(raw)))


def _qualifier_of(pre: str | None, mid: str | None, post: str | None, text: str) -> str:
    found = {normalize_qualifier(q) for q in (pre, mid, post) if q}
    if len(found) > 1:
        raise ValueParseError(f"“{text}”同时写了多个限定词（{'、'.join(sorted(found))}），请只保留一个")
    return found.pop() if found else ""


def parse_value(raw: object) -> ParsedValue | None:
    """The figure in a cell, or None for "no figure"."""
    if raw.__class__ is float or raw.__class__ is int:  # most cells: checked first, it is per cell
        return None if raw != raw else _from_number(raw)  # NaN is no figure
    if is_no_figure(raw):
        return None
    if isinstance(raw, bool):
        raise ValueParseError(f"“{raw}”不是数字")
    if isinstance(raw, (int, float, Decimal)):
        return _from_number(raw)
    text = normalize_text(str(raw))
    match = _NUMBER_TEXT.match(text)
    if not match:
        raise ValueParseError(f"“{raw}”不是可识别的数字（可写 38、近90%、130余、4.15万、18,532）")
    number = Decimal(match["num"].replace(",", ""))
    if match["scale"]:
        number *= SCALE_PREFIXES[match["scale"]]
    qualifier = _qualifier_of(match["pre"], match["mid"], match["post"], str(raw))
    return ParsedValue(number, qualifier, match["unit"], bool(match["scale"]))
