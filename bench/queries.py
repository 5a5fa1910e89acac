"""The pages' queries (queries/sql.py) against the same work done in pandas.

Each case is the call a page makes, with arguments a page would pass on a synthetic
database; its baseline answers the same question from DataFrames loaded once, outside
the timing, the way a dashboard without a database would. Row counts of both are kept
so a baseline that quietly does less work shows up in the results.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators.vocabulary import INEXACT_QUALIFIERS, SHARE_TYPES
from paths import ROOT
from queries import sql as q
from store.frame import fetch_frame

INEXACT = set(INEXACT_QUALIFIERS)
HEATMAP_REGIONS = 40  # views/compare.py's CHART_MAX_REGIONS: the heat map's rows past that many regions
BASELINE_BUDGET_S = 8.0  # a slow baseline stops after this long (at least MIN_BASELINE_RUNS)
MIN_BASELINE_RUNS = 3
PLANNING_RUNS = 30  # each writes and reads DuckDB's profile, ~1 ms
# The query timings are pooled from this many processes, one after another: nine processes
# timing the same code on the same database met p95 ≤ 10 ms for anywhere from 9 to 17 of
# 18 queries (RESULTS.md, fourteenth pass), so one process's verdict was partly its luck.
TIMING_PROCESSES = 3


@dataclass(frozen=True)
class Frames:
    """observations_all, indicators (with category order) and regions, in memory."""

    obs: pd.DataFrame
    indicators: pd.DataFrame
    regions: pd.DataFrame


@dataclass(frozen=True)
class Case:
    """A page's query, its pandas baseline, and optionally its floor: the least work any
    query answering it must do (measured beside it; see measure)."""
    name: str
    query: q.Query
    baseline: Callable[[Frames], pd.DataFrame]
    floor: q.Query | None = None


def load_frames(con: duckdb.DuckDBPyConnection) -> Frames:
    obs = con.execute("SELECT * FROM observations_all").df()
    indicators = con.execute(
        """SELECT i.*, c.name AS category, c.sort_order AS category_order
           FROM indicators AS i JOIN categories AS c ON c.id = i.category_id""").df()
    regions = con.execute("SELECT * FROM regions").df()
    return Frames(obs, indicators, regions)


def _period_end_month(period: str) -> int:
    """The month a period ends in, as the schema's period_end_month macro computes it."""
    fixed = {"全年": 12, "上半年": 6, "前三季度": 9}
    if period in fixed:
        return fixed[period]
    if period.startswith("第"):
        return 3 * int(period[1])
    return int(period[2:-1])


def _end_month(period: pd.Series) -> pd.Series:
    return period.map({p: _period_end_month(p) for p in period.unique()})


def _with_names(frame: pd.DataFrame, f: Frames) -> pd.DataFrame:
    ind = f.indicators[["id", "name", "unit", "type", "direction", "sort_order"]].rename(
        columns={"id": "indicator_id", "name": "indicator", "sort_order": "i_order"})
    reg = f.regions[["id", "name", "level", "sort_order"]].rename(
        columns={"id": "region_id", "name": "region", "sort_order": "r_order"})
    return frame.merge(ind, on="indicator_id").merge(reg, on="region_id")


def b_series(f: Frames, indicators: list[str], regions: list[str], scope: str | None = "") -> pd.DataFrame:
    o = f.obs
    mask = o["indicator_id"].isin(indicators) & o["region_id"].isin(regions) & (o["breakdown"] == "")
    if scope is not None:
        mask &= o["scope"] == scope
    out = _with_names(o[mask], f)
    out["end_month"] = _end_month(out["period"])
    return out.sort_values(["i_order", "r_order", "scope", "year", "end_month", "kind"])


def _with_previous(current: pd.DataFrame, f: Frames) -> pd.DataFrame:
    """Last year's like-period figure beside each row, and the change columns."""
    keys = ["indicator_id", "region_id", "scope", "kind", "span"]
    o = f.obs
    candidates = o[o["indicator_id"].isin(current["indicator_id"].unique())
                   & o["region_id"].isin(current["region_id"].unique()) & (o["breakdown"] == "")]
    prev = candidates[keys + ["year", "period", "value", "qualifier"]].assign(year=candidates["year"] + 1)
    out = current.merge(prev, on=keys + ["year"], how="left", suffixes=("", "_prev"))
    out = _with_names(out, f)
    share = out["type"].isin(SHARE_TYPES)
    change = out["value"] - out["value_prev"]
    out["change_abs"] = change
    out["change_pp"] = change.where(share)
    out["change_pct"] = (change / out["value_prev"].abs() * 100).where(~share & (out["value_prev"] != 0))
    out["change_inexact"] = (out["value_prev"].notna() & (out["qualifier_prev"] != "推算")
                             & (out["qualifier"].isin(INEXACT) | out["qualifier_prev"].isin(INEXACT)))
    return out


def b_year_over_year(f: Frames, indicators: list[str], regions: list[str], scope: str | None = "") -> pd.DataFrame:
    o = f.obs
    mask = (o["kind"] == "实际") & o["indicator_id"].isin(indicators) & o["region_id"].isin(regions) & (o["breakdown"] == "")
    if scope is not None:
        mask &= o["scope"] == scope
    out = _with_previous(o[mask], f)
    out["end_month"] = _end_month(out["period"])
    return out.sort_values(["i_order", "r_order", "scope", "year", "end_month"])


def b_ranking(f: Frames, indicator: str, year: int, span: str, level: str = "区县") -> pd.DataFrame:
    o = f.obs
    current = o[(o["indicator_id"] == indicator) & (o["year"] == year) & (o["span"] == span)
                & (o["scope"] == "") & (o["kind"] == "实际") & (o["breakdown"] == "")]
    out = _with_previous(current, f)
    out = out[out["level"] == level]
    lower = out["direction"] == "lower_better"
    return out.assign(_key=np.where(lower, out["value"], -out["value"])).sort_values(["_key", "r_order"])


def b_heatmap_cells(f: Frames, indicator: str, level: str, span: str, regions: list[str]) -> pd.DataFrame:
    o = f.obs
    rows = o[(o["indicator_id"] == indicator) & (o["span"] == span) & (o["scope"] == "") & (o["kind"] == "实际")
             & (o["breakdown"] == "") & o["region_id"].isin(regions)]
    out = _with_names(rows, f)
    out = out[out["level"] == level].sort_values(["r_order", "year"])
    return out[["region_id", "region", "year", "value", "qualifier", "unit", "source_label", "derived"]]


def b_target_regions(f: Frames) -> pd.DataFrame:
    with_targets = f.obs.loc[f.obs["kind"] == "目标", "region_id"].unique()
    return f.regions[f.regions["id"].isin(with_targets)].sort_values("sort_order")[["id", "name"]]


def b_targets(f: Frames, region: str) -> pd.DataFrame:
    o = f.obs
    keys = ["indicator_id", "region_id", "scope", "year", "span"]
    o = o[o["breakdown"] == ""]
    targets = o[(o["kind"] == "目标") & (o["region_id"] == region)]
    actuals = o.loc[o["kind"] == "实际", keys + ["value", "qualifier"]]
    out = targets.merge(actuals, on=keys, how="left", suffixes=("", "_actual"))
    return _with_names(out, f).sort_values(["r_order", "year", "i_order"])


def b_observations(f: Frames, year_from: int, year_to: int, text: str | None = None,
                   limit: int = q.OBSERVATIONS_LIMIT) -> pd.DataFrame:
    o = f.obs
    rows = o[~o["derived"] & (o["year"] >= year_from) & (o["year"] <= year_to)]
    rows = _with_names(rows, f)
    if text:
        rows = rows[rows["indicator"].str.contains(text, regex=False)
                    | rows["sentence"].fillna("").str.contains(text, regex=False)
                    | rows["note"].fillna("").str.contains(text, regex=False)]
    rows = rows.assign(end_month=_end_month(rows["period"]))
    return rows.sort_values(["i_order", "r_order", "scope", "year", "end_month", "kind"]).head(limit)


def b_observation_year_counts(f: Frames) -> pd.DataFrame:
    return f.obs.loc[~f.obs["derived"]].groupby("year").size().rename("n").reset_index()


def b_coverage(f: Frames, indicator: str, year: int | None = None) -> pd.DataFrame:
    o = f.obs
    mask = (o["indicator_id"] == indicator) & (o["breakdown"] == "")
    if year is not None:
        mask &= o["year"] == year
    rows = _with_names(o[mask], f)
    keys = ["region_id", "region", "level", "scope", "year", "period", "span", "kind", "r_order"]
    out = rows.groupby(keys, as_index=False).size()
    out["end_month"] = _end_month(out["period"])
    return out.sort_values(["year", "end_month", "r_order", "scope", "kind", "period"])


def b_coverage_summary(f: Frames, indicator: str) -> pd.DataFrame:
    o = f.obs
    rows = _with_names(o[(o["indicator_id"] == indicator) & (o["breakdown"] == "")], f)
    keys = ["level", "scope", "kind", "year", "span"]
    # A span's period name: its first region's, in catalog order.
    names = rows.sort_values(["r_order", "period"]).drop_duplicates(keys).set_index(keys)["period"]
    out = rows.groupby(keys).agg(n=("region_id", "size"), first=("region_id", "min"), last=("region_id", "max"))
    out = out.assign(period=names, several_regions=out["first"] != out["last"]).reset_index()
    out["end_month"] = _end_month(out["period"])
    return out.sort_values(["year", "end_month", "level", "scope", "kind", "span"])


def b_breakdown_choices(f: Frames, indicator: str, year: int) -> pd.DataFrame:
    o = f.obs
    actual = o[(o["indicator_id"] == indicator) & (o["kind"] == "实际") & (o["year"] == year)]
    keys = ["region_id", "scope", "year", "period"]
    parts = actual[actual["breakdown"] != ""]
    out = parts.groupby(keys + ["span"], as_index=False).size().rename(columns={"size": "n_parts"})
    totals = actual.loc[actual["breakdown"] == "", keys].assign(has_total=True)
    out = _with_names(out.merge(totals, on=keys, how="left").fillna({"has_total": False}).assign(indicator_id=indicator), f)
    out["end_month"] = _end_month(out["period"])
    return out.sort_values(["year", "end_month", "r_order", "scope"], ascending=[False, False, True, True])


def b_breakdown_parts(f: Frames, indicator: str, region: str, year: int, period: str) -> pd.DataFrame:
    o = f.obs
    figure = o[(o["indicator_id"] == indicator) & (o["region_id"] == region) & (o["scope"] == "")
               & (o["kind"] == "实际")]
    current = figure[(figure["year"] == year) & (figure["period"] == period)]
    total = current.loc[current["breakdown"] == "", "value"]
    span = current["span"].iloc[0]
    prev = figure.loc[(figure["year"] == year - 1) & (figure["span"] == span) & (figure["breakdown"] != ""),
                      ["breakdown", "value", "qualifier"]]
    out = _with_names(current[current["breakdown"] != ""], f).merge(prev, on="breakdown", how="left",
                                                                    suffixes=("", "_prev"))
    share = out["type"].isin(SHARE_TYPES)
    out["total"] = total.iloc[0] if len(total) else float("nan")
    out["share"] = (out["value"] / out["total"] * 100).where(~share & (out["total"] > 0))
    change = out["value"] - out["value_prev"]
    out["change_pp"] = change.where(share)
    out["change_pct"] = (change / out["value_prev"].abs() * 100).where(~share & (out["value_prev"] != 0))
    return out.sort_values(["value", "breakdown"], ascending=[False, True])


def b_indicator_regions(f: Frames, indicator: str) -> pd.DataFrame:
    rows = _with_names(f.obs[(f.obs["indicator_id"] == indicator) & (f.obs["breakdown"] == "")], f)
    rows = rows.assign(end_month=_end_month(rows["period"])).sort_values(["year", "end_month", "r_order"])
    whole = rows.groupby("region_id")["scope"].agg(lambda s: bool((s == "").any())).rename("has_whole")
    chosen = rows.drop_duplicates("region_id")[["region_id", "region"]].merge(whole, left_on="region_id",
                                                                              right_index=True)
    by_id = f.regions.set_index("id")
    chosen["parent_id"] = chosen["region_id"].map(by_id["parent_id"]).fillna("")
    chosen["parent"] = chosen["parent_id"].map(by_id["name"]).fillna("")
    return chosen


def b_rankable_indicators(f: Frames, levels: list[str]) -> pd.DataFrame:
    o = f.obs[(f.obs["scope"] == "") & (f.obs["kind"] == "实际") & (f.obs["breakdown"] == "")]
    o = o.merge(f.regions[["id", "level"]], left_on="region_id", right_on="id")
    o = o[o["level"].isin(levels)]
    counts = o.groupby(["indicator_id", "level", "year", "span"])["region_id"].nunique()
    ranked = counts[counts >= 2].reset_index()
    return ranked.drop_duplicates("indicator_id")[["indicator_id"]]


def b_indicators_with_data(f: Frames) -> pd.DataFrame:
    stats = f.obs.groupby("indicator_id")["year"].agg(["size", "min", "max"])
    out = f.indicators.merge(stats, left_on="id", right_index=True, how="left")
    out["size"] = out["size"].fillna(0)
    return out.sort_values(["category_order", "sort_order"])


def b_regions(f: Frames) -> pd.DataFrame:
    counts = f.obs.loc[~f.obs["derived"]].groupby("region_id").size().rename("n_observations")
    parents = f.regions[["id", "name"]].rename(columns={"id": "parent_id", "name": "parent"})
    out = f.regions.merge(parents, on="parent_id", how="left").merge(counts, left_on="id", right_index=True,
                                                                     how="left")
    return out.fillna({"n_observations": 0}).sort_values("sort_order")


@dataclass(frozen=True)
class Choices:
    """What a visitor would have chosen on each page of a synthetic database."""

    indicator: str
    regions: list[str]
    region: str
    headline: list[str]
    all_indicators: list[str]
    level_regions: list[str]
    top_ranked: list[str]
    year: int
    first_year: int
    last_year: int
    text: str
    target_region: str
    # An indicator with parts (分项) and its latest figure broken down: region, year, period.
    parts_indicator: str
    parts_figure: tuple[str, int, str]


def choose(con: duckdb.DuckDBPyConnection) -> Choices:
    """The pages' defaults: the first indicator with data, the first five regions of its
    coverage, the latest year with full-year figures; the overview of the first region."""
    with_data = con.execute(*q.indicators_with_data()).df()
    with_data = with_data[with_data["n_observations"] > 0]
    indicator = next(i for i in with_data["id"] if i.startswith("syn_0"))
    coverage = con.execute(*q.coverage(indicator)).df()
    regions = list(dict.fromkeys(coverage["region_id"]))
    full_year = coverage[(coverage["span"] == "1-12") & (coverage["kind"] == "实际") & (coverage["scope"] == "")]
    level = coverage[(coverage["level"] == "区县") & (coverage["scope"] == "") & (coverage["kind"] == "实际")]
    year = int(full_year["year"].max())
    ranked = con.execute(*q.ranking(indicator, year, "1-12")).df()
    parts_indicator, *parts_figure = con.execute(
        """SELECT indicator_id, region_id, year, period FROM observations WHERE breakdown <> '' AND scope = ''
           ORDER BY indicator_id, year DESC, region_id LIMIT 1""").fetchone()
    return Choices(
        indicator=indicator, regions=regions[:5], region=regions[0],
        headline=[i for i in with_data["id"] if i.startswith("syn_0")][:8],
        all_indicators=with_data["id"].tolist(), level_regions=list(dict.fromkeys(level["region_id"])),
        top_ranked=ranked["region_id"].head(HEATMAP_REGIONS).tolist(), year=year, first_year=int(with_data["first_year"].min()),
        last_year=int(with_data["last_year"].max()), text=regions[0].replace("syn_r", "合成县"),
        target_region=con.execute(*q.target_regions()).fetchall()[0][0],
        parts_indicator=parts_indicator, parts_figure=tuple(parts_figure))


def cases(c: Choices) -> list[Case]:
    """One case per call a page makes (views/*.py), named after the query and its page."""
    return [
        Case("indicators_with_data", q.indicators_with_data(), b_indicators_with_data),
        Case("regions", q.regions(), b_regions),
        Case("series (overview headline)", q.series(c.headline, [c.region], scope=None),
             lambda f: b_series(f, c.headline, [c.region], None)),
        Case("year_over_year (overview, all indicators)", q.year_over_year(None, [c.region], None, None),
             lambda f: b_year_over_year(f, c.all_indicators, [c.region], None)),
        Case("rankable_indicators (compare)", q.rankable_indicators(["区县", "街道"]),
             lambda f: b_rankable_indicators(f, ["区县", "街道"])),
        Case("coverage_summary (compare)", q.coverage_summary(c.indicator), lambda f: b_coverage_summary(f, c.indicator)),
        # Fetched once the list of figures left out of the ranking is opened.
        Case("coverage one year (compare)", q.coverage(c.indicator, c.year),
             lambda f: b_coverage(f, c.indicator, c.year)),
        # Every run of 地区对比 asks where its indicator has parts (分项): most have none.
        Case("breakdown_choices (compare)", q.breakdown_choices(c.indicator, year=c.year),
             lambda f: b_breakdown_choices(f, c.indicator, c.year)),
        # An indicator with parts: 地区对比's 按分项, then the parts of one figure.
        Case("breakdown_choices (compare, with parts)", q.breakdown_choices(c.parts_indicator, year=c.year),
             lambda f: b_breakdown_choices(f, c.parts_indicator, c.year)),
        Case("breakdown_parts", q.breakdown_parts(c.parts_indicator, *c.parts_figure),
             lambda f: b_breakdown_parts(f, c.parts_indicator, *c.parts_figure)),
        Case("indicator_regions (trends)", q.indicator_regions(c.indicator),
             lambda f: b_indicator_regions(f, c.indicator)),
        Case("series (trends)", q.series([c.indicator], c.regions), lambda f: b_series(f, [c.indicator], c.regions)),
        Case("year_over_year (trends)", q.year_over_year([c.indicator], c.regions),
             lambda f: b_year_over_year(f, [c.indicator], c.regions)),
        Case("ranking", q.ranking(c.indicator, c.year, "1-12"), lambda f: b_ranking(f, c.indicator, c.year, "1-12")),
        # With more ranked regions than the charts show, the heat map asks for the top ones only.
        Case("heatmap_cells (compare)", q.heatmap_cells(c.indicator, "区县", "1-12", c.top_ranked),
             lambda f: b_heatmap_cells(f, c.indicator, "区县", "1-12", c.top_ranked)),
        Case("target_regions", q.target_regions(), b_target_regions),
        Case("targets_against_actuals (one region)", q.targets_against_actuals([c.target_region]),
             lambda f: b_targets(f, c.target_region)),
        # The page passes no years when the slider spans them all.
        Case("observations", q.observations(), lambda f: b_observations(f, c.first_year, c.last_year)),
        # The table lists its first rows (OBSERVATIONS_LIMIT); the page then counts every match by year.
        Case("observation_year_counts (data)", q.observation_year_counts(), b_observation_year_counts),
        # Without an index (DuckDB's fts index is rebuilt, not kept up by writes) a search
        # reads every sentence and note. Its floor is that scan and then reading the listed
        # columns of the rows it found, without names, order or limit: a hundred rows spread
        # over the table touch most of its vectors (bench/RESULTS.md, ninth pass, weighs
        # an index for the scan and a point fetch for the reading).
        Case("observations (text search)", q.observations(text=c.text),
             lambda f: b_observations(f, c.first_year, c.last_year, c.text),
             floor=(f"""WITH hits AS (SELECT rowid AS row_id FROM observations
                                       WHERE contains(sentence, $text) OR contains(note, $text))
                        SELECT {q.STORED_LISTED_COLUMNS} FROM observations AS o
                        WHERE o.rowid IN (SELECT row_id FROM hits)""", {"text": c.text})),
    ]


def timed(fn: Callable[[], object], runs: int, budget_s: float | None = None,
           min_runs: int = MIN_BASELINE_RUNS) -> tuple[list[float], object]:
    """Milliseconds of each run after one untimed warm-up, and the last result."""
    result = fn()
    times: list[float] = []
    started = time.perf_counter()
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
        if budget_s is not None and len(times) >= min_runs and time.perf_counter() - started > budget_s:
            break
    return times, result


def median_ms(fn: Callable[[], object], runs: int) -> float:
    """The median of `timed`'s runs (after its warm-up), rounded as the tables print it."""
    times, _ = timed(fn, runs)
    return round(float(np.median(times)), 2)


# DuckDB's own account of a run (PRAGMA enable_profiling): the phases before any row is read.
_PLANNING_PHASES = ("planner", "optimizer", "physical_planner")


def _planning(con: duckdb.DuckDBPyConnection, query: q.Query, runs: int) -> list[float]:
    """Milliseconds of each of `runs` runs spent before reading a row: parsing (timed
    alone), then binding, optimising and the physical plan, as DuckDB's profile of the run
    counts them. Not EXPLAIN: that also draws the plan as text, a third of its time."""
    sql, params = query
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile.json"
        con.execute("PRAGMA enable_profiling = 'json'")
        con.execute("SET profiling_mode = 'detailed'")
        con.execute(f"SET profiling_output = '{profile}'")  # a path of our own making
        times = []
        try:
            for _ in range(runs):
                t0 = time.perf_counter()
                con.extract_statements(sql)
                parsing = (time.perf_counter() - t0) * 1000
                con.execute(sql, params).fetchall()
                phases = json.loads(profile.read_text(encoding="utf-8"))
                times.append(parsing + sum(phases[p]["total_time"] for p in _PLANNING_PHASES) * 1000)
        finally:
            con.execute("PRAGMA disable_profiling")
    return times


def _interleaved(fns: list[Callable[[], object]], rounds: int) -> list[list[float]]:
    """Milliseconds of each function over `rounds` rounds, one run of each per round, after
    one untimed warm-up each. A slow spell of the machine then falls on every case alike:
    with each case's runs in one block, the same query's p50 moved by up to 30 % between
    back-to-back runs (RESULTS, issue 18 fifth pass)."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, spent in zip(fns, times):
            t0 = time.perf_counter()
            fn()
            spent.append((time.perf_counter() - t0) * 1000)
    return times


def _fetcher(con: duckdb.DuckDBPyConnection, query: q.Query) -> Callable[[], pd.DataFrame]:
    sql, params = query
    return lambda: fetch_frame(con, sql, params)


def _answer(con: duckdb.DuckDBPyConnection, query: q.Query, runs: int) -> list[float]:
    """Milliseconds of each of `runs` reads of the query's finished rows, kept in a
    temporary table, into a DataFrame as the page gets them: the cost of handing over an
    answer of that many rows and columns, whatever computed it."""
    sql, params = query
    con.execute(f"CREATE OR REPLACE TEMP TABLE bench_answer AS {sql}", params)
    try:
        times, _ = timed(lambda: fetch_frame(con, "SELECT * FROM bench_answer"), runs)
    finally:
        con.execute("DROP TABLE bench_answer")
    return times


def time_cases(db: Path, runs: int) -> dict[str, list[float]]:
    """Milliseconds of each case's query over `runs` interleaved rounds, in this process."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        every = cases(choose(con))
        return {case.name: times for case, times in
                zip(every, _interleaved([_fetcher(con, case.query) for case in every], runs))}
    finally:
        con.close()


def _timing_process(db: Path, runs: int) -> dict[str, list[float]]:
    """time_cases in a fresh process, started as the bench was (its environment: LD_PRELOAD)."""
    done = subprocess.run([sys.executable, "-m", "bench.queries", str(db), str(runs)], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:  # the child's own traceback, which check=True would have dropped
        raise RuntimeError(f"a timing process of {db.name} failed (exit {done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def measure(db: Path, runs: int, processes: int = TIMING_PROCESSES) -> dict[str, dict[str, float]]:
    """p50/p95 of each query over `runs` interleaved rounds in each of `processes`
    processes, pooled, with each process's own p95; the pandas baseline's p50 beside it;
    what DuckDB spends planning it (over at most PLANNING_RUNS runs), and its floor where a
    case names one."""
    # One after another: two at once would share the two cores.
    by_process = [_timing_process(db, runs) for _ in range(processes)]
    con = duckdb.connect(str(db), read_only=True)
    try:
        choices = choose(con)
        frames = load_frames(con)
        results = {}
        for case in cases(choices):
            times = [t for process in by_process for t in process[case.name]]
            frame = _fetcher(con, case.query)()
            base_times, base = timed(lambda: case.baseline(frames), runs, BASELINE_BUDGET_S)
            plan_times = _planning(con, case.query, min(runs, PLANNING_RUNS))
            answer_times = _answer(con, case.query, runs)
            floor = {}
            if case.floor is not None:
                floor_times, _ = timed(lambda: con.execute(*case.floor).fetchall(), runs)
                floor = {"floor_p50_ms": round(float(np.percentile(floor_times, 50)), 2)}
            results[case.name] = {
                "p50_ms": round(float(np.percentile(times, 50)), 2),
                "p95_ms": round(float(np.percentile(times, 95)), 2),
                "process_p95_ms": [round(float(np.percentile(process[case.name], 95)), 2) for process in by_process],
                "plan_p50_ms": round(float(np.percentile(plan_times, 50)), 2),
                "answer_p50_ms": round(float(np.percentile(answer_times, 50)), 2), **floor,
                "baseline_p50_ms": round(float(np.percentile(base_times, 50)), 2),
                "runs": len(times), "baseline_runs": len(base_times),
                "rows": len(frame), "baseline_rows": len(base),
            }
        return results
    finally:
        con.close()


if __name__ == "__main__":  # one timing process of measure(): `python -m bench.queries DB RUNS`
    print(json.dumps(time_cases(Path(sys.argv[1]), int(sys.argv[2]))))
