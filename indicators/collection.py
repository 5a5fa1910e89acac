"""Read a collection round (indicators/collections/annual.yaml) and the plausibility
rules declared beside it (plausibility.yaml). Nothing here touches the database."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from indicators.vocabulary import KINDS, is_valid_period, period_span
from paths import COLLECTIONS_DIR

ANNUAL = "annual"


@dataclass(frozen=True)
class Collection:
    """Which figures a round asks every region of a level for: one period, one kind."""

    id: str
    name: str
    period: str
    kind: str
    region_level: str
    indicators: tuple[str, ...]

    @property
    def span(self) -> str:
        return period_span(self.period) or ""


@dataclass(frozen=True)
class PlausibilityRules:
    jump_factor: float
    jump_text: str
    share_points: float
    share_text: str
    whole_units: frozenset[str]
    whole_text: str
    future_text: str
    coarser_text: str  # with {stored}: the stored value it would round away
    source_kept_text: str  # with {source}: the source a changed number is still credited to


@cache
def load_collection(name: str = ANNUAL, directory: Path = COLLECTIONS_DIR) -> Collection:
    raw = yaml.safe_load((directory / f"{name}.yaml").read_text(encoding="utf-8"))
    collection = Collection(id=raw["id"], name=raw["name"], period=raw["period"], kind=raw["kind"],
                            region_level=raw["region_level"], indicators=tuple(raw["indicators"]))
    if not is_valid_period(collection.period) or collection.kind not in KINDS:
        raise ValueError(f"collection {name}: period {collection.period!r} or kind {collection.kind!r} unknown")
    return collection


@cache
def load_plausibility(directory: Path = COLLECTIONS_DIR) -> PlausibilityRules:
    raw = yaml.safe_load((directory / "plausibility.yaml").read_text(encoding="utf-8"))
    factor, points = float(raw["jump"]["factor"]), float(raw["share_move"]["points"])
    return PlausibilityRules(
        jump_factor=factor, jump_text=raw["jump"]["text"].format(factor=f"{factor:g}"),
        share_points=points, share_text=raw["share_move"]["text"].format(points=f"{points:g}"),
        whole_units=frozenset(raw["whole_count"]["units"]), whole_text=raw["whole_count"]["text"],
        future_text=raw["future_year"]["text"], coarser_text=raw["coarser_than_stored"]["text"],
        source_kept_text=raw["source_kept"]["text"],
    )
