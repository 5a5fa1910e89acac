"""An import, for `fazhi import` and the 数据更新 page: parse -> validate -> preview -> commit.

Nothing is written until `commit_import`, and then everything in one transaction as
one import batch (the indicators an import creates included).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from loaders.readers import reader_for
from loaders.validate import IndicatorRef, NewIndicator, Reference, Validation, name_key, validate
from loaders.workbook import ParsedWorkbook
from store.batches import BatchHook, BatchInfo, BatchResult, commit_batch, preview
from store.plausibility import changed_figure_warnings, no_warnings, plausibility_warnings


@dataclass
class ImportPlan:
    file_name: str
    data: bytes
    options: dict
    workbook: ParsedWorkbook
    reference: Reference
    validation: Validation
    preview: pd.DataFrame  # store.preview(): each row with its status; empty when there are issues
    # store.plausibility's WARNING_COLUMNS, one row per broken rule: never a reason to refuse
    warnings: pd.DataFrame = field(default_factory=no_warnings)

    @property
    def ok(self) -> bool:
        return not self.validation.issues

    def count(self, status: str) -> int:
        return int((self.preview["status"] == status).sum()) if not self.preview.empty else 0

    @property
    def has_changes(self) -> bool:
        return self.count("new") + self.count("changed") > 0


def plan_import(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, *, sheet: str | None = None,
                region: str | None = None, allow_new_indicators: bool = False,
                workbook: ParsedWorkbook | None = None) -> ImportPlan:
    """Read, validate and preview; writes nothing. UnreadableFile when the file is refused."""
    workbook = workbook if workbook is not None else reader_for(file_name).read(file_name, data, sheet)
    reference = load_reference(con)
    validation = validate(workbook, reference, file_name, region, allow_new_indicators)
    ok = not validation.issues and not validation.rows.empty
    diff = preview(con, validation.rows) if ok else pd.DataFrame(columns=["status"])
    indicators, region_names = {r.id: r for r in reference.indicators.values()}, dict(reference.regions.values())
    found = [w for w in (plausibility_warnings(con, validation.rows, indicators, region_names),
                         changed_figure_warnings(validation.rows, diff, indicators, region_names)) if not w.empty] if ok else []
    warnings = pd.concat(found, ignore_index=True) if found else no_warnings()
    options = {"sheet": sheet, "region": region, "allow_new_indicators": allow_new_indicators}
    return ImportPlan(file_name, data, options, workbook, reference, validation, diff, warnings)


def load_reference(con: duckdb.DuckDBPyConnection) -> Reference:
    indicators: dict[str, IndicatorRef] = {}
    for id_, name, aliases, unit, type_ in con.execute(
            "SELECT id, name, aliases, unit, type FROM indicators ORDER BY sort_order").fetchall():
        ref = IndicatorRef(id_, name, unit, type_)
        for text in (id_, *aliases, name):  # the name wins over another indicator's alias
            indicators[name_key(text)] = ref
    regions: dict[str, tuple[str, str]] = {}
    for id_, name, aliases in con.execute("SELECT id, name, aliases FROM regions ORDER BY sort_order").fetchall():
        for text in (id_, *aliases, name):
            regions[name_key(text)] = (id_, name)
    # New indicators go into the last heading (in the national system: 组织保障和落实机制),
    # and the message says so; the catalog owner can move them.
    # fetchall, not fetchone: DuckDB 2.0 refuses con.register() (store.preview) while a
    # result is left unfinished on the connection.
    category = con.execute("SELECT id, name FROM categories ORDER BY sort_order DESC LIMIT 1").fetchall()
    return Reference(indicators, regions, tuple(category[0]) if category else ("", ""))


def _indicator_creator(new: list[NewIndicator], file_name: str) -> BatchHook:
    """Writes the indicators an import creates, marked with its batch (so that undoing the
    batch removes them), inside the batch's own transaction."""
    def create(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
        start = con.execute("SELECT coalesce(max(sort_order), 0) + 1 FROM indicators").fetchall()[0][0]
        con.executemany(
            """INSERT INTO indicators (id, name, aliases, name_en, category_id, subcategory, unit, type, direction,
                                       definition, source, origin, created_batch, sort_order)
               VALUES (?, ?, [], NULL, ?, NULL, ?, ?, 'neutral', ?, ?, 'import', ?, ?)""",
            [[n.id, n.name, n.category_id, n.unit, n.type, f"由导入文件“{file_name}”新建，定义待补充。", file_name,
              batch_id, start + k] for k, n in enumerate(new)],
        )
    return create


def commit_import(con: duckdb.DuckDBPyConnection, plan: ImportPlan, user: str) -> BatchResult:
    """Write a valid plan as one import batch (no batch id when nothing was new or changed,
    and then no indicator is created either)."""
    if not plan.ok:
        raise ValueError("a plan with issues is never committed")
    info = BatchInfo(batch_type="import", user=user, file_name=plan.file_name, file_bytes=plan.data,
                     options=plan.options)
    new = plan.validation.new_indicators
    return commit_batch(con, plan.validation.rows, info,
                        before_write=_indicator_creator(new, plan.file_name) if new else None)
