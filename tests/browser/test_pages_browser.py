"""Every page in Debian's chromium against the server `make run` starts: a chart drawn, no
exception box, the image and ZIP downloads real PNGs, screenshots at phone and projector
sizes written to test-artifacts/."""
from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from tests.browser.conftest import ARTIFACTS, PHONE, PROJECTOR, exception_count, settle

PAGES = ["overview", "trends", "compare", "targets", "data", "catalog"]


def assert_real_png(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.width >= 1200
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50, "the image is blank"


@pytest.mark.parametrize("size", [PROJECTOR, PHONE], ids=["1920x1080", "390x844"])
@pytest.mark.parametrize("path", PAGES)
def test_page_draws_a_chart_without_exception(live_server, page, path, size):
    page.set_viewport_size(size)
    page.goto(f"{live_server}/{path}")
    settle(page)
    page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=30_000)
    assert page.locator("[data-testid=stPlotlyChart]").count() >= 1
    assert exception_count(page) == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{path}-{size['width']}x{size['height']}.png", full_page=True)


def test_deploy_button_and_developer_menu_are_hidden(live_server, page):
    page.goto(f"{live_server}/overview")
    settle(page)
    assert page.locator("[data-testid=stAppDeployButton]").count() == 0


def test_png_download_is_a_report_ready_image(live_server, page):
    page.goto(f"{live_server}/trends?indicator=head_appearance_rate&regions=320508")
    settle(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="下载图片（含标题、来源和注释）").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".png") and "出庭应诉率" in download.suggested_filename
    assert_real_png(download.path().read_bytes())


def test_page_zip_holds_every_chart(live_server, page):
    page.goto(f"{live_server}/trends?indicator=head_appearance_rate&regions=320508")
    settle(page)
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name="下载本页全部图表").click()
    archive = zipfile.ZipFile(info.value.path())
    names = archive.namelist()
    assert len(names) == page.locator("[data-testid=stPlotlyChart]").count() == 2
    for name in names:
        assert_real_png(archive.read(name))
