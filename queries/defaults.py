"""What a page opens on when the URL does not say: chosen from query results, so that
the first view shows something worth seeing. Pure functions of DataFrames."""
from __future__ import annotations

import pandas as pd

from queries.sql import FULL_YEAR_SPAN


def comparison_default(at_level: pd.DataFrame) -> tuple[int, str]:
    """The year and span 地区对比 opens on, from coverage() rows of one level: the latest
    year in which at least two regions have figures of one span (the full year when it
    is one of them), so that the first view ranks something rather than one lone region
    with a newer half-year figure. Without such a year: the latest year, its full year if
    it has one."""
    regions_per = at_level.groupby(["year", "span"])["region_id"].nunique()
    comparable = regions_per[regions_per >= 2]
    candidates = comparable if not comparable.empty else regions_per
    year = int(candidates.index.get_level_values("year").max())
    in_year = candidates.loc[year]
    span = FULL_YEAR_SPAN if FULL_YEAR_SPAN in in_year.index else str(in_year.idxmax())
    return year, span
