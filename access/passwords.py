"""Passwords for the two roles: anyone may view (unless a viewer password is set), only
an editor may upload, undo or change the catalog.

Only argon2 hashes are kept: in the environment (FAZHI_EDITOR_PASSWORD_HASH,
FAZHI_VIEWER_PASSWORD_HASH) or in .streamlit/secrets.toml under [auth]. `fazhi
set-password` writes them; without any editor hash, the first start of the dashboard
generates a password, prints it once on the server's console and keeps only its hash.
"""
from __future__ import annotations

import os
import re
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


def _with_key(text: str, table: str, key: str, value: str) -> str:
    """The TOML text with `key = "value"` set in `[table]`: that one line replaced or added,
    everything else (comments, lists such as trusted_proxies, other tables) left as written."""
    line = f'{key} = "{value}"'  # an argon2 hash: no quote or backslash in it
    lines = text.splitlines()
    header = next((k for k, raw in enumerate(lines) if raw.strip() == f"[{table}]"), None)
    if header is None:
        return "\n".join([*lines, *([""] if lines else []), f"[{table}]", line]) + "\n"
    end = next((k for k in range(header + 1, len(lines)) if lines[k].lstrip().startswith("[")), len(lines))
    for k in range(header + 1, end):
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[k]):
            lines[k] = line
            break
    else:
        lines.insert(header + 1, line)
    return "\n".join(lines) + "\n"


def _write_secrets(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(0o600)
    os.replace(tmp, path)


def set_password(role: str, password: str) -> Path:
    """Keep the hash of a new password for the role in secrets.toml."""
    if role not in ROLES:
        raise ValueError(f"未知角色 {role}")
    if len(password) < 8:
        raise ValueError("密码至少 8 个字符")
    path = secrets_path()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    _write_secrets(path, _with_key(text, "auth", f"{role}_password_hash", hash_password(password)))
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
