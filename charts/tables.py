"""Tables written for people: an import's preview in Chinese, old value -> new value."""
from __future__ import annotations

import pandas as pd

from charts.format import format_exact, format_value
from indicators.vocabulary import STATUS_LABELS
from store.imports import ImportPlan

# 新值 right after 指标: on a phone's screen only the first columns fit, and what will be
# written must be among them.
PREVIEW_COLUMNS = ["状态", "指标", "新值", "原值", "分项", "地区", "口径", "年份", "期间", "类型", "位置"]


def preview_table(plan: ImportPlan, statuses: tuple[str, ...] = ("new", "changed", "unchanged")) -> pd.DataFrame:
    """The preview in Chinese, for the page and the terminal: old value -> new value."""
    indicators = {r.id: r for r in plan.reference.indicators.values()}
    regions = dict(plan.reference.regions.values())
    frame = plan.preview[plan.preview["status"].isin(statuses)] if not plan.preview.empty else plan.preview
    records = []
    for row in frame.itertuples(index=False):
        unit = indicators[row.indicator_id].unit
        old = format_exact(row.old_value, unit, row.old_qualifier or "") if pd.notna(row.old_value) else ""
        records.append([STATUS_LABELS[row.status], indicators[row.indicator_id].name,
                        format_exact(row.value, unit, row.qualifier), old, row.breakdown, regions[row.region_id],
                        row.scope, int(row.year), row.period, row.kind, f"{row.sheet}!{row.cell}"])
    return pd.DataFrame(records, columns=PREVIEW_COLUMNS)


WARNING_COLUMNS = ["位置", "指标", "地区", "年份", "期间", "数值", "上年同期", "提醒"]


def warnings_table(found: pd.DataFrame) -> pd.DataFrame:
    """A plan's plausibility warnings (ImportPlan.warnings) in Chinese: the cell, both values
    and the rule."""
    where = [f"{sheet}!{cell}" if sheet else cell for sheet, cell in zip(found["sheet"], found["cell"])]
    values = [format_value(value, unit, "") for value, unit in zip(found["value"], found["unit"])]
    previous = [format_value(before, unit, "") if pd.notna(before) else ""
                for before, unit in zip(found["previous"], found["unit"])]
    return pd.DataFrame({"位置": where, "指标": found["indicator"].to_numpy(), "地区": found["region"].to_numpy(),
                         "年份": found["year"].to_numpy(), "期间": found["period"].to_numpy(), "数值": values,
                         "上年同期": previous, "提醒": found["rule"].to_numpy()}, columns=WARNING_COLUMNS)
