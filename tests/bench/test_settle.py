"""bench/settle.py waits for three quiet seconds in a row, and no longer than it may."""
from __future__ import annotations

import pytest

from bench import settle as settle_module


@pytest.mark.parametrize(("busy_each_second", "max_wait_s", "expected"), [
    ([0.02, 0.03, 0.01], 90, {"busy": 0.01, "quiet": True, "measured": 3}),
    # a busy second starts the count again
    ([0.5, 0.05, 0.05, 0.2, 0.05, 0.05, 0.05], 90, {"busy": 0.05, "quiet": True, "measured": 7}),
    # never quiet: gives up at its longest wait, saying so
    ([0.9] * 100, 4, {"busy": 0.9, "quiet": False, "measured": 4}),
    ([0.9, 0.01], 0, {"busy": None, "quiet": False, "measured": 0}),
])
def test_settle_waits_for_quiet_seconds_in_a_row(monkeypatch, busy_each_second, max_wait_s, expected):
    seconds = iter(busy_each_second)
    measured: list[float] = []
    clock = [0.0]

    def one_second() -> float:
        clock[0] += 1.0
        measured.append(next(seconds))
        return measured[-1]

    monkeypatch.setattr(settle_module, "busy_share", one_second)
    monkeypatch.setattr(settle_module.time, "perf_counter", lambda: clock[0])
    synced: list[bool] = []
    monkeypatch.setattr(settle_module.os, "sync", lambda: synced.append(True))
    result = settle_module.settle(max_wait_s)
    assert synced == ([True] if max_wait_s > 0 else [])  # 0: not at all, not even the flush
    assert {"busy": result["busy"], "quiet": result["quiet"], "measured": len(measured)} == expected
    assert result["waited_s"] == expected["measured"]


def test_busy_share_is_a_share_of_the_cores_time():
    assert 0.0 <= settle_module.busy_share(0.2) <= 1.0
