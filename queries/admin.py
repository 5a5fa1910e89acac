"""The queries of the data office (the `fazhi` commands, the template and the tabular
export), as (sql, params) like queries/sql.py."""
from __future__ import annotations

from collections.abc import Sequence

from queries.sql import Query


def batch_history() -> Query:
    """Every batch, oldest first, with what undid it or what it undid (`fazhi history`)."""
    sql = """
    SELECT id, strftime(created_at, '%Y-%m-%d %H:%M:%S'), kind, coalesce(user_name, ''),
           coalesce(file_name, ''), coalesce(left(file_sha256, 12), ''), n_new, n_changed, n_removed,
           concat_ws('，', CASE WHEN undoes IS NOT NULL THEN '撤销批次' || undoes END,
                     CASE WHEN undone_by IS NOT NULL THEN '已由批次' || undone_by || '撤销' END)
    FROM batches
    LEFT JOIN (SELECT batch_id, count(*) AS n_removed FROM observation_history WHERE action = 'delete'
               GROUP BY batch_id) AS h ON h.batch_id = batches.id
    ORDER BY id
    """
    return sql, {}


def fillable_indicator_names(derived_ids: Sequence[str]) -> Query:
    """Indicator names a clerk may fill in: derived indicators are computed, never typed."""
    sql = "SELECT name FROM indicators WHERE NOT list_contains($derived, id) ORDER BY sort_order"
    return sql, {"derived": [str(d) for d in derived_ids]}


def region_names() -> Query:
    return "SELECT name FROM regions ORDER BY sort_order", {}


def long_format() -> Query:
    """Every stored observation in the long format of ../shared/interchange.md; 数值 is a
    plain number in the indicator's canonical unit, written beside it; 分项 empty for a total."""
    sql = """
    SELECT i.name AS 指标, r.name AS 地区, o.scope AS 口径, o.year AS 年份, o.period AS 期间,
           o.kind AS 类型, o.value AS 数值, o.qualifier AS 限定, i.unit AS 单位,
           coalesce(o.source_label, '') AS 来源, coalesce(o.sentence, '') AS 原文, coalesce(o.note, '') AS 备注,
           o.breakdown AS 分项
    FROM observations AS o
    JOIN indicators AS i ON i.id = o.indicator_id
    JOIN regions AS r ON r.id = o.region_id
    ORDER BY i.sort_order, r.sort_order, o.scope, o.year, o.end_month, o.kind, o.breakdown
    """
    return sql, {}
