"""Load on a primary and two read-only replicas (`make load-test`, not part of `make test`).

Started as README says, on loopback: `make run` (the primary, the only writer) and two
`make run-replica` on the same database's snapshots. Forty browser sessions are spread
over the three and run the 趋势 page while an editor commits one figure on the primary.
No session may show an exception, and within 10 s of the commit every replica shows the
new figure on its next run (the snapshot is published in the background, the replica
takes it up between runs).

The load generator runs on the same two cores as the servers. Sessions rerun the page as
a viewer's interaction does (Streamlit's "r"), not by reloading it. Drawing a trends page's
charts costs a tab about a second of CPU (evaluating plotly.js), so forty tabs drawing at
once took the cores from the servers and the test measured the browser. Every fifth
session draws its charts and is checked for the new figure in them; the others run the
same pages on the servers (same script runs, same messages) without drawing charts, and
are checked for exceptions.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from access.passwords import hash_password
from charts.format import format_value
from paths import ROOT
from paths.operations import snapshot_dir_for
from store.snapshots import newest_snapshot
from tests.browser.conftest import (
    CHROMIUM,
    EDITOR_PASSWORD,
    PHONE,
    _free_port,
    _stop,
    _wait_healthy,
    exception_count,
    require,
    settle,
    upload_mediation_figure,
)

pytestmark = [pytest.mark.browser, pytest.mark.load]
SESSIONS = 40
DRAWING_EVERY = 5  # every fifth session draws its charts; the first of each server's does
PUBLISH_WITHIN_S = 10
VALUE, YEAR = 16180, 2027
TRENDS = "/trends?indicator=mediation_resolved&regions=320508"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[dict]:
    """{"primary": url, "replica-1": url, "replica-2": url, "db": path} on one fresh database."""
    require(Path(CHROMIUM).exists(), "Debian chromium is not installed")
    tmp = tmp_path_factory.mktemp("cluster")
    db = tmp / "fazhi.duckdb"
    env = {**os.environ, "FAZHI_EDITOR_PASSWORD_HASH": hash_password(EDITOR_PASSWORD),
           "FAZHI_SECRETS": str(tmp / "secrets.toml")}
    procs, urls = [], {}
    try:
        for name, target in (("primary", "run"), ("replica-1", "run-replica"), ("replica-2", "run-replica")):
            port, log = _free_port(), tmp / f"{name}.log"
            with log.open("w") as out:
                procs.append(subprocess.Popen(
                    ["make", "--no-print-directory", target, f"PORT={port}", f"DB={db}"], cwd=ROOT, env=env,
                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
            urls[name] = f"http://127.0.0.1:{port}"
            _wait_healthy(urls[name], procs[-1], log)  # the primary first: it builds and publishes
        yield {**urls, "db": db}
    finally:
        for proc in procs:
            _stop(proc)


def _replicas_catch_up(cluster: dict, viewers: list, expected: str, committed: float) -> dict[str, float]:
    """Seconds from the commit until each replica's next run showed the new figure: one
    session per replica reruns the page, the replicas in parallel, until it does."""
    probes = {name: next(v for n, v in viewers if n == name) for name in cluster if name.startswith("replica")}
    # (the first session of each server: one that draws its charts, DRAWING_EVERY)
    caught_up: dict[str, float] = {}
    while len(caught_up) < len(probes) and time.monotonic() - committed < 60:
        pending = [name for name in probes if name not in caught_up]
        for name in pending:
            rerun(probes[name])
        for name in pending:
            settle(probes[name], timeout_s=60)
            if _shows(probes[name], expected):
                caught_up[name] = round(time.monotonic() - committed, 1)
    assert set(caught_up) == set(probes), f"not caught up within 60 s: {caught_up}"
    return caught_up


def rerun(pg) -> None:
    """Run the page again as a viewer's next interaction does, without reloading it:
    Streamlit's own "r" shortcut. (Reloading forty tabs at once made the test measure
    chromium loading Streamlit's scripts forty times on the servers' two cores.)"""
    pg.keyboard.press("r")


def _published_after(db: Path, committed_at: dt.datetime) -> float:
    snapshot = newest_snapshot(snapshot_dir_for(db))
    return (snapshot.published - committed_at).total_seconds()


def _shows(pg, expected: str) -> bool:
    return pg.locator("[data-testid=stPlotlyChart]").first.get_by_text(expected).count() > 0


def test_forty_sessions_over_a_primary_and_two_replicas_while_an_editor_commits(cluster, browser):
    names = [name for name in cluster if name != "db"]
    contexts = [browser.new_context(viewport=PHONE, locale="zh-CN") for _ in range(SESSIONS)]
    viewers = [(names[i % len(names)], c.new_page()) for i, c in enumerate(contexts)]
    drawing = [v for i, (_, v) in enumerate(viewers) if i % DRAWING_EVERY < len(names)]
    for _, viewer in viewers:
        if viewer not in drawing:
            viewer.route("**/static/js/PlotlyChart.*", lambda route: route.abort())
    editor_context = browser.new_context(viewport=PHONE, locale="zh-CN")
    editor = editor_context.new_page()
    expected = format_value(VALUE, "件")
    try:
        for name, viewer in viewers:
            viewer.goto(f"{cluster[name]}{TRENDS}", wait_until="commit")
        for _, viewer in viewers:
            settle(viewer, timeout_s=180)
        assert [exception_count(v) for _, v in viewers] == [0] * SESSIONS
        assert not any(_shows(v, expected) for v in drawing)

        upload_mediation_figure(editor, cluster["primary"], "副本负载测试.xlsx", YEAR, VALUE)
        for _, viewer in viewers:  # every session reruns while the commit lands
            rerun(viewer)
        editor.get_by_role("button", name="确认导入").click()
        editor.get_by_text("已导入为批次").wait_for(timeout=60_000)
        committed, committed_at = time.monotonic(), dt.datetime.now(dt.UTC)
        assert exception_count(editor) == 0

        caught_up = _replicas_catch_up(cluster, viewers, expected, committed)
        published = _published_after(cluster["db"], committed_at)
        print(f"snapshot published {published:.1f} s after the commit; replicas showed the new figure after "
              f"{caught_up} s")
        assert max(caught_up.values()) <= PUBLISH_WITHIN_S, caught_up

        for name, viewer in viewers:
            viewer.goto(f"{cluster[name]}{TRENDS}", wait_until="commit")
        for _, viewer in viewers:
            settle(viewer, timeout_s=180)
        for viewer in drawing:
            viewer.locator("[data-testid=stPlotlyChart]").first.get_by_text(expected).wait_for(timeout=60_000)
        assert [exception_count(v) for _, v in viewers] == [0] * SESSIONS
    finally:
        editor_context.close()
        for context in contexts:
            context.close()
