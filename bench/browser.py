"""What a visitor waits for in Chromium, and what the server costs in memory.

Starts `streamlit run app.py` on a free port against the bench database, then drives
Debian chromium through Playwright: navigation to the trends page until its first
chart is drawn, and a change of indicator until the chart shows the new data. The
server's peak resident memory (VmHWM) is read from /proc at the end.
"""
from __future__ import annotations

import os
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
CHART = "[data-testid=stPlotlyChart]"
TIMEOUT_MS = 120_000


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


def _chart_signature(page) -> str:
    """The drawn SVG of the first chart: it changes when the chart shows other data."""
    return page.eval_on_selector(f"{CHART} .main-svg", "el => el.innerHTML")


def _first_chart_ms(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        started = time.perf_counter()
        page.goto(f"{url}/trends")
        page.wait_for_selector(f"{CHART} .main-svg", timeout=TIMEOUT_MS)
        return (time.perf_counter() - started) * 1000
    finally:
        page.close()


def _filter_ms(browser, url: str, option: int) -> float:
    """Pick the `option`-th indicator on the trends page; time until the chart changed."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{url}/trends")
        page.wait_for_selector(f"{CHART} .main-svg", timeout=TIMEOUT_MS)
        page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        before = _chart_signature(page)
        page.locator("[data-testid=stSelectbox]").first.click()
        choice = page.locator("[role=option]").nth(option)
        started = time.perf_counter()
        choice.click()
        page.wait_for_function(
            """([chart, idle, before]) => {
                const svg = document.querySelector(chart + ' .main-svg');
                return document.querySelector(idle) && svg && svg.innerHTML !== before;
            }""", arg=[CHART, IDLE, before], timeout=TIMEOUT_MS, polling="raf")
        return (time.perf_counter() - started) * 1000
    finally:
        page.close()


def measure(db: Path, runs: int) -> tuple[dict[str, float], float]:
    """Browser timings (cold first navigation and medians over `runs`) and peak RSS."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FAZHI_DB": str(db), "FAZHI_SECRETS": str(Path(tmp) / "secrets.toml")}
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/streamlit"), "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_healthy(url, server)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    cold = _first_chart_ms(browser, url)
                    first = [_first_chart_ms(browser, url) for _ in range(runs)]
                    changes = [_filter_ms(browser, url, 1 + n % 5) for n in range(runs)]
                finally:
                    browser.close()
            rss = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    timings = {"first_chart_cold_ms": round(cold), "first_chart_ms": round(statistics.median(first)),
               "filter_ms": round(statistics.median(changes))}
    return timings, rss
