"""A live dashboard started the way README says (`make run`), and Debian's chromium.

When CI=true a missing browser or font fails the run; elsewhere it skips, so a
developer without chromium can still run the rest.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from paths import ROOT
from tests.fixtures.workbooks import long_workbook

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
EDITOR_PASSWORD = "browser-test-editor"
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require(condition: bool, reason: str) -> None:
    """Fail in CI (CI=true), skip on a developer's machine."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI: {reason}")
    pytest.skip(f"{reason}; skipped outside CI only, CI=true fails instead")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"make run exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"dashboard not healthy after {timeout}s:\n{log.read_text(errors='replace')}")


@contextlib.contextmanager
def serve(db: Path, logs: Path) -> Iterator[str]:
    """`make run` on the database `db` (built from the curated data when missing), on a
    free port, with the browser tests' editor password."""
    port = _free_port()
    log = logs / "server.log"
    from access.passwords import hash_password

    env = {**os.environ, "FAZHI_EDITOR_PASSWORD_HASH": hash_password(EDITOR_PASSWORD),
           "FAZHI_SECRETS": str(db.with_name("secrets.toml"))}
    with log.open("w") as out:
        proc = subprocess.Popen(["make", "--no-print-directory", "run", f"PORT={port}", f"DB={db}"], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://localhost:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def live_db(tmp_path_factory) -> Path:
    """The database file the live server holds (built by `make run` on its first start)."""
    return tmp_path_factory.mktemp("live") / "fazhi.duckdb"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, live_db) -> Iterator[str]:
    """`make run` on a fresh copy of the curated data, on a free port."""
    require(Path(CHROMIUM).exists(), "Debian chromium is not installed (make test installs it)")
    with serve(live_db, tmp_path_factory.mktemp("logs")) as url:
        yield url


def _stop(proc: subprocess.Popen) -> None:
    """Stop `make run` and the server under it; nothing to do when it already exited
    (the error that made it exit is then the one to report)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), "Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture can tell its test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request):
    """A projector-sized page; when its test fails, a screenshot of where it stood is kept
    in test-artifacts/failed/ (a flaky step is otherwise known only by its timeout)."""
    context = browser.new_context(viewport=PROJECTOR, locale="zh-CN", accept_downloads=True)
    pg = context.new_page()
    yield pg
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        (ARTIFACTS / "failed").mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):  # the page may be what broke; the failure is reported anyway
            pg.screenshot(path=ARTIFACTS / "failed" / f"{request.node.name}.png", full_page=True)
    context.close()


def settle(pg, timeout_s: float = 60) -> None:
    """Wait until Streamlit has finished running the page's script."""
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout_s * 1000)
    pg.wait_for_timeout(500)


def login_as_editor(pg) -> None:
    """Fill the editor login form that guards the 数据更新 page, and see it taken: the form
    is gone once the login's rerun has drawn the editor's page. (A fill made while the form
    was still being redrawn once went unsent, and the test failed far from its cause.)"""
    from playwright.sync_api import expect

    field = pg.get_by_label("密码", exact=True)
    field.fill(EDITOR_PASSWORD)
    expect(field).to_have_value(EDITOR_PASSWORD)
    login = pg.get_by_role("button", name="登录", exact=True)  # not the sidebar's 退出编辑登录
    login.click()
    expect(login, "the editor login was not taken").to_have_count(0, timeout=30_000)
    settle(pg)


def exception_count(pg) -> int:
    return pg.locator("[data-testid=stException]").count()


def upload_mediation_figure(pg, url: str, file_name: str, year: int, value: int) -> None:
    """As an editor on the 数据更新 page: upload one 姑苏区 mediation figure and stop at the
    preview, its 确认导入 button ready."""
    pg.goto(f"{url}/upload")
    settle(pg)
    login_as_editor(pg)
    data = long_workbook([["人民调解成功调处矛盾纠纷数", "姑苏区", "", year, "全年", "实际", value, "", "件"]])
    pg.set_input_files("[data-testid=stFileUploader] input[type=file]",
                       files=[{"name": file_name, "mimeType": XLSX, "buffer": data}])
    settle(pg)
