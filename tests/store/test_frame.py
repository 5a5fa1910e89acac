"""store.frame.each_row: a frame's columns as rows of plain values, the same as zip over them."""
from __future__ import annotations

import math

import duckdb
import pytest

from store.frame import each_row, fetch_frame

ROWS = """SELECT * FROM (VALUES (130.0, '件', '余', 'Sheet1', 'B3'), (NULL, '%', '', NULL, NULL),
                                (0.5, '万元', '约', '表', '')) AS t(value, unit, qualifier, sheet, cell)"""


@pytest.mark.parametrize("columns,expected", [
    (("value", "unit", "qualifier"), [(130.0, "件", "余"), (math.nan, "%", ""), (0.5, "万元", "约")]),
    (("sheet", "cell"), [("Sheet1", "B3"), (math.nan, math.nan), ("表", "")]),
    (("unit",), [("件",), ("%",), ("万元",)]),
])
def test_each_row_gives_the_columns_row_by_row(columns, expected):
    frame = fetch_frame(duckdb.connect(), ROWS)
    got = list(each_row(frame, *columns))
    assert [tuple("nan" if isinstance(v, float) and math.isnan(v) else v for v in row) for row in got] == \
        [tuple("nan" if isinstance(v, float) and math.isnan(v) else v for v in row) for row in expected]
    # the same values, missing ones included, as iterating the columns themselves gives
    same = list(zip(*(frame[c] for c in columns)))
    assert [[str(v) for v in row] for row in got] == [[str(v) for v in row] for row in same]
    assert all(type(v) in (str, float) for row in got for v in row)  # plain Python, not numpy or Arrow
