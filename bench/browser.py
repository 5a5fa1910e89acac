"""What a visitor waits for in Chromium, where that time goes, and what the server costs
in memory.

Starts `streamlit run app.py` on a free port against the bench database, then drives
Debian chromium through Playwright: navigation to the trends page until its first
chart is drawn, and a change of indicator until the chart shows the new data. The
server's peak resident memory (VmHWM) is read from /proc at the end.

Each wait is split into its parts from inside the page: a wrapper around the browser's
WebSocket stamps every message Streamlit sends and receives (performance.now()), and the
moment the chart's SVG changed is stamped by the same clock. A filter change is timed on
that clock from the press on the option (the pointerdown event's own time stamp): what a
person waits for. Playwright's click first checks over a few animation frames that the
option is visible and still, 18–36 ms no person waits for (bench/RESULTS.md, eleventh
pass), which the timing began with before. It is then
  press → message sent (the browser's own handling),
  sent → first message back (the round trip and the server starting the script),
  first → last message (the script run: queries, figure build, serialisation, streamed),
  last message → chart drawn (Plotly rendering in Chromium);
a navigation adds the page load (HTML, scripts) before the socket opens. What the script
run spends on building and serialising the figure is measured apart (`figure_costs`).

Beside the page, interleaved, the same waits on its floor (bench/floor/app.py): the same
indicator chooser and trend chart alone, with the queries and figure build a new indicator
needs. Where a target is missed, the floor's number says how much of the wait any page
drawing that chart on this machine pays, and the difference is the page's own.
"""
from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
CHART = "[data-testid=stPlotlyChart]"  # as views/plotly_element.py marks its charts
TIMEOUT_MS = 120_000
# In a folder of its own: `streamlit run` puts the script's folder first on sys.path, where
# bench/queries.py would shadow the product's queries package.
FLOOR_APP = ROOT / "bench" / "floor" / "app.py"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("streamlit did not become healthy")


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmHWM in /proc status")


# Stamps every WebSocket message on the page's clock; installed before any page script.
_SOCKET_PROBE = """
(() => {
  const Native = window.WebSocket;
  window.__probe = {opened: [], sent: [], received: [], pressed: []};
  // The event's time stamp is when the press happened, on performance.now()'s clock.
  addEventListener('pointerdown', (event) => window.__probe.pressed.push(event.timeStamp), true);
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener('open', () => window.__probe.opened.push(performance.now()));
    socket.addEventListener('message', () => window.__probe.received.push(performance.now()));
    const send = socket.send.bind(socket);
    socket.send = (data) => { window.__probe.sent.push(performance.now()); return send(data); };
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""

# True once the chart shows something other than `before` and the script has finished;
# stamps that moment on the page's clock.
_DRAWN = """([chart, idle, before]) => {
    const svg = document.querySelector(chart + ' .main-svg');
    const done = document.querySelector(idle) && svg && svg.innerHTML !== before;
    if (done && window.__drawn === undefined) window.__drawn = performance.now();
    return done;
}"""


def _probe(page) -> dict:
    return page.evaluate("() => ({...window.__probe, drawn: window.__drawn})")


def _split(probe: dict, start: float, opened: bool) -> dict[str, float]:
    """The parts of one wait, in ms, from the probe's stamps after `start` (page clock)."""
    sent = next(t for t in probe["sent"] if t >= start)
    received = [t for t in probe["received"] if t >= sent and t <= probe["drawn"]]
    parts = {"page_load_ms": probe["opened"][0] - start} if opened else {"client_ms": sent - start}
    parts |= {"round_trip_ms": received[0] - sent, "script_run_ms": received[-1] - received[0],
              "render_ms": probe["drawn"] - received[-1]}
    return {name: round(ms, 1) for name, ms in parts.items()}


def _chart_signature(page) -> str:
    """The drawn SVG of the first chart: it changes when the chart shows other data."""
    return page.eval_on_selector(f"{CHART} .main-svg", "el => el.innerHTML")


def _new_page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.add_init_script(_SOCKET_PROBE)
    return page


def _first_chart(browser, page_url: str) -> tuple[float, dict[str, float]]:
    """Navigation to a page until its first chart is drawn: ms, and its parts."""
    page = _new_page(browser)
    try:
        started = time.perf_counter()
        page.goto(page_url)
        page.wait_for_function(_DRAWN, arg=[CHART, IDLE, ""], timeout=TIMEOUT_MS, polling="raf")
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, _split(_probe(page), 0.0, opened=True)
    finally:
        page.close()


def _filter(browser, page_url: str, option: int) -> tuple[float, dict[str, float]]:
    """Pick the `option`-th indicator in a page's first chooser; ms from the press until
    the chart changed, and its parts."""
    page = _new_page(browser)
    try:
        page.goto(page_url)
        page.wait_for_selector(f"{CHART} .main-svg", timeout=TIMEOUT_MS)
        page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        before = _chart_signature(page)
        page.locator("[data-testid=stSelectbox]").first.click()
        choice = page.locator("[role=option]").nth(option)
        page.evaluate("() => { window.__drawn = undefined; }")
        clicked_at = page.evaluate("() => performance.now()")
        choice.click()
        page.wait_for_function(_DRAWN, arg=[CHART, IDLE, before], timeout=TIMEOUT_MS, polling="raf")
        probe = _probe(page)
        pressed = next(t for t in probe["pressed"] if t >= clicked_at)
        return probe["drawn"] - pressed, _split(probe, pressed, opened=False)
    finally:
        page.close()


def _median_parts(splits: list[dict[str, float]]) -> dict[str, float]:
    return {name: round(statistics.median(s[name] for s in splits), 1) for name in splits[0]}


def _serve(script: str, db: Path, secrets: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run script` on a free port against `db`, once it answers; and its URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FAZHI_DB": str(db), "FAZHI_SECRETS": str(secrets), "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/streamlit"), "run", script, "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(url, server)
    except BaseException:
        server.terminate()
        raise
    return server, url


def _timings(first: list, changes: list) -> dict[str, object]:
    return {"first_chart_ms": round(statistics.median(t for t, _ in first)),
            "filter_ms": round(statistics.median(t for t, _ in changes)),
            "first_chart_split": _median_parts([p for _, p in first]),
            "filter_split": _median_parts([p for _, p in changes])}


def measure(db: Path, runs: int) -> tuple[dict[str, object], float]:
    """Browser timings of the trends page (cold first navigation and medians over `runs`)
    with those of its floor (bench/floor/app.py) interleaved, so that the machine's drift
    falls on both; and the page server's peak RSS."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        # The page's server opens its database for writing, which locks every other process
        # out of the file: the floor reads a copy.
        floor_db = Path(tmp) / "floor.duckdb"
        shutil.copyfile(db, floor_db)
        secrets = Path(tmp) / "secrets.toml"
        servers = []
        try:
            server, url = _serve("app.py", db, secrets)
            servers.append(server)
            floor_server, floor_url = _serve(str(FLOOR_APP), floor_db, secrets)
            servers.append(floor_server)
            page_url, floor_url = f"{url}/trends", f"{floor_url}/"
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    cold, cold_parts = _first_chart(browser, page_url)
                    floor_cold, _ = _first_chart(browser, floor_url)
                    first, floor_first, changes, floor_changes = [], [], [], []
                    for _ in range(runs):
                        first.append(_first_chart(browser, page_url))
                        floor_first.append(_first_chart(browser, floor_url))
                    for n in range(runs):
                        changes.append(_filter(browser, page_url, 1 + n % 5))
                        floor_changes.append(_filter(browser, floor_url, 1 + n % 5))
                finally:
                    browser.close()
            rss = peak_rss_mb(server.pid)
        finally:
            for running in servers:
                running.terminate()
                running.wait(timeout=30)
    timings = {"first_chart_cold_ms": round(cold), "first_chart_cold_split": cold_parts,
               **_timings(first, changes),
               "floor": {"first_chart_cold_ms": round(floor_cold), **_timings(floor_first, floor_changes)}}
    return timings, rss
