"""Settings of a running installation: where snapshots are published, whether this
process is a read-only replica, and the scheduled backup.

Each comes from an environment variable, else from the `[operations]` section of the
secrets file (.streamlit/secrets.toml or FAZHI_SECRETS), else its default:

    [operations]
    snapshot_dir = "/srv/fazhi/snapshots"   # FAZHI_SNAPSHOT_DIR
    snapshots_kept = 3                      # FAZHI_SNAPSHOTS_KEPT
    replica = false                         # FAZHI_REPLICA=1
    editor_url = "http://10.0.0.5:8501"     # FAZHI_EDITOR_URL, shown on replicas
    backup_dir = "/srv/fazhi/backups"       # FAZHI_BACKUP_DIR; unset: no scheduled backup
    backup_time = "02:30"                   # FAZHI_BACKUP_TIME, local time of day
    backups_kept = 14                       # FAZHI_BACKUPS_KEPT
    trusted_proxies = ["127.0.0.1", "::1"]  # FAZHI_TRUSTED_PROXIES="127.0.0.1,::1"; networks too
"""
from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from paths import secrets_path

SNAPSHOT_DIR_ENV = "FAZHI_SNAPSHOT_DIR"
SNAPSHOTS_KEPT_ENV = "FAZHI_SNAPSHOTS_KEPT"
REPLICA_ENV = "FAZHI_REPLICA"
EDITOR_URL_ENV = "FAZHI_EDITOR_URL"
BACKUP_DIR_ENV = "FAZHI_BACKUP_DIR"
BACKUP_TIME_ENV = "FAZHI_BACKUP_TIME"
BACKUPS_KEPT_ENV = "FAZHI_BACKUPS_KEPT"
TRUSTED_PROXIES_ENV = "FAZHI_TRUSTED_PROXIES"

_SETTING_ENVS = (SNAPSHOT_DIR_ENV, SNAPSHOTS_KEPT_ENV, REPLICA_ENV, EDITOR_URL_ENV, BACKUP_DIR_ENV, BACKUP_TIME_ENV,
                 BACKUPS_KEPT_ENV, TRUSTED_PROXIES_ENV)

DEFAULT_SNAPSHOTS_KEPT = 3  # a replica mid-run keeps reading the one before the newest
DEFAULT_BACKUP_TIME = "02:30"
DEFAULT_BACKUPS_KEPT = 14


class SettingsError(ValueError):
    """A setting that cannot be read; the message is for the administrator, in Chinese."""


@dataclass(frozen=True)
class BackupSchedule:
    directory: Path
    time_of_day: dt.time
    kept: int


@dataclass(frozen=True)
class Operations:
    snapshot_dir: Path | None  # None: beside the database (snapshot_dir_for)
    snapshots_kept: int
    replica: bool
    editor_url: str
    backup: BackupSchedule | None
    # Reverse proxies whose X-Forwarded-For names the client; none by default, as the
    # header of anyone else can be forged.
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()


def _section(path: Path) -> dict:
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return tomllib.load(f).get("operations", {})


def _setting(env: str, key: str, section: dict) -> str | None:
    value = os.environ.get(env)
    if value not in (None, ""):
        return value
    value = section.get(key)
    return None if value is None else str(value)


def _count(text: str | None, default: int, name: str) -> int:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise SettingsError(f"设置 {name} 应为正整数，现为“{text}”")
    return value


def _time_of_day(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except ValueError as err:
        raise SettingsError(f"设置 {BACKUP_TIME_ENV} 应为“时:分”（如 02:30），现为“{text}”") from err


def _networks(text: str | None) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Addresses or networks, separated by commas or spaces (a TOML list arrives as its text)."""
    words = re.findall(r"[^\s,'\"\[\]]+", text or "")
    try:
        return tuple(ipaddress.ip_network(word, strict=False) for word in words)
    except ValueError as err:
        raise SettingsError(f"设置 {TRUSTED_PROXIES_ENV} 应为 IP 地址或网段（如 127.0.0.1、10.0.0.0/8），"
                            f"以逗号分隔，现为“{text}”") from err


def operations() -> Operations:
    """The settings as they are now. Every query of a page asks (is_replica, db_path), and
    reading them took ~60 µs each time: they are read again only when the secrets file or
    one of the settings' environment variables has changed."""
    path = secrets_path()
    try:
        stat = path.stat()
        version = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        version = None
    return _operations(path, version, tuple(os.environ.get(env) for env in _SETTING_ENVS))


@functools.lru_cache(maxsize=4)
def _operations(path: Path, _version: object, _environment: tuple[str | None, ...]) -> Operations:
    """The settings read from the environment and `path`; the arguments after `path` are
    the cache's key only."""
    section = _section(path)
    snapshot_dir = _setting(SNAPSHOT_DIR_ENV, "snapshot_dir", section)
    backup_dir = _setting(BACKUP_DIR_ENV, "backup_dir", section)
    backup = None
    if backup_dir:
        backup = BackupSchedule(
            Path(backup_dir),
            _time_of_day(_setting(BACKUP_TIME_ENV, "backup_time", section) or DEFAULT_BACKUP_TIME),
            _count(_setting(BACKUPS_KEPT_ENV, "backups_kept", section), DEFAULT_BACKUPS_KEPT, BACKUPS_KEPT_ENV))
    replica = (_setting(REPLICA_ENV, "replica", section) or "").lower() in {"1", "true", "yes"}
    return Operations(
        snapshot_dir=Path(snapshot_dir) if snapshot_dir else None,
        snapshots_kept=_count(_setting(SNAPSHOTS_KEPT_ENV, "snapshots_kept", section), DEFAULT_SNAPSHOTS_KEPT,
                              SNAPSHOTS_KEPT_ENV),
        replica=replica,
        editor_url=_setting(EDITOR_URL_ENV, "editor_url", section) or "",
        backup=backup,
        trusted_proxies=_networks(_setting(TRUSTED_PROXIES_ENV, "trusted_proxies", section)),
    )


def snapshot_dir_for(db: Path) -> Path:
    """FAZHI_SNAPSHOT_DIR (a directory the primary and replicas share), else
    snapshots/<database name>/ beside the database file."""
    configured = operations().snapshot_dir
    return configured if configured else db.parent / "snapshots" / db.stem
