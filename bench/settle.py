"""Wait, before a timed part, until what the bench itself just did has finished.

A part leaves work behind it on the machine: the kernel still writing a published snapshot
(1 GB at 3M) to disk, a closing Chromium, DuckDB's background checkpoint. In the full run of
the eleventh pass the 300k queries started at a load of 2.99 on 2 cores, right after the 10k
scale's PNG export, and three of them missed 10 ms at p95 that met it in `make bench-quick`
(load 0.26) on the same code. The wait is recorded beside the results, so a reader sees
what each part was measured on."""
from __future__ import annotations

import os
import time
from pathlib import Path

QUIET_BUSY = 0.10  # the share of all cores' time spent busy (iowait included) in a quiet second
QUIET_SECONDS = 3  # quiet seconds in a row
MAX_WAIT_S = 90.0


def _cpu_times() -> tuple[int, int]:
    """All cores' (busy, total) jiffies since boot; busy counts iowait: a process waiting on
    the disk holds back a query that reads it."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3]
    total = sum(fields[:8])  # user nice system idle iowait irq softirq steal (guest is inside user)
    return total - idle, total


def busy_share(seconds: float = 1.0) -> float:
    """The share of all cores' time spent busy over the next `seconds`."""
    busy0, total0 = _cpu_times()
    time.sleep(seconds)
    busy1, total1 = _cpu_times()
    return (busy1 - busy0) / max(total1 - total0, 1)


def settle(max_wait_s: float = MAX_WAIT_S) -> dict[str, object]:
    """Flush written files to disk, then wait until the machine has been quiet for
    QUIET_SECONDS seconds in a row, at most `max_wait_s` (0: not at all, for the smoke
    test): how long it waited, the busy share of the last second measured (None when
    none was), and whether it was quiet."""
    started = time.perf_counter()
    if max_wait_s <= 0:  # the sync alone can take seconds on a busy disk
        return {"waited_s": 0.0, "busy": None, "quiet": False}
    os.sync()
    quiet, last = 0, None
    while quiet < QUIET_SECONDS and time.perf_counter() - started < max_wait_s:
        last = busy_share()
        quiet = quiet + 1 if last < QUIET_BUSY else 0
    return {"waited_s": round(time.perf_counter() - started, 1), "busy": None if last is None else round(last, 3),
            "quiet": quiet >= QUIET_SECONDS}
