"""A region typed as people type it: its id, name or an alias, from rows of queries.sql.regions()."""
from __future__ import annotations

import pandas as pd
import pytest

from queries.regions import region_ids_by_text

REGIONS = pd.DataFrame({
    "id": ["320508", "320505", "320571", "320599"],
    "name": ["姑苏区", "虎丘区", "苏州工业园区", "无别名区"],
    "aliases": [["姑苏"], ["高新区", "虎丘"], ["园区", "高新区"], pd.NA],  # pd.NA: a region with no aliases
})


@pytest.mark.parametrize(("text", "expected"), [
    ("姑苏区", "320508"),   # its name
    ("姑苏", "320508"),     # an alias
    ("320571", "320571"),   # its id
    ("园区", "320571"),
    ("高新区", "320505"),   # an alias two regions share: the first in catalog order
    ("无别名区", "320599"),  # a region without aliases is still found by its name
    ("火星区", None),
])
def test_a_region_is_found_by_id_name_or_alias(text, expected):
    assert region_ids_by_text(REGIONS).get(text) == expected
