"""Text that leaves the dashboard must never run: spreadsheet formulas from user text."""
from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def neutralize_for_csv(value: object) -> object:
    """Prefix text a spreadsheet would evaluate with an apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
