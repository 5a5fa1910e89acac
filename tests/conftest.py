"""Fixtures that build small databases in a temp dir (datasette style)."""
from __future__ import annotations

import gc
from collections.abc import Callable

import duckdb
import pandas as pd
import pytest

from indicators.catalog import Catalog, Category, DerivedIndicator, Indicator
from store.batches import BatchInfo, commit_batch
from store.connection import connect, migrate
from store.reference import write_reference

SMALL_CATALOG = Catalog(
    categories=(Category("disputes", "社会矛盾纠纷依法有效化解"), Category("oversight", "行政权力制约和监督")),
    indicators=(
        Indicator("mediation_resolved", "人民调解成功调处矛盾纠纷数", "件", "流量", "higher_better",
                  "disputes", "调解成功的纠纷件数。", "测试", aliases=("人民调解案件数",)),
        Indicator("head_appearance_rate", "行政机关负责人出庭应诉率", "%", "比率", "higher_better",
                  "oversight", "负责人出庭应诉案件占比。", "测试"),
        Indicator("admin_litigation_cases", "行政应诉案件数", "件", "流量", "neutral", "oversight", "应诉案件数。", "测试"),
        Indicator("admin_litigation_lost", "行政诉讼败诉案件数", "件", "流量", "lower_better", "oversight", "败诉案件数。", "测试"),
        Indicator("lenient_penalty_amount", "免罚轻罚涉及金额", "元", "流量", "neutral", "oversight", "涉及金额。", "测试"),
    ),
    derived=(
        DerivedIndicator("admin_litigation_loss_rate", "行政诉讼败诉率", "%", "比率", "lower_better", "oversight",
                         "败诉案件占应诉案件比例。", "admin_litigation_lost", "admin_litigation_cases"),
    ),
)

@pytest.fixture(scope="session", autouse=True)
def close_cached_connections():
    """AppTest runs leave the dashboard's cached DuckDB connections (and their cursors)
    alive; closed here, before the interpreter exits, the extension has nothing to
    report as leaked after pytest's summary line."""
    yield
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    gc.unfreeze()  # app.py's runs froze what was alive then (views/heap.py)
    gc.collect()


@pytest.fixture(autouse=True)
def isolated_secrets(tmp_path, monkeypatch):
    """No test reads or writes the developer's .streamlit/secrets.toml, and failed
    logins wait only milliseconds."""
    monkeypatch.setenv("FAZHI_SECRETS", str(tmp_path / "secrets.toml"))
    monkeypatch.setenv("FAZHI_LOGIN_DELAY_BASE", "0.01")
    for role in ("EDITOR", "VIEWER"):
        monkeypatch.delenv(f"FAZHI_{role}_PASSWORD_HASH", raising=False)
    for name in ("SNAPSHOT_DIR", "SNAPSHOTS_KEPT", "REPLICA", "EDITOR_URL", "BACKUP_DIR", "BACKUP_TIME", "BACKUPS_KEPT",
                 "TRUSTED_PROXIES"):
        monkeypatch.delenv(f"FAZHI_{name}", raising=False)  # paths/operations.py: a developer's setting stays out


REGION_IDS = {"苏州市": "320500", "姑苏区": "320508", "吴中区": "320506", "相城区": "320507"}


def obs(indicator: str, region: str, year: int, value: float, period: str = "全年", kind: str = "实际",
        qualifier: str = "", scope: str = "", sentence: str | None = None, note: str | None = None,
        breakdown: str = "") -> dict:
    """One observation row as the store takes it (breakdown '' for a total)."""
    return {"indicator_id": indicator, "region_id": REGION_IDS[region], "scope": scope, "year": year,
            "period": period, "kind": kind, "breakdown": breakdown, "value": value, "qualifier": qualifier,
            "value_text": str(value), "unit_text": None, "source_id": None, "source_label": "测试",
            "sentence": sentence, "note": note, "sheet": None, "cell": None}


SMALL_ROWS = [
    obs("head_appearance_rate", "姑苏区", 2020, 90, qualifier="近"),
    obs("head_appearance_rate", "姑苏区", 2019, 75, qualifier="推算", note="90-15"),
    obs("mediation_resolved", "苏州市", 2023, 204900),
    obs("mediation_resolved", "苏州市", 2022, 144300, qualifier="推算"),
    obs("mediation_resolved", "姑苏区", 2024, 20742, period="1-10月"),
    obs("mediation_resolved", "姑苏区", 2023, 25000),
    obs("mediation_resolved", "吴中区", 2024, 18000, period="1-10月"),
    obs("mediation_resolved", "相城区", 2024, 15000, period="1-10月", qualifier="余"),
    obs("mediation_resolved", "相城区", 2023, 12000, period="1-10月"),
    obs("mediation_resolved", "吴中区", 2024, 30000, kind="目标"),
    obs("admin_litigation_cases", "姑苏区", 2020, 50),
    obs("admin_litigation_lost", "姑苏区", 2020, 9),
    obs("admin_litigation_cases", "姑苏区", 2020, 23, scope="区政府本级"),
    obs("admin_litigation_lost", "姑苏区", 2020, 0, scope="区政府本级"),
]


@pytest.fixture
def make_db(tmp_path) -> Callable[[list[dict]], duckdb.DuckDBPyConnection]:
    def build(rows: list[dict], name: str = "t.duckdb") -> duckdb.DuckDBPyConnection:
        con = connect(tmp_path / name)
        migrate(con)
        write_reference(con, SMALL_CATALOG)
        if rows:
            commit_batch(con, pd.DataFrame(rows), BatchInfo(batch_type="curated", user="test"))
        return con

    return build


@pytest.fixture
def small_db(make_db) -> duckdb.DuckDBPyConnection:
    return make_db(SMALL_ROWS)


@pytest.fixture
def small_db_path(make_db, tmp_path, monkeypatch):
    """A small database file the app opens through FAZHI_DB (for AppTest)."""
    make_db(SMALL_ROWS, name="app.duckdb").close()
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("FAZHI_DB", str(path))
    return path


@pytest.fixture
def catalog_db(tmp_path) -> duckdb.DuckDBPyConnection:
    """An empty database with the whole indicator catalog (the statistical forms' indicators)."""
    con = connect(tmp_path / "catalog.duckdb")
    migrate(con)
    write_reference(con)
    return con


@pytest.fixture(scope="session")
def curated_path(tmp_path_factory):
    """The curated data (data/) built once into a database file, read only by its users."""
    from store.build import build_database

    path = tmp_path_factory.mktemp("curated") / "fazhi.duckdb"
    build_database(path)
    return path
