"""The importer's pause of the cycle collector is counted across threads (sessions of one
server) and frees what piled up when the last pause ends."""
from __future__ import annotations

import gc
import threading
import weakref

from loaders.workbook import cycle_collection_paused


class _Cyclic:
    def __init__(self) -> None:
        self.me = self


def test_overlapping_pauses_keep_it_off_until_the_last_ends_then_collect():
    assert gc.isenabled()
    first_in, second_in, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    states: dict[str, bool] = {}

    def first() -> None:
        with cycle_collection_paused():
            first_in.set()
            first_may_leave.wait(10)
        states["after first left"] = gc.isenabled()

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(10)
    with cycle_collection_paused():  # another session's import, overlapping
        second_in.set()
        first_may_leave.set()
        thread.join(10)
        states["inside second"] = gc.isenabled()
        garbage = _Cyclic()  # cyclic garbage another session makes meanwhile
        ref = weakref.ref(garbage)
        del garbage
        assert ref() is not None  # not collected while paused
    assert states == {"after first left": False, "inside second": False}
    assert gc.isenabled()
    assert ref() is None  # collected when the last pause ended


def test_a_pause_leaves_a_collector_switched_off_by_someone_else_off():
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
