"""`python -m bench --scales 10000,300000,3000000` (or `--quick`: 300k in about four
minutes): every measurement beside its baseline, into bench/results.json and
bench/RESULTS.md. A part that fails is recorded with its error instead of ending the run."""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import browser, documents, export, figures, imports, pace, pages, queries, report, snapshots
from bench.generate import DATA_DIR, ensure_database
from bench.settle import MAX_WAIT_S, settle
from paths.operations import operations, snapshot_dir_for
from store.connection import connect
from store.snapshots import is_current, publish_before_start

BENCH_DIR = Path(__file__).resolve().parent
NOTES_MARKER = "<!-- notes: kept across runs -->"
PAGE_RUNS = 3  # cold runs (each after emptying the query cache) and warm reruns of each page


def _guarded(label: str, fn: Callable[[], object]) -> object:
    """Run one part; a failure becomes a status entry in the results, not a crash."""
    started = time.perf_counter()
    try:
        result = fn()
    except Exception as err:  # noqa: BLE001 (each part reports its own failure)
        print(f"  {label}: failed: {err!r}", file=sys.stderr)
        return {"status": f"failed: {type(err).__name__}: {err}"}
    print(f"  {label}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return result


def _as_make_run_leaves_it(db: Path) -> None:
    """Publish the database's snapshot as `make run` does before the dashboard starts
    (`fazhi snapshot`), unless the newest is current. Otherwise the first server after a
    rebuilt database copies it in the background while being measured: 16 s and 1.4 GB at
    3M, under the pages' and the browser's timings."""
    settings = operations()
    directory = snapshot_dir_for(db)
    con = connect(db)
    try:
        if not is_current(con, db, directory):
            publish_before_start(con, directory, settings.snapshots_kept)
    finally:
        con.close()


def run_scale(scale: int, args: argparse.Namespace, data_dir: Path) -> dict:
    print(f"scale {scale:,}", file=sys.stderr)
    started = time.perf_counter()
    db = ensure_database(scale, data_dir)
    # Seconds when it was (re)built: bench/generate's digest covers store code a change may touch.
    print(f"  database: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    _as_make_run_leaves_it(db)
    result = {"scale": scale, "machine": report.machine(), "settled": {}}

    def quiet(part: str) -> None:
        result["settled"][part] = settle(args.settle_max_s)

    quiet("queries")
    result["pace"] = pace.measure()
    result["queries"] = queries.measure(db, args.runs)
    quiet("pages")
    page_runs = _guarded("pages", lambda: pages.measure(db, PAGE_RUNS))
    if "status" in page_runs:
        result["page_run_ms"] = result["page_run_first_ms"] = result["page_run_warm_ms"] = page_runs
    else:
        result["page_run_ms"] = {p: m["cold_ms"] for p, m in page_runs.items()}
        result["page_run_first_ms"] = {p: m["first_ms"] for p, m in page_runs.items()}
        result["page_run_warm_ms"] = {p: m["warm_ms"] for p, m in page_runs.items()}
    result["figures"] = _guarded("figures", lambda: figures.figure_costs(db))
    # Before the import, snapshot and export parts: after their gigabytes of writes at 3M
    # the first chart took 3.3 s in a full run against 2.3 s measured on its own.
    if args.no_browser:
        result["browser"], result["rss_mb"] = {"status": "skipped (--no-browser)"}, "skipped (--no-browser)"
    else:
        quiet("browser")
        measured = _guarded("browser", lambda: browser.measure(db, args.browser_runs))
        result["browser"], result["rss_mb"] = measured if isinstance(measured, tuple) else (measured, measured["status"])
    quiet("import")
    result["import"] = _guarded("import", lambda: imports.measure(db, args.import_rows, data_dir))
    quiet("snapshot")
    result["snapshot"] = _guarded("snapshot", lambda: snapshots.measure(db, args.import_rows, data_dir))
    skipped = {"status": "skipped (--no-png)"}
    if not args.no_png:
        quiet("export")
    result["export"] = skipped if args.no_png else _guarded("export", lambda: export.measure(db))
    return result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scales", default="300000", help="comma-separated observation counts")
    parser.add_argument("--quick", action="store_true", help="fewer runs, a 20k-row import: about four minutes")
    parser.add_argument("--runs", type=int, default=None, help="timed rounds of every query, interleaved (default 100)")
    parser.add_argument("--import-rows", type=int, default=None, help="rows of the imported workbook (100000)")
    parser.add_argument("--browser-runs", type=int, default=None,
                        help="timed navigations and filter changes, and as many on the floor (9; quick 5)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-png", action="store_true")
    parser.add_argument("--settle-max-s", type=float, default=MAX_WAIT_S,
                        help="longest wait for a quiet machine before each timed part (0: none)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR, help="where results.json and RESULTS.md go")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="where bench databases are kept")
    args = parser.parse_args(argv)
    # Rounds of 100: the p95 of 30 was its second-slowest run, one slow spell of the machine.
    args.runs = args.runs or 100
    args.import_rows = args.import_rows or (20_000 if args.quick else 100_000)
    # Medians of 9: between runs of 5 the same code's filter → chart moved by 20–75 ms.
    args.browser_runs = args.browser_runs or (5 if args.quick else 9)
    return args


def _kept_notes(path: Path) -> str:
    """Hand-written analysis below the marker in RESULTS.md survives a re-run."""
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    return text[text.index(NOTES_MARKER):] if NOTES_MARKER in text else ""


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results = [run_scale(int(s), args, args.data_dir.resolve()) for s in args.scales.split(",") if s.strip()]
    if results:  # the readers do not depend on the database's size: once per run, beside the first scale
        results[0]["documents"] = _guarded("documents", documents.measure)
    report.write_json(results, args.out / "results.json")
    markdown = args.out / "RESULTS.md"
    report.write_markdown(results, markdown, _kept_notes(markdown))
    print(f"wrote {args.out / 'results.json'} and {markdown}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
