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


@pytest.mark.parametrize(("source", "value", "trusted"), [
    ("env", "", ()),
    ("env", "127.0.0.1", ("127.0.0.1/32",)),
    ("env", "127.0.0.1, ::1 10.0.0.0/8", ("127.0.0.1/32", "::1/128", "10.0.0.0/8")),
    ("file", 'trusted_proxies = ["127.0.0.1", "10.1.0.0/16"]', ("127.0.0.1/32", "10.1.0.0/16")),
    ("file", 'trusted_proxies = "::1"', ("::1/128",)),
])
def test_trusted_proxies_are_read_as_networks(tmp_path, monkeypatch, source, value, trusted):
    if source == "env":
        monkeypatch.setenv("FAZHI_TRUSTED_PROXIES", value)
    else:
        _secrets(tmp_path, f"[operations]\n{value}\n")
    assert tuple(str(n) for n in operations().trusted_proxies) == trusted


def test_environment_wins_over_the_secrets_file(tmp_path, monkeypatch):
    _secrets(tmp_path, '[operations]\nbackup_dir = "/b"\nbackup_time = "03:15"\n')
    monkeypatch.setenv("FAZHI_BACKUP_TIME", "23:05")
    monkeypatch.setenv("FAZHI_REPLICA", "1")
    settings = operations()
    assert settings.backup.time_of_day == dt.time(23, 5) and settings.replica


def test_a_changed_setting_is_seen_at_once(tmp_path, monkeypatch):
    """The settings are kept between calls (every query asks): a change of the secrets
    file, its removal, or a changed environment variable is read on the next call."""
    assert not operations().replica
    _secrets(tmp_path, "[operations]\nreplica = true\n")
    assert operations().replica
    _secrets(tmp_path, "[operations]\nreplica = false\n")  # a byte longer, within the same second
    assert not operations().replica
    _secrets(tmp_path, "[operations]\nreplica = 1\n")
    assert operations().replica
    (tmp_path / "secrets.toml").unlink()
    assert not operations().replica
    monkeypatch.setenv("FAZHI_REPLICA", "1")
    assert operations().replica


@pytest.mark.parametrize(("env", "value", "message"), [
    ("FAZHI_BACKUP_TIME", "2点半", "时:分"),
    ("FAZHI_BACKUPS_KEPT", "0", "正整数"),
    ("FAZHI_SNAPSHOTS_KEPT", "three", "正整数"),
    ("FAZHI_TRUSTED_PROXIES", "nginx-host", "IP 地址或网段"),
])
def test_a_bad_setting_is_named_in_chinese(monkeypatch, env, value, message):
    monkeypatch.setenv("FAZHI_BACKUP_DIR", "/b")
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError, match=message):
        operations()


def test_every_setting_variable_is_part_of_the_kept_settings_key():
    """operations() reads its settings again only when one of _SETTING_ENVS changes: a
    variable added to the module and left out of that list would be read once, then never."""
    import paths.operations as settings

    declared = {value for name, value in vars(settings).items() if name.endswith("_ENV") and isinstance(value, str)}
    assert declared == set(settings._SETTING_ENVS)
