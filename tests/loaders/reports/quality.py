"""Recall and precision of the report reader against the hand-curated figures
(data/observations.csv) over the five seed reports in data/sources/."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from indicators.vocabulary import ESTIMATED
from loaders.curated import read_curated
from loaders.reference import load_regions, load_sources
from loaders.reports.extract import Candidate, extract_report
from loaders.units import convert

# `fazhi extract` then `fazhi import` of its 采纳=是 rows: the same floor as the reader's recall.
RECALL_FLOOR_CLI = 0.85


def curated_store_keys(curated: list[dict]) -> set[tuple]:
    """The curated non-推算 figures as the store keys them, values in canonical units."""
    from indicators.catalog import load_catalog

    units = {i.id: i.unit for i in load_catalog().indicators}
    region_ids = {r.name: r.id for r in load_regions()}
    return {curated_key(r, region_ids, units) for r in curated if r["qualifier"] != ESTIMATED}


@dataclass
class Quality:
    curated: int
    recalled: int
    accepted: int
    correct: int
    missed: list[dict]
    wrong: list[Candidate]

    @property
    def recall(self) -> float:
        return self.recalled / self.curated

    @property
    def precision(self) -> float:
        return self.correct / self.accepted


def _canonical(value: Decimal | str, unit: str, to_unit: str) -> float:
    return round(convert(value, unit, to_unit), 4)


def curated_key(raw: dict, region_ids: dict[str, str], units: dict[str, str]) -> tuple:
    unit = units[raw["indicator"]]
    return (raw["indicator"], region_ids[raw["region"]], raw["scope"], int(raw["year"]), raw["period"], raw["kind"],
            _canonical(raw["value"], raw["unit"], unit), raw["qualifier"])


def candidate_key(c: Candidate) -> tuple:
    return (c.indicator.id, c.region.id, c.scope, c.year, c.period, c.kind,
            _canonical(c.value, c.unit, c.indicator.unit), c.qualifier)


def measure(titled: bool = True) -> Quality:
    """Over the five seeds, each with its curated title (as `--source` gives it) or, not
    `titled`, with the title, region, year and kind read from the text itself (as a plain
    `fazhi extract FILE` reads them)."""
    from indicators.catalog import load_catalog

    units = {i.id: i.unit for i in load_catalog().indicators}
    region_ids = {r.name: r.id for r in load_regions()}
    curated = read_curated()
    recalled, accepted, correct, missed, wrong = 0, 0, 0, [], []
    counted = 0
    for source in load_sources():
        _, candidates = extract_report(source.text(), title=source.title if titled else None)
        keys = {candidate_key(c) for c in candidates if c.accepted}
        truth = [r for r in curated if r["source"] == source.id]
        truth_keys = {curated_key(r, region_ids, units) for r in truth}
        for raw in truth:
            if raw["qualifier"] == ESTIMATED:
                continue
            counted += 1
            if curated_key(raw, region_ids, units) in keys:
                recalled += 1
            else:
                missed.append(raw)
        for c in candidates:
            if c.accepted:
                accepted += 1
                if candidate_key(c) in truth_keys:
                    correct += 1
                else:
                    wrong.append(c)
    return Quality(counted, recalled, accepted, correct, missed, wrong)
