"""The candidate row every reader produces and the store writes: one figure with its key
(indicator, region, scope, year, period, kind) and what it was written as and where."""
from __future__ import annotations

KEY_COLUMNS = ["indicator_id", "region_id", "scope", "year", "period", "kind"]
PAYLOAD_COLUMNS = ["value", "qualifier", "value_text", "unit_text", "source_id", "source_label",
                   "sentence", "note", "sheet", "cell"]
OBSERVATION_COLUMNS = KEY_COLUMNS + PAYLOAD_COLUMNS
