"""A report's text from each kind of file, and a Chinese refusal for what cannot be read."""
from __future__ import annotations

import io

import pytest

from loaders.filecheck import UnreadableFile
from loaders.readers import reader_for
from loaders.reports.text import report_text

SENTENCE = "全年累计办理公证1086件。"
NOTARIZATIONS = "办理公证件数"


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[str] | None) -> bytes:
    """A PDF with a text layer (Chinese in a CID font), or without any text (a scan)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    if lines is None:
        page.rect(50, 50, 400, 600, fill=1)
    else:
        page.setFont("STSong-Light", 12)
        for k, line in enumerate(lines):
            page.drawString(50, 780 - 18 * k, line)
    page.save()
    return out.getvalue()


@pytest.mark.parametrize("name, data", [
    ("报告.txt", SENTENCE.encode("utf-8")),
    ("报告.txt", ("\ufeff" + SENTENCE).encode("utf-8")),
    ("报告.txt", SENTENCE.encode("gbk")),
    ("报告.docx", docx_bytes("姑苏区2021年法治政府建设工作报告", SENTENCE)),
    ("报告.html", f"<html><head><style>p{{}}</style></head><body><p>{SENTENCE}</p><script>x=1</script></body></html>"
     .encode()),
    ("报告.pdf", pdf_bytes(["全年累计办理公证1086", "件。"])),
])
def test_text_of_each_kind_of_file(name, data):
    squeezed = "".join(report_text(name, data).split())
    assert SENTENCE in squeezed
    assert "x=1" not in squeezed


@pytest.mark.parametrize("name, data, message", [
    ("报告.doc", b"\xd0\xcf\x11\xe0 old word", "另存为 .docx"),
    ("报告.wps", b"\xd0\xcf\x11\xe0 wps", "另存为 .docx"),
    ("扫描件.pdf", pdf_bytes(None), "没有文字层"),
    ("假的.pdf", b"just text", "不是 PDF"),
    ("坏的.docx", b"PK broken", "不是有效的 .docx"),
    ("报告.txt", "指标".encode("utf-16"), "编码无法识别"),
])
def test_unreadable_reports_are_refused_in_chinese(name, data, message):
    with pytest.raises(UnreadableFile, match=message):
        report_text(name, data)


@pytest.mark.parametrize("name, reader", [
    ("报告.docx", "report"), ("报告.pdf", "report"), ("报告.txt", "report"), ("报告.html", "report"),
    ("表.xlsx", "workbook"), ("表.csv", "workbook"), ("未知.bin", "workbook"),
])
def test_the_registry_sends_reports_to_the_report_reader(name, reader):
    assert reader_for(name).name == reader


def test_a_report_read_through_the_registry_gives_its_accepted_figures():
    book = reader_for("报告.docx").read("报告.docx", docx_bytes("姑苏区2021年法治政府建设工作报告", SENTENCE,
                                                               "全年开展各类活动12场。"), None)
    assert [(r.values["指标"], r.values["数值"], r.values["单位"], r.values["原文"]) for r in book.rows] == [
        (NOTARIZATIONS, "1086", "件", SENTENCE)]
    assert "识别出 2 个数字" in book.notes[0]
