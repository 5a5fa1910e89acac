"""Text that leaves the dashboard must never run: spreadsheet formulas from user text."""
from __future__ import annotations

from openpyxl.cell.cell import TYPE_STRING
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def keep_text_literal(sheet: Worksheet, min_row: int) -> None:
    """openpyxl writes any string starting with "=" as a live formula: every such text
    cell from `min_row` on is forced to the string type, kept as written, never run."""
    for line in sheet.iter_rows(min_row=min_row):
        for cell in line:
            if isinstance(cell.value, str) and is_formula_like(cell.value):
                cell.data_type = TYPE_STRING


def neutralize_for_csv(value: object) -> object:
    """Prefix text a spreadsheet would evaluate with an apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
