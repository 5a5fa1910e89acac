"""Reference data kept in data/: the region catalog and the archive of seed sources."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from loaders.reports.layout import around
from paths import REGIONS_PATH, SCOPES_PATH, SOURCES_DIR, SOURCES_PATH


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    id: str
    file: str
    title: str
    publisher: str
    published: dt.date | None
    note: str

    @property
    def path(self) -> Path:
        return SOURCES_DIR / self.file

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def context(self, sentence: str, margin: int = 200) -> tuple[str, str, str] | None:
        """(text before, the sentence as the report writes it, text after), each paragraph
        on a line of its own, or None when the report does not hold it. Whitespace is
        ignored: a report's line breaks fall anywhere inside a sentence."""
        document = self.text()
        squeezed = re.sub(r"\s+", "", sentence)
        match = re.search(r"\s*".join(re.escape(c) for c in squeezed), document) if squeezed else None
        if match is None:
            return None
        return around(document, *match.span(), margin)


@cache
def load_regions(path: Path = REGIONS_PATH) -> tuple[Region, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["regions"]
    return tuple(
        Region(str(r["id"]), r["name"], r["level"], r.get("parent"), tuple(r.get("aliases") or ()))
        for r in raw
    )


@cache
def load_scopes(path: Path = SCOPES_PATH) -> tuple[Scope, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["scopes"]
    return tuple(Scope(s["name"], tuple(s.get("aliases") or ())) for s in raw)


def scope_names() -> dict[str, str]:
    """Every name and alias of a declared scope -> its name."""
    return {text: scope.name for scope in load_scopes() for text in (*scope.aliases, scope.name)}


@cache
def load_sources(path: Path = SOURCES_PATH) -> tuple[Source, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    return tuple(
        Source(s["id"], s["file"], s["title"], s.get("publisher", ""), s.get("published"), s.get("note", ""))
        for s in raw
    )
