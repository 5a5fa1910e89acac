"""Load: 20 viewers keep reading the dashboard while an editor commits an upload.

Each viewer is its own browser context, so its own Streamlit session (and script thread
with its own DuckDB cursor on the server). The viewers are sent to the 趋势 page just
before the editor confirms, so their script runs overlap the commit; afterwards every
viewer must be free of exceptions and, on its next run, show the new figure: a cached
result from before the commit would be a stale figure.
"""
from __future__ import annotations

import time

from charts.format import format_value
from tests.browser.conftest import PHONE, exception_count, settle, upload_mediation_figure

VIEWERS = 20
VALUE, YEAR = 27182, 2026  # a figure and year that neither the seed data nor other tests hold
TRENDS = "/trends?indicator=mediation_resolved&regions=320508"


def _editor_ready_to_confirm(browser, url: str):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    editor = context.new_page()
    upload_mediation_figure(editor, url, "并发测试.xlsx", YEAR, VALUE)
    return context, editor


def test_twenty_viewers_while_an_editor_commits(live_server, browser):
    contexts = [browser.new_context(viewport=PHONE, locale="zh-CN") for _ in range(VIEWERS)]
    viewers = [c.new_page() for c in contexts]
    editor_context, editor = _editor_ready_to_confirm(browser, live_server)
    try:
        for viewer in viewers:  # all sessions open and running their scripts ...
            viewer.goto(f"{live_server}{TRENDS}", wait_until="commit")
        editor.get_by_role("button", name="确认导入").click()  # ... while the commit lands
        editor.get_by_text("已导入为批次").wait_for(timeout=60_000)
        for viewer in viewers:
            settle(viewer, timeout_s=120)
        assert [exception_count(v) for v in viewers] == [0] * VIEWERS
        assert exception_count(editor) == 0

        expected = format_value(VALUE, "件")
        started = time.monotonic()
        for viewer in viewers:  # the next run of every session shows the committed figure
            viewer.goto(f"{live_server}{TRENDS}", wait_until="commit")
        for viewer in viewers:
            settle(viewer, timeout_s=120)
            viewer.locator("[data-testid=stPlotlyChart]").first.get_by_text(expected).wait_for(timeout=60_000)
        assert [exception_count(v) for v in viewers] == [0] * VIEWERS
        print(f"{VIEWERS} sessions re-read the new figure in {time.monotonic() - started:.1f} s")
    finally:
        editor_context.close()
        for context in contexts:
            context.close()
