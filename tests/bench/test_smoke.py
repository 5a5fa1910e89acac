"""The benchmark's code runs end to end at a tiny scale (no browser, no PNGs) and writes
results of the documented shape. No timing is asserted: the machine is shared."""
from __future__ import annotations

import json

import duckdb

from bench.__main__ import main
from bench.generate import BATCH_NOTE, ensure_database
from bench.queries import TIMING_PROCESSES
from tests.fixtures.charts import drawn_charts


def test_bench_quick_runs_at_the_smallest_scale(tmp_path):
    assert main(["--scales", "2000", "--runs", "3", "--import-rows", "200", "--no-browser", "--no-png",
                 "--settle-max-s", "0", "--out", str(tmp_path), "--data-dir", str(tmp_path / "data")]) == 0

    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert isinstance(results, list) and len(results) == 1
    result = results[0]
    assert result["scale"] == 2000
    assert {"scale", "machine", "queries", "page_run_ms", "import", "export", "browser", "rss_mb"} <= set(result)
    assert {"cores", "memory_gb", "cpu", "duckdb", "load_1min"} <= set(result["machine"])
    assert set(result["settled"]) == {"queries", "pages", "import", "snapshot"}  # no browser, no PNGs
    assert result["settled"]["queries"] == {"waited_s": 0.0, "busy": None, "quiet": False}
    assert len(result["queries"]) >= 10
    assert set(result["pace"]) == {"python_loop_ms", "duckdb_query_ms"}
    for timing in result["queries"].values():
        assert {"p50_ms", "p95_ms", "baseline_p50_ms", "plan_p50_ms", "answer_p50_ms"} <= set(timing)
        assert len(timing["process_p95_ms"]) == TIMING_PROCESSES
        assert timing["runs"] == 3 * TIMING_PROCESSES  # every process's timings pooled
        assert timing["rows"] == timing["baseline_rows"]  # the baseline does the same work
    assert "floor_p50_ms" in result["queries"]["observations (text search)"]
    assert set(result["page_run_ms"]) >= {"overview", "trends", "compare", "targets"}
    assert set(result["page_run_first_ms"]) == set(result["page_run_warm_ms"]) == set(result["page_run_ms"])
    assert {"rows", "seconds", "baseline_seconds"} <= set(result["import"])  # the import ran, not failed
    assert {"build_ms", "serialise_ms", "payload_kb"} <= set(result["figures"])
    assert {"publish_seconds", "commit_seconds", "published_after_commit_seconds"} <= set(result["snapshot"])
    assert {"report_20k_txt_s", "pdf_100_pages_s", "form_xls_s"} <= set(result["documents"])  # ran, not failed
    assert result["documents"]["form_figures"] > 0
    markdown = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "Waited for a quiet machine (bench/settle.py) before: queries 0.0 s (not quiet: not measured);" in markdown
    assert "The machine's pace before the queries (bench/pace.py" in markdown
    assert "- Snapshot (store/snapshots.py):" in markdown and "- Readers (once per run):" in markdown


def test_generated_database_is_synthetic_and_real_schema(tmp_path):
    path = ensure_database(2000, tmp_path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == 2000
        assert con.execute("SELECT count(*) FROM observations WHERE indicator_id NOT LIKE 'syn%'").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM observation_history").fetchone()[0] == 2000
        assert con.execute("SELECT DISTINCT note FROM batches").fetchall() == [(BATCH_NOTE,)]
        kinds = {k for (k,) in con.execute("SELECT DISTINCT kind FROM observations").fetchall()}
        assert kinds == {"实际", "目标"}
    finally:
        con.close()
    assert ensure_database(2000, tmp_path) == path  # cached: same generator, no rebuild


def test_floor_app_offers_the_trends_choices_and_draws_the_same_chart(tmp_path, monkeypatch):
    """bench/floor/app.py is what 趋势's filter → chart is measured against: its chooser must
    list the page's indicators under the page's labels (the bench picks by position in both),
    and its chart must be the page's trend chart for the first five regions."""
    import shutil

    from streamlit.testing.v1 import AppTest

    from bench.browser import FLOOR_APP, ROOT

    path = ensure_database(2000, tmp_path)
    floor_db = tmp_path / "floor.duckdb"
    shutil.copyfile(path, floor_db)
    monkeypatch.setenv("FAZHI_DB", str(floor_db))
    floor = AppTest.from_file(str(FLOOR_APP), default_timeout=60).run()
    assert not floor.exception

    monkeypatch.setenv("FAZHI_DB", str(path))
    monkeypatch.setenv("FAZHI_SECRETS", str(tmp_path / "secrets.toml"))
    page = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    page.switch_page("views/trends.py").run()
    assert not page.exception
    chooser = next(s for s in page.selectbox if s.label == "指标")
    assert floor.selectbox[0].options == chooser.options and floor.selectbox[0].value == chooser.value
    (floor_chart,), (page_chart, *_) = drawn_charts(floor).values(), drawn_charts(page).values()
    assert floor_chart["data"] == page_chart["data"]
