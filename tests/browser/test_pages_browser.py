"""Every page in Debian's chromium against the server `make run` starts: a chart drawn, no
exception box, the image and ZIP downloads real PNGs, screenshots at phone and projector
sizes written to test-artifacts/."""
from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from tests.browser.conftest import ARTIFACTS, PHONE, PROJECTOR, exception_count, settle

# The default page (总览) lives at the root: Streamlit serves no /overview for it.
PAGES = {"overview": "", "trends": "trends", "compare": "compare", "targets": "targets", "data": "data",
         "catalog": "catalog"}


def assert_real_png(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.width >= 1200
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50, "the image is blank"


@pytest.mark.parametrize("size", [PROJECTOR, PHONE], ids=["1920x1080", "390x844"])
@pytest.mark.parametrize("name", PAGES)
def test_page_draws_a_chart_without_exception(live_server, page, name, size):
    page.set_viewport_size(size)
    page.goto(f"{live_server}/{PAGES[name]}")
    settle(page)
    page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=30_000)
    assert page.locator("[data-testid=stPlotlyChart]").count() >= 1
    assert exception_count(page) == 0
    assert page.get_by_text("Page not found").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    whole_page_screenshot(page, ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png", size)


def whole_page_screenshot(page, path, size) -> None:
    """Streamlit scrolls inside its main container, so a full-page screenshot would show
    only the first screen: the viewport is stretched to the content's height instead."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    page.wait_for_timeout(1500)  # charts redraw at the new size
    page.screenshot(path=path)
    page.set_viewport_size(size)


def test_deploy_button_and_developer_menu_are_hidden(live_server, page):
    page.goto(f"{live_server}/")
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
    # the 同比 chart is in a closed tab, not drawn, and still the page's
    assert page.locator("[data-testid=stPlotlyChart]").count() == 1
    assert len(names) == 2 and any("同比变化" in n for n in names), names
    for name in names:
        assert_real_png(archive.read(name))


def test_a_filter_redraws_the_chart_in_place_and_its_camera_names_the_png(live_server, page):
    """Plotly draws a chart anew, from an empty box, when its config changes; the camera's
    file name (the indicator's) lives outside the config, so a change of indicator updates
    the drawn chart in place, and the camera still names the PNG after what it shows."""
    page.goto(f"{live_server}/trends?indicator=head_appearance_rate&regions=320508")
    settle(page)
    svg = "[data-testid=stPlotlyChart] .main-svg"
    before = page.locator(svg).first.inner_html()
    page.locator(svg).first.evaluate("element => { element.dataset.kept = 'yes'; }")
    page.locator("[data-testid=stSelectbox]").first.click()
    page.keyboard.type("人民调解成功")  # the list draws only the options in view
    page.get_by_role("option", name="人民调解成功调处矛盾纠纷数").first.click()
    settle(page)
    page.wait_for_function("([svg, before]) => document.querySelector(svg).innerHTML !== before", arg=[svg, before])
    assert page.locator(svg).first.get_attribute("data-kept") == "yes", "the chart was drawn anew"
    page.locator("[data-testid=stPlotlyChart]").first.hover()
    with page.expect_download(timeout=60_000) as info:
        page.locator("[data-testid=stPlotlyChart] .modebar-btn[data-title='下载图片（PNG，图表区域）']").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".png") and "人民调解" in download.suggested_filename
    image = Image.open(io.BytesIO(download.path().read_bytes()))
    assert image.format == "PNG"


# Streamlit cuts a metric's delta to one line with an ellipsis: at 1280 px a quarter-width
# card once showed "+15个百分点 较201…".
_CUT_TEXTS = """Array.from(document.querySelectorAll('[data-testid=stMetric] *'))
    .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.textContent)"""


@pytest.mark.parametrize("width", [1920, 1280, 390])
def test_overview_cards_show_their_change_uncut(live_server, page, width):
    page.set_viewport_size({"width": width, "height": 1200})
    page.goto(f"{live_server}/?region=320508&year=2020")
    settle(page)
    deltas = page.locator("[data-testid=stMetricDelta]")
    assert deltas.count() >= 1 and "个百分点" in deltas.first.inner_text()
    assert page.evaluate(_CUT_TEXTS) == []
    assert page.get_by_text("较2019年同期").count() >= 1
