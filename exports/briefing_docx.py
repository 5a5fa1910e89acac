"""The briefing as a Word 简报 (python-docx), laid out as Chinese government documents are
(GB/T 9704 for page and type): A4 with its margins, the title in 方正小标宋简体 (黑体 where
a machine lacks it), the text in 仿宋_GB2312 (宋体 where lacking), headings in 黑体, and
"— 1 —" page numbers. The fallbacks are written into the document's font table, which
Word and WPS consult when a font is missing.

Only layout here: every text comes ready from exports/briefing.py.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import IO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from exports.briefing import Briefing, printable, wording

TITLE_FONT, HEADING_FONT, BODY_FONT, NUMBER_FONT = "方正小标宋简体", "黑体", "仿宋_GB2312", "宋体"
LATIN_FONT = "Times New Roman"
# What Word and WPS use when the named font is missing (w:altName in the font table).
FALLBACKS = {TITLE_FONT: "黑体", BODY_FONT: "宋体"}
TITLE_PT, BODY_PT, TABLE_PT, CAPTION_PT, NOTE_PT, PAGE_NUMBER_PT = 22, 16, 12, 12, 10.5, 14
RED = RGBColor(0xC0, 0x00, 0x00)
PICTURE_WIDTH = Cm(15.5)
# 指标, 数值, 较上年同期, 来源: the text width of an A4 page with GB/T 9704 margins (15.6 cm).
COLUMN_WIDTHS = (Cm(4.4), Cm(3.0), Cm(3.6), Cm(4.6))


def _fonts(run: Run, east_asian: str, size: float, bold: bool = False) -> None:
    """A run in a Chinese font: python-docx sets only the Latin font, the East Asian one
    is an attribute of its own."""
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _paragraph(doc_or_cell, text: str, font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False,
               align: WD_ALIGN_PARAGRAPH | None = None, space_after: float = 0) -> Paragraph:
    paragraph = doc_or_cell.add_paragraph()
    _fonts(paragraph.add_run(printable(text)), font, size, bold)
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _heading(doc, number: str, text: str) -> None:
    paragraph = _paragraph(doc, f"{number}、{text}", HEADING_FONT, BODY_PT, space_after=6)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True


def _red_rule(paragraph: Paragraph) -> None:
    """The red line under the issuing line of a 简报."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _page_numbers(section.footer.paragraphs[0])


def _page_numbers(paragraph: Paragraph) -> None:
    """'— 1 —' centred in the footer: a PAGE field between two dashes."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(paragraph.add_run("— "), NUMBER_FONT, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _fonts(run, NUMBER_FONT, PAGE_NUMBER_PT)
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        elif text == " PAGE ":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
        else:
            run.text = text
    _fonts(paragraph.add_run(" —"), NUMBER_FONT, PAGE_NUMBER_PT)


def _font_fallbacks(doc) -> None:
    """Entries of the font table naming, for each Chinese font, the one to use in its
    place (w:altName), with the GB2312 character set. The table is a plain part whose
    bytes python-docx keeps as they are; they are rewritten here."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for name, alternative in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alternative), ("w:charset", "86"), ("w:family", "auto")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _headline_table(doc, briefing: Briefing) -> None:
    header = wording()["table_header"]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # The value with its period on a line of its own: "近90%" above "2020年".
    rows = [(f.indicator, f"{f.value}\n{f.period}", f.change, f.source) for f in briefing.headline]
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        _fonts(cell.paragraphs[0].add_run(text), HEADING_FONT, TABLE_PT)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for n, (cell, text) in enumerate(zip(cells, values)):
            _fonts(cell.paragraphs[0].add_run(printable(text)), BODY_FONT, TABLE_PT)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER if n in (1, 2) else None
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_WIDTHS):
        column.width = width  # the grid LibreOffice reads
        for cell in column.cells:
            cell.width = width  # the cell widths Word reads


def _repeat_header(row) -> None:
    """The header row again at the top of each page the table runs onto."""
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)


def build(briefing: Briefing) -> Document:
    headings = wording()["headings"]
    doc = Document()
    _page_setup(doc)
    _font_fallbacks(doc)
    doc.core_properties.title = briefing.title
    doc.core_properties.author = briefing.issuer

    _paragraph(doc, briefing.title, TITLE_FONT, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    issuing = _paragraph(doc, f"{briefing.issuer}\t{briefing.issued_text}", BODY_FONT, 14, space_after=12)
    issuing.paragraph_format.tab_stops.add_tab_stop(Cm(15.6), WD_TAB_ALIGNMENT.RIGHT)
    _red_rule(issuing)

    _heading(doc, "一", headings["headline"])
    if briefing.headline:
        _headline_table(doc, briefing)
    else:
        _paragraph(doc, f"{briefing.year}年重点指标暂无数据。")
    _heading(doc, "二", headings["points"])
    for n, point in enumerate(briefing.first_points, start=1):
        _paragraph(doc, f"{n}. {point}", space_after=3).paragraph_format.first_line_indent = Pt(BODY_PT * 2)

    number = iter("三四五六")
    if briefing.charts:
        _heading(doc, next(number), headings["charts"])
        for n, chart in enumerate(briefing.charts, start=1):
            picture = doc.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.paragraph_format.keep_with_next = True
            picture.add_run().add_picture(io.BytesIO(chart.png), width=PICTURE_WIDTH)
            caption = _paragraph(doc, f"图{n}　{chart.caption}", HEADING_FONT, CAPTION_PT,
                                 align=WD_ALIGN_PARAGRAPH.CENTER)
            caption.paragraph_format.keep_with_next = True
            _paragraph(doc, f"来源：{chart.source}", BODY_FONT, NOTE_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                       space_after=12)

    _heading(doc, next(number), headings["caveats"])
    for n, line in enumerate(briefing.caveats, start=1):
        _paragraph(doc, f"{n}. {line}", BODY_FONT, 14, space_after=3)
    _heading(doc, next(number), headings["sources"])
    for n, line in enumerate(briefing.sources, start=1):
        _paragraph(doc, f"{n}. {line}", BODY_FONT, 14, space_after=3)

    if briefing.more_points:
        doc.add_page_break()
        _paragraph(doc, headings["more_points"], HEADING_FONT, BODY_PT, space_after=6)
        for n, point in enumerate(briefing.more_points, start=len(briefing.first_points) + 1):
            _paragraph(doc, f"{n}. {point}", BODY_FONT, 14, space_after=2)
    return doc


def write_docx(briefing: Briefing, out: Path | IO[bytes]) -> None:
    build(briefing).save(out)
