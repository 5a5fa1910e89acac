"""Upload a workbook on the 数据更新 page in Debian's chromium, confirm, and find the new
figure on the 趋势 page's chart; upload a filled statistical form and find its 按分项 chart.

Relies on: upload_mediation_figure (conftest), and the trends page reading
?indicator=<id>&regions=<region id> and labelling each point with its formatted value.
"""
from __future__ import annotations

import io

from openpyxl import load_workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from charts.format import format_value
from tests.browser.conftest import XLSX, exception_count, login_as_editor, settle, upload_mediation_figure
from tests.fixtures.workbooks import long_workbook, review_form_xls

VALUE, YEAR = 31415, 2025  # a figure and year the seed data does not hold


def _chart_shows_the_figure(page, url: str) -> bool:
    """The 趋势 chart labels each point with its formatted value; wait for ours."""
    page.goto(f"{url}/trends?indicator=mediation_resolved&regions=320508")
    settle(page)
    chart = page.locator("[data-testid=stPlotlyChart]").first
    try:
        chart.get_by_text(format_value(VALUE, "件")).wait_for(timeout=30_000)
    except PlaywrightTimeout:
        return False
    return f"{YEAR}年" in chart.inner_text()


def test_uploaded_figure_reaches_the_charts(live_server, page):
    upload_mediation_figure(page, live_server, "浏览器测试.xlsx", YEAR, VALUE)
    page.get_by_role("button", name="确认导入").click()
    settle(page)
    page.get_by_text("已导入为批次").wait_for(timeout=30_000)
    assert exception_count(page) == 0
    assert _chart_shows_the_figure(page, live_server)


def test_uploader_speaks_chinese(live_server, page):
    page.goto(f"{live_server}/upload")
    settle(page)
    login_as_editor(page)
    zone = page.locator("[data-testid=stFileUploaderDropzone]").first  # the workbook tab; 从报告提取 has its own
    shown = zone.inner_text()
    assert "Upload" not in shown and "per file" not in shown, shown  # Streamlit's English, hidden
    drawn = zone.evaluate("""z => [z.querySelector('button [data-testid=stMarkdownContainer]'),
                                   z.querySelector('[data-testid=stFileUploaderDropzoneInstructions] > div')]
                                  .map(e => getComputedStyle(e, '::after').content).join(' ')""")
    assert "选择文件" in drawn and "不超过 20MB" in drawn, drawn


def test_an_uploaded_statistical_form_shows_its_breakdowns(live_server, page):
    """A filled 行政复议案件统计报表 (.xls, no option chosen) lands with its 案件类别, and
    趋势 offers 按分项: the parts as bars with their share of the total."""
    form = review_form_xls(period="2019年 1月 至 2019年 12月", unit="太仓市司法局")
    page.goto(f"{live_server}/upload")
    settle(page)
    login_as_editor(page)
    page.set_input_files("[data-testid=stFileUploader] input[type=file]",
                         files=[{"name": "行政复议案件统计报表.xls", "mimeType": "application/vnd.ms-excel",
                                 "buffer": form}])
    settle(page)
    page.get_by_text("新增（63）").first.wait_for(timeout=30_000)  # 14 indicators × the rows filled in
    page.get_by_role("button", name="确认导入").click()
    settle(page)
    page.get_by_text("已导入为批次").wait_for(timeout=30_000)
    page.goto(f"{live_server}/trends?indicator=admin_review_received&regions=320585&view=分项")
    settle(page)
    assert exception_count(page) == 0
    page.get_by_role("heading", name="按分项").wait_for(timeout=30_000)
    chart = page.locator("[data-testid=stPlotlyChart]").last
    chart.scroll_into_view_if_needed()
    chart.get_by_text("30件（占54.5%）").wait_for(timeout=30_000)
    shown = chart.inner_text()
    assert "公安" in shown and "房屋征补（拆迁）" in shown
    page.get_by_text("各分项之和等于总数 55件").wait_for(timeout=10_000)


def test_the_list_of_problems_downloads_as_a_workbook(live_server, page):
    """A refused upload lists its problems; the list downloads (made only then) as .xlsx."""
    page.goto(f"{live_server}/upload")
    settle(page)
    login_as_editor(page)
    data = long_workbook([["人民调解成功调处矛盾纠纷数", "姑苏县", "", 2021, "全年", "实际", 5, "", "件"],
                          ["人民调解成功调处矛盾纠纷数", "姑苏区", "", 2021, "全年", "实际", -5, "", "件"]])
    page.set_input_files("[data-testid=stFileUploader] input[type=file]",
                         files=[{"name": "两个问题.xlsx", "mimeType": XLSX, "buffer": data}])
    settle(page)
    page.get_by_text("发现 2 个问题，未写入任何数据").wait_for(timeout=30_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="下载问题清单（.xlsx）").click()
    assert info.value.suggested_filename == "导入问题清单.xlsx"
    rows = list(load_workbook(io.BytesIO(info.value.path().read_bytes())).active.iter_rows(values_only=True))
    problems = " ".join(str(cell) for row in rows[1:] for cell in row)
    assert len(rows) == 3 and "未知的地区" in problems and "不能为负数" in problems, rows
    assert exception_count(page) == 0
