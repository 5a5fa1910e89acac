"""Synthetic benchmark databases: the real schema, clearly fake figures.

`ensure_database(n)` returns bench/data/<n>.duckdb holding about n observations of
synthetic indicators (ids `syn_…`) for synthetic county-level regions (合成县0001 …),
with the sparsity, partial periods, targets, qualifiers, scopes, parts (分项), batches and
history rows of real uploads. It never touches data/fazhi.duckdb. A database is rebuilt only
when the generator, the schema or the reference files change: their digest is stored
in the database's meta table and compared on every call.

Keys are drawn with numpy (seeded, so every build of a scale is identical) and turned
into rows by one INSERT … SELECT inside DuckDB: 3M rows build in seconds, where the
row-by-row store (store/batches.py) would take hours. The database is then left as the
store leaves a real one: each year's batch appended in key order as commit_batch appends
it, the derived figures and counts refreshed as after every write, and the table
re-clustered as the dashboard does when it starts (store.keep_clustered).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators.catalog import Catalog, DerivedIndicator, Indicator, load_catalog
from store import derived
from store.batches import keep_clustered
from store.connection import SCHEMA_PATH, connect, migrate
from store.reference import reference_digest, write_reference

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
BATCH_NOTE = "合成数据（基准测试）"
YEARS = np.arange(2010, 2025)  # 15 years, the last one still partly reported
N_INDICATORS = 100
ROWS_PER_REGION = 940  # what one region's 100 indicators × 15 years yield on average
COUNTIES_PER_CITY = 32
TYPES = ("流量", "存量", "比率", "增长率")
UNITS = {"流量": "件", "存量": "个", "比率": "%", "增长率": "%"}
DIRECTIONS = ("higher_better", "higher_better", "lower_better", "neutral")
PARTIAL_PERIODS = ("上半年", "1-10月", "前三季度")
QUALIFIERS = ("", "约", "余", "推算", "近")
QUALIFIER_P = (0.90, 0.04, 0.03, 0.02, 0.01)
SCOPE = "区政府本级"
# Five count indicators (syn_008, syn_028, … syn_088) also report their full-year actual
# figures in parts (分项), as the statistical forms break 复议 cases down by kind; each part
# drawn around its share of the total, so that parts need not add up exactly, as in reports.
PARTS = ("合成分项甲", "合成分项乙", "合成分项丙")
PART_SHARES = (0.5, 0.3, 0.2)
SEED = 20240601


def has_parts(indicator: int) -> bool:
    return indicator % 20 == 8


def generator_digest() -> str:
    """Everything a built database depends on: this file, the schema and its migrations,
    the derived figures and the reference files the app would otherwise re-sync into it."""
    digest = hashlib.sha256()
    for path in (Path(__file__), SCHEMA_PATH, *(SCHEMA_PATH.with_name(f) for f in ("connection.py", "derived.py", "batches.py"))):
        digest.update(path.read_bytes())
    digest.update(reference_digest().encode())
    return digest.hexdigest()


def synthetic_catalog() -> Catalog:
    """100 synthetic indicators over the real categories, and five derived ratios."""
    categories = load_catalog().categories
    indicators = tuple(
        Indicator(id=f"syn_{n:03d}", name=f"合成指标{n:03d}", unit=UNITS[TYPES[n % 4]], type=TYPES[n % 4],
                  direction=DIRECTIONS[n % len(DIRECTIONS)], category=categories[n % len(categories)].id,
                  definition="合成数据（基准测试），不是真实统计。", source=BATCH_NOTE,
                  subcategory=f"合成分项{n % 7}", aliases=(f"合成{n:03d}",))
        for n in range(N_INDICATORS)
    )
    # Ratios of two 流量 indicators (ids ≡ 0 mod 4), like 败诉率 = 败诉数 ÷ 应诉数.
    ratios = tuple(
        DerivedIndicator(id=f"syn_ratio_{k}", name=f"合成推算比率{k}", unit="%", type="比率",
                         direction="neutral", category=categories[k % len(categories)].id,
                         definition="两项合成指标之比（基准测试）。",
                         numerator=f"syn_{8 * k + 4:03d}", denominator=f"syn_{8 * k:03d}")
        for k in range(5)
    )
    return Catalog(categories=categories, indicators=indicators, derived=ratios)


def n_regions_for(n_rows: int) -> int:
    return max(1, round(n_rows / ROWS_PER_REGION))


def _keys(n_rows: int, rng: np.random.Generator) -> pd.DataFrame:
    """Region × indicator × year slots thinned to realistic series, plus partial periods,
    targets and a scope; returns integer codes, exactly n_rows of them."""
    n_regions = n_regions_for(n_rows)
    n_years = len(YEARS)
    pair_region = np.repeat(np.arange(n_regions), N_INDICATORS)
    pair_indicator = np.tile(np.arange(N_INDICATORS), n_regions)
    n_pairs = len(pair_region)
    # Each pair reports from a start year on (most from early years), with gaps;
    # 10 % of pairs never report at all.
    start = np.minimum(rng.geometric(0.35, n_pairs) - 1, n_years - 1)
    reported = rng.random(n_pairs) > 0.10
    year_idx = np.tile(np.arange(n_years), n_pairs)
    pair = np.repeat(np.arange(n_pairs), n_years)
    keep = reported[pair] & (year_idx >= start[pair]) & (rng.random(len(pair)) < 0.78)
    pair, year_idx = pair[keep], year_idx[keep]
    indicator = pair_indicator[pair]
    base = pd.DataFrame({"pair": pair, "region": pair_region[pair], "indicator": indicator,
                         "year": YEARS[year_idx], "period": 0, "kind": 0, "scope": 0, "breakdown": 0})
    # The latest year is often reported only to 1-10月 (the annual report is not out yet).
    last_partial = (base["year"] == YEARS[-1]) & (rng.random(len(base)) < 0.5)
    partial = base[(rng.random(len(base)) < 0.15) | last_partial].assign(
        period=1 + base["indicator"] % len(PARTIAL_PERIODS))
    base = base[~last_partial]
    # Plan targets for one indicator in ten, for the current five-year plan.
    targets = base[(base["indicator"] % 10 == 1) & (base["year"] >= 2021)].assign(kind=1)
    # Five indicators are also reported for the government's own body (区政府本级).
    scoped = base[(base["indicator"] % 20 == 3) & (rng.random(len(base)) < 0.5)].assign(scope=1)
    # Three in five of their full-year figures come with parts.
    broken_down = base[has_parts(base["indicator"]) & (rng.random(len(base)) < 0.6)]
    parts = [broken_down.assign(breakdown=n) for n in range(1, len(PARTS) + 1)]
    keys = pd.concat([base, partial, targets, scoped, *parts], ignore_index=True)
    if len(keys) > n_rows:
        keys = keys.iloc[np.sort(rng.choice(len(keys), n_rows, replace=False))]
    keys = keys.reset_index(drop=True)
    level = rng.lognormal(5, 1.2, n_pairs)[keys["pair"]]
    trend = 1 + 0.04 * (keys["year"] - YEARS[0]) + rng.normal(0, 0.05, len(keys))
    itype = keys["indicator"] % 4
    value = np.where(itype == 2, np.clip(60 + level % 40 + rng.normal(0, 3, len(keys)), 0, 100),
                     np.where(itype == 3, rng.normal(5, 8, len(keys)), np.round(level * trend)))
    value = np.where(keys["period"] > 0, value * 0.7, value)
    share = np.array([1.0, *PART_SHARES])[keys["breakdown"]] * rng.normal(1, 0.05, len(keys))
    value = np.where(keys["breakdown"] > 0, value * share, value)
    value = np.where(keys["kind"] == 1, value * 1.05, value)
    value = np.round(np.where(itype == 2, np.minimum(value, 100), value), 1)
    return keys.assign(value=value, qualifier=rng.choice(len(QUALIFIERS), len(keys), p=QUALIFIER_P),
                       with_sentence=rng.random(len(keys)) < 0.10)


def _write_regions(con: duckdb.DuckDBPyConnection, n_regions: int) -> None:
    n_cities = -(-n_regions // COUNTIES_PER_CITY)
    start = con.execute("SELECT coalesce(max(sort_order), 0) + 1 FROM regions").fetchone()[0]
    con.execute(
        """INSERT INTO regions
           SELECT printf('syn_c%02d', c), printf('合成市%02d', c), '地级市', NULL, [], $start + c
           FROM range(1, $cities + 1) AS t(c)""",
        {"start": start, "cities": n_cities})
    con.execute(
        """INSERT INTO regions
           SELECT printf('syn_r%04d', r), printf('合成县%04d', r), '区县',
                  printf('syn_c%02d', (r - 1) // $per_city + 1), [printf('合成%04d', r)], $start + $cities + r
           FROM range(1, $regions + 1) AS t(r)""",
        {"start": start, "cities": n_cities, "per_city": COUNTIES_PER_CITY, "regions": n_regions})


_OBSERVATIONS_SQL = """
INSERT INTO observations BY NAME
SELECT printf('syn_%03d', k.indicator) AS indicator_id, printf('syn_r%04d', k.region + 1) AS region_id,
       CASE k.scope WHEN 1 THEN $scope ELSE '' END AS scope, k.year, k.period_name AS period,
       CASE k.kind WHEN 1 THEN '目标' ELSE '实际' END AS kind,
       CASE k.breakdown WHEN 0 THEN '' ELSE list_extract($parts, k.breakdown) END AS breakdown,
       period_span(k.period_name) AS span,
       period_end_month(k.period_name) AS end_month, k.value, k.qualifier_name AS qualifier,
       k.qualifier_name || format('{:g}', k.value) AS value_text,
       printf('合成数据_%d年报送.xlsx', k.year) AS source_label,
       CASE WHEN k.with_sentence THEN printf('合成县%04d%d年%s合成指标%03d为%s%s（合成数据）',
            k.region + 1, k.year, k.period_name, k.indicator, k.qualifier_name, format('{:g}', k.value))
       END AS sentence,
       CASE WHEN k.qualifier_name = '推算' THEN '推算：由合成数据的增幅反推（基准测试）' END AS note,
       '明细表' AS sheet,
       -- each office's sheet in turn, row by row
       'F' || CAST(row_number() OVER (ORDER BY k.year, k.region, k.indicator, k.period, k.kind, k.scope,
                                          k.breakdown) + 1 AS VARCHAR) AS cell,
       k.year - $first_year AS batch_id
FROM (SELECT *, list_extract($periods, period + 1) AS period_name,
             list_extract($qualifiers, qualifier + 1) AS qualifier_name FROM keys) AS k
-- One batch per year, appended as store.commit_batch appends a batch: in key order.
ORDER BY batch_id, indicator_id, region_id, scope, year, period, kind, breakdown
"""


def _write_batches(con: duckdb.DuckDBPyConnection) -> None:
    """One import batch per data year, with a history row per value it inserted."""
    con.execute(
        """INSERT INTO batches
           SELECT batch_id, 'import', '基准测试', TIMESTAMP '2025-01-01' + to_days(CAST(batch_id AS INTEGER)),
                  min(source_label), NULL, NULL, '{}', count(*), 0, 0, NULL, NULL, $note
           FROM observations GROUP BY batch_id ORDER BY batch_id""",
        {"note": BATCH_NOTE})
    con.execute(
        """INSERT INTO observation_history
           SELECT batch_id, 'insert', indicator_id, region_id, scope, year, period, kind, breakdown,
                  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, value, qualifier
           FROM observations""")


def build(path: Path, n_rows: int) -> None:
    """Build into a temporary file and move it into place, so an interrupted build is
    never mistaken for a finished one."""
    building = path.with_name(path.name + ".building")
    for stale in (building, Path(f"{building}.wal")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    keys = _keys(n_rows, rng)
    con = connect(building)
    try:
        con.execute("SET enable_progress_bar = false")  # its bars would fill the benchmark's log
        migrate(con)
        write_reference(con, synthetic_catalog())
        _write_regions(con, n_regions_for(n_rows))
        con.register("keys", keys)
        con.execute(_OBSERVATIONS_SQL, {"scope": SCOPE, "first_year": int(YEARS[0]) - 1,
                                        "periods": ["全年", *PARTIAL_PERIODS], "qualifiers": list(QUALIFIERS),
                                        "parts": list(PARTS)})
        con.unregister("keys")
        _write_batches(con)
        derived.refresh(con)
        # What the dashboard does to this store the first time it starts (views/connection.py).
        keep_clustered(con)
        # The app re-syncs the reference tables when this digest differs; the synthetic
        # catalog is the reference of a bench database.
        con.execute("INSERT OR REPLACE INTO meta VALUES ('reference_sha256', ?)", [reference_digest()])
        con.execute("INSERT OR REPLACE INTO meta VALUES ('bench_generator', ?)", [generator_digest()])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(building, path)


def _is_current(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'bench_generator'").fetchone()
    except duckdb.Error:
        row = None
    finally:
        con.close()
    return row is not None and row[0] == generator_digest()


def ensure_database(n_rows: int, data_dir: Path = DATA_DIR) -> Path:
    """bench/data/<n>.duckdb, built unless an identical one is already there."""
    path = data_dir / f"{n_rows}.duckdb"
    if not _is_current(path):
        build(path, n_rows)
    return path


if __name__ == "__main__":
    import sys
    import time

    for scale in (int(s) for s in sys.argv[1:] or ["10000"]):
        started = time.perf_counter()
        print(ensure_database(scale), f"{time.perf_counter() - started:.1f}s")
