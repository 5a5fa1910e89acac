"""A collection round in Debian's chromium: an editor downloads the round's ZIP on the
数据征集 page, two regions' returned workbooks (filled in here, in code) are uploaded
on 数据更新, the coverage matrix shows both cells full, and 地区对比 (opened from a
coverage cell) ranks the two.

Relies on: each matrix cell holding its symbol and figure, a link to 地区对比 and a ↗ link
to trends?indicator=<id>&regions=<region id>; 地区对比 drawing a ranking chart labelled
with each value."""
from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from tests.browser.conftest import (
    ARTIFACTS,
    XLSX,
    exception_count,
    login_as_editor,
    settle,
)

YEAR, INDICATOR, INDICATOR_ID = 2024, "法律援助受理案件数", "legal_aid_cases"  # 2024: no region has it yet
FILLED = {"吴中区": 654, "相城区": 321}
REGION_IDS = {"吴中区": "320506", "相城区": "320507"}


def cell(page, region: str):
    """The matrix cell of the indicator and region, found by its link to the region's trend."""
    trend = page.locator(f'a[href="trends?indicator={INDICATOR_ID}&regions={REGION_IDS[region]}"]')
    return trend.locator("xpath=ancestor::td[1]")


def filled_in(zip_bytes: bytes, region: str, value: int) -> bytes:
    """The region's workbook from the ZIP with the indicator's blank filled, as a clerk would."""
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    book = load_workbook(io.BytesIO(archive.read(f"{region}_{YEAR}年数据征集表.xlsx")))
    sheet = book["数据征集表"]
    header = [c.value for c in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == INDICATOR)
    assert row[header.index("数值")].value is None
    row[header.index("数值")].value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download_round(page, url: str) -> bytes:
    page.goto(f"{url}/collection?year={YEAR}")
    settle(page)
    page.get_by_text("编辑人员：为各地区生成预填的征集表").click()
    login_as_editor(page)
    page.get_by_role("button", name="生成征集表").click()
    settle(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="下载征集表（10 份，ZIP）").click()
    assert info.value.suggested_filename == f"{YEAR}年数据征集表.zip"
    return open(info.value.path(), "rb").read()


def upload_and_confirm(page, name: str, data: bytes) -> None:
    page.set_input_files("[data-testid=stFileUploader] input[type=file]",
                         files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    settle(page)
    page.get_by_role("button", name="确认导入").click()
    settle(page)
    page.get_by_text("已导入为批次").wait_for(timeout=30_000)


def test_a_round_fills_the_matrix_and_makes_a_ranking(live_server, page):
    round_zip = download_round(page, live_server)
    assert len(zipfile.ZipFile(io.BytesIO(round_zip)).namelist()) == 10
    for region in FILLED:
        assert cell(page, region).inner_text().startswith("× 缺")

    page.goto(f"{live_server}/upload")
    settle(page)
    login_as_editor(page)
    for region, value in FILLED.items():
        upload_and_confirm(page, f"{region}报回.xlsx", filled_in(round_zip, region, value))
    assert exception_count(page) == 0

    page.goto(f"{live_server}/collection?year={YEAR}")
    settle(page)
    for region, value in FILLED.items():
        assert cell(page, region).inner_text().startswith(f"● {value}件")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "collection-after-round.png")

    compare = cell(page, "相城区").locator("a").first.get_attribute("href")  # the cell's link to 地区对比
    page.goto(f"{live_server}/{compare}")
    settle(page)
    assert "/compare?" in page.url and "indicator=legal_aid_cases" in page.url
    chart = page.locator("[data-testid=stPlotlyChart]").first
    chart.get_by_text("654件").wait_for(timeout=30_000)
    shown = chart.inner_text()
    assert "321件" in shown and "吴中区" in shown and "相城区" in shown
    assert page.get_by_text("暂不能排名").count() == 0
    assert exception_count(page) == 0
    # The ranking (Plotly's cartesian bundle) and the map (its full bundle, loaded after it)
    # are both drawn, each by the library that loaded for it (views/static/plotly_element.js).
    page.locator(".geo").first.wait_for(timeout=30_000)
    drawn = page.evaluate("() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
                          ".map(chart => chart.querySelector('.main-svg') !== null)")
    assert len(drawn) >= 2 and all(drawn), drawn
    assert page.evaluate("() => Object.keys(window.__fazhiPlotly.loaded).sort()") == [
        "app/static/plotly-cartesian.min.js", "app/static/plotly.min.js"]
