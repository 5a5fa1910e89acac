"""The schema version and the migration path."""
from __future__ import annotations

import pytest

from loaders import db


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
