"""Units: a value is stored in its indicator's canonical unit; 万/亿 prefixes convert."""
from __future__ import annotations

from decimal import Decimal

SCALE_PREFIXES: dict[str, Decimal] = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
# Counters that name the same thing: a report may count cases in 起 or people in 名.
EQUIVALENT_UNITS: dict[str, str] = {"起": "件", "宗": "件", "名": "人", "位": "人"}


def split_unit(unit: str) -> tuple[str, Decimal]:
    """'万元' -> ('元', 10000); '件' -> ('件', 1); '起' -> ('件', 1)."""
    unit = unit.strip()
    multiplier = Decimal(1)
    if len(unit) > 1 and unit[0] in SCALE_PREFIXES:
        multiplier, unit = SCALE_PREFIXES[unit[0]], unit[1:]
    return EQUIVALENT_UNITS.get(unit, unit), multiplier


def conversion_factor(from_unit: str, to_unit: str) -> Decimal | None:
    """How many to_unit one from_unit is, or None when they measure different things."""
    from_base, from_mult = split_unit(from_unit)
    to_base, to_mult = split_unit(to_unit)
    if from_base != to_base:
        return None
    return from_mult / to_mult


def convert(value: Decimal | float | str, from_unit: str, to_unit: str) -> float:
    """Convert exactly (Decimal), so 20.49万件 is 204900 件, not 204899.99999999997."""
    factor = conversion_factor(from_unit, to_unit)
    if factor is None:
        raise ValueError(f"单位“{from_unit}”无法换算为“{to_unit}”")
    return float(Decimal(str(value)) * factor)
