"""The primary publishes snapshots (at start, after a write); a replica shows the newest
snapshot read-only, takes up a newer one on its next run, and offers no 数据更新."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cli import main as cli_main
from paths import ROOT
from paths.operations import snapshot_dir_for
from store.batches import BatchInfo, commit_batch
from store.snapshots import newest_snapshot, publish_snapshot, snapshots
from tests.conftest import SMALL_ROWS, obs
from views import connection as views_db

EDITOR_URL = "http://editor.example:8501"


def _overview(region: str = "320508", year: str = "2020") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["region"], at.query_params["year"] = region, year
    return at


def _appearance_rate(at: AppTest) -> str:
    return {m.proto.label: m.value for m in at.metric}["行政机关负责人出庭应诉率"]


def test_the_primary_publishes_at_start_and_after_a_write(small_db_path, make_db):
    at = _overview()
    at.run()
    assert not at.exception
    publisher = views_db.connection().publisher
    publisher.wait()
    first = newest_snapshot(snapshot_dir_for(small_db_path))
    assert first is not None and first.batch == 1
    commit_batch(views_db.cursor(), pd.DataFrame([obs("head_appearance_rate", "姑苏区", 2020, 95)]),
                 BatchInfo(batch_type="import", user="test"))
    views_db.clear_after_write()
    publisher.wait()
    assert newest_snapshot(snapshot_dir_for(small_db_path)).batch == 2


def test_the_dashboard_does_not_publish_again_what_make_run_just_published(small_db_path):
    """`make run` publishes (fazhi snapshot) just before the dashboard starts: a second
    copy at start would cost seconds at national scale and hold nothing new."""
    assert cli_main(["snapshot", "--db", str(small_db_path)]) == 0
    published = snapshots(snapshot_dir_for(small_db_path))
    at = _overview()
    at.run()
    assert not at.exception
    views_db.connection().publisher.wait()
    assert snapshots(snapshot_dir_for(small_db_path)) == published and len(published) == 1


def test_a_replica_shows_the_newest_snapshot_and_takes_up_a_newer_one(make_db, tmp_path, monkeypatch):
    primary = make_db(SMALL_ROWS, name="primary.duckdb")
    directory = snapshot_dir_for(tmp_path / "primary.duckdb")
    publish_snapshot(primary, directory, kept=3)
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "primary.duckdb"))
    monkeypatch.setenv("FAZHI_REPLICA", "1")
    monkeypatch.setenv("FAZHI_EDITOR_URL", EDITOR_URL)
    at = _overview()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _appearance_rate(at) == "近90%"
    notes = " ".join(c.value for c in at.sidebar.caption)
    assert "只读副本" in notes and "至批次 1" in notes and EDITOR_URL in notes

    commit_batch(primary, pd.DataFrame([obs("head_appearance_rate", "姑苏区", 2020, 95)]),
                 BatchInfo(batch_type="import", user="test"))
    assert _appearance_rate(at) == "近90%"  # published nowhere yet: the replica cannot know
    publish_snapshot(primary, directory, kept=3)
    at.run()
    assert not at.exception
    assert _appearance_rate(at) == "95%"
    assert "至批次 2" in " ".join(c.value for c in at.sidebar.caption)


def test_a_replica_offers_no_upload_page(make_db, tmp_path, monkeypatch):
    primary = make_db(SMALL_ROWS, name="primary.duckdb")
    publish_snapshot(primary, snapshot_dir_for(tmp_path / "primary.duckdb"), kept=3)
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "primary.duckdb"))
    monkeypatch.setenv("FAZHI_REPLICA", "1")
    at = _overview()
    at.run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/upload.py")
    at.switch_page("views/data_sources.py").run()  # the other 数据 pages remain
    assert not at.exception
    # a link to /upload says where data is updated, in Chinese, not Streamlit's "Page not found"
    at.switch_page("views/read_only_upload.py").run()
    assert not at.exception and not at.file_uploader
    assert "这是只读副本，不能在这里上传填报表" in at.info[0].value
    # 数据征集 shows the round's progress, and sends the generating of workbooks to the editor
    at.switch_page("views/collection.py").run()
    assert not at.exception and "collect_generate" not in [b.key for b in at.button]
    assert any("不能在这里生成征集表" in i.value for i in at.info)


def test_a_replica_before_any_snapshot_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setenv("FAZHI_REPLICA", "1")
    at = _overview()
    at.run()
    assert not at.exception
    assert any("尚未发布数据快照" in w.value for w in at.warning)
    assert not (tmp_path / "none.duckdb").exists()  # a replica never builds or writes the database


@pytest.mark.parametrize("kept", [0.5, 0.9])
def test_a_damaged_database_is_said_in_chinese_not_as_a_traceback(make_db, tmp_path, monkeypatch, kept):
    """A file cut short (a full disk, a half-copied backup) names itself and the way back."""
    make_db(SMALL_ROWS, name="whole.duckdb").close()
    whole = (tmp_path / "whole.duckdb").read_bytes()
    (tmp_path / "cut.duckdb").write_bytes(whole[:int(len(whole) * kept)])
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "cut.duckdb"))
    at = _overview()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "无法读取（可能已损坏）" in at.error[0].value and "fazhi restore" in at.error[0].value
    assert at.code[0].value == str(tmp_path / "cut.duckdb")
