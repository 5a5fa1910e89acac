"""Chinese numerals as reports write counts: 三千二百, 一百二十, 两, 十五, 近百 (百 alone)."""
from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(LARGE_UNITS)


def _section(text: str) -> int | None:
    """A numeral below 10,000: 三千二百 -> 3200, 十五 -> 15, 百 -> 100."""
    total, digit = 0, None
    for char in text:
        if char in DIGITS:
            if digit is not None and digit != 0:
                return None  # 三四 is "three or four", not a number
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            total += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def parse_chinese_numeral(text: str) -> int | None:
    """The value of a Chinese numeral, or None when the text is not one."""
    if not text or any(c not in NUMERAL_CHARS for c in text):
        return None
    total = 0
    rest = text
    for unit, size in sorted(LARGE_UNITS.items(), key=lambda item: -item[1]):
        if unit in rest:
            head, rest = rest.split(unit, 1)
            part = _section(head) if head else 1
            if part is None:
                return None
            total += part * size
    tail = _section(rest) if rest else 0
    return None if tail is None else total + tail
