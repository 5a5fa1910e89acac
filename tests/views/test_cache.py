"""A page's rerun reads every result from the cache; a write empties it."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from paths import ROOT
from views import connection as views_db

PAGES = ["overview", "trends", "compare", "targets", "data_sources", "catalog_page"]


@pytest.mark.parametrize("page", PAGES)
def test_a_rerun_hits_the_cache_and_a_write_clears_it(page, small_db_path, monkeypatch):
    queries = []
    fetch_frame = views_db.fetch_frame
    monkeypatch.setattr(views_db, "fetch_frame",
                        lambda con, sql, params=None: queries.append(sql) or fetch_frame(con, sql, params))
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    first = len(queries)
    assert first > 0
    at.run()
    assert len(queries) == first  # every query of the rerun came from the cache
    views_db.clear_after_write()
    at.run()
    assert len(queries) > first


@pytest.mark.parametrize("page", ["overview", "compare"])
def test_a_run_asks_streamlit_for_its_connection_once(page, small_db_path, monkeypatch):
    """st.connection costs ~0.6 ms a call; a page's run, with every query missing the cache,
    asks for it once, not once per query."""
    asked = []
    open_connection = st.connection
    monkeypatch.setattr(st, "connection", lambda *args, **kwargs: asked.append(args) or open_connection(*args, **kwargs))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(f"views/{page}.py").run()
    asked.clear()
    st.cache_data.clear()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert asked == [("fazhi",)]
