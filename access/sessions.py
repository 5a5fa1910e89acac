"""Two things a login needs besides the password: a slow-down for failed attempts that an
attacker cannot turn against the real editor, and a signed, expiring token the browser
keeps so that an editor's login survives a refresh (F5) or a link opened in a new tab.

Failures are counted per client (its address) and per account (role). A client's own
failures double its wait (capped); the account's failures from everywhere add only a
small, capped wait, so someone guessing from another address slows the real editor by
at most ACCOUNT_CAP_SECONDS. Attempts from one client wait in line, one at a time, so
opening many sessions in parallel does not multiply the guesses.

The token is "role.expiry.nonce.signature" (HMAC-SHA256 with a key made at server start);
it never contains the password, and a restart of the server ends every token.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Sequence

from access.passwords import login_delay

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FORGET_AFTER_SECONDS = 15 * 60
CLIENT_CAP_SECONDS = 8.0
ACCOUNT_CAP_SECONDS = 1.0


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # not an address at all: nobody we trust wrote it
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str, trusted: Sequence[Network]) -> str | None:
    """The client a login attempt is counted against. Behind a trusted reverse proxy the
    peer is the proxy, shared by everyone: the client is then the right-most address in
    X-Forwarded-For that no trusted proxy wrote (each proxy appends its peer; anything
    left of that came from the client and can be forged). From any other peer the header
    is ignored."""
    if peer is None or not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer  # a chain of trusted proxies only: the first of them


class LoginThrottle:
    """Recent failures per client and per account, and one queue per client."""

    def __init__(self, base_seconds: float = 0.5, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time) -> None:
        self.base_seconds = base_seconds
        self._sleep, self._clock = sleep, clock
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._queues: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> int:
        times = self._failures[key]
        while times and times[0] < self._clock() - FORGET_AFTER_SECONDS:
            times.popleft()
        return len(times)

    def delay(self, client: str, account: str) -> float:
        with self._lock:
            own = self._recent(("client", f"{account}:{client}"))
            everyone = self._recent(("account", account))
        return (login_delay(own, self.base_seconds)
                + login_delay(everyone, self.base_seconds / 8, ACCOUNT_CAP_SECONDS))

    def attempt(self, client: str, account: str, check: Callable[[], bool]) -> bool:
        """Wait this client's turn and its delay, then check the password; count a failure."""
        with self._lock:
            queue = self._queues[client]
        with queue:
            self._sleep(self.delay(client, account))
            ok = check()
            with self._lock:
                if ok:
                    self._failures.pop(("client", f"{account}:{client}"), None)
                else:
                    now = self._clock()
                    self._failures[("client", f"{account}:{client}")].append(now)
                    self._failures[("account", account)].append(now)
            return ok


class SessionTokens:
    """Signed, expiring login tokens; a token given up at logout is refused from then on."""

    def __init__(self, key: bytes | None = None, clock: Callable[[], float] = time.time) -> None:
        self._key = key or secrets.token_bytes(32)
        self._clock = clock
        self._revoked: set[str] = set()

    def _sign(self, body: str) -> str:
        return hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()

    def issue(self, role: str, lifetime_seconds: float) -> str:
        body = f"{role}.{int(self._clock() + lifetime_seconds)}.{secrets.token_urlsafe(16)}"
        return f"{body}.{self._sign(body)}"

    def role(self, token: str | None) -> str | None:
        """The role a token was issued for, while it is genuine, unexpired and not revoked."""
        if not token or token.count(".") != 3:
            return None
        body, signature = token.rsplit(".", 1)
        if not hmac.compare_digest(signature, self._sign(body)) or token in self._revoked:
            return None
        role, expiry, _ = body.split(".")
        return role if expiry.isdigit() and int(expiry) > self._clock() else None

    def seconds_left(self, token: str) -> float:
        return int(token.split(".")[1]) - self._clock() if self.role(token) else 0.0

    def revoke(self, token: str | None) -> None:
        if token:
            self._revoked.add(token)
