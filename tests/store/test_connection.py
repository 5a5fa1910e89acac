"""The schema version, the migration path, and reading results into DataFrames."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from loaders.reference import load_regions, load_sources
from queries import sql as q
from store import connection as db
from store import reference as db_reference
from store.batches import BatchInfo, commit_batch, undo_batch
from store.frame import fetch_frame
from tests.conftest import SMALL_CATALOG, SMALL_ROWS, obs


def test_new_database_gets_the_current_version(make_db):
    con = make_db([])
    assert db.schema_version(con) == db.SCHEMA_VERSION
    assert db.migrate(con) == db.SCHEMA_VERSION  # a second run changes nothing


def test_an_older_database_is_upgraded_step_by_step(make_db, monkeypatch):
    con = make_db([])
    steps = {db.SCHEMA_VERSION: lambda c: c.execute("ALTER TABLE batches ADD COLUMN reviewed_by VARCHAR")}
    monkeypatch.setattr(db, "MIGRATIONS", steps)
    monkeypatch.setattr(db, "SCHEMA_VERSION", db.SCHEMA_VERSION + 1)
    assert db.migrate(con) == db.SCHEMA_VERSION
    assert "reviewed_by" in [r[0] for r in con.execute("DESCRIBE batches").fetchall()]
    assert db.schema_version(con) == db.SCHEMA_VERSION


def test_a_newer_database_is_refused(make_db):
    con = make_db([])
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(RuntimeError, match="高于本程序支持"):
        db.migrate(con)


# --- version 1 -> 2: end_month stored, rows in key order, derived figures and counts materialised

V1_SCHEMA = Path(__file__).parents[1] / "fixtures" / "schema_v1.sql"
KEY = "indicator_id, region_id, scope, year, period, kind"


def v1_database(path: Path, rows: list[dict]) -> duckdb.DuckDBPyConnection:
    """A database as version 1 left it: its schema and reference tables, its rows in
    arrival order without end_month, one batch with a history row per value, and a view
    standing where version 1 kept its derived indicators."""
    con = db.connect(path)
    con.execute(V1_SCHEMA.read_text(encoding="utf-8"))
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    db_reference.write_regions(con, load_regions())
    db_reference.write_catalog(con, SMALL_CATALOG)
    db_reference.write_sources(con, load_sources())
    con.execute("CREATE VIEW observations_all AS SELECT *, false AS derived FROM observations")
    con.register("v1_rows", pd.DataFrame(rows))
    con.execute(f"""INSERT INTO observations
                    SELECT {KEY}, period_span(period), value, qualifier, value_text, unit_text, source_id,
                           source_label, sentence, note, sheet, cell, 1
                    FROM v1_rows ORDER BY year DESC, region_id DESC""")
    con.execute("""INSERT INTO batches VALUES (1, 'curated', 'test', TIMESTAMP '2025-01-01', NULL, NULL, NULL, '{}',
                                               (SELECT count(*) FROM observations), 0, 0, NULL, NULL, NULL)""")
    con.execute(f"""INSERT INTO observation_history
                    SELECT 1, 'insert', {KEY}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                           value, qualifier FROM observations""")
    con.unregister("v1_rows")
    return con


PAGE_QUERIES = [
    q.indicators_with_data(), q.regions(), q.target_regions(), q.coverage("mediation_resolved"),
    q.coverage("admin_litigation_loss_rate"), q.coverage_summary("mediation_resolved"),
    q.coverage_summary("admin_litigation_loss_rate"), q.series(["admin_litigation_loss_rate", "mediation_resolved"],
                                                        ["320508", "320507"], scope=None),
    q.year_over_year(["mediation_resolved", "head_appearance_rate"], ["320500", "320507", "320508"], None, None),
    q.ranking("mediation_resolved", 2024, "1-10"), q.targets_against_actuals(["320506"]),
    q.observations(), q.observations(text="调解"), q.rankable_indicators(["区县", "街道"]),
]


def test_a_version_1_database_is_upgraded_in_place(make_db, tmp_path):
    con = v1_database(tmp_path / "v1.duckdb", SMALL_ROWS)
    history = con.execute("SELECT * FROM observation_history ORDER BY ALL").fetchall()
    assert db.migrate(con) == db.SCHEMA_VERSION
    # every page reads what a database built by this version would hold
    fresh = make_db(SMALL_ROWS)
    for sql, params in PAGE_QUERIES:
        pd.testing.assert_frame_equal(fetch_frame(con, sql, params), fetch_frame(fresh, sql, params))
    keys = con.execute(f"SELECT {KEY} FROM observations").fetchall()
    assert keys == sorted(keys)  # rewritten in key order
    assert con.execute("SELECT * EXCLUDE (breakdown) FROM observation_history ORDER BY ALL").fetchall() == history
    # and the upgraded store keeps its derived figures up to date
    commit_batch(con, pd.DataFrame([obs("admin_litigation_lost", "姑苏区", 2020, 10)]),
                 BatchInfo(batch_type="import", user="test"))
    assert fetch_frame(con, *q.series(["admin_litigation_loss_rate"], ["320508"]))["value"].tolist() == [20]


# --- version 2 -> 3: breakdown (分项) joins the key; every figure of a version 2 database is a total

V2_SCHEMA = Path(__file__).parents[1] / "fixtures" / "schema_v2.sql"


def v2_database(path: Path, rows: list[dict]) -> duckdb.DuckDBPyConnection:
    """A database as version 2 left it, built from its frozen schema: reference tables,
    its rows in key order, one batch with a history row per value, an update of one
    value by a second batch (so that history keeps an old row), derived figures."""
    con = db.connect(path)
    con.execute(V2_SCHEMA.read_text(encoding="utf-8"))
    con.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    db_reference.write_regions(con, load_regions())
    db_reference.write_catalog(con, SMALL_CATALOG)
    db_reference.write_sources(con, load_sources())
    con.execute("INSERT INTO derived_indicators VALUES ('admin_litigation_loss_rate', 'admin_litigation_lost',"
                " 'admin_litigation_cases', 100)")
    con.register("v2_rows", pd.DataFrame(rows))
    con.execute(f"""INSERT INTO observations
                    SELECT {KEY}, period_span(period), period_end_month(period), value, qualifier, value_text,
                           unit_text, source_id, source_label, sentence, note, sheet, cell, 1
                    FROM v2_rows ORDER BY {KEY}""")
    con.unregister("v2_rows")
    con.execute("""INSERT INTO batches VALUES (1, 'curated', 'test', TIMESTAMP '2025-01-01', NULL, NULL, NULL, '{}',
                                               (SELECT count(*) FROM observations), 0, 0, NULL, NULL, NULL)""")
    con.execute(f"""INSERT INTO observation_history
                    SELECT 1, 'insert', {KEY}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                           value, qualifier FROM observations""")
    con.execute("""INSERT INTO batches VALUES (2, 'import', 'test', TIMESTAMP '2025-02-01', 'x.xlsx', 'ab', NULL,
                                               '{}', 0, 1, 0, NULL, NULL, NULL)""")
    con.execute(f"""INSERT INTO observation_history
                    SELECT 2, 'update', {KEY}, value, qualifier, value_text, unit_text, source_id, source_label,
                           sentence, note, sheet, cell, batch_id, value + 1, qualifier
                    FROM observations WHERE indicator_id = 'admin_litigation_cases' AND region_id = '320508'""")
    con.execute("""UPDATE observations SET value = value + 1, batch_id = 2
                   WHERE indicator_id = 'admin_litigation_cases' AND region_id = '320508'""")
    con.execute("""INSERT INTO derived_observations
                   SELECT 'admin_litigation_loss_rate', n.region_id, n.scope, n.year, n.period, n.kind, n.span,
                          n.end_month, n.value / d.value * 100, '推算', 'v2'
                   FROM observations AS n JOIN observations AS d USING (region_id, scope, year, period, kind)
                   WHERE n.indicator_id = 'admin_litigation_lost' AND d.indicator_id = 'admin_litigation_cases'""")
    return con


def test_a_version_2_database_is_upgraded_without_loss(make_db, tmp_path):
    con = v2_database(tmp_path / "v2.duckdb", SMALL_ROWS)
    observations = con.execute("SELECT * FROM observations ORDER BY ALL").fetchall()
    history = con.execute("SELECT * FROM observation_history ORDER BY ALL").fetchall()
    batches = con.execute("SELECT * FROM batches ORDER BY ALL").fetchall()
    assert db.migrate(con) == db.SCHEMA_VERSION
    assert con.execute("SELECT * EXCLUDE (breakdown) FROM observations ORDER BY ALL").fetchall() == observations
    assert con.execute("SELECT * EXCLUDE (breakdown) FROM observation_history ORDER BY ALL").fetchall() == history
    assert con.execute("SELECT * FROM batches ORDER BY ALL").fetchall() == batches
    assert con.execute("SELECT DISTINCT breakdown FROM observations").fetchall() == [("",)]
    keys = con.execute(f"SELECT {KEY} FROM observations").fetchall()
    assert keys == sorted(keys)
    # the derived figures are recomputed in the new shape, and the batch-2 value counts
    rate = fetch_frame(con, *q.series(["admin_litigation_loss_rate"], ["320508"]))
    cases, lost = (con.execute("SELECT value FROM observations WHERE region_id = '320508' AND year = 2020"
                               " AND scope = '' AND indicator_id = ?", [i]).fetchone()[0]
                   for i in ("admin_litigation_cases", "admin_litigation_lost"))
    assert rate["value"].tolist() == [pytest.approx(lost / cases * 100)]
    # the upgraded store takes a breakdown beside the total, and undo still restores batch 2's value
    commit_batch(con, pd.DataFrame([obs("admin_litigation_cases", "姑苏区", 2020, 3, breakdown="公安")]),
                 BatchInfo(batch_type="import", user="test"))
    assert con.execute("SELECT breakdown, value FROM observations WHERE indicator_id = 'admin_litigation_cases'"
                       " AND region_id = '320508' AND year = 2020 AND scope = '' ORDER BY 1").fetchall() == [
        ("", cases), ("公安", 3)]
    undo_batch(con, 2, "test")
    assert con.execute("SELECT value FROM observations WHERE indicator_id = 'admin_litigation_cases'"
                       " AND region_id = '320508' AND year = 2020 AND scope = '' AND breakdown = ''").fetchone()[0] == cases - 1


# --- fetch_frame: Arrow's speed, .df()'s types

@pytest.mark.parametrize("select", [
    "SELECT 1::SMALLINT AS x UNION ALL SELECT 2",          # integers without NULLs stay numpy
    "SELECT 2019::SMALLINT AS x UNION ALL SELECT NULL",    # with NULLs nullable (2019, not 2019.0)
    "SELECT 1::BIGINT AS x UNION ALL SELECT NULL",
    "SELECT NULL::INTEGER AS x",
    "SELECT 'a' AS x UNION ALL SELECT NULL",
    "SELECT NULL::VARCHAR AS x",                            # None, so `value or '—'` still works
    "SELECT 'a' AS x WHERE false",
    "SELECT true AS x UNION ALL SELECT NULL",
    "SELECT 1.5 AS x UNION ALL SELECT NULL",                # a DECIMAL literal, float in pandas
    "SELECT sum(1::BIGINT) AS x",
    "SELECT DATE '2020-01-02' AS x UNION ALL SELECT NULL",
    "SELECT TIMESTAMP '2020-01-02 03:04:05' AS x UNION ALL SELECT NULL",
    "SELECT ['a', 'b'] AS x UNION ALL SELECT NULL",
    "SELECT ['a', 'b'] AS x UNION ALL SELECT ['c', 'd']",  # lists of one length stay lists, not a 2-d array
    "SELECT []::VARCHAR[] AS x UNION ALL SELECT []::VARCHAR[]",
    "SELECT 1.5::DOUBLE AS x UNION ALL SELECT NULL",
    "SELECT 7::UTINYINT AS x UNION ALL SELECT NULL",
    "SELECT 'a' AS t, 2019::SMALLINT AS y, NULL::VARCHAR AS n, 1.5 AS v, ['b'] AS l, false AS b",  # a page's mix
])
def test_fetch_frame_types_columns_as_df_does(select):
    con = duckdb.connect()
    pd.testing.assert_frame_equal(fetch_frame(con, select), con.execute(select).df())


def test_fetch_frame_after_a_result_left_unread():
    con = duckdb.connect()
    con.execute("SELECT * FROM range(10)").fetchone()  # as the store's look-ups leave a cursor
    assert fetch_frame(con, "SELECT $n AS n", {"n": 3})["n"].tolist() == [3]


# --- version 3 -> 4: the record of collection rounds

def test_a_version_3_database_gains_the_round_record(make_db):
    con = make_db(SMALL_ROWS)
    con.execute("DROP TABLE collection_rounds")  # as version 3 left it
    con.execute("DROP TABLE region_figures")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    observations = con.execute("SELECT * FROM observations ORDER BY ALL").fetchall()
    db.MIGRATIONS[3](con)  # the step alone, whatever version comes after it
    assert con.execute("SELECT count(*) FROM collection_rounds").fetchone()[0] == 0
    assert con.execute("SELECT * FROM observations ORDER BY ALL").fetchall() == observations
    con.execute("DROP TABLE collection_rounds")
    con.execute("DROP TABLE indicator_coverage")  # version 3 had neither
    con.execute("DROP TABLE indicator_year_stats")
    assert db.migrate(con) == db.SCHEMA_VERSION
    fresh = make_db([], name="fresh.duckdb")
    columns = "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'collection_rounds'"
    columns += " ORDER BY ordinal_position"
    assert con.execute(columns).fetchall() == fresh.execute(columns).fetchall()  # as schema.sql makes it


# --- version 4 -> 5: one region's figures kept together (region_figures)

V4_TABLES = ("observations", "observation_history", "batches", "derived_observations", "indicator_stats",
             "region_stats", "collection_rounds", "indicators", "regions")


def test_a_version_4_database_gains_region_figures_without_loss(make_db):
    con = make_db(SMALL_ROWS)
    commit_batch(con, pd.DataFrame([obs("admin_litigation_cases", "姑苏区", 2020, 40, sentence="应诉40件")]),
                 BatchInfo(batch_type="import", user="test"))
    con.execute("DROP TABLE region_figures")  # as version 4 left it
    con.execute("DROP TABLE indicator_coverage")
    con.execute("DROP TABLE indicator_year_stats")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    before = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in V4_TABLES}
    assert db.migrate(con) == db.SCHEMA_VERSION
    assert {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in V4_TABLES} == before
    fresh = make_db(SMALL_ROWS, name="fresh.duckdb")
    commit_batch(fresh, pd.DataFrame([obs("admin_litigation_cases", "姑苏区", 2020, 40, sentence="应诉40件")]),
                 BatchInfo(batch_type="import", user="test"))
    columns = "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
    columns += " WHERE table_name = 'region_figures' ORDER BY ordinal_position"
    assert con.execute(columns).fetchall() == fresh.execute(columns).fetchall()  # as schema.sql makes it
    for sql, params in [*PAGE_QUERIES, q.series(["admin_litigation_loss_rate"], ["320508"], scope=None),
                        q.year_over_year(["mediation_resolved"], ["320508"], None, None)]:
        pd.testing.assert_frame_equal(fetch_frame(con, sql, params), fetch_frame(fresh, sql, params))
    # and the upgraded store keeps it up to date
    commit_batch(con, pd.DataFrame([obs("admin_litigation_lost", "姑苏区", 2020, 10)]),
                 BatchInfo(batch_type="import", user="test"))
    assert fetch_frame(con, *q.series(["admin_litigation_loss_rate"], ["320508"]))["value"].tolist() == [25]


# --- version 5 -> 6: where 地区对比 can rank, kept by every write (until version 8)

def test_a_version_5_database_gains_its_comparable_slices(make_db):
    con = make_db(SMALL_ROWS)
    con.execute("DROP TABLE indicator_coverage")  # as version 5 left it
    con.execute("DROP TABLE indicator_year_stats")
    con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    db.MIGRATIONS[5](con)  # the step alone
    slices = con.execute("SELECT indicator_id, level, year, span FROM comparable_slices ORDER BY ALL").fetchall()
    assert slices == [("mediation_resolved", "区县", 2024, "1-10")]  # two districts' 1-10月 figures of 2024
    observations = con.execute("SELECT * FROM observations ORDER BY ALL").fetchall()
    con.execute("DROP TABLE comparable_slices")
    con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    assert db.migrate(con) == db.SCHEMA_VERSION
    assert con.execute("SELECT * FROM observations ORDER BY ALL").fetchall() == observations


# --- version 6 -> 7: stored figures per indicator and year, kept by every write

def test_a_version_6_database_gains_its_year_counts(make_db):
    con = make_db(SMALL_ROWS)
    expected = con.execute("SELECT * FROM indicator_year_stats ORDER BY ALL").fetchall()
    assert expected == con.execute("SELECT indicator_id, year, count(*) FROM observations GROUP BY ALL"
                                   " ORDER BY ALL").fetchall()
    as_version_7_left_it(con)
    con.execute("DROP TABLE indicator_year_stats")  # as version 6 left it
    con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    assert db.migrate(con) == db.SCHEMA_VERSION
    assert con.execute("SELECT * FROM indicator_year_stats ORDER BY ALL").fetchall() == expected
    stored_2019 = con.execute("SELECT count(*) FROM observations WHERE year = 2019").fetchone()[0]
    commit_batch(con, pd.DataFrame([obs("admin_litigation_cases", "姑苏区", 2019, 40)]),
                 BatchInfo(batch_type="import", user="test"))
    counts = fetch_frame(con, *q.observation_year_counts(year_from=2019, year_to=2019))
    assert counts.to_dict("records") == [{"year": 2019, "n": stored_2019 + 1}]  # and the upgraded store keeps them


# --- version 7 -> 8: what 地区对比's choosers read, kept by every write, in place of comparable_slices

def as_version_7_left_it(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP TABLE indicator_coverage")
    con.execute(db._V6_COMPARABLE_SLICES)
    con.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")


def test_a_version_7_database_gains_its_coverage_and_ranks_totals_only(make_db):
    """comparable_slices counted parts (分项) too, so an indicator with two districts' parts
    but one district's total was offered for a ranking of one; indicator_coverage holds
    totals, as the ranking does."""
    parts_only = [obs("lenient_penalty_amount", "姑苏区", 2023, 30), obs("lenient_penalty_amount", "姑苏区", 2023, 10,
                  breakdown="公安"), obs("lenient_penalty_amount", "吴中区", 2023, 12, breakdown="公安")]
    con = make_db([*SMALL_ROWS, *parts_only])
    as_version_7_left_it(con)
    assert "lenient_penalty_amount" in {r[0] for r in con.execute("SELECT indicator_id FROM comparable_slices").fetchall()}
    assert db.migrate(con) == db.SCHEMA_VERSION
    assert not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'comparable_slices'"
                           ).fetchone()[0]
    fresh = make_db([*SMALL_ROWS, *parts_only], name="fresh.duckdb")
    for sql, params in [*PAGE_QUERIES, q.coverage_summary("lenient_penalty_amount")]:
        pd.testing.assert_frame_equal(fetch_frame(con, sql, params), fetch_frame(fresh, sql, params))
    assert "lenient_penalty_amount" not in set(fetch_frame(con, *q.rankable_indicators(["区县"]))["indicator_id"])
    commit_batch(con, pd.DataFrame([obs("lenient_penalty_amount", "吴中区", 2023, 20)]),
                 BatchInfo(batch_type="import", user="test"))
    assert "lenient_penalty_amount" in set(fetch_frame(con, *q.rankable_indicators(["区县"]))["indicator_id"])


def test_fetch_frame_gives_lists_as_python_lists():
    """st.cache_data pickles each result and unpickles it on every hit: numpy arrays of
    aliases cost 30 times what lists do."""
    frame = fetch_frame(duckdb.connect(), "SELECT ['a', 'b'] AS x UNION ALL SELECT NULL")
    assert frame["x"].tolist()[0] == ["a", "b"] and type(frame["x"].tolist()[0]) is list
    assert frame["x"].tolist()[1] is pd.NA
