"""Passwords for the two roles: anyone may view (unless a viewer password is set), only
an editor may upload, undo or change the catalog.

Only argon2 hashes are kept: in the environment (FAZHI_EDITOR_PASSWORD_HASH,
FAZHI_VIEWER_PASSWORD_HASH) or in .streamlit/secrets.toml under [auth]. `fazhi
set-password` writes them; without any editor hash, the first start of the dashboard
generates a password, prints it once on the server's console and keeps only its hash.
"""
from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from paths import secrets_path

ROLES = ("editor", "viewer")
_hasher = PasswordHasher()


def _env_name(role: str) -> str:
    return f"FAZHI_{role.upper()}_PASSWORD_HASH"


def _read_secrets(path: Path) -> dict:
    if not path.exists():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def stored_hash(role: str) -> str | None:
    """The role's hash: the environment first, then secrets.toml."""
    return os.environ.get(_env_name(role)) or _read_secrets(secrets_path()).get("auth", {}).get(
        f"{role}_password_hash")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(role: str, password: str) -> bool:
    digest = stored_hash(role)
    if not digest or not password:
        return False
    try:
        return _hasher.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _write_secrets(path: Path, data: dict) -> None:
    """Write a flat two-level TOML (tables of scalars), the only shape secrets.toml has here."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for table, values in data.items():
        if isinstance(values, dict):
            lines += ["", f"[{table}]", *(f"{k} = {_toml_value(v)}" for k, v in values.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines).lstrip() + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    os.replace(tmp, path)


def set_password(role: str, password: str) -> Path:
    """Keep the hash of a new password for the role in secrets.toml."""
    if role not in ROLES:
        raise ValueError(f"未知角色 {role}")
    if len(password) < 8:
        raise ValueError("密码至少 8 个字符")
    path = secrets_path()
    data = _read_secrets(path)
    data.setdefault("auth", {})[f"{role}_password_hash"] = hash_password(password)
    _write_secrets(path, data)
    return path


def ensure_editor_password() -> str | None:
    """On a first start without any editor password, generate one; return it so the caller
    prints it once. Only its hash is kept."""
    if stored_hash("editor"):
        return None
    password = secrets.token_urlsafe(12)
    set_password("editor", password)
    return password


def login_delay(failures: int, base_seconds: float = 0.5, cap_seconds: float = 8.0) -> float:
    """Seconds to wait before answering a login after `failures` recent failures: doubling,
    so guessing is slow, but capped, so a real editor who mistyped is not locked out."""
    if failures <= 0:
        return 0.0
    return min(cap_seconds, base_seconds * 2 ** (failures - 1))
