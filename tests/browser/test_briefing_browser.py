"""总览's two briefing buttons in Debian's chromium: each downloads a real Word or
PowerPoint file of the region and year on screen, its figures as the page shows them."""
from __future__ import annotations

import pytest
from docx import Document
from pptx import Presentation

from tests.browser.conftest import ARTIFACTS, exception_count, settle

TITLE = "姑苏区2020年法治政府建设主要指标简报"


def _docx_text(path) -> str:
    doc = Document(path)
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _pptx_text(path) -> str:
    deck = Presentation(path)
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(texts)


@pytest.mark.parametrize(("button", "suffix", "read"), [("下载简报（Word）", ".docx", _docx_text),
                                                        ("下载幻灯片（PPT）", ".pptx", _pptx_text)])
def test_overview_downloads_the_briefing(live_server, page, button, suffix, read):
    page.goto(f"{live_server}/?region=320508&year=2020")
    settle(page)
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name=button).click()
    download = info.value
    assert download.suggested_filename == f"{TITLE}{suffix}"
    ARTIFACTS.mkdir(exist_ok=True)
    saved = ARTIFACTS / f"overview-download{suffix}"
    download.save_as(saved)
    text = read(saved)
    assert TITLE in text and "近90%" in text and "130余件" in text and "+15个百分点" in text
    assert exception_count(page) == 0
