"""Long-lived objects are frozen after a run that imported modules, and only then."""
from __future__ import annotations

import gc
import sys
import types
import weakref

import pytest

from views import heap


@pytest.fixture
def unfrozen(monkeypatch):
    monkeypatch.setattr(heap, "_modules_when_frozen", 0)
    yield
    gc.unfreeze()


@pytest.fixture
def modules(monkeypatch) -> dict[str, types.ModuleType]:
    """The modules heap counts, a copy only this test changes: a thread left running by an
    earlier test (a snapshot publisher, a page's run) may import one at any moment."""
    counted = dict(sys.modules)
    monkeypatch.setattr(heap, "sys", types.SimpleNamespace(modules=counted))
    return counted


def test_a_run_that_imported_modules_freezes_and_a_plain_rerun_does_not(unfrozen, modules):
    assert heap.freeze_long_lived() is True
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the libraries' objects: pandas, plotly, streamlit
    assert heap.freeze_long_lived() is False
    # Nothing more frozen; fewer is allowed, as a frozen object is still freed when its last
    # reference goes (an earlier test's thread dropping one made `==` fail one run in many).
    assert gc.get_freeze_count() <= frozen
    modules["fazhi_test_newly_imported"] = types.ModuleType("fazhi_test_newly_imported")
    assert heap.freeze_long_lived() is True


class _Node:
    pass


def test_garbage_present_at_the_freeze_is_freed_not_frozen(unfrozen):
    gc.disable()  # the cycle must still be there when the freeze comes
    try:
        node = _Node()
        node.itself = node
        alive = weakref.ref(node)
        del node
        heap.freeze_long_lived()
        gc.unfreeze()
        assert alive() is None
    finally:
        gc.enable()
