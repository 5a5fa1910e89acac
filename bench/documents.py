"""The readers of this round, once per bench run (they do not depend on the database's
size): report text (20,000 characters as a PDF's text comes out), a 100-page PDF, and a
filled national statistical form (国法复统字1号, .xls, read and checked by its profile).
Each time is the best of a few runs."""
from __future__ import annotations

import time
from collections.abc import Callable

from bench.reports import LIMITS, best_of, hundred_page_pdf, report_20k
from loaders.readers import read_tables_and_forms

FORM_RUNS = 5
FORM_LIMIT_S = 1.0  # an office's form is read while the clerk waits for the preview


def _best(runs: int, read: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = read()
        best = min(best, time.perf_counter() - started)
    return best, result


def measure() -> dict[str, object]:
    from tests.fixtures.workbooks import review_form_xls  # the tests' filled form: its layout is the real one

    text = report_20k()
    txt_s, txt_found = best_of(5, "report.txt", text.encode("utf-8"))
    pdf_s, pdf_found = best_of(3, "report.pdf", hundred_page_pdf())
    form = review_form_xls()
    form_s, book = _best(FORM_RUNS, lambda: read_tables_and_forms("行政复议案件统计表.xls", form))
    return {"report_20k_txt_s": round(txt_s, 3), "report_20k_candidates": txt_found,
            "pdf_100_pages_s": round(pdf_s, 3), "pdf_candidates": pdf_found,
            "form_xls_s": round(form_s, 3), "form_figures": len(book.rows),
            "limits_s": {**LIMITS, "form_xls_s": FORM_LIMIT_S}}
