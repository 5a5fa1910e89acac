"""The machine's pace: the same fixed work timed in every run, beside the results.

This machine's speed moves from day to day by more than the margins the targets are
judged on (RESULTS.md, fifteenth pass: the same code and database ran its queries 1.6–2×
slower on 2026-12-03's second session than in its first). A run's tables can only be
set against another run's with the pace of both in hand: the interpreter's, and DuckDB's
on a small query read into pandas, as a page's is."""
from __future__ import annotations

import duckdb

from bench.queries import median_ms
from store.frame import fetch_frame

RUNS = 15
LOOP_ITERATIONS = 1_000_000
_REFERENCE_ROWS = 200_000
# A page's query in miniature: a filter, a join to a small table, a group and an order,
# ~1,000 rows of text and numbers into a DataFrame.
_REFERENCE_QUERY = """
SELECT n.name, f.year, count(*) AS n, sum(f.value) AS total
FROM facts AS f JOIN names AS n ON n.id = f.key
WHERE f.year >= 2010
GROUP BY n.name, f.year
ORDER BY n.name, f.year
"""


def _python_loop() -> int:
    total = 0
    for i in range(LOOP_ITERATIONS):
        total += i
    return total


def measure(runs: int = RUNS) -> dict[str, float]:
    """Median milliseconds of a pure-Python loop and of a fixed DuckDB query (the same data
    in every run, built in memory) read into pandas."""
    con = duckdb.connect()
    try:
        con.execute(f"""CREATE TABLE facts AS
                        SELECT i % 100 AS key, 2000 + i % 20 AS year, (i * 7919) % 1000 / 10.0 AS value
                        FROM range({_REFERENCE_ROWS}) AS t(i)""")
        con.execute("CREATE TABLE names AS SELECT i AS id, '指标' || i AS name FROM range(100) AS t(i)")
        return {"python_loop_ms": median_ms(_python_loop, runs),
                "duckdb_query_ms": median_ms(lambda: fetch_frame(con, _REFERENCE_QUERY), runs)}
    finally:
        con.close()
