"""From a report's text to candidate figures in the long format, each with its sentence,
position, confidence and the reason for it. 采纳 is 是 only when the indicator, region,
period and unit are all recognised (and no earlier candidate has the same key)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from indicators.catalog import Indicator
from indicators.vocabulary import BOUND_QUALIFIERS, COUNT_TYPES, ESTIMATED, PERCENT_POINTS, PREFIX_QUALIFIERS
from loaders.reference import Region
from loaders.reports.context import (
    Period,
    ReportInfo,
    heading_year,
    kind_of,
    period_at,
    report_info,
    scope_at,
    street_at,
    year_at,
)
from loaders.reports.cues import CLOSE, match_indicator
from loaders.reports.layout import Sentence, sentences
from loaders.reports.numbers import Mention, mentions, zero_mentions
from loaders.units import conversion_factor

CANDIDATE_COLUMNS = ["指标", "地区", "口径", "年份", "期间", "类型", "数值", "限定", "单位", "来源", "原文", "备注",
                     "采纳", "置信", "位置", "理由"]
YES, NO = "是", "否"
HIGH, MEDIUM, LOW = "高", "中", "低"
FAR_AWAY = 1_000
YEAR_WORDS = re.compile(r"(?:19|20)\d\d年")


@dataclass(frozen=True)
class Candidate:
    indicator: Indicator | None
    region: Region | None
    scope: str
    year: int | None
    period: str | None
    kind: str
    value: Decimal
    qualifier: str
    unit: str
    sentence: str          # verbatim, line breaks folded
    paragraph: int
    offset: int            # the figure's character offset in the report's text
    number_text: str       # the figure as written in the sentence (highlighted on the page)
    confidence: str
    reasons: tuple[str, ...]
    note: str = ""
    accepted: bool = False
    distance: int = 0      # how far the indicator's cue stood from the number

    @property
    def key(self) -> tuple:
        return (self.indicator.id if self.indicator else None, self.region.id if self.region else None,
                self.scope, self.year, self.period, self.kind)

    @property
    def position(self) -> str:
        return f"第{self.paragraph}段，第{self.offset + 1}字"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _reasons(match, period: Period, scope_why: str, year_named: str) -> list[str]:
    """Why the figure was read so; `year_named` says where its year was written ('' at the report's)."""
    out = [("指标名称匹配" if match.is_name else "指标提示词匹配") + f"（{match.cue}）", "单位一致"]
    out.append(f"期间：{period.words}" if period.words else f"期间：按报告默认（{period.name}）")
    if scope_why:
        out.append(scope_why)
    if year_named:
        out.append(f"年份：{year_named}所写")
    return out


def _read_figure(sentence: Sentence, mention: Mention, figures: list[Mention], info: ReportInfo,
                 period_carried: Period | None, document: str) -> Candidate:
    text = sentence.text
    match = match_indicator(text, mention, figures)
    indicator = match.indicator if match else None
    year = year_at(sentence, mention.start, info)
    in_sentence = bool(YEAR_WORDS.search(text[:mention.start]))
    names_year = year is not None and year != info.year or in_sentence
    year_named = "句中" if in_sentence or year != heading_year(sentence.heading) else "小标题"
    period = period_at(text, mention.start, info, names_year)
    if period_carried is not None and not period.words:
        period = period_carried
    scope, scope_why = scope_at(sentence, mention.start, indicator, info)
    region = street_at(text, mention.start, info) or info.region
    reasons: list[str] = []
    if match is None:
        reasons.append("未识别指标")
        confidence = LOW
    else:
        reasons = _reasons(match, period, scope_why, year_named if names_year else "")
        confidence = HIGH if match.distance <= CLOSE else MEDIUM
    if region is None:
        reasons.append("未识别地区")
    if period.name is None:
        reasons.append(f"期间无法确定（{period.words}）")
    if year is None:
        reasons.append("未识别年份")
    accepted = None not in (indicator, region, period.name, year)
    return Candidate(indicator, region, scope, year, period.name, kind_of(sentence, year, info), mention.value,
                     mention.qualifier, mention.unit, sentence.verbatim(document), sentence.paragraph,
                     sentence.offsets[mention.start], mention.text, confidence, tuple(reasons), accepted=accepted,
                     distance=match.distance if match else FAR_AWAY)


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()


def _as_written(value: Decimal, unit: str, qualifier: str) -> str:
    """A figure as a report writes it, qualifier included: 近90%, 130余件, 40%以上."""
    if qualifier in PREFIX_QUALIFIERS:
        return f"{qualifier}{_number(value)}{unit}"
    if qualifier == "以上":
        return f"{_number(value)}{unit}以上"
    return f"{_number(value)}{qualifier}{unit}"


def _whole(value: Decimal, unit: str, indicator: Indicator) -> Decimal:
    """A computed count in whole units of its indicator (112.3996件 is 112件; 14.43364万件
    is 144336件, 14.4336万): cases and people come whole, and the 推算 says it is computed."""
    factor = conversion_factor(unit, indicator.unit) if indicator.type in COUNT_TYPES else None
    if not factor:
        return _quantize(value)
    return (value * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP) / factor


def _earlier(base: Candidate, change: Mention) -> Candidate | None:
    """The earlier year's figure a change implies (推算), the computation in 备注: a change in
    百分点 of a share, in per cent, or in the figure's own unit ("较上年减少5件")."""
    if base.indicator is None or base.year is None or change.change is None or not change.change.has_base:
        return None
    sign = -1 if change.change.down else 1
    written = _as_written(base.value, base.unit, base.qualifier)
    if change.unit == PERCENT_POINTS:
        if base.unit != "%":
            return None
        value = base.value - sign * change.value
        how = f"{written} {'+' if sign < 0 else '−'} {_number(change.value)}个百分点"
    elif change.unit == "%":
        value = _whole(base.value / (1 + sign * change.value / 100), base.unit, base.indicator)
        how = f"{written} ÷ (1 {'−' if sign < 0 else '+'} {_number(change.value)}%)"
    elif (factor := conversion_factor(change.unit, base.unit)) is not None and base.unit != "%":
        value = _quantize(base.value - sign * change.value * factor)
        how = f"{written} {'+' if sign < 0 else '−'} {_number(change.value)}{change.unit}"
    else:
        return None
    year = change.change.base_year or base.year - 1
    note = f"由{base.year}年数字及变化推算：{how} ≈ {_number(value)}{base.unit}"
    reasons = (*base.reasons, f"推算：{how}")
    accepted = base.accepted
    if base.qualifier in BOUND_QUALIFIERS:
        # 130余件 ÷ 1.121 bounds last year's figure, it does not give it: offered, not taken.
        accepted = False
        reasons = (*reasons, f"基数“{written}”只是界限，推算出的也只是界限，默认不采纳")
    return replace(base, year=year, value=value, qualifier=ESTIMATED, note=note, number_text=change.text,
                   reasons=reasons, confidence=MEDIUM, accepted=accepted)


def _mark_duplicates(candidates: list[Candidate]) -> list[Candidate]:
    """One key, one accepted figure: the first, most confident one."""
    rank = {HIGH: 0, MEDIUM: 1, LOW: 2}
    winner: dict[tuple, int] = {}
    for i, c in enumerate(candidates):
        if c.accepted:
            best = winner.get(c.key)
            if best is None or (rank[c.confidence], c.distance) < (rank[candidates[best].confidence], candidates[best].distance):
                winner[c.key] = i
    out = []
    for i, c in enumerate(candidates):
        if c.accepted and winner[c.key] != i:
            other = candidates[winner[c.key]]
            c = replace(c, accepted=False, reasons=(*c.reasons, f"与{other.position}的“{other.number_text}”同一指标、期间和口径"))
        out.append(c)
    return out


def extract_candidates(text: str, info: ReportInfo) -> list[Candidate]:
    candidates: list[Candidate] = []
    carried: Period | None = None
    for sentence in sentences(text):
        figures = mentions(sentence.text)
        if not sentence.text.startswith("其中"):
            carried = None
        read: list[Candidate] = []
        for mention in sorted(figures + zero_mentions(sentence.text), key=lambda m: m.start):
            if mention.is_points and mention.change is None:
                continue
            if mention.change is not None and mention.change.has_base:
                base = next((c for c in reversed(read) if c.indicator is not None), None)
                earlier = _earlier(base, mention) if base is not None else None
                if earlier is not None:
                    read.append(earlier)
                # A change in 百分点 or in the figure's own unit is no figure of its own; a change
                # in per cent may be (a 增长率 indicator).
                if mention.is_points or (earlier is not None and mention.unit != "%"):
                    continue
            candidate = _read_figure(sentence, mention, figures, info, carried, text)
            if (mention.change is not None or mention.zero_in_words) and candidate.indicator is None:
                continue  # a change of a figure, or a 无 that says no figure
            if mention.zero_in_words:
                candidate = replace(candidate, unit=candidate.indicator.unit,
                                    reasons=(*candidate.reasons, f"零值以文字写出（{mention.text}）"))
            read.append(candidate)
        candidates.extend(read)
        if read and carried is None:
            explicit = period_at(sentence.text, len(sentence.text), info, False)
            carried = explicit if explicit.words else None
    return _mark_duplicates(candidates)


def candidates_frame(candidates: list[Candidate], source: str) -> pd.DataFrame:
    rows = [[c.indicator.name if c.indicator else "", c.region.name if c.region else "", c.scope,
             c.year if c.year is not None else "", c.period or "", c.kind, _number(c.value), c.qualifier, c.unit,
             source, c.sentence, c.note, YES if c.accepted else NO, c.confidence, c.position, "；".join(c.reasons)]
            for c in candidates]
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


def extract_report(text: str, *, title: str | None = None, region: Region | None = None,
                   year: int | None = None) -> tuple[ReportInfo, list[Candidate]]:
    info = report_info(text, title, region, year)
    return info, extract_candidates(text, info)

