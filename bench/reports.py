"""`python -m bench.reports`: the report reader's speed (issue 13), not a test.

Two cases: 20,000 characters of report text (the seed reports, in 38-character lines as
a PDF's text comes out) as a .txt, read in under 1 s; and a 100-page PDF with a text
layer and embedded fonts (the seed text repeated, printed by chromium) in under 10 s.
Each time is the best of a few runs, text extraction and reading included. Writes
bench/reports_results.json; nothing enters a database.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from loaders.reference import load_sources
from loaders.reports.reader import read_report

BENCH_DIR = Path(__file__).resolve().parent
LINE_CHARS, REPORT_CHARS, PAGES = 38, 20_000, 100
PAGE_CHARS_GUESS = 1_200
CHROMIUM = "/usr/bin/chromium"
LIMITS = {"report_20k_txt_s": 1.0, "pdf_100_pages_s": 10.0}


def seed_body() -> str:
    """The five seed reports, one after another, whitespace folded."""
    return "".join("".join(s.text().split()) for s in load_sources())


def report_20k() -> str:
    """20,000 characters of report text in lines of 38, as a PDF's text comes out."""
    body = (seed_body() * 2)[:REPORT_CHARS]
    return "\n".join(body[i:i + LINE_CHARS] for i in range(0, len(body), LINE_CHARS))


def _render(html: str) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_content(html)
        pdf = page.pdf(format="A4")
        browser.close()
    return pdf


def hundred_page_pdf() -> bytes:
    """The seed text repeated over 100 A4 pages, printed by Debian's chromium: the
    fonts (Noto CJK) embedded as in a PDF saved from Word or WPS."""
    import pypdfium2

    body = seed_body()
    chars = PAGE_CHARS_GUESS * PAGES
    for _ in range(3):
        text = (body * (chars // len(body) + 1))[:chars]
        paragraphs = "".join(f"<p>{text[i:i + 400]}</p>" for i in range(0, len(text), 400))
        pdf = _render(f"<html><body style='font-family:Noto Serif CJK SC;font-size:12pt'>{paragraphs}</body></html>")
        pages = len(pypdfium2.PdfDocument(pdf))
        if pages == PAGES:
            return pdf
        chars = int(chars * PAGES / pages) - 200 if pages > PAGES else int(chars * PAGES / pages) + 200
    return pdf


def best_of(runs: int, name: str, data: bytes) -> tuple[float, int]:
    best, found = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        _, _, candidates = read_report(name, data)
        best = min(best, time.perf_counter() - started)
        found = len(candidates)
    return best, found


def main() -> int:
    text = report_20k()
    txt_s, txt_found = best_of(5, "report.txt", text.encode("utf-8"))
    pdf = hundred_page_pdf()
    pdf_s, pdf_found = best_of(3, "report.pdf", pdf)
    import pypdfium2

    results = {"report_20k_txt_s": round(txt_s, 3), "report_20k_chars": len(text.replace("\n", "")),
               "report_20k_candidates": txt_found, "pdf_100_pages_s": round(pdf_s, 3),
               "pdf_pages": len(pypdfium2.PdfDocument(pdf)), "pdf_bytes": len(pdf), "pdf_candidates": pdf_found}
    results["within_limits"] = all(results[k] < limit for k, limit in LIMITS.items())
    (BENCH_DIR / "reports_results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                                                    encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0 if results["within_limits"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
