"""A form profile (indicators/forms/<表号>.yaml) as typed objects: how the form is
recognised, where its 行次 and 栏次 are printed, where the unit and period are written,
the 案件类别 of each row, which columns feed which indicator, and its audit rules."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from openpyxl.utils import column_index_from_string

from paths import FORMS_DIR

_CELL = re.compile(r"^([A-Z]+)([1-9]\d*)$")


def cell_position(address: str) -> tuple[int, int]:
    """'AY18' -> (17, 50): 0-based row and column."""
    match = _CELL.match(address)
    if match is None:
        raise ValueError(f"not a cell address: {address!r}")
    return int(match[2]) - 1, column_index_from_string(match[1]) - 1


def _numbers(spec: list) -> tuple[int, ...]:
    """[1, 2, [5, 8]] -> (1, 2, 5, 6, 7, 8)."""
    found: list[int] = []
    for item in spec or ():
        found.extend(range(item[0], item[1] + 1) if isinstance(item, list) else [int(item)])
    return tuple(found)


@dataclass(frozen=True)
class UnitPlace:
    """A cell naming the reporting unit; `after` is a label written in the cell itself."""

    cell: str
    label: str
    after: str = ""


@dataclass(frozen=True)
class Figure:
    indicator: str
    columns: tuple[int, ...]  # 栏次 summed
    unit: str


@dataclass(frozen=True)
class AuditRule:
    """left = plus − minus, held in every 栏次 (each 'column', the numbers are 行次) or
    every 行次 (each 'row', the numbers are 栏次)."""

    name: str
    each: str  # column | row
    left: tuple[int, ...]
    plus: tuple[int, ...]
    minus: tuple[int, ...] = ()


@dataclass(frozen=True)
class FormProfile:
    form: str            # 表号
    title: str
    recognise: tuple[str, ...]
    row_numbers_column: int            # 0-based column where 行次 are printed
    row_numbers: tuple[int, ...]
    column_numbers_row: int            # 0-based row where 栏次 are printed
    column_numbers: tuple[int, ...]
    period_cell: str
    unit_places: tuple[UnitPlace, ...]
    scope: str
    total_row: int
    categories: dict[int, str]         # 行次 -> 案件类别
    figures: tuple[Figure, ...]
    audit: tuple[AuditRule, ...]

    @property
    def name(self) -> str:
        return f"{self.title}（表号 {self.form}）"


def _profile(raw: dict) -> FormProfile:
    rows, columns = raw["row_numbers"], raw["column_numbers"]
    return FormProfile(
        form=raw["form"], title=raw["title"], recognise=tuple(raw["recognise"]),
        row_numbers_column=column_index_from_string(rows["column"]) - 1,
        row_numbers=tuple(range(rows["first"], rows["last"] + 1)),
        column_numbers_row=int(columns["row"]) - 1,
        column_numbers=tuple(range(columns["first"], columns["last"] + 1)),
        period_cell=raw["period"]["cell"],
        unit_places=tuple(UnitPlace(u["cell"], u["label"], u.get("after", "")) for u in raw["unit"]),
        scope=raw.get("scope") or "",
        total_row=int(raw["total_row"]),
        categories={int(k): str(v) for k, v in raw["categories"].items()},
        figures=tuple(Figure(f["indicator"], _numbers(f["columns"]), f["unit"]) for f in raw["figures"]),
        audit=tuple(AuditRule(a["name"], a["each"], _numbers(a["left"]), _numbers(a["plus"]),
                              _numbers(a.get("minus"))) for a in raw.get("audit") or ()),
    )


@cache
def load_profiles(directory: Path = FORMS_DIR) -> tuple[FormProfile, ...]:
    """Every profile under indicators/forms/, in file-name order."""
    return tuple(_profile(yaml.safe_load(path.read_text(encoding="utf-8")))
                 for path in sorted(directory.glob("*.yaml")))
