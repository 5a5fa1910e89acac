"""The candidate row every reader produces and the store writes: one figure with its key
(indicator, region, scope, year, period, kind, breakdown) and what it was written as and
where. breakdown (分项) is '' for a total and names the part (a form's 案件类别) otherwise."""
from __future__ import annotations

KEY_COLUMNS = ["indicator_id", "region_id", "scope", "year", "period", "kind", "breakdown"]
PAYLOAD_COLUMNS = ["value", "qualifier", "value_text", "unit_text", "source_id", "source_label",
                   "sentence", "note", "sheet", "cell"]
OBSERVATION_COLUMNS = KEY_COLUMNS + PAYLOAD_COLUMNS
