"""The briefing as a 16:9 PowerPoint deck (python-pptx): a title slide, the headline
figures, the 简报要点, one slide per chart (picture, one-line takeaway, source in the
footer), and a closing slide of sources and caveats. Titles in 黑体, text in 微软雅黑:
both are on every Chinese Windows, and a projector shows a sans-serif face best.

Only layout here: every text comes ready from exports/briefing.py. Text boxes have no
automatic shrinking that LibreOffice and PowerPoint agree on, so a box's font size is
chosen here from the text's estimated width (charts/images.text_width).
"""
from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from charts.images import text_width
from exports.briefing import Briefing, BriefingChart, printable, wording

TITLE_FONT, BODY_FONT = "黑体", "微软雅黑"
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
RED, GREY, DARK = RGBColor(0xB2, 0x22, 0x22), RGBColor(0x55, 0x55, 0x55), RGBColor(0x22, 0x22, 0x22)
BLANK_LAYOUT = 6
LINE_SPACING = 1.15
CELL_PADDING = Pt(14.4)  # a table cell's inner margins, left and right (0.1 inch each)
# PowerPoint and LibreOffice set digits in Chinese text apart by a little space, and draw
# them wider, than charts/images.text_width counts: with 1.1, "430余万元（2020年）" still
# wrapped in LibreOffice.
WIDTH_ALLOWANCE = 1.2


def _font(run, east_asian: str, size: float, color: RGBColor = DARK, bold: bool = False) -> None:
    """A run in a Chinese font: python-pptx sets the Latin face only; the East Asian face
    (a:ea) is what draws Chinese."""
    run.font.name = east_asian
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = rpr.makeelement(qn(tag), {})
            rpr.append(element)
        element.set("typeface", east_asian)


def _text(slide: Slide, left: int, top: int, width: int, height: int, lines: Sequence[str], size: float,
          font: str = BODY_FONT, color: RGBColor = DARK, align: PP_ALIGN = PP_ALIGN.LEFT, bold: bool = False,
          anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = 0
    for n, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.line_spacing = LINE_SPACING
        _font(_run(paragraph, line), font, size, color, bold)


def _run(paragraph, text: str):
    run = paragraph.add_run()
    run.text = printable(text)
    return run


def fitting_size(lines: Sequence[str], width: int, height: int, largest: float, smallest: float) -> float:
    """The largest font size (pt, in steps of 1) at which the lines, wrapped to the box's
    width, fit its height; the smallest when none does."""
    width_pt, height_pt = Emu(width).pt, Emu(height).pt
    size = largest
    while size > smallest:
        rows = sum(max(1, math.ceil(text_width(line, size) / width_pt)) for line in lines)
        # A line of CJK text is about 1.3 em tall before the spacing is applied.
        if rows * size * LINE_SPACING * 1.3 <= height_pt:
            break
        size -= 1
    return size


def _slide_title(slide: Slide, title: str) -> None:
    _text(slide, MARGIN, Inches(0.35), WIDTH - 2 * MARGIN, Inches(0.8), [title], 30, TITLE_FONT,
          anchor=MSO_ANCHOR.MIDDLE)
    rule = slide.shapes.add_shape(1, MARGIN, Inches(1.15), WIDTH - 2 * MARGIN, Pt(2.5))  # 1: rectangle
    rule.fill.solid()
    rule.fill.fore_color.rgb = RED
    rule.line.fill.background()


def _footer(slide: Slide, text: str, number: int) -> None:
    _text(slide, MARGIN, HEIGHT - Inches(0.55), WIDTH - 2 * MARGIN - Inches(0.8), Inches(0.4), [text], 11,
          color=GREY, anchor=MSO_ANCHOR.MIDDLE)
    _text(slide, WIDTH - MARGIN - Inches(0.7), HEIGHT - Inches(0.55), Inches(0.7), Inches(0.4), [str(number)], 11,
          color=GREY, align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.MIDDLE)


def _title_slide(slide: Slide, briefing: Briefing) -> None:
    band = slide.shapes.add_shape(1, 0, Inches(2.3), WIDTH, Inches(0.12))
    band.fill.solid()
    band.fill.fore_color.rgb = RED
    band.line.fill.background()
    _text(slide, MARGIN, Inches(2.7), WIDTH - 2 * MARGIN, Inches(1.4), [briefing.title], 40, TITLE_FONT,
          align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
    _text(slide, MARGIN, Inches(4.4), WIDTH - 2 * MARGIN, Inches(0.9), [briefing.issuer, briefing.issued_text], 20,
          color=GREY, align=PP_ALIGN.CENTER)


def table_layout(rows: Sequence[Sequence[str]], width: int, largest: float, smallest: float) -> tuple[float, list[int]]:
    """The largest font size, from `largest` down to `smallest` by half points, at which
    every cell's text fits its column on one line, and the column widths: in proportion to
    each column's widest text, so that the room left over is shared. A report's title
    (来源) no longer wraps onto a second line that the row's height cuts off."""
    size, padding = largest, Emu(CELL_PADDING).pt
    while True:
        needs = [max(text_width(text, size) for text in column) * WIDTH_ALLOWANCE + padding for column in zip(*rows)]
        if sum(needs) <= Emu(width).pt or size <= smallest:
            return size, [int(width * need / sum(needs)) for need in needs]
        size -= 0.5


def _headline_slide(slide: Slide, briefing: Briefing) -> None:
    _slide_title(slide, wording()["headings"]["headline"])
    header = wording()["table_header"]
    rows = [(f.indicator, f"{f.value}（{f.period}）", f.change, f.source) for f in briefing.headline]
    if not rows:
        _text(slide, MARGIN, Inches(1.5), WIDTH - 2 * MARGIN, Inches(1), [f"{briefing.year}年重点指标暂无数据。"], 20)
        return
    row_height = min(Inches(0.62), int((HEIGHT - Inches(2.3)) / (len(rows) + 1)))
    shape = slide.shapes.add_table(len(rows) + 1, len(header), MARGIN, Inches(1.45), WIDTH - 2 * MARGIN,
                                   row_height * (len(rows) + 1))
    table = shape.table
    size, widths = table_layout([header, *rows], WIDTH - 2 * MARGIN, 16 if len(rows) <= 8 else 12, 10)
    for column, column_width in zip(table.columns, widths):
        column.width = column_width
    for r, values in enumerate([header, *rows]):
        table.rows[r].height = row_height
        for c, text in enumerate(values):
            cell = table.cell(r, c)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.CENTER if c in (1, 2) or r == 0 else PP_ALIGN.LEFT
            _font(_run(paragraph, text), TITLE_FONT if r == 0 else BODY_FONT, size,
                  RGBColor(0xFF, 0xFF, 0xFF) if r == 0 else DARK)
            cell.fill.solid()
            cell.fill.fore_color.rgb = RED if r == 0 else (RGBColor(0xF6, 0xF1, 0xF1) if r % 2 else
                                                          RGBColor(0xFF, 0xFF, 0xFF))


def _points_slide(slide: Slide, briefing: Briefing) -> None:
    _slide_title(slide, wording()["headings"]["points"])
    lines = [f"{n}. {p}" for n, p in enumerate(briefing.first_points, start=1)]
    width, height = WIDTH - 2 * MARGIN, HEIGHT - Inches(2.2)
    _text(slide, MARGIN, Inches(1.45), width, height, lines, fitting_size(lines, width, height, 22, 12))


def _chart_slide(slide: Slide, chart: BriefingChart, number: int) -> None:
    _slide_title(slide, chart.title)
    box_left, box_top, box_width, box_height = MARGIN, Inches(1.35), WIDTH - 2 * MARGIN, Inches(4.75)
    px_width, px_height = chart.size_px
    scale = min(box_width / px_width, box_height / px_height)
    width, height = int(px_width * scale), int(px_height * scale)
    slide.shapes.add_picture(io.BytesIO(chart.png), box_left + (box_width - width) // 2, box_top, width, height)
    takeaway_top = box_top + height + Inches(0.1)
    takeaway_height = HEIGHT - Inches(0.6) - takeaway_top
    _text(slide, MARGIN, takeaway_top, WIDTH - 2 * MARGIN, takeaway_height, [chart.takeaway],
          fitting_size([chart.takeaway], WIDTH - 2 * MARGIN, takeaway_height, 20, 12), align=PP_ALIGN.CENTER,
          anchor=MSO_ANCHOR.MIDDLE)
    _footer(slide, f"来源：{chart.source}", number)


def _closing_slide(slide: Slide, briefing: Briefing, number: int) -> None:
    headings = wording()["headings"]
    _slide_title(slide, headings["closing"])
    lines = ([f"{headings['sources']}："] + [f"{n}. {s}" for n, s in enumerate(briefing.sources, start=1)]
             + [f"{headings['caveats']}："] + [f"{n}. {c}" for n, c in enumerate(briefing.caveats, start=1)])
    width, height = WIDTH - 2 * MARGIN, HEIGHT - Inches(2.3)
    _text(slide, MARGIN, Inches(1.4), width, height, lines, fitting_size(lines, width, height, 18, 9))
    _footer(slide, f"{briefing.issuer} · {briefing.issued_text}", number)


def build(briefing: Briefing) -> Presentation:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = briefing.title
    deck.core_properties.author = briefing.issuer
    layout = deck.slide_layouts[BLANK_LAYOUT]
    _title_slide(deck.slides.add_slide(layout), briefing)
    _headline_slide(deck.slides.add_slide(layout), briefing)
    _points_slide(deck.slides.add_slide(layout), briefing)
    for chart in briefing.charts:
        _chart_slide(deck.slides.add_slide(layout), chart, len(deck.slides))
    _closing_slide(deck.slides.add_slide(layout), briefing, len(deck.slides))
    return deck


def write_pptx(briefing: Briefing, out: Path | IO[bytes]) -> None:
    build(briefing).save(out)
