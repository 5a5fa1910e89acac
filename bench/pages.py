"""Each page's whole script through AppTest: the server's time per interaction.

Runs in a child process (`python -m bench.pages DB RUNS`, JSON on stdout) so that
Streamlit's process-wide caches, and the connection they hold open on the database,
die with it before the browser benchmark starts a server on the same file.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overview", "trends", "compare", "targets", "data_sources", "catalog_page"]


def _run_ms(at) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - started) * 1000
    if at.exception:
        raise RuntimeError(f"page raised: {[e.value for e in at.exception]}")
    return elapsed


def measure_in_process(runs: int) -> dict[str, dict[str, float]]:
    """First: the page's first run in the process with an empty query cache (its modules
    and chart code run for the first time too: once per server process). Cold: the
    median of `runs` runs each after emptying the query cache, as when a visitor picks
    something nobody picked since the last write. Warm: the median of `runs` reruns with
    the cache filled. The connection is open throughout, as on a running server."""
    import streamlit as st
    import streamlit.testing.v1.app_test as app_test
    import streamlit.testing.v1.local_script_runner as local_script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest

    # A server compiles app.py and each page once and keeps the bytecode for every session
    # (its Runtime's one ScriptCache); AppTest compiles them afresh on every run, which
    # is no part of a server's run. One cache for all runs, as on the server.
    compiled = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: compiled

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()  # imports, connection, schema check: once per server process, not per page
    results = {}
    for page in PAGES:
        st.cache_data.clear()
        # As the sidebar opens a page: without the previous page's choices in the URL
        # (Streamlit clears them on navigation; AppTest's switch_page does not). Carried
        # over, 趋势's five regions had 数据与来源 measured filtered to them.
        at.query_params.clear()
        at.switch_page(f"views/{page}.py")
        first = _run_ms(at)
        cold = []
        for _ in range(runs):
            st.cache_data.clear()
            cold.append(_run_ms(at))
        warm = [_run_ms(at) for _ in range(runs)]
        results[page] = {"first_ms": round(first, 1), "cold_ms": round(statistics.median(cold), 1),
                         "warm_ms": round(statistics.median(warm), 1)}
    return results


def measure(db: Path, runs: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FAZHI_DB": str(db), "FAZHI_SECRETS": str(Path(tmp) / "secrets.toml")}
        done = subprocess.run([sys.executable, "-m", "bench.pages", str(runs)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "AppTest failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(measure_in_process(int(sys.argv[1]))), flush=True)
    # Out without the interpreter's teardown: at 3M it sometimes aborted ("FATAL: exception
    # not rethrown") while DuckDB's connection and AppTest's script thread were finalised,
    # after the measurements had been printed.
    os._exit(0)
