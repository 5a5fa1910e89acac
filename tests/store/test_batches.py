"""Writes: one transaction per batch, history of every replaced value, exact undo; the
derived figures, counts, region_figures and physical order every write keeps."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from indicators.catalog import Catalog
from store import batches as store
from store import derived
from store.batches import BatchInfo, UndoRefused, commit_batch, later_dependents, preview, undo_batch
from store.reference import write_reference
from tests.conftest import SMALL_CATALOG, SMALL_ROWS, obs

ALL_COLUMNS = "SELECT * EXCLUDE (batch_id) FROM observations ORDER BY ALL"


def snapshot(con):
    return con.execute(ALL_COLUMNS).fetchall()


def upload(con, rows, user="editor"):
    return commit_batch(con, pd.DataFrame(rows), BatchInfo(batch_type="import", user=user, file_name="u.xlsx",
                                                           file_bytes=b"bytes"))


def test_preview_classifies_new_changed_unchanged(small_db):
    before = snapshot(small_db)
    rows = [obs("mediation_resolved", "苏州市", 2023, 204900),              # unchanged
            obs("mediation_resolved", "苏州市", 2024, 250000),              # new
            obs("head_appearance_rate", "姑苏区", 2020, 92),                # changed value
            obs("mediation_resolved", "姑苏区", 2023, 25000, qualifier="约")]  # changed qualifier
    frame = preview(small_db, pd.DataFrame(rows))
    status = {(r.indicator_id, r.region_id, r.year): r.status for r in frame.itertuples()}
    assert status == {("mediation_resolved", "320500", 2023): "unchanged",
                      ("mediation_resolved", "320500", 2024): "new",
                      ("head_appearance_rate", "320508", 2020): "changed",
                      ("mediation_resolved", "320508", 2023): "changed"}
    changed = frame[frame.status == "changed"].set_index("indicator_id")
    assert changed.loc["head_appearance_rate", "old_value"] == 90
    assert snapshot(small_db) == before  # preview wrote nothing
    assert small_db.execute("SELECT count(*) FROM batches").fetchone()[0] == 1


def test_preview_keeps_the_rows_order(small_db):
    """A file's rows, stored and new ones interleaved, in neither key nor store order: the
    preview lists them as they came. With more figures stored than the file holds, the
    join alone returns them in the store's order."""
    stored = [obs("mediation_resolved", "姑苏区", year, year, period=period)
              for year in range(1000, 2000) for period in ("全年", "上半年", "前三季度", "1-10月", "第1季度")]
    upload(small_db, stored)
    resent = stored[::-37]
    new = [obs("mediation_resolved", "苏州市", year, year) for year in range(1000, 1100)]
    rows = pd.DataFrame([row for pair in zip(resent, new) for row in pair])
    rows["cell"] = [f"A{n}" for n in range(len(rows))]
    frame = preview(small_db, rows)
    assert frame["cell"].tolist() == rows["cell"].tolist()
    assert frame["status"].value_counts().to_dict() == {"new": len(new), "unchanged": len(new)}


def test_commit_then_undo_restores_exactly(small_db):
    before = snapshot(small_db)
    result = upload(small_db, [obs("head_appearance_rate", "姑苏区", 2020, 92, sentence="新"),
                               obs("mediation_resolved", "苏州市", 2024, 250000)])
    assert (result.new, result.changed, result.unchanged) == (1, 1, 0)
    assert small_db.execute("SELECT value, qualifier, sentence FROM observations WHERE indicator_id = "
                            "'head_appearance_rate' AND year = 2020").fetchone() == (92, "", "新")
    history = small_db.execute("SELECT action, old_value, old_qualifier, new_value FROM observation_history "
                               "WHERE batch_id = ? ORDER BY action", [result.batch_id]).fetchall()
    assert history == [("insert", None, None, 250000), ("update", 90, "近", 92)]
    undo = undo_batch(small_db, result.batch_id, user="editor")
    assert snapshot(small_db) == before
    assert small_db.execute("SELECT undone_by FROM batches WHERE id = ?", [result.batch_id]).fetchone() == (
        undo.batch_id,)
    # the undone values are kept in the undo batch's history: nothing is lost
    kept = small_db.execute("SELECT old_value FROM observation_history WHERE batch_id = ? ORDER BY 1",
                            [undo.batch_id]).fetchall()
    assert kept == [(92,), (250000,)]


def test_nothing_new_writes_no_batch(small_db):
    result = upload(small_db, SMALL_ROWS)
    assert result.batch_id is None and result.unchanged == len(SMALL_ROWS)
    assert small_db.execute("SELECT count(*) FROM batches").fetchone()[0] == 1


def test_failed_commit_writes_nothing(small_db):
    before = snapshot(small_db)
    bad = [obs("mediation_resolved", "苏州市", 2030, 1), dict(obs("mediation_resolved", "苏州市", 2031, 1), year=None)]
    with pytest.raises(TypeError):  # a year of None is no integer: refused before any write
        upload(small_db, bad)
    assert snapshot(small_db) == before
    assert small_db.execute("SELECT count(*) FROM batches").fetchone()[0] == 1


@pytest.mark.parametrize("target, message", [
    (99, "没有编号为 99"),
])
def test_undo_unknown_batch_is_refused(small_db, target, message):
    with pytest.raises(UndoRefused, match=message):
        undo_batch(small_db, target, user="x")


def test_undo_refused_while_a_later_batch_depends(small_db):
    first = upload(small_db, [obs("head_appearance_rate", "姑苏区", 2020, 92)])
    second = upload(small_db, [obs("head_appearance_rate", "姑苏区", 2020, 95)])
    assert later_dependents(small_db, first.batch_id) == [second.batch_id]
    with pytest.raises(UndoRefused, match="请先撤销"):
        undo_batch(small_db, first.batch_id, user="x")
    undo_batch(small_db, second.batch_id, user="x")
    undo_batch(small_db, first.batch_id, user="x")
    assert small_db.execute("SELECT value, qualifier FROM observations WHERE indicator_id = 'head_appearance_rate'"
                            " AND year = 2020").fetchone() == (90, "近")
    with pytest.raises(UndoRefused, match="已被批次"):
        undo_batch(small_db, first.batch_id, user="x")


def test_an_undo_is_a_batch_that_can_be_undone(small_db):
    before = snapshot(small_db)
    batch = upload(small_db, [obs("head_appearance_rate", "姑苏区", 2020, 92),
                              obs("mediation_resolved", "苏州市", 2024, 250000)])
    after_import = snapshot(small_db)
    undo = undo_batch(small_db, batch.batch_id, user="x")
    assert (undo.removed, undo.restored, undo.readded) == (1, 1, 0)
    assert "删除 1 条，恢复 1 条" in undo.describe()
    assert snapshot(small_db) == before
    redo = undo_batch(small_db, undo.batch_id, user="x")  # undoing the undo puts the import back
    assert (redo.removed, redo.restored, redo.readded) == (0, 1, 1)
    assert "重新加入 1 条" in redo.describe()
    assert snapshot(small_db) == after_import
    again = undo_batch(small_db, redo.batch_id, user="x")
    assert snapshot(small_db) == before and (again.removed, again.restored) == (1, 1)
    kinds = small_db.execute("SELECT kind, undoes, undone_by FROM batches WHERE id > ? ORDER BY id",
                             [batch.batch_id]).fetchall()
    assert kinds == [("undo", batch.batch_id, redo.batch_id), ("undo", undo.batch_id, again.batch_id),
                     ("undo", redo.batch_id, None)]


def test_undone_and_redone_later_batch_does_not_block(small_db):
    first = upload(small_db, [obs("head_appearance_rate", "姑苏区", 2020, 92)])
    second = upload(small_db, [obs("head_appearance_rate", "姑苏区", 2020, 95)])
    undo_second = undo_batch(small_db, second.batch_id, user="x")
    assert later_dependents(small_db, first.batch_id) == []  # the figure is 92 again, as first left it
    undo_batch(small_db, undo_second.batch_id, user="x")  # 95 again
    with pytest.raises(UndoRefused, match="请先撤销"):
        undo_batch(small_db, first.batch_id, user="x")


def test_blank_scope_is_region_wide_not_null(small_db):
    upload(small_db, [dict(obs("mediation_resolved", "吴中区", 2023, 5), scope=None)])
    assert small_db.execute("SELECT scope FROM observations WHERE region_id = '320506' AND year = 2023"
                            ).fetchone() == ("",)


# --- derived figures, counts and physical order, kept by every write

def loss_rates(con) -> dict[str, float]:
    rows = con.execute("SELECT scope, value FROM derived_observations WHERE region_id = '320508' AND year = 2020"
                       ).fetchall()
    return dict(rows)


def stats(con, indicator: str) -> tuple:
    return con.execute("SELECT n_observations, n_stored, first_year, last_year FROM indicator_stats"
                       " WHERE indicator_id = ?", [indicator]).fetchone()


@pytest.mark.parametrize("rows, rates", [
    ([obs("admin_litigation_lost", "姑苏区", 2020, 10)], {"": 20, "区政府本级": 0}),          # a numerator changed
    ([obs("admin_litigation_cases", "姑苏区", 2020, 0)], {"区政府本级": 0}),                 # ÷ 0: no figure
    ([obs("admin_litigation_cases", "姑苏区", 2020, 23, scope="区政府本级"),
      obs("admin_litigation_lost", "姑苏区", 2020, 2, scope="区政府本级")], {"": 18, "区政府本级": 2 / 23 * 100}),
])
def test_derived_figures_follow_a_commit_and_its_undo(small_db, rows, rates):
    before = loss_rates(small_db)
    assert before == {"": 18, "区政府本级": 0}
    result = upload(small_db, rows)
    assert loss_rates(small_db) == pytest.approx(rates)
    undo_batch(small_db, result.batch_id, user="editor")
    assert loss_rates(small_db) == before


def year_counts(con, indicator: str) -> dict[int, int]:
    return dict(con.execute("SELECT year, n_stored FROM indicator_year_stats WHERE indicator_id = ?",
                            [indicator]).fetchall())


def test_counts_follow_a_commit_and_its_undo(small_db):
    years_before = year_counts(small_db, "mediation_resolved")
    assert sum(years_before.values()) == 8
    assert stats(small_db, "mediation_resolved") == (8, 8, 2022, 2024)
    assert stats(small_db, "admin_litigation_loss_rate") == (2, 0, 2020, 2020)
    result = upload(small_db, [obs("mediation_resolved", "相城区", 2019, 5, kind="目标")])
    assert stats(small_db, "mediation_resolved") == (9, 9, 2019, 2024)
    assert small_db.execute("SELECT n_observations, n_targets FROM region_stats WHERE region_id = '320507'"
                            ).fetchone() == (3, 1)
    assert year_counts(small_db, "mediation_resolved") == {2019: 1, **years_before}
    undo_batch(small_db, result.batch_id, user="editor")
    assert stats(small_db, "mediation_resolved") == (8, 8, 2022, 2024)
    assert small_db.execute("SELECT n_observations, n_targets FROM region_stats WHERE region_id = '320507'"
                            ).fetchone() == (2, 0)
    assert year_counts(small_db, "mediation_resolved") == years_before


def test_a_batch_is_appended_in_key_order(small_db):
    rows = [obs("mediation_resolved", region, year, 1) for year in (2019, 2018) for region in ("相城区", "吴中区")]
    upload(small_db, rows + [obs("head_appearance_rate", "吴中区", 2018, 50)])
    appended = small_db.execute("SELECT indicator_id, region_id, year FROM observations").fetchall()[-5:]
    assert appended == sorted(appended)
    assert appended[0][0] == "head_appearance_rate"


def interleaved_batches(con, n_batches: int, rows_per_batch: int) -> None:
    """Batches that each cover every indicator, appended in turn as commit_batch appends
    them: the order many small uploads leave behind."""
    for batch in range(n_batches):
        con.execute("""INSERT INTO observations BY NAME
                       SELECT printf('ind_%02d', i % 40) AS indicator_id, printf('reg_%06d', i) AS region_id,
                              '' AS scope, 2000 + $batch AS year, '全年' AS period, '实际' AS kind, '1-12' AS span,
                              12 AS end_month, i AS value, '' AS qualifier, 1 AS batch_id
                       FROM range($n) AS t(i) ORDER BY indicator_id, region_id""",
                    {"batch": batch, "n": rows_per_batch})


def test_interleaved_batches_are_rewritten_in_key_order(make_db):
    con = make_db([])
    interleaved_batches(con, 3, 100_000)
    before = con.execute("SELECT * FROM observations ORDER BY ALL").fetchall()
    # Three row groups, two of them out of order: fewer than MAX_ROW_GROUPS_OUT_OF_ORDER, but
    # every query on one indicator reads all three (a 300k-row store).
    assert store.row_groups_out_of_order(con) >= 2
    assert store.keep_clustered(con)
    assert store.row_groups_out_of_order(con) == 0
    assert con.execute("SELECT * FROM observations ORDER BY ALL").fetchall() == before
    with pytest.raises(duckdb.ConstraintException):  # still keyed
        con.execute("INSERT INTO observations SELECT * FROM observations LIMIT 1")
    assert not store.keep_clustered(con)  # nothing to do the second time


def _rankable(con: duckdb.DuckDBPyConnection) -> set[str]:
    from queries.sql import rankable_indicators
    from store.frame import fetch_frame

    return set(fetch_frame(con, *rankable_indicators(["区县"]))["indicator_id"])


def test_where_regions_can_be_ranked_follows_every_write_and_undo(make_db):
    con = make_db([obs("legal_aid_cases", "姑苏区", 2023, 100)])
    assert "legal_aid_cases" not in _rankable(con)  # one district alone cannot be ranked
    second = commit_batch(con, pd.DataFrame([obs("legal_aid_cases", "吴中区", 2023, 80)]),
                          BatchInfo(batch_type="import", user="test"))
    assert "legal_aid_cases" in _rankable(con)
    undo_batch(con, second.batch_id, "test")
    assert "legal_aid_cases" not in _rankable(con)
    other_year = pd.DataFrame([obs("legal_aid_cases", "吴中区", 2022, 80)])
    commit_batch(con, other_year, BatchInfo(batch_type="import", user="test"))
    assert "legal_aid_cases" not in _rankable(con)  # two districts, but not of the same year


def region_figures_as_observations_all(con) -> bool:
    """region_figures holds exactly observations_all's rows, in its own columns."""
    columns = ", ".join(r[0] for r in con.execute("DESCRIBE region_figures").fetchall())
    kept = con.execute("SELECT * FROM region_figures ORDER BY ALL").fetchall()
    return kept == con.execute(f"SELECT {columns} FROM observations_all ORDER BY ALL").fetchall()


def coverage_as_grouped_from_the_figures(con) -> bool:
    """indicator_coverage holds exactly what grouping observations_all's totals gives."""
    kept = con.execute("SELECT * FROM indicator_coverage ORDER BY ALL").fetchall()
    return kept == con.execute("""
        SELECT o.indicator_id, r.level, o.scope, o.kind, o.year, o.span, arg_min(o.period, (r.sort_order, o.period)),
               max(o.end_month), count(*), count(DISTINCT o.region_id) > 1
        FROM observations_all AS o JOIN regions AS r ON r.id = o.region_id WHERE o.breakdown = ''
        GROUP BY ALL ORDER BY ALL""").fetchall()


# What every write keeps from the figures: each table, and the column saying whose its rows are.
KEPT_FROM_THE_FIGURES = {
    "derived_observations": "indicator_id", "indicator_stats": "indicator_id", "indicator_year_stats": "indicator_id",
    "region_stats": "region_id", "region_figures": "region_id", "indicator_coverage": "indicator_id"}


def kept_tables(con) -> dict[str, list[tuple]]:
    return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in KEPT_FROM_THE_FIGURES}


def kept_right(con) -> bool:
    """The kept tables hold what recomputing them all gives, and region_figures and
    indicator_coverage what the figures themselves say."""
    kept = kept_tables(con)
    con.execute("BEGIN TRANSACTION")
    derived.refresh(con)
    whole = kept_tables(con)
    con.execute("ROLLBACK")
    return kept == whole and region_figures_as_observations_all(con) and coverage_as_grouped_from_the_figures(con)


@pytest.mark.parametrize("rows", [
    [obs("mediation_resolved", "姑苏区", 2019, 5, kind="目标")],                      # new
    [obs("head_appearance_rate", "姑苏区", 2020, 91, sentence="出庭率91%")],          # changed
    [obs("mediation_resolved", "吴中区", 2024, 9, period="上半年")],                    # a new span
    [{**obs("mediation_resolved", "姑苏区", 2024, 9, period="上半年"), "region_id": "320505"}],  # 虎丘区's first
    [obs("admin_litigation_cases", "姑苏区", 2020, 40)],                             # changes a derived figure
    [obs("admin_litigation_cases", "姑苏区", 2020, 0)],                              # ends it (no ratio over 0)
    [obs("admin_litigation_lost", "吴中区", 2020, 4), obs("admin_litigation_cases", "吴中区", 2020, 40)],  # makes one
    [obs("admin_litigation_cases", "姑苏区", 2020, 3, breakdown="公安")],             # a part
])
def test_what_is_kept_from_the_figures_follows_a_commit_and_its_undo_where_touched_only(small_db, rows):
    # What the write leaves alone: the other indicators (and the ratio derived from two of them) and regions.
    touched = {"indicator_id": sorted({r["indicator_id"] for r in rows} | {"admin_litigation_loss_rate"}),
               "region_id": sorted({r["region_id"] for r in rows})}

    def untouched() -> dict[str, list[tuple]]:
        return {table: small_db.execute(f"SELECT rowid, * FROM {table} WHERE NOT list_contains(?, {column})"
                                        " ORDER BY ALL", [touched[column]]).fetchall()
                for table, column in KEPT_FROM_THE_FIGURES.items()}

    assert kept_right(small_db)
    before = untouched()
    result = upload(small_db, rows)
    assert kept_right(small_db)
    undo_batch(small_db, result.batch_id, user="editor")
    assert kept_right(small_db)
    assert untouched() == before  # not rewritten


def test_coverage_follows_a_changed_derived_definition(small_db):
    write_reference(small_db, Catalog(SMALL_CATALOG.categories, SMALL_CATALOG.indicators, ()))
    assert not small_db.execute("SELECT count(*) FROM indicator_coverage WHERE indicator_id = "
                                "'admin_litigation_loss_rate'").fetchone()[0]
    assert coverage_as_grouped_from_the_figures(small_db)


def test_region_figures_follow_a_changed_derived_definition(small_db):
    assert small_db.execute("SELECT count(*) FROM region_figures WHERE derived").fetchone()[0] == 2
    write_reference(small_db, Catalog(SMALL_CATALOG.categories, SMALL_CATALOG.indicators, ()))
    assert small_db.execute("SELECT count(*) FROM region_figures WHERE derived").fetchone()[0] == 0
    assert region_figures_as_observations_all(small_db)


def test_interleaved_region_figures_are_rewritten_in_region_order(make_db):
    con = make_db([])
    for batch in range(3):  # appended as a commit's refresh appends a batch touching every region
        con.execute("""INSERT INTO region_figures BY NAME
                       SELECT printf('reg_%06d', i) AS region_id, printf('ind_%02d', i % 40) AS indicator_id,
                              '' AS scope, 2000 + $batch AS year, '全年' AS period, '实际' AS kind, '' AS breakdown,
                              '1-12' AS span, 12 AS end_month, i AS value, '' AS qualifier, false AS derived
                       FROM range($n) AS t(i) ORDER BY region_id""", {"batch": batch, "n": 100_000})
    before = con.execute("SELECT * FROM region_figures ORDER BY ALL").fetchall()
    assert store.row_groups_out_of_order(con, "region_figures") >= 2
    assert store.keep_clustered(con)
    assert store.row_groups_out_of_order(con, "region_figures") == 0
    assert con.execute("SELECT * FROM region_figures ORDER BY ALL").fetchall() == before
    assert not store.keep_clustered(con)
