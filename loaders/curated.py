"""The curated seed figures (data/observations.csv) as a batch of observation rows."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from indicators.catalog import load_catalog
from indicators.vocabulary import ACTUAL, is_valid_period
from loaders.reference import load_regions, load_scopes, load_sources
from loaders.units import convert
from paths import OBSERVATIONS_PATH

CSV_COLUMNS = ["indicator", "region", "scope", "year", "period", "kind", "value", "qualifier",
               "unit", "source", "sentence", "note"]


class CuratedDataError(ValueError):
    """data/observations.csv does not agree with the catalog; lists every problem."""


def read_curated(path: Path = OBSERVATIONS_PATH) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def curated_rows(path: Path = OBSERVATIONS_PATH) -> pd.DataFrame:
    """Rows in the indicators' canonical units, with their source sentence kept."""
    indicators = load_catalog().by_id()
    regions = {r.name: r.id for r in load_regions()}
    scopes = {s.name for s in load_scopes()}
    sources = {s.id: s for s in load_sources()}
    rows, problems = [], []
    for line, raw in enumerate(read_curated(path), start=2):
        indicator = indicators.get(raw["indicator"])
        source = sources.get(raw["source"])
        checks = [
            (indicator is None, f"未知指标 {raw['indicator']}"),
            (raw["region"] not in regions, f"未知地区 {raw['region']}"),
            (bool(raw["scope"]) and raw["scope"] not in scopes, f"未登记的口径 {raw['scope']}（data/scopes.yaml）"),
            (source is None, f"未知来源 {raw['source']}"),
            (not is_valid_period(raw["period"]), f"期间无法识别 {raw['period']}"),
        ]
        found = [message for failed, message in checks if failed]
        if found:
            problems += [f"第{line}行：{m}" for m in found]
            continue
        try:
            value = convert(raw["value"], raw["unit"], indicator.unit)
        except ValueError as err:
            problems.append(f"第{line}行：{err}")
            continue
        rows.append({
            "indicator_id": indicator.id, "region_id": regions[raw["region"]], "scope": raw["scope"],
            "year": int(raw["year"]), "period": raw["period"], "kind": raw["kind"] or ACTUAL,
            "value": value, "qualifier": raw["qualifier"], "value_text": raw["value"],
            "unit_text": raw["unit"], "source_id": source.id, "source_label": source.title,
            "sentence": raw["sentence"], "note": raw["note"] or None, "sheet": None, "cell": None,
        })
    if problems:
        raise CuratedDataError("\n".join(problems))
    return pd.DataFrame(rows)
