"""The 总览 buttons that download the region's and year's briefing as Word or PowerPoint.

Each document is generated only when its button is clicked (a callable passed to the
download button, as chart images are): a briefing renders its charts through chromium.
Streamlit runs that callable on a worker thread, outside the page's script, so it is
handed the connection itself and takes that thread's own cursor from it.
"""
from __future__ import annotations

import io
from functools import partial

import streamlit as st

from exports import DOCUMENT_FORMATS, DocumentFormat
from exports.briefing import briefing_title, gather
from views.connection import FazhiConnection, connection

ICONS = {".docx": ":material/description:", ".pptx": ":material/slideshow:"}


def _document_bytes(con: FazhiConnection, region_id: str, year: int, document: DocumentFormat) -> bytes:
    buffer = io.BytesIO()
    document.write(gather(con.cursor(), region_id, year), buffer)
    return buffer.getvalue()


def briefing_buttons(region_id: str, region: str, year: int) -> None:
    """下载简报（Word） and 下载幻灯片（PPT） for the region and year on screen."""
    con = connection()
    for column, document in zip(st.columns(len(DOCUMENT_FORMATS)), DOCUMENT_FORMATS.values()):
        with column:
            st.download_button(f"下载{document.label}", data=partial(_document_bytes, con, region_id, year, document),
                               file_name=f"{briefing_title(region, year)}{document.suffix}", mime=document.mime,
                               key=f"briefing{document.suffix}", on_click="ignore", icon=ICONS[document.suffix],
                               width="stretch")
