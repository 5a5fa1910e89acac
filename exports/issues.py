"""An import's problem list as a workbook the clerk can work through."""
from __future__ import annotations

import io

from exports.tabular import write_xlsx
from loaders.validate import Issue, issues_frame


def issues_workbook(issues: list[Issue]) -> bytes:
    """The error list as an .xlsx (text never runs as a formula)."""
    buffer = io.BytesIO()
    write_xlsx(issues_frame(issues), buffer, sheet_title="问题清单")
    return buffer.getvalue()
