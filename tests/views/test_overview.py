"""总览 cards: the help under each card names the report sentence, or says there is none."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from paths import ROOT
from tests.conftest import SMALL_ROWS, obs


def test_a_card_without_a_sentence_shows_a_dash(make_db, tmp_path, monkeypatch):
    with_sentence = obs("head_appearance_rate", "姑苏区", 2020, 90, qualifier="近", sentence="出庭应诉率近90%")
    make_db([with_sentence, *SMALL_ROWS[1:]], name="cards.duckdb").close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "cards.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["region"], at.query_params["year"] = "320508", "2020"
    at.run()
    helps = {m.proto.label: m.proto.help for m in at.metric}
    assert helps["行政机关负责人出庭应诉率"].endswith("原文：出庭应诉率近90%")
    assert helps["行政应诉案件数"].endswith("原文：—")  # NaN in a column that has sentences
