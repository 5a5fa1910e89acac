"""Soak (`make soak-test`, not part of `make test`): ten minutes of page runs against a
server on the 3M-observation bench database, its resident memory sampled.

Four browser sessions keep opening the pages over a fixed round of views (VIEWS
indicators, each on 趋势, 地区对比, 总览 and 数据与来源, plus 目标进度 and 指标说明), so
that after the first round every page run repeats one made before: a server whose memory
grows with runs (a leak, an unbounded cache or buffer) keeps growing, a bounded one stays
flat. After a warm-up (the first fifth, which includes opening the 3M store), the median
of the last fifth of the samples may not exceed the median of the second fifth by more
than 10 %. The samples go to
test-artifacts/soak-rss.csv. FAZHI_SOAK_SECONDS shortens or lengthens the run.
"""
from __future__ import annotations

import csv
import itertools
import os
import shutil
import statistics
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest

from paths import ROOT
from tests.browser.conftest import ARTIFACTS, CHROMIUM, PROJECTOR, _free_port, _stop, _wait_healthy, exception_count, require, settle

pytestmark = [pytest.mark.browser, pytest.mark.soak]
SCALE = 3_000_000
SECONDS = float(os.environ.get("FAZHI_SOAK_SECONDS", "600"))
SESSIONS = 4
SAMPLE_EVERY_S = 5
GROWTH_ALLOWED = 0.10
VIEWS = 2


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _sample(pid: int, started: float, samples: list[tuple[float, float]], done: threading.Event) -> None:
    """The server's RSS every SAMPLE_EVERY_S seconds, whatever the pages are doing."""
    while not done.wait(SAMPLE_EVERY_S):
        samples.append((round(time.monotonic() - started, 1), round(_rss_mb(pid), 1)))


def _urls(db: Path) -> itertools.cycle:
    """One round of page addresses over VIEWS indicators, each with its region and year."""
    with duckdb.connect(str(db), read_only=True) as con:
        indicators = [r[0] for r in con.execute("SELECT id FROM indicators WHERE id LIKE 'syn_%' ORDER BY id").fetchall()]
        indicators = indicators[::max(1, len(indicators) // VIEWS)][:VIEWS]
        regions = [r[0] for r in con.execute("SELECT id FROM regions WHERE id LIKE 'syn_r%' ORDER BY id").fetchall()]
    urls = []
    for i, indicator in enumerate(indicators):
        region, year = regions[(i * 37) % len(regions)], 2010 + i % 15
        urls += [f"/trends?indicator={indicator}&regions={region}", f"/compare?indicator={indicator}",
                 f"/overview?region={region}&year={year}", f"/data?indicator={indicator}"]
    urls += ["/targets", "/catalog"]
    return itertools.cycle(urls)


def test_memory_stays_flat_over_ten_minutes_at_3m(tmp_path, browser):
    require(Path(CHROMIUM).exists(), "Debian chromium is not installed")
    from bench.generate import ensure_database

    db = tmp_path / "soak.duckdb"
    shutil.copyfile(ensure_database(SCALE), db)
    urls = _urls(db)
    port, log = _free_port(), tmp_path / "server.log"
    env = {**os.environ, "FAZHI_DB": str(db), "FAZHI_SECRETS": str(tmp_path / "secrets.toml"),
           "FAZHI_EDITOR_PASSWORD_HASH": "unused"}
    with log.open("w") as out:
        server = subprocess.Popen([str(ROOT / ".venv/bin/streamlit"), "run", "app.py", "--server.port", str(port),
                                   "--server.headless", "true"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    samples: list[tuple[float, float]] = []
    errors, runs, done = [], 0, threading.Event()
    contexts = [browser.new_context(viewport=PROJECTOR, locale="zh-CN") for _ in range(SESSIONS)]
    pages = [c.new_page() for c in contexts]
    try:
        _wait_healthy(url, server, log, timeout=300)
        started = time.monotonic()
        sampler = threading.Thread(target=_sample, args=(server.pid, started, samples, done), daemon=True)
        sampler.start()
        while time.monotonic() - started < SECONDS:
            for pg in pages:
                pg.goto(url + next(urls), wait_until="commit")
            for pg in pages:
                settle(pg, timeout_s=180)
                runs += 1
                if exception_count(pg):
                    errors.append(pg.url)
    finally:
        done.set()
        for context in contexts:
            context.close()
        _stop(server)
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "soak-rss.csv").open("w", newline="") as f:
        csv.writer(f).writerows([("seconds", "rss_mb"), *samples])
    assert len(samples) >= 10, samples
    fifth = len(samples) // 5
    plateau = statistics.median(rss for _, rss in samples[fifth:2 * fifth])
    end = statistics.median(rss for _, rss in samples[-fifth:])
    print(f"soak: {runs} page runs in {SECONDS:.0f} s, RSS first sample {samples[0][1]} MB, peak "
          f"{max(r for _, r in samples)} MB, median after warm-up {plateau} MB, median of the last fifth {end} MB")
    assert not errors, errors
    assert end <= plateau * (1 + GROWTH_ALLOWED), (plateau, end)
