"""Upload a workbook on the 数据更新 page in Debian's chromium, confirm, and find the new
figure on the 趋势 page's chart (else in the 数据与来源 page's CSV download).

Relies on: the editor login form (login_as_editor), the trends page reading
?indicator=<id>&regions=<region id> and labelling each point with its formatted value,
and the data page's "下载全部数据（CSV）" button.
"""
from __future__ import annotations

import io

import pandas as pd
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import exception_count, login_as_editor, settle
from tests.test_workbook import long_workbook

VALUE, YEAR = 31415, 2025  # a figure and year the seed data does not hold
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _chart_shows_the_figure(page, url: str) -> bool:
    page.goto(f"{url}/trends?indicator=mediation_resolved&regions=320508")
    settle(page)
    try:
        page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=30_000)
    except PlaywrightTimeout:
        return False
    text = " ".join(page.locator("[data-testid=stPlotlyChart]").all_inner_texts())
    return str(VALUE) in text and f"{YEAR}年" in text


def _data_download_holds_the_figure(page, url: str) -> bool:
    page.goto(f"{url}/data")
    settle(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="下载全部数据（CSV）").click()
    frame = pd.read_csv(io.BytesIO(info.value.path().read_bytes()), encoding="utf-8-sig", dtype=str)
    hit = frame[(frame["指标"] == "人民调解成功调处矛盾纠纷数") & (frame["地区"] == "姑苏区") & (frame["年份"] == str(YEAR))]
    return hit["数值"].tolist() == [str(VALUE)]


def test_uploaded_figure_reaches_the_charts(live_server, page):
    page.goto(f"{live_server}/upload")
    settle(page)
    login_as_editor(page)
    data = long_workbook([["人民调解成功调处矛盾纠纷数", "姑苏区", "", YEAR, "全年", "实际", VALUE, "", "件"]])
    page.set_input_files("[data-testid=stFileUploader] input[type=file]",
                         files=[{"name": "浏览器测试.xlsx", "mimeType": XLSX, "buffer": data}])
    settle(page)
    page.get_by_role("button", name="确认导入").click()
    settle(page)
    page.get_by_text("已导入为批次").wait_for(timeout=30_000)
    assert exception_count(page) == 0
    assert _chart_shows_the_figure(page, live_server) or _data_download_holds_the_figure(page, live_server)
