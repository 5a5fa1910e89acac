"""Whatever an office's cells hold, an import either writes a valid batch or nothing.

Random cells (text, numbers, blanks, odd unicode, "=..." formulas that openpyxl saves
without a result, huge numbers, NaN and infinity) go through the real read, plan and
commit path on a small database. The only exception allowed out is UnreadableFile (the
documented message for an unreadable file); any validation issue means nothing is
written; a figure stored always came from a cell that holds one.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from exports.tabular import LONG_COLUMNS
from loaders.filecheck import UnreadableFile
from loaders.values import ValueParseError, parse_value
from store.batches import BatchInfo, commit_batch
from store.connection import connect, migrate
from store.imports import commit_import, plan_import
from store.reference import write_reference
from tests.conftest import SMALL_CATALOG, SMALL_ROWS
from tests.fixtures.workbooks import xlsx_bytes

TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)  # what a cell can hold
NUMBERS = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True))
ANY_CELL = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT,
                     st.sampled_from(["=A1+1", "=SUM(", "—", "-", "/", "无", " ", "约1.2万", "430余", "近90%",
                                      "1,234", "１２３", "9.04亿", "-5", "很多", "\u200b", "𝟙𝟚"]))


def rows_of(*columns: tuple) -> st.SearchStrategy:
    """Rows of values each column expects (one or two of them wrong), every other row
    with a cell or two replaced by anything at all: many rows are valid, many are not."""
    expected = st.tuples(*(st.sampled_from(values) for values in columns))
    changes = st.one_of(st.just([]), st.lists(st.tuples(st.integers(0, len(columns) - 1), ANY_CELL),
                                               min_size=1, max_size=2))

    def changed(row: tuple, replace: list[tuple[int, object]]) -> tuple:
        cells = list(row)
        for column, value in replace:
            cells[column] = value
        return tuple(cells)

    return st.builds(changed, expected, changes)


LONG_ROW = rows_of(
    ("行政应诉案件数", "人民调解案件数", "行政机关负责人出庭应诉率", "行政应诉总数"),
    ("姑苏区", "吴中", "相城区", "苏州市", "姑苏县"),
    (None, "全区", "区政府本级"),
    (2020, 2021.0, "2022年"),
    (None, "全年", "上半年", "1-10月"),
    (None, "实际", "目标"),
    (5, 12.5, 85, "约1.2万", "430余", "—", None, "=1+1"),
    (None, None, None, "约"),
    (None, None, None, "件"),
)
WIDE_ROW = rows_of(("行政应诉案件数", "行政机关负责人出庭应诉率", "行政应诉总数"), ("姑苏区", "吴中区", "姑苏县"),
                   (None, None, "件"), (5, 0.85, "近90%", "—", None), (7, 12.5, "1,234", "/", None))
WIDE_HEADER = ["指标", "地区", "单位", 2021, "2022年"]


def workbook(header: list, rows: list[tuple]) -> tuple[bytes, dict[str, object]]:
    """The workbook and, by the address of each value cell, what was written there."""
    book = Workbook()
    sheet = book.active
    sheet.title = "随机"
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    written = {cell.coordinate: cell.value for line in sheet.iter_rows(min_row=2) for cell in line}
    return xlsx_bytes(book), written


def holds_a_figure(value: object) -> bool:
    if isinstance(value, str) and value.startswith("="):
        return False  # saved without its result
    try:
        return parse_value(value) is not None
    except ValueParseError:
        return False


def counts(con) -> tuple[int, int]:
    return con.execute("SELECT (SELECT count(*) FROM observations), (SELECT count(*) FROM batches)").fetchall()[0]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    """One small database for all examples: each checks its own import against it."""
    con = connect(tmp_path_factory.mktemp("property") / "p.duckdb")
    migrate(con)
    write_reference(con, SMALL_CATALOG)
    commit_batch(con, pd.DataFrame(SMALL_ROWS), BatchInfo(batch_type="curated", user="test"))
    yield con
    con.close()


# Deterministic (the same examples on every run, so CI is never flaky) and about 3 s each.
PROPERTY = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def import_once(con, data: bytes, written: dict[str, object]) -> None:
    before = counts(con)
    try:
        plan = plan_import(con, "随机.xlsx", data, region="姑苏区")
    except UnreadableFile as err:
        assert str(err)  # a message for the clerk
        assert counts(con) == before
        return
    if not plan.ok:
        assert plan.preview.empty
        with pytest.raises(ValueError):
            commit_import(con, plan, "测试")
        assert counts(con) == before
        return
    rows = plan.validation.rows
    assert all(holds_a_figure(written[cell]) for cell in rows["cell"])  # blanks and dashes: never a zero
    assert all(math.isfinite(v) for v in rows["value"])
    result = commit_import(con, plan, "测试")
    assert result.new + result.changed + result.unchanged == len(rows)
    assert counts(con) == (before[0] + result.new, before[1] + (result.batch_id is not None))


@PROPERTY
@given(rows=st.lists(LONG_ROW, max_size=3))
def test_long_sheets_import_cleanly_or_not_at_all(con, rows):
    import_once(con, *workbook(LONG_COLUMNS[:9], rows))


@PROPERTY
@given(rows=st.lists(WIDE_ROW, max_size=3))
def test_wide_sheets_import_cleanly_or_not_at_all(con, rows):
    import_once(con, *workbook(WIDE_HEADER, rows))
