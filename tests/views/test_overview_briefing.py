"""总览 offers the briefing of the region and year on screen as Word and PowerPoint, and
only when that year has actual figures (a briefing of nothing would be refused)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from paths import ROOT
from tests.conftest import obs

BUTTONS = ["下载简报（Word）", "下载幻灯片（PPT）"]
ROWS = [obs("mediation_resolved", "吴中区", 2022, 100), obs("mediation_resolved", "吴中区", 2023, 150, kind="目标")]


@pytest.mark.parametrize(("year", "labels"), [("2022", BUTTONS), ("2023", [])], ids=["actual figures", "target only"])
def test_overview_offers_the_briefing_of_a_year_with_figures(make_db, tmp_path, monkeypatch, year, labels):
    make_db(ROWS, name="brief.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "brief.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["region"], at.query_params["year"] = "320506", year
    at.run()
    assert not at.exception
    assert [b.proto.label for b in at.get("download_button") if b.proto.label in BUTTONS] == labels
