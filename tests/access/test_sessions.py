"""The login slow-down per client and per account, the queue of parallel attempts, and the
signed, expiring editor token kept in the browser."""
from __future__ import annotations

import ipaddress
import threading
import time

import pytest

from access.sessions import ACCOUNT_CAP_SECONDS, LoginThrottle, SessionTokens, client_address


def fail() -> bool:
    return False


def test_an_attacker_slows_himself_not_the_real_editor():
    throttle = LoginThrottle(base_seconds=0.5, sleep=lambda s: None)
    for _ in range(20):
        throttle.attempt("10.0.0.66", "editor", fail)
    assert throttle.delay("10.0.0.66", "editor") == pytest.approx(8.0 + ACCOUNT_CAP_SECONDS)
    # the editor at another computer waits at most the account's small, capped delay
    assert throttle.delay("10.0.0.7", "editor") <= ACCOUNT_CAP_SECONDS
    assert throttle.attempt("10.0.0.7", "editor", lambda: True)
    # the editor's success does not clear the attacker's count
    assert throttle.delay("10.0.0.66", "editor") >= 8.0


def test_failures_are_forgotten_after_a_while():
    now = [1000.0]
    throttle = LoginThrottle(base_seconds=0.5, sleep=lambda s: None, clock=lambda: now[0])
    throttle.attempt("a", "editor", fail)
    assert throttle.delay("a", "editor") > 0
    now[0] += 16 * 60
    assert throttle.delay("a", "editor") == 0


def test_parallel_attempts_from_one_client_wait_in_line():
    throttle = LoginThrottle(base_seconds=0.05)
    running, overlaps = [0], [0]
    lock = threading.Lock()

    def slow_check() -> bool:
        with lock:
            running[0] += 1
            overlaps[0] = max(overlaps[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return False

    threads = [threading.Thread(target=throttle.attempt, args=("same", "editor", slow_check)) for _ in range(4)]
    started = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps[0] == 1  # one at a time
    # each waited its turn and the delay of the failures before it: 0 + 0.05 + 0.1 + 0.2 (+ account's)
    assert time.time() - started >= 0.35


@pytest.mark.parametrize(("change", "valid"), [
    (lambda t: t, True),
    (lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"), False),  # signature altered
    (lambda t: "viewer" + t[len("editor"):], False),               # role altered
    (lambda t: "", False),
    (lambda t: "editor.9999999999.x.y", False),                    # forged
])
def test_token_is_signed(change, valid):
    tokens = SessionTokens()
    token = tokens.issue("editor", 1800)
    assert (tokens.role(change(token)) == "editor") is valid


def test_token_expires_and_can_be_revoked():
    now = [1000.0]
    tokens = SessionTokens(clock=lambda: now[0])
    token = tokens.issue("editor", 1800)
    assert tokens.role(token) == "editor" and tokens.seconds_left(token) == pytest.approx(1800)
    now[0] += 1801
    assert tokens.role(token) is None
    other = tokens.issue("editor", 1800)
    tokens.revoke(other)
    assert tokens.role(other) is None
    assert SessionTokens().role(tokens.issue("editor", 1800)) is None  # another server's key


PROXY = "10.0.0.1"


@pytest.mark.parametrize(("peer", "forwarded_for", "trusted", "key"), [
    # no proxy configured: the peer, whatever the header says (it can be forged)
    ("192.168.1.20", "", [], "192.168.1.20"),
    ("192.168.1.20", "1.2.3.4", [], "192.168.1.20"),
    # behind the trusted proxy: the address it appended, one key per client
    (PROXY, "192.168.1.20", [PROXY], "192.168.1.20"),
    (PROXY, "192.168.1.21", [PROXY], "192.168.1.21"),
    # a client's forged entries are left of the one the proxy appended
    (PROXY, "1.2.3.4, 192.168.1.20", [PROXY], "192.168.1.20"),
    (PROXY, "unknown, 192.168.1.20", [PROXY], "192.168.1.20"),
    # two trusted proxies in a row (a network names both): the client before them
    (PROXY, "192.168.1.20, 10.0.0.2", ["10.0.0.0/24"], "192.168.1.20"),
    (PROXY, "192.168.1.20,10.0.0.2", [PROXY, "10.0.0.2"], "192.168.1.20"),
    # an untrusted peer sending the header directly: ignored
    ("192.168.1.66", "192.168.1.20", [PROXY], "192.168.1.66"),
    # the trusted proxy without the header, or only proxies in it: the proxy chain's start
    (PROXY, "", [PROXY], PROXY),
    (PROXY, "10.0.0.2", ["10.0.0.0/24"], "10.0.0.2"),
    ("::1", "2001:db8::7", ["::1"], "2001:db8::7"),
    (None, "192.168.1.20", [PROXY], None),
])
def test_the_client_behind_a_trusted_proxy_is_the_right_most_untrusted_forwarded_address(peer, forwarded_for, trusted, key):
    assert client_address(peer, forwarded_for, [ipaddress.ip_network(t) for t in trusted]) == key
