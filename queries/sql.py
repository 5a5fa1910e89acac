"""The queries the pages issue, as small pure functions returning (sql, params).

Bound parameters only: nothing a user chooses is ever formatted into SQL text. The
queries read `observations_all`, the stored observations plus the figures of the derived
indicators declared in indicators/derived.yaml, which every write recomputes
(store/derived.py); counts come from the tables kept beside them, and one region's figures
from region_figures, the same rows kept in region order.

The like-period rule: a figure is compared with last year's only when both cover the
same months (`span`: 上半年 and 1-6月 are both '1-6'), the same scope and kind. A
partial year is never compared with a full one.
"""
from __future__ import annotations

from collections.abc import Sequence

from indicators.vocabulary import ESTIMATED, SHARE_TYPES

Query = tuple[str, dict[str, object]]

_OBS_COLUMNS = """
    o.indicator_id, i.name AS indicator, i.unit, i.type, i.direction,
    o.region_id, r.name AS region, r.level, o.scope, o.year, o.period, o.span, o.kind,
    o.value, o.qualifier, o.source_id, o.source_label, o.sentence, o.note, o.derived, o.end_month
"""


# The parameters of the change rules in _yoy_select, from the shared vocabulary. Every
# qualifier makes a figure inexact (INEXACT_QUALIFIERS is QUALIFIERS, and a stored figure
# carries '' or one of them), so the rule asks for a qualifier, not for one of a list: DuckDB
# planned list_contains against the list as two joins of their own, 1.3 ms of yoy's 11.
_CHANGE_RULES = {"shares": list(SHARE_TYPES), "estimated": ESTIMATED}

# A figure `c` against last year's like figure `p` (NULL when there is none), with
# _CHANGE_RULES: shares change in 百分点, everything else in per cent.
_CHANGE_COLUMNS = """
           c.value - p.value AS change_abs,
           CASE WHEN list_contains($shares, i.type) THEN c.value - p.value END AS change_pp,
           CASE WHEN NOT list_contains($shares, i.type) AND p.value <> 0
                THEN (c.value - p.value) / abs(p.value) * 100 END AS change_pct,
           -- A 推算 previous value was computed from the reported change itself, so that
           -- change is the report's own figure; otherwise any qualifier makes it inexact.
           (p.value IS NOT NULL AND p.qualifier <> $estimated
            AND (c.qualifier <> '' OR p.qualifier <> '')) AS change_inexact"""


def _list(values: Sequence[str]) -> list[str]:
    return [str(v) for v in values]


def _figures(region_ids: Sequence[str] | None) -> str:
    """Where a query reads observations_all's figures: one region's from region_figures,
    the same rows kept in region order (schema.sql), where they are one run instead of
    ~100 runs across every row group; more regions (one indicator's, as 趋势 asks) from
    observations_all, clustered by indicator. The queries that use it break ties by period
    (上半年 and 第2季度 end in the same month), so that either source lists the same order."""
    return "region_figures" if region_ids is not None and len(region_ids) == 1 else "observations_all"


def series(indicator_ids: Sequence[str], region_ids: Sequence[str], year_from: int | None = None,
           year_to: int | None = None, scope: str | None = "") -> Query:
    """Observations of indicators for regions over years, actual and target, every period.

    scope '' is region-wide only; None means every scope (the caller then keeps scopes
    apart, never sums or compares them)."""
    sql = f"""
    SELECT {_OBS_COLUMNS}
    FROM {_figures(region_ids)} AS o
    JOIN indicators AS i ON i.id = o.indicator_id
    JOIN regions AS r ON r.id = o.region_id
    WHERE list_contains($indicators, o.indicator_id)
      AND list_contains($regions, o.region_id)
      AND ($year_from IS NULL OR o.year >= $year_from)
      AND ($year_to IS NULL OR o.year <= $year_to)
      AND ($scope IS NULL OR o.scope = $scope)
      AND o.breakdown = ''
    ORDER BY i.sort_order, r.sort_order, o.scope, o.year, end_month, o.kind, o.period
    """
    return sql, {"indicators": _list(indicator_ids), "regions": _list(region_ids),
                 "year_from": year_from, "year_to": year_to, "scope": scope}


def _yoy_select(filtered: str, current: str, figures: str = "observations_all") -> str:
    """Each figure with last year's like-period figure: totals only, a part (分项) is
    compared with itself by breakdown_parts().

    `filtered` chooses the figures of both years (the ones shown and the year before them),
    read once into `f`; `current` keeps the ones shown. Joining against all of
    observations_all would read every row of it, and reading the view twice (shown and
    previous apart) cost DuckDB ~1 ms more to plan than the whole query otherwise runs in
    (9 against 8 ms at 300k)."""
    return f"""
    WITH f AS (SELECT indicator_id, region_id, scope, kind, span, year, period, end_month, value, qualifier,
                      source_label, sentence, note
               FROM {figures} WHERE breakdown = '' AND {filtered})
    SELECT c.indicator_id, i.name AS indicator, i.unit, i.type, i.direction,
           c.region_id, r.name AS region, c.scope, c.year, c.period, c.span, c.kind,
           c.value, c.qualifier, p.year AS prev_year, p.period AS prev_period,
           p.value AS prev_value, p.qualifier AS prev_qualifier, p.source_label AS prev_source_label,
           {_CHANGE_COLUMNS},
           c.source_label, c.sentence, c.note
    FROM f AS c
    JOIN indicators AS i ON i.id = c.indicator_id
    JOIN regions AS r ON r.id = c.region_id
    LEFT JOIN f AS p
      ON p.indicator_id = c.indicator_id AND p.region_id = c.region_id AND p.scope = c.scope
     AND p.kind = c.kind AND p.span = c.span AND p.year = c.year - 1
    WHERE {current}
"""


def year_over_year(indicator_ids: Sequence[str] | None, region_ids: Sequence[str], year: int | None = None,
                   scope: str | None = "") -> Query:
    """Each actual figure with last year's figure for the same months, scope and kind, of
    the indicators named or (None) of every indicator: 总览's list of all ~100 cost DuckDB
    ~3 ms more to plan than no list.

    Shares change in 百分点 (change_pp), everything else in per cent (change_pct); a
    change is inexact when either side carries a qualifier, except that a previous value
    marked 推算 was derived from the reported change, which is then exact. Rows without a like
    period last year keep prev_value NULL: there is then no change to show."""
    filtered = """kind = '实际' AND ($indicators IS NULL OR list_contains($indicators, indicator_id))
      AND list_contains($regions, region_id)
      AND ($scope IS NULL OR scope = $scope) AND ($year IS NULL OR year = $year OR year = $year - 1)"""
    sql = f"""
    {_yoy_select(filtered, "($year IS NULL OR c.year = $year)", _figures(region_ids))}
    ORDER BY i.sort_order, r.sort_order, c.scope, c.year, c.end_month, c.period
    """
    return sql, {"indicators": None if indicator_ids is None else _list(indicator_ids), "regions": _list(region_ids),
                 "year": year, "scope": scope, **_CHANGE_RULES}


def ranking(indicator_id: str, year: int, span: str, level: str = "区县", scope: str = "",
            kind: str = "实际") -> Query:
    """Regions of one level ranked for one indicator, year and span, with their change.

    Only like figures are ranked: one span, one scope, one kind. The rank follows the
    indicator's direction (lower is better ranks ascending)."""
    filtered = ("indicator_id = $indicator AND span = $span AND scope = $scope AND kind = $kind"
                " AND (year = $year OR year = $year - 1)")
    sql = f"""
    {_yoy_select(filtered, "c.year = $year AND r.level = $level")}
    ORDER BY CASE WHEN i.direction = 'lower_better' THEN c.value ELSE -c.value END, r.sort_order
    """
    return sql, {"indicator": indicator_id, "year": year, "span": span, "scope": scope,
                 "kind": kind, "level": level, **_CHANGE_RULES}


def target_regions() -> Query:
    """The regions that have targets, in catalog order, for the 目标进度 chooser."""
    sql = """
    SELECT r.id, r.name FROM region_stats AS s JOIN regions AS r ON r.id = s.region_id
    WHERE s.n_targets > 0
    ORDER BY r.sort_order
    """
    return sql, {}


def targets_against_actuals(region_ids: Sequence[str] | None = None) -> Query:
    """Every target with the actual figure for the same key, when one exists."""
    # The actuals side is cut to the targets' indicators and regions before the join:
    # otherwise every row of observations_all would be read for it.
    figures = _figures(region_ids)
    sql = f"""
    WITH t AS (SELECT * FROM {figures}
               WHERE kind = '目标' AND breakdown = '' AND ($regions IS NULL OR list_contains($regions, region_id))),
    a AS (SELECT indicator_id, region_id, scope, year, span, value, qualifier FROM {figures}
          WHERE kind = '实际' AND breakdown = '' AND ($regions IS NULL OR list_contains($regions, region_id))
            AND indicator_id IN (SELECT indicator_id FROM t)
            AND region_id IN (SELECT region_id FROM t))
    SELECT t.indicator_id, i.name AS indicator, i.unit, i.type, i.direction,
           t.region_id, r.name AS region, t.scope, t.year, t.period, t.span,
           t.value AS target_value, t.qualifier AS target_qualifier,
           a.value AS actual_value, a.qualifier AS actual_qualifier,
           t.source_label, t.sentence, t.note
    FROM t
    JOIN indicators AS i ON i.id = t.indicator_id
    JOIN regions AS r ON r.id = t.region_id
    LEFT JOIN a
      ON a.indicator_id = t.indicator_id AND a.region_id = t.region_id AND a.scope = t.scope
     AND a.year = t.year AND a.span = t.span
    ORDER BY r.sort_order, t.year, i.sort_order, t.scope, t.period
    """
    return sql, {"regions": None if region_ids is None else _list(region_ids)}


# Rows of the 数据与来源 table; its counts cover every match. 2,000 rows are more than anyone
# reads on a screen, and 5,000 (with their sentences) took nearly twice the query, the page's labels
# and what a phone downloads at 3M (bench/RESULTS.md).
OBSERVATIONS_LIMIT = 2000


def _observation_filter(indicator_ids: Sequence[str] | None, region_ids: Sequence[str] | None,
                        year_from: int | None, year_to: int | None, kind: str | None) -> tuple[str, dict[str, object]]:
    """The 数据与来源 filters on observations AS o (all optional): a WHERE clause and its
    parameters."""
    where = """($indicators IS NULL OR list_contains($indicators, o.indicator_id))
      AND ($regions IS NULL OR list_contains($regions, o.region_id))
      AND ($year_from IS NULL OR o.year >= $year_from)
      AND ($year_to IS NULL OR o.year <= $year_to)
      AND ($kind IS NULL OR o.kind = $kind)"""
    return where, {"indicators": None if indicator_ids is None else _list(indicator_ids),
                   "regions": None if region_ids is None else _list(region_ids),
                   "year_from": year_from, "year_to": year_to, "kind": kind}


# The same filters on indicator_year_stats AS s, when no region or type is chosen: its
# counts are those of observations, kept by every write.
_YEAR_STATS_FILTER = """($indicators IS NULL OR list_contains($indicators, s.indicator_id))
      AND ($year_from IS NULL OR s.year >= $year_from)
      AND ($year_to IS NULL OR s.year <= $year_to)"""


def _by_indicator_and_year(region_ids: Sequence[str] | None, kind: str | None) -> bool:
    """Whether indicator_year_stats can count what the filters keep: regions and type are
    not in it."""
    return region_ids is None and kind is None


def _text_hits(where: str) -> str:
    """Row ids of the filtered observations whose sentence or note contains $text, or
    whose indicator's name does. Indicator names are matched apart, by a semi-join on the
    few that match: OR-ed into the text filter, they would be joined to every row."""
    return f"""hits AS (
        SELECT o.rowid AS row_id FROM observations AS o
        WHERE {where} AND (contains(o.sentence, $text) OR contains(o.note, $text))
        UNION
        SELECT o.rowid FROM observations AS o
        WHERE {where} AND o.indicator_id IN (SELECT id FROM indicators WHERE contains(name, $text))
    )"""


# What 数据与来源 lists of each figure, and no more: every column is read for every row the
# query sorts, and the ten the page never showed (type, level, span, value_text…) cost 3 ms of
# 13 at 300k observations.
_LISTED_COLUMNS = """o.indicator_id, i.name AS indicator, i.unit, o.region_id, r.name AS region, o.scope, o.year,
           o.period, o.kind, o.value, o.qualifier, o.source_id, o.source_label, o.sentence, o.note,
           o.sheet, o.cell, o.batch_id, o.breakdown"""
# The observations' own columns among them: what is read of each row a search finds, the
# part of its cost no way of finding the rows removes (bench/queries.py measures it).
STORED_LISTED_COLUMNS = ", ".join(c for c in (c.strip() for c in _LISTED_COLUMNS.split(",")) if c.startswith("o."))

# The 数据与来源 table's order: catalog order of indicators, then regions, then time.
_OBSERVATION_ORDER = "i.sort_order, r.sort_order, o.scope, o.year, o.end_month, o.kind, o.breakdown"


def observations(indicator_ids: Sequence[str] | None = None, region_ids: Sequence[str] | None = None,
                 year_from: int | None = None, year_to: int | None = None, kind: str | None = None,
                 text: str | None = None, limit: int = OBSERVATIONS_LIMIT) -> Query:
    """Stored observations (not derived) for the data-and-sources table, the first `limit`
    in catalog order; text searches the indicator name, the sentence and the note.

    Sorting every matching row to keep the first few thousand would read the whole table
    with all its text columns. Without a text, the rows are counted per indicator first
    (kept in indicator_stats when nothing is filtered, else on narrow columns) and only
    the indicators that reach into the first `limit` rows are read in full: with the
    table clustered by indicator, one or two row groups. Counts by indicator and year alone
    are kept too (indicator_year_stats). With a text, or regions chosen
    without indicators, the matching rows are found on narrow columns alone and then read
    by rowid."""
    where, params = _observation_filter(indicator_ids, region_ids, year_from, year_to, kind)
    unfiltered = all(v is None for v in params.values())
    by_rowid = "o.rowid IN (SELECT row_id FROM hits)"
    if text:
        chosen, keep = _text_hits(where), by_rowid
    elif region_ids is not None and indicator_ids is None:
        # A few regions' rows of every indicator lie in every row group (the table is
        # clustered by indicator): reading the indicators they reach whole read every column
        # of 3M rows, 72 ms for five regions. The first rows are chosen on the sort columns,
        # then read by rowid: 33 ms. (With indicators chosen too, those few row groups are
        # read as below, 9 ms.)
        chosen = f"""hits AS (
        SELECT o.rowid AS row_id FROM observations AS o
        JOIN indicators AS i ON i.id = o.indicator_id
        JOIN regions AS r ON r.id = o.region_id
        WHERE {where}
        ORDER BY {_OBSERVATION_ORDER}
        LIMIT $limit
    )"""
        keep = by_rowid
    else:
        if unfiltered:
            counted = "SELECT indicator_id, n_stored AS n FROM indicator_stats"
        elif _by_indicator_and_year(region_ids, kind):
            counted = f"""SELECT s.indicator_id, sum(s.n_stored) AS n FROM indicator_year_stats AS s
        WHERE {_YEAR_STATS_FILTER} GROUP BY s.indicator_id"""
        else:
            counted = f"SELECT o.indicator_id, count(*) AS n FROM observations AS o WHERE {where} GROUP BY o.indicator_id"
        chosen = f"""counts AS ({counted}),
    wanted AS (
        SELECT c.indicator_id FROM counts AS c JOIN indicators AS i ON i.id = c.indicator_id
        -- rows of the indicators sorted before this one (ties in sort order included together)
        QUALIFY coalesce(sum(c.n) OVER (ORDER BY i.sort_order RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                         0) < $limit
    )"""
        keep = f"o.indicator_id IN (SELECT indicator_id FROM wanted) AND {where}"
    sql = f"""
    WITH {chosen}
    SELECT {_LISTED_COLUMNS}
    FROM observations AS o
    JOIN indicators AS i ON i.id = o.indicator_id
    JOIN regions AS r ON r.id = o.region_id
    WHERE {keep}
    ORDER BY {_OBSERVATION_ORDER}
    LIMIT $limit
    """
    params["limit"] = limit
    return sql, ({**params, "text": text} if text else params)


def observation_year_counts(indicator_ids: Sequence[str] | None = None, region_ids: Sequence[str] | None = None,
                            year_from: int | None = None, year_to: int | None = None, kind: str | None = None,
                            text: str | None = None) -> Query:
    """How many stored observations match the filters of observations(), per year, also
    past its row limit: the table may list the first rows only, its counts never."""
    where, params = _observation_filter(indicator_ids, region_ids, year_from, year_to, kind)
    if text:
        sql = f"""
        WITH {_text_hits(where)}
        SELECT o.year, count(*) AS n FROM observations AS o WHERE o.rowid IN (SELECT row_id FROM hits)
        GROUP BY o.year ORDER BY o.year
        """
        return sql, {**params, "text": text}
    if _by_indicator_and_year(region_ids, kind):
        # 9.7 ms at 3M observations counted, 2 ms read from the kept counts.
        sql = f"""SELECT s.year, sum(s.n_stored)::BIGINT AS n FROM indicator_year_stats AS s
        WHERE {_YEAR_STATS_FILTER} GROUP BY s.year ORDER BY s.year"""
        return sql, {key: params[key] for key in ("indicators", "year_from", "year_to")}
    sql = f"SELECT o.year, count(*) AS n FROM observations AS o WHERE {where} GROUP BY o.year ORDER BY o.year"
    return sql, params


def coverage(indicator_id: str, year: int | None = None) -> Query:
    """Which regions, scopes, years, periods and kinds an indicator has figures for, by
    year, month and region (then scope, kind and period, so that the order is the same
    on every run): a row per region and figure, for the pages that list them.

    `year` keeps one year's rows: 地区对比 lists the figures its ranking leaves out, all of
    one year, and at national scale all years are tens of thousands of rows."""
    sql = """
    SELECT o.region_id, r.name AS region, r.level, o.scope, o.year, o.period, o.span, o.kind,
           r.sort_order, o.end_month, count(*) AS n
    FROM observations_all AS o JOIN regions AS r ON r.id = o.region_id
    WHERE o.indicator_id = $indicator AND o.breakdown = '' AND ($year IS NULL OR o.year = $year)
    GROUP BY ALL
    ORDER BY o.year, end_month, r.sort_order, o.scope, o.kind, o.period
    """
    return sql, {"indicator": indicator_id, "year": year}


def coverage_summary(indicator_id: str) -> Query:
    """coverage() without a row per region: per level, scope, kind, year and span, how
    many figures (n) and whether they are of two regions or more (several_regions), what
    地区对比 needs to choose its level, year and period; a few dozen rows where coverage()
    has tens of thousands at national scale. Kept by every write (indicator_coverage).

    A span's period name is the one coverage() lists first (that of the first region in
    catalog order): 上半年 and 1-6月 share a span, and the chooser names it as before. Spans
    that end in the same month (上半年, 第2季度) are listed in the order of their names."""
    sql = """
    SELECT level, scope, kind, year, span, period, end_month, n, several_regions
    FROM indicator_coverage WHERE indicator_id = $indicator
    ORDER BY year, end_month, level, scope, kind, span
    """
    return sql, {"indicator": indicator_id}


def heatmap_cells(indicator_id: str, level: str, span: str, region_ids: Sequence[str] | None = None) -> Query:
    """Region-wide actual figures of one indicator for one span, every year, for the
    regions of one level (or only region_ids): the cells of the 地区 × 年份 heat map,
    with just the columns it draws and cites."""
    sql = """
    SELECT o.region_id, r.name AS region, o.year, o.value, o.qualifier, i.unit, o.source_label, o.derived
    FROM observations_all AS o
    JOIN indicators AS i ON i.id = o.indicator_id
    JOIN regions AS r ON r.id = o.region_id
    WHERE o.indicator_id = $indicator AND o.span = $span AND o.scope = '' AND o.kind = '实际' AND o.breakdown = ''
      AND r.level = $level AND ($regions IS NULL OR list_contains($regions, o.region_id))
    ORDER BY r.sort_order, o.year
    """
    return sql, {"indicator": indicator_id, "level": level, "span": span,
                 "regions": None if region_ids is None else _list(region_ids)}


def indicator_regions(indicator_id: str) -> Query:
    """The regions an indicator has figures for, in the order coverage() first lists
    them (earliest figure first), whether each has a region-wide one, and its parent
    ('' for a region without one): what the 趋势 chooser needs, without a row per figure."""
    sql = """
    WITH covered AS (
        SELECT region_id, bool_or(scope = '') AS has_whole, min(100 * CAST(year AS INTEGER) + end_month) AS first
        FROM observations_all WHERE indicator_id = $indicator AND breakdown = '' GROUP BY region_id
    )
    SELECT c.region_id, r.name AS region, c.has_whole, coalesce(r.parent_id, '') AS parent_id,
           coalesce(p.name, '') AS parent
    FROM covered AS c JOIN regions AS r ON r.id = c.region_id LEFT JOIN regions AS p ON p.id = r.parent_id
    ORDER BY c.first, r.sort_order
    """
    return sql, {"indicator": indicator_id}


def categories() -> Query:
    """The eight first-level headings in the national system's order, also those the
    catalog has no indicator under yet."""
    return "SELECT id, name FROM categories ORDER BY sort_order", {}


def rankable_indicators(levels: Sequence[str]) -> Query:
    """Indicators that 地区对比 can rank: at least two regions of one level with
    region-wide actual figures of the same year and span (queries/defaults.comparable_at),
    as every write leaves them in indicator_coverage."""
    sql = """SELECT DISTINCT indicator_id FROM indicator_coverage
             WHERE several_regions AND scope = '' AND kind = '实际' AND list_contains($levels, level)"""
    return sql, {"levels": list(levels)}


def indicators_with_data() -> Query:
    """The catalog with how many figures each indicator has, for choosers and 指标说明."""
    sql = """
    SELECT i.id, i.name, i.name_en, i.aliases, c.name AS category, i.subcategory, i.unit, i.type,
           i.direction, i.definition, i.source, i.origin, c.sort_order AS category_order, i.sort_order,
           coalesce(s.n_observations, 0) AS n_observations, s.first_year, s.last_year
    FROM indicators AS i
    JOIN categories AS c ON c.id = i.category_id
    LEFT JOIN indicator_stats AS s ON s.indicator_id = i.id
    ORDER BY category_order, i.sort_order
    """
    return sql, {}


def regions() -> Query:
    sql = """
    SELECT r.id, r.name, r.level, r.parent_id, p.name AS parent, r.aliases,
           coalesce(s.n_observations, 0) AS n_observations
    FROM regions AS r LEFT JOIN regions AS p ON p.id = r.parent_id
    LEFT JOIN region_stats AS s ON s.region_id = r.id
    ORDER BY r.sort_order
    """
    return sql, {}


def batches() -> Query:
    sql = """
    SELECT id, kind, user_name, created_at, file_name, file_sha256, n_new, n_changed, n_unchanged,
           coalesce(n_removed, 0) AS n_removed, undoes, undone_by, note
    FROM batches
    LEFT JOIN (SELECT batch_id, count(*) AS n_removed FROM observation_history WHERE action = 'delete'
               GROUP BY batch_id) AS h ON h.batch_id = batches.id
    ORDER BY id DESC
    """
    return sql, {}


def breakdown_choices(indicator_id: str, region_ids: Sequence[str] | None = None, year: int | None = None) -> Query:
    """Where an indicator has parts (分项): each region, scope, year and period of actual
    figures with parts, how many, and whether the total is there too; latest first. Of
    the regions given (None: all) and the year given (None: all).

    The parts are found first, and totals looked up only in the regions that have them:
    joining every part to all of the indicator's totals built a table of all its figures
    on each run of 地区对比, 10 ms at 3M for an indicator without a single part. 地区对比
    asks for its year: every year's parts of all 3,308 regions took 15.6 ms at 3M, that
    year's 7.9."""
    sql = """
    WITH p AS (SELECT region_id, scope, year, period, span, end_month, count(*) AS n_parts
               FROM observations_all
               WHERE indicator_id = $indicator AND breakdown <> '' AND kind = '实际'
                 AND ($regions IS NULL OR list_contains($regions, region_id)) AND ($year IS NULL OR year = $year)
               GROUP BY ALL),
    t AS (SELECT region_id, scope, year, period FROM observations_all
          WHERE indicator_id = $indicator AND breakdown = '' AND kind = '实际'
            AND region_id IN (SELECT region_id FROM p))
    SELECT p.region_id, r.name AS region, p.scope, p.year, p.period, p.span, p.n_parts,
           t.region_id IS NOT NULL AS has_total
    FROM p
    JOIN regions AS r ON r.id = p.region_id
    LEFT JOIN t ON t.region_id = p.region_id AND t.scope = p.scope AND t.year = p.year AND t.period = p.period
    ORDER BY p.year DESC, p.end_month DESC, r.sort_order, p.scope
    """
    return sql, {"indicator": indicator_id, "regions": None if region_ids is None else _list(region_ids), "year": year}


def breakdown_parts(indicator_id: str, region_id: str, year: int, period: str, scope: str = "") -> Query:
    """The parts (分项) of one actual figure, each with its share of the total of the same
    key, and last year's like-period figure of the same part with the change: a part is
    compared only with itself, never with the total or another part.

    The figure's two years are read once and joined to themselves: the total and last
    year's parts as scalar subqueries and a second read, each planned on its own, took
    12.3 ms at 300k observations against 8.1 (bench/RESULTS.md, fourteenth pass)."""
    sql = f"""
    WITH f AS (SELECT breakdown, year, period, span, value, qualifier, source_label, sheet, cell, note, derived
               FROM observations_all
               WHERE indicator_id = $indicator AND region_id = $region AND scope = $scope
                 AND (year = $year OR year = $year - 1) AND kind = '实际')
    SELECT c.breakdown, c.value, c.qualifier, c.period, i.name AS indicator, i.unit, i.type, i.direction,
           r.name AS region, c.source_label, c.sheet, c.cell, c.note, c.derived,
           t.value AS total, t.qualifier AS total_qualifier,
           -- a part's share of its total: for counts and amounts only, never for a ratio's parts
           CASE WHEN t.value > 0 AND NOT list_contains($shares, i.type) THEN c.value / t.value * 100 END AS share,
           p.value AS prev_value, p.qualifier AS prev_qualifier,{_CHANGE_COLUMNS}
    FROM f AS c
    JOIN indicators AS i ON i.id = $indicator
    JOIN regions AS r ON r.id = $region
    LEFT JOIN f AS t ON t.year = c.year AND t.period = c.period AND t.breakdown = ''
    LEFT JOIN f AS p ON p.year = c.year - 1 AND p.span = c.span AND p.breakdown = c.breakdown
    WHERE c.year = $year AND c.period = $period AND c.breakdown <> ''
    ORDER BY c.value DESC, c.breakdown
    """
    return sql, {"indicator": indicator_id, "region": region_id, "scope": scope, "year": year, "period": period,
                 **_CHANGE_RULES}


def source_documents(labels: Sequence[str]) -> Query:
    """The archived reports whose titles are among a briefing's source labels, with their
    publisher and date; a label that is no report's title (an uploaded file) has no row."""
    sql = "SELECT title, publisher, published FROM sources WHERE list_contains($labels, title)"
    return sql, {"labels": _list(labels)}
