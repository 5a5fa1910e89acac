"""Regions as people name them (姑苏, 园区, 320508): by id, name or any alias, from rows of
queries.sql.regions(). For the commands and the briefing, where a region is typed."""
from __future__ import annotations

import pandas as pd


def _aliases(value: object) -> list[str]:
    """A LIST cell as fetch_frame gives it: a list, or pd.NA where the region has none."""
    return list(value) if isinstance(value, (list, tuple)) else []


def region_ids_by_text(regions: pd.DataFrame) -> dict[str, str]:
    """Every id, name and alias of the regions -> the region's id; a text two regions share
    names the first in the frame's (catalog) order."""
    found: dict[str, str] = {}
    for region_id, name, aliases in zip(regions["id"].tolist(), regions["name"].tolist(), regions["aliases"].tolist()):
        for text in (region_id, name, *_aliases(aliases)):
            found.setdefault(text, region_id)
    return found
