"""What .streamlit/config.toml promises the running server, each for a reason given there."""
from __future__ import annotations

import tomllib

import pytest

from paths import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("section, key, expected", [
    ("client", "toolbarMode", "viewer"),        # no developer menu or deploy button
    ("client", "disableDataExport", True),      # tables' raw CSV would carry live formulas
    ("server", "maxUploadSize", 20),            # MB: a larger upload is refused unread
    ("server", "fileWatcherType", "none"),      # watching ~100 modules delayed each new visitor
    ("browser", "gatherUsageStats", False),
])
def test_server_settings(section, key, expected):
    assert CONFIG[section][key] == expected
