"""The reader against careful hand curation: over the five seed reports, the curated
figures (data/observations.csv, 推算 aside) it accepts with the right indicator, value,
unit, period, kind, scope and qualifier (recall), and the share of its accepted figures
that curation holds (precision). Floors from issue 13; README states the measured values.
Each seed is read with its curated title and with the title the reader finds in it: a web
page's 当前位置 line or a body line broken from a 《…要点》 once made a whole report's figures
plan targets."""
from __future__ import annotations

import pytest

from tests.loaders.reports.quality import measure

RECALL_FLOOR, PRECISION_FLOOR = 0.85, 0.90


@pytest.mark.parametrize("titled", [True, False], ids=["curated title", "title read from the text"])
def test_recall_and_precision_on_the_seed_reports(titled):
    quality = measure(titled)
    assert quality.curated >= 120  # every non-推算 curated figure is counted
    missed = [(r["indicator"], r["value"], r["sentence"][:30]) for r in quality.missed]
    wrong = [(c.indicator.id, str(c.value), c.sentence[:30]) for c in quality.wrong]
    assert quality.recall >= RECALL_FLOOR, missed
    assert quality.precision >= PRECISION_FLOOR, wrong
