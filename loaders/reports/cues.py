"""Which indicator a figure is: the catalog's names, aliases and per-indicator cue words
(indicators/catalog.yaml `cues`), found near the number, with a unit that agrees.

A cue is plain words, or parts in order joined by "…" ("人民调解…化解纠纷", at most
MAX_CUE_GAP characters between parts). The nearest cue wins; a clause break, or another
figure standing between the cue and the number, counts against it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from indicators.catalog import Indicator, load_catalog
from indicators.vocabulary import COUNT_TYPES, SHARE_TYPES
from loaders.reports.numbers import Mention
from loaders.units import conversion_factor

MAX_CUE_GAP = 16
CLAUSE_BREAKS = "，,；;：:。"
FIGURE_PENALTY = 12
BREAK_PENALTY = 6
FAR = 30  # beyond this a cue is not this figure's
CLOSE = 8  # within this (and a name or alias) the match is 高


@dataclass(frozen=True)
class Cue:
    indicator: Indicator
    pattern: re.Pattern
    text: str
    is_name: bool


@dataclass(frozen=True)
class Match:
    indicator: Indicator
    cue: str
    distance: int
    is_name: bool


def _pattern(cue: str) -> re.Pattern:
    parts = ["(" + re.escape(re.sub(r"\s+", "", p)) + ")" for p in cue.split("…") if p.strip()]
    return re.compile(f"[^。；]{{0,{MAX_CUE_GAP}}}?".join(parts))


@cache
def catalog_cues() -> tuple[Cue, ...]:
    cues = []
    for indicator in load_catalog().indicators:
        for text in (indicator.name, *indicator.aliases):
            cues.append(Cue(indicator, _pattern(text), text, True))
        for text in indicator.cues:
            cues.append(Cue(indicator, _pattern(text), text, False))
    return tuple(cues)


@cache
def _convertible(written: str, unit: str) -> bool:
    return conversion_factor(written, unit) is not None


def unit_agrees(mention: Mention, indicator: Indicator) -> bool:
    if mention.zero_in_words:
        return indicator.type in COUNT_TYPES
    if mention.is_points:
        return False
    is_change = mention.change is not None and indicator.type == "增长率"
    if indicator.type == "增长率" and not is_change:
        return False
    if mention.unit == "%":
        return indicator.unit == "%" and (indicator.type in SHARE_TYPES)
    return _convertible(mention.unit, indicator.unit)


def _gap_cost(gap: str, others: int) -> int:
    return len(gap) + FIGURE_PENALTY * others + BREAK_PENALTY * sum(gap.count(c) for c in CLAUSE_BREAKS)


@lru_cache(maxsize=64)
def cue_hits(sentence: str) -> tuple[tuple[Cue, re.Match], ...]:
    """Every cue found in a sentence, found once for all of its figures."""
    return tuple((cue, found) for cue in catalog_cues() for found in cue.pattern.finditer(sentence))


def match_indicator(sentence: str, mention: Mention, figures: list[Mention]) -> Match | None:
    """The best indicator for a figure of the sentence, or None."""
    best: Match | None = None
    agrees: dict[str, bool] = {}
    for cue, found in cue_hits(sentence):
        fits = agrees.get(cue.indicator.id)
        if fits is None:
            fits = agrees[cue.indicator.id] = unit_agrees(mention, cue.indicator)
        if not fits or (mention.zero_in_words and found.start() != mention.end):
            continue
        if found.end() <= mention.start:
            between = (found.end(), mention.start)
        elif found.start() >= mention.end:
            between = (mention.end, found.start())
            if any(c in sentence[between[0]:between[1]] for c in CLAUSE_BREAKS):
                continue  # a noun after the figure belongs to it only within its clause
        elif found.start(found.lastindex) >= mention.end:  # "备案 9件 行政规范性文件": the last part follows
            between = (mention.end, found.start(found.lastindex))
        else:
            continue
        others = sum(1 for f in figures if f is not mention and between[0] <= f.start < between[1])
        if others and any(c in sentence[between[0]:between[1]] for c in CLAUSE_BREAKS):
            continue  # "反馈255件，报送材料82件": the cue is the other figure's, past a clause break
        distance = _gap_cost(sentence[between[0]:between[1]], others)
        if distance <= FAR and (best is None or distance < best.distance
                                or (distance == best.distance and len(cue.text) > len(best.cue))):
            best = Match(cue.indicator, cue.text, distance, cue.is_name)
    return best
