"""What the trends page's script run spends on its two charts: building the Plotly
figures from the query results (charts/figures.py) and serialising them for the browser
as views/plotly_element.py does (its figure_json), with the payload size.
The browser's split (bench/browser.py) shows the whole script run; this shows the part of
it that is the charts'."""
from __future__ import annotations

from pathlib import Path

import duckdb

from bench.queries import choose, median_ms
from charts.figures import trend_figure, yoy_figure
from queries import sql as q
from store.frame import fetch_frame
from views.plotly_element import figure_json


def figure_costs(db: Path, runs: int = 20) -> dict[str, float]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        c = choose(con)
        series = fetch_frame(con, *q.series([c.indicator], c.regions))
        yoy = fetch_frame(con, *q.year_over_year([c.indicator], c.regions))
    finally:
        con.close()
    figures = [trend_figure(series)[0], yoy_figure(yoy)[0]]
    payloads = [figure_json(fig) for fig in figures]
    return {
        "build_ms": median_ms(lambda: (trend_figure(series), yoy_figure(yoy)), runs),
        "serialise_ms": median_ms(lambda: [figure_json(fig) for fig in figures], runs),
        "payload_kb": round(sum(len(p.encode()) for p in payloads) / 1024, 1),
    }
