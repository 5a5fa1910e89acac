"""Where the project's files are and which environment variables move them.

Imports nothing of the project, so that every layer may use it.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REGIONS_PATH = DATA_DIR / "regions.yaml"
SCOPES_PATH = DATA_DIR / "scopes.yaml"
SOURCES_DIR = DATA_DIR / "sources"
SOURCES_PATH = SOURCES_DIR / "sources.yaml"
OBSERVATIONS_PATH = DATA_DIR / "observations.csv"
GEO_DIR = DATA_DIR / "geo"
DEFAULT_DB_PATH = DATA_DIR / "fazhi.duckdb"
INDICATORS_DIR = ROOT / "indicators"
CATALOG_PATH = INDICATORS_DIR / "catalog.yaml"
DERIVED_PATH = INDICATORS_DIR / "derived.yaml"
FORMS_DIR = INDICATORS_DIR / "forms"  # one profile per official statistical form (表号)
COLLECTIONS_DIR = INDICATORS_DIR / "collections"

# The environment variables the product reads, each in one place.
DB_ENV = "FAZHI_DB"
SECRETS_ENV = "FAZHI_SECRETS"


def db_path(cli_value: str | None = None) -> Path:
    """--db, else FAZHI_DB, else data/fazhi.duckdb (../shared/interchange.md)."""
    return Path(cli_value or os.environ.get(DB_ENV) or DEFAULT_DB_PATH)


def secrets_path() -> Path:
    """FAZHI_SECRETS, else .streamlit/secrets.toml (kept out of git)."""
    return Path(os.environ.get(SECRETS_ENV) or ROOT / ".streamlit" / "secrets.toml")
