"""Upload a .docx report on 数据更新 › 从报告提取 in Debian's chromium, accept the
proposed figures, confirm, and find the figure on 趋势 with the sentence it came from.

The report is built here with python-docx: a title, a sentence whose number the reader
must find, and a signature line."""
from __future__ import annotations

import io

from playwright.sync_api import expect

from charts.format import format_value
from tests.browser.conftest import exception_count, login_as_editor, settle

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
VALUE, YEAR = 16180, 2027  # a figure and year no seed row nor other browser test holds
SENTENCE = f"{YEAR}年，全区各级人民调解组织调处成功各类矛盾纠纷{VALUE}件。"


def report_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(f"姑苏区{YEAR}年法治政府建设工作报告", level=1)
    document.add_paragraph(f"{YEAR}年，姑苏区坚持依法行政，推进矛盾纠纷多元化解。")
    document.add_paragraph(SENTENCE)
    document.add_paragraph("姑苏区人民政府")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_report_figure_reaches_the_trend_with_its_sentence(live_server, page):
    page.goto(f"{live_server}/upload")
    settle(page)
    login_as_editor(page)
    page.get_by_role("tab", name="从报告提取").click()
    uploader = page.locator("[data-testid=stFileUploader]").filter(has_text="上传报告")
    uploader.locator("input[type=file]").set_input_files(
        files=[{"name": "报告.docx", "mimeType": DOCX, "buffer": report_docx()}])
    settle(page)
    expect(page.get_by_text("其中 1 个的指标、地区、期间和单位都已识别")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="确认导入报告数字").click()
    settle(page)
    page.get_by_text("已从报告导入为批次").wait_for(timeout=30_000)
    assert exception_count(page) == 0

    page.goto(f"{live_server}/trends?indicator=mediation_resolved&regions=320508")
    settle(page)
    chart = page.locator("[data-testid=stPlotlyChart]").first
    chart.get_by_text(format_value(VALUE, "件")).wait_for(timeout=30_000)
    assert f"{YEAR}年" in chart.inner_text()
    page.get_by_role("tab", name="数字与出处").click()
    settle(page)
    grid = page.locator("[data-testid=stDataFrame]").last
    grid.scroll_into_view_if_needed()
    expect(grid.get_by_text(SENTENCE)).to_have_count(1, timeout=30_000)
    assert exception_count(page) == 0
