"""The server process's long-lived objects, kept out of the garbage collector's way.

Streamlit collects garbage of every generation after each script run
(runner.postScriptGC), so that memory does not build up between runs. The libraries a
page imports leave ~130k long-lived objects (Plotly's validators, pandas, Streamlit
itself) that such a collection walks every time: ~40–100 ms of each rerun on this
machine, holding the interpreter while the browser waits for the run's last messages.
After a run that imported modules, the objects alive then are moved where the collector
does not look (gc.freeze); each later collection sees only what runs made since.
Freezing only after imports bounds what is frozen: a frozen object is still freed when
nothing refers to it, but a frozen reference cycle never is.
"""
from __future__ import annotations

import gc
import sys
import threading

_lock = threading.Lock()
_modules_when_frozen = 0


def freeze_long_lived() -> bool:
    """At the end of a run: freeze what is alive if modules were imported since the last
    freeze; True when it did."""
    global _modules_when_frozen
    with _lock:
        if len(sys.modules) <= _modules_when_frozen:
            return False
        gc.collect()  # garbage now is freed, not frozen
        gc.freeze()
        _modules_when_frozen = len(sys.modules)
        return True
