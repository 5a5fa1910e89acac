"""Read the declared indicator catalog (catalog.yaml) and derived indicators (derived.yaml).

Nothing here touches the database: store/reference.py writes these into it, pages read them
back from there, and tests validate the YAML directly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from paths import CATALOG_PATH, DERIVED_PATH


@dataclass(frozen=True)
class Category:
    id: str
    name: str


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    type: str
    direction: str
    category: str
    definition: str
    source: str
    name_en: str = ""
    subcategory: str = ""
    aliases: tuple[str, ...] = ()
    # How a report's sentence names it: plain words, or parts in order joined by "…"
    # ("人民调解…化解纠纷"); read by loaders/reports/cues.py.
    cues: tuple[str, ...] = ()
    # A figure of the whole region by nature (a sector's count, a review organ's caseload):
    # the body a sentence names is the reporter, not the scope.
    region_wide: bool = False
    # The body whose own work it counts, named without its level ("司法局"): a report's
    # figure is that body's of the report's level (市司法局, 区司法局) unless it names another.
    body: str = ""


@dataclass(frozen=True)
class DerivedIndicator:
    """A ratio computed from two base indicators on the same key (dbt-metrics style)."""

    id: str
    name: str
    unit: str
    type: str
    direction: str
    category: str
    definition: str
    numerator: str
    denominator: str
    multiplier: float = 100.0
    source: str = "由两项基础指标推算（indicators/derived.yaml）"
    name_en: str = ""
    subcategory: str = ""
    aliases: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Catalog:
    categories: tuple[Category, ...]
    indicators: tuple[Indicator, ...]
    derived: tuple[DerivedIndicator, ...]

    def by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}


def _indicator(raw: dict) -> Indicator:
    return Indicator(
        id=raw["id"], name=raw["name"], unit=raw["unit"], type=raw["type"],
        direction=raw["direction"], category=raw["category"],
        definition=raw.get("definition", ""), source=raw.get("source", ""),
        name_en=raw.get("name_en", ""), subcategory=raw.get("subcategory", ""),
        aliases=tuple(raw.get("aliases") or ()),
        cues=tuple(raw.get("cues") or ()), region_wide=bool(raw.get("region_wide", False)), body=raw.get("body", ""),
    )


def _derived(raw: dict) -> DerivedIndicator:
    return DerivedIndicator(
        id=raw["id"], name=raw["name"], unit=raw["unit"], type=raw["type"],
        direction=raw["direction"], category=raw["category"],
        definition=raw["definition"], numerator=raw["numerator"],
        denominator=raw["denominator"], multiplier=float(raw.get("multiplier", 100)),
        name_en=raw.get("name_en", ""), subcategory=raw.get("subcategory", ""),
        aliases=tuple(raw.get("aliases") or ()),
    )


@cache
def load_catalog(catalog_path: Path = CATALOG_PATH, derived_path: Path = DERIVED_PATH) -> Catalog:
    raw = yaml.safe_load(catalog_path.read_text(encoding="utf-8"))
    derived_raw = yaml.safe_load(derived_path.read_text(encoding="utf-8")) if derived_path.exists() else {}
    return Catalog(
        categories=tuple(Category(c["id"], c["name"]) for c in raw["categories"]),
        indicators=tuple(_indicator(i) for i in raw["indicators"]),
        derived=tuple(_derived(d) for d in (derived_raw or {}).get("derived", [])),
    )
