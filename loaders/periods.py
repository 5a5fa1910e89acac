"""Reading a period (期间) from office text into the names of indicators/vocabulary.py."""
from __future__ import annotations

import re

CN_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
               "九": 9, "十": 10, "十一": 11, "十二": 12}
_MONTH = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_DASH = r"\s*(?:-|－|—|–|~|～|至|到)\s*"


def _month(token: str) -> int:
    return int(token) if token.isdigit() else CN_NUMERALS[token]


def _to_month_period(month: int) -> str | None:
    if not 1 <= month <= 12:
        return None
    return "全年" if month == 12 else f"1-{month}月"


def normalize_period(text: str | None) -> str | None:
    """Canonical period for an office's wording, or None when it cannot be read.

    '' -> 全年; '1—10月', '1月至10月', '截至10月底' -> 1-10月; '一季度' -> 第1季度.
    """
    t = re.sub(r"\s+", "", str(text or ""))
    t = t.removesuffix("度") if t.endswith("年度") else t
    if t in ("", "全年", "年", "年度", "全年累计"):
        return "全年"
    if t in ("上半年", "半年", "1-6月份"):
        return "上半年"
    if t in ("前三季度", "1-3季度", "前3季度"):
        return "前三季度"
    if m := re.fullmatch(r"(?:第)?([1-4一二三四])季度|Q([1-4])", t, flags=re.I):
        return f"第{_month(m.group(1) or m.group(2))}季度"
    if m := re.fullmatch(rf"1月?{_DASH}{_MONTH}月(?:份)?(?:底|末)?", t):
        return _to_month_period(_month(m.group(1)))
    if m := re.fullmatch(rf"(?:截至|截止|至)(?:\d{{4}}年)?{_MONTH}月(?:底|末)?", t):
        return _to_month_period(_month(m.group(1)))
    if t in ("截至年底", "截止年底", "年底", "年末"):
        return "全年"
    return None
