"""Reference data kept in data/: the region catalog and the archive of seed sources."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REGIONS_PATH = DATA_DIR / "regions.yaml"
SOURCES_DIR = DATA_DIR / "sources"
SOURCES_PATH = SOURCES_DIR / "sources.yaml"
OBSERVATIONS_PATH = DATA_DIR / "observations.csv"
DEFAULT_DB_PATH = DATA_DIR / "fazhi.duckdb"


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    id: str
    file: str
    title: str
    publisher: str
    published: dt.date | None
    note: str

    def text(self) -> str:
        return (SOURCES_DIR / self.file).read_text(encoding="utf-8")


@cache
def load_regions(path: Path = REGIONS_PATH) -> tuple[Region, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["regions"]
    return tuple(
        Region(str(r["id"]), r["name"], r["level"], r.get("parent"), tuple(r.get("aliases") or ()))
        for r in raw
    )


@cache
def load_sources(path: Path = SOURCES_PATH) -> tuple[Source, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    return tuple(
        Source(s["id"], s["file"], s["title"], s.get("publisher", ""), s.get("published"), s.get("note", ""))
        for s in raw
    )
