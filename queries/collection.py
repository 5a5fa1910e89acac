"""The queries of a collection round (数据征集), as (sql, params) like queries/sql.py:
what the store holds for each asked figure, and the record of the rounds."""
from __future__ import annotations

from collections.abc import Sequence

from queries.sql import Query


def coverage_cells(indicator_ids: Sequence[str], level: str, year: int, span: str, kind: str,
                   region_ids: Sequence[str] | None = None) -> Query:
    """Every asked indicator × every region of `level`, with the best figure the store
    holds for it that year, region-wide (scope '') and a total (no 分项): the asked span and kind first
    ('full'), else the actual figure of the longest part of the year ('partial'), else a
    target ('target'), else none ('missing'). An indicator the database does not list is
    left out. Each figure comes with its period, qualifier, source and when its batch
    arrived."""
    sql = """
    WITH asked AS (
        SELECT unnest($indicators) AS indicator_id, generate_subscripts($indicators, 1) AS position
    ),
    places AS (
        SELECT id AS region_id, name AS region, sort_order FROM regions
        WHERE level = $level AND ($regions IS NULL OR list_contains($regions, id))
    ),
    best AS (
        SELECT o.indicator_id, o.region_id, o.period, o.kind, o.value, o.qualifier, o.source_label, o.sentence,
               b.created_at AS arrived,
               CASE WHEN o.span = $span AND o.kind = $kind THEN 'full'
                    WHEN o.kind = '实际' THEN 'partial' ELSE 'target' END AS state
        FROM observations AS o LEFT JOIN batches AS b ON b.id = o.batch_id
        WHERE o.year = $year AND o.scope = '' AND o.breakdown = '' AND list_contains($indicators, o.indicator_id)
        QUALIFY row_number() OVER (
            PARTITION BY o.indicator_id, o.region_id
            ORDER BY CASE WHEN o.span = $span AND o.kind = $kind THEN 0 WHEN o.kind = '实际' THEN 1 ELSE 2 END,
                     o.end_month DESC, o.period) = 1
    )
    SELECT a.indicator_id, i.name AS indicator, i.unit, i.type, coalesce(i.definition, '') AS definition,
           p.region_id, p.region, coalesce(f.state, 'missing') AS state, f.period, f.kind, f.value,
           coalesce(f.qualifier, '') AS qualifier, f.source_label, f.sentence, f.arrived
    FROM asked AS a
    JOIN indicators AS i ON i.id = a.indicator_id
    CROSS JOIN places AS p
    LEFT JOIN best AS f ON f.indicator_id = a.indicator_id AND f.region_id = p.region_id
    ORDER BY a.position, p.sort_order
    """
    return sql, {"indicators": [str(i) for i in indicator_ids], "level": level, "year": int(year),
                 "span": span, "kind": kind, "regions": None if region_ids is None else [str(r) for r in region_ids]}


def collection_years(indicator_ids: Sequence[str], level: str) -> Query:
    """The years in which any asked indicator has a figure for a region of `level`."""
    sql = """
    SELECT DISTINCT o.year FROM observations AS o JOIN regions AS r ON r.id = o.region_id
    WHERE r.level = $level AND list_contains($indicators, o.indicator_id)
    ORDER BY o.year
    """
    return sql, {"indicators": [str(i) for i in indicator_ids], "level": level}


def collection_rounds(collection_id: str, year: int) -> Query:
    """The rounds whose workbooks were generated for one collection and year, latest first."""
    sql = """
    SELECT id, collection_id, year, region_ids, indicator_ids, user_name, created_at
    FROM collection_rounds WHERE collection_id = $collection AND year = $year
    ORDER BY created_at DESC, id DESC
    """
    return sql, {"collection": collection_id, "year": int(year)}
