"""The nginx deployment example (deploy/nginx-fazhi.conf): Debian's nginx accepts it, and
run on loopback it keeps each browser on one replica while spreading new ones."""
from __future__ import annotations

import http.server
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from paths import ROOT
from tests.browser.conftest import require

NGINX = Path("/usr/sbin/nginx")
EXAMPLE = ROOT / "deploy" / "nginx-fazhi.conf"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrapper(tmp: Path, site: str) -> Path:
    """A whole nginx.conf around the example, with every file nginx writes under tmp."""
    (tmp / "site.conf").write_text(site, encoding="utf-8")
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
""", encoding="utf-8")
    return conf


def _nginx_test(conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(NGINX), "-t", "-p", str(conf.parent), "-c", str(conf)],
                          capture_output=True, text=True, timeout=30)


def test_nginx_accepts_the_example(tmp_path):
    require(NGINX.exists(), "Debian nginx-light is not installed (make test installs it)")
    done = _nginx_test(_wrapper(tmp_path, EXAMPLE.read_text(encoding="utf-8")))
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


class _Named(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        body = self.server.name.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def replicas() -> Iterator[dict[int, str]]:
    servers = {}
    for name in ("replica-a", "replica-b"):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Named)
        server.name = name
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers[server.server_address[1]] = server
    yield {port: s.name for port, s in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


def _loopback_site(ports: list[int], listen: int, editor_listen: int) -> str:
    """The example with its ports moved to free loopback ones."""
    site = EXAMPLE.read_text(encoding="utf-8")
    site = site.replace("127.0.0.1:8502", f"127.0.0.1:{ports[0]}").replace("127.0.0.1:8503", f"127.0.0.1:{ports[1]}")
    return site.replace("listen 80;", f"listen 127.0.0.1:{listen};").replace(
        "listen 8080;", f"listen 127.0.0.1:{editor_listen};")


def _get(url: str, cookie: str | None) -> tuple[str, str | None]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=5) as response:
        set_cookie = response.headers.get("Set-Cookie")
        return response.read().decode(), set_cookie.split(";")[0] if set_cookie else None


def test_every_proxied_location_forwards_the_client_address():
    """The login throttle counts per client behind a trusted proxy (FAZHI_TRUSTED_PROXIES)
    only when the proxy appends the client to X-Forwarded-For."""
    locations = EXAMPLE.read_text(encoding="utf-8").split("location ")[1:]
    assert len(locations) == 2
    for location in locations:
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in location


def test_each_browser_stays_on_one_replica_and_browsers_spread(tmp_path, replicas):
    require(NGINX.exists(), "Debian nginx-light is not installed (make test installs it)")
    listen = _free_port()
    conf = _wrapper(tmp_path, _loopback_site(list(replicas), listen, _free_port()))
    assert _nginx_test(conf).returncode == 0
    nginx = subprocess.Popen([str(NGINX), "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
                             stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{listen}/"
        for _ in range(50):
            try:
                _get(url, None)
                break
            except OSError:
                time.sleep(0.1)
        seen = set()
        for _ in range(12):  # twelve browsers, each making five requests with its cookie
            first, cookie = _get(url, None)
            assert cookie and cookie.startswith("fazhi_node=")
            assert {_get(url, cookie)[0] for _ in range(5)} == {first}
            seen.add(first)
        assert seen == set(replicas.values())
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
