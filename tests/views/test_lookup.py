"""views.common.lookup: two columns as a dict, as dict(zip(...)) of the columns would give."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from views.common import lookup


@pytest.mark.parametrize("keys,values,expected", [
    (["320508", "320505"], ["姑苏区", "虎丘区"], {"320508": "姑苏区", "320505": "虎丘区"}),
    (["a", "a"], ["first", "second"], {"a": "second"}),  # the last of a repeated key, as dict() keeps
    ([], [], {}),
    (["1-12", "1-6"], [2024, 2023], {"1-12": 2024, "1-6": 2023}),
])
def test_lookup_pairs_the_columns(keys, values, expected):
    got = lookup(pd.Series(keys, dtype="str"), pd.Series(values, dtype=None if values else "str"))
    assert got == expected
    assert all(type(k) is str for k in got)  # plain str keys, as widgets and the URL hold them


def test_a_missing_value_stays_missing():
    got = lookup(pd.Series(["p1", "p2"], dtype="str"), pd.Series(["苏州市", None], dtype="str"))
    assert got["p1"] == "苏州市" and math.isnan(got["p2"])
