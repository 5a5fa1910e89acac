"""Operations settings: environment variable first, then [operations] in the secrets file."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from paths.operations import SettingsError, operations, snapshot_dir_for


def _secrets(tmp_path: Path, text: str) -> None:
    (tmp_path / "secrets.toml").write_text(text, encoding="utf-8")


def test_defaults_publish_beside_the_database_and_schedule_no_backup():
    settings = operations()
    assert (settings.replica, settings.snapshots_kept, settings.backup, settings.editor_url) == (False, 3, None, "")
    assert snapshot_dir_for(Path("/srv/x/fazhi.duckdb")) == Path("/srv/x/snapshots/fazhi")


def test_secrets_file_section_is_read(tmp_path):
    _secrets(tmp_path, '[operations]\nreplica = true\nbackup_dir = "/b"\nbackup_time = "03:15"\n'
                       'backups_kept = 7\nsnapshot_dir = "/shared/snaps"\neditor_url = "http://editor:8501"\n')
    settings = operations()
    assert settings.replica and settings.editor_url == "http://editor:8501"
    assert settings.backup.directory == Path("/b") and settings.backup.time_of_day == dt.time(3, 15)
    assert settings.backup.kept == 7
    assert snapshot_dir_for(Path("/srv/x/fazhi.duckdb")) == Path("/shared/snaps")


def test_environment_wins_over_the_secrets_file(tmp_path, monkeypatch):
    _secrets(tmp_path, '[operations]\nbackup_dir = "/b"\nbackup_time = "03:15"\n')
    monkeypatch.setenv("FAZHI_BACKUP_TIME", "23:05")
    monkeypatch.setenv("FAZHI_REPLICA", "1")
    settings = operations()
    assert settings.backup.time_of_day == dt.time(23, 5) and settings.replica


@pytest.mark.parametrize(("env", "value", "message"), [
    ("FAZHI_BACKUP_TIME", "2点半", "时:分"),
    ("FAZHI_BACKUPS_KEPT", "0", "正整数"),
    ("FAZHI_SNAPSHOTS_KEPT", "three", "正整数"),
])
def test_a_bad_setting_is_named_in_chinese(monkeypatch, env, value, message):
    monkeypatch.setenv("FAZHI_BACKUP_DIR", "/b")
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError, match=message):
        operations()
