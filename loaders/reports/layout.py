"""A report's text cut into paragraphs and sentences that survive a PDF's line breaks.

A line break inside a sentence ("…法治\\n姑苏", "20742\\n件") is no break: lines are joined
unless one ends a sentence and is short, indented or followed by a blank line, or is a
heading (short, without closing punctuation). Inside a
sentence whitespace is dropped (a number split from its unit by a space is one figure)
and full-width digits become ASCII; every character keeps its offset in the original text.
"""
from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass

_FULL_WIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
SENTENCE_END = "。！？；;!?"
_PARAGRAPH_END = "。！？；：;:!?”"
_CLOSED = "。！？!?"  # ends a sentence and never a list item (；) or an introduction (：)
_BREAK = re.compile(r"\s*\n\s*")
_LATIN = re.compile(r"[A-Za-z]")
HEADING_MAX = 40
PRINTED_LINE_MAX = 60  # characters on one line of an A4 page, even in a small font
_SPACE = re.compile(r"\s+")
_VISIBLE = re.compile(r"\S")
_SENTENCE = re.compile(f"[^{SENTENCE_END}]*[{SENTENCE_END}]|[^{SENTENCE_END}]+$")
HEADING_SHARE = 0.8  # a line this much shorter than most, without closing punctuation, is a heading


@dataclass(frozen=True)
class Sentence:
    text: str               # whitespace removed, digits ASCII
    offsets: tuple[int, ...]  # the original text's offset of each character
    paragraph: int          # 1-based
    heading: str            # the nearest heading above it ('' when none)

    @property
    def start(self) -> int:
        return self.offsets[0]

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1

    def verbatim(self, document: str) -> str:
        """The sentence as the report writes it, line breaks folded into nothing."""
        return re.sub(r"\s+", "", document[self.start:self.end])


@dataclass(frozen=True)
class Paragraph:
    number: int
    start: int
    end: int
    is_heading: bool


def _lines(text: str) -> list[tuple[int, str]]:
    out, position = [], 0
    for line in text.splitlines(keepends=True):
        out.append((position, line))
        position += len(line)
    return out


def _starts_anew(previous: str, line: str, after_blank: bool) -> bool:
    """A line after one that ends a sentence begins a new paragraph when it is indented or
    a blank line comes between (a PDF's breaks inside a sentence are neither), or when the
    line before is longer than a printed line: a web page or Word file's paragraph."""
    return previous[-1] in _CLOSED and (after_blank or line[:1].isspace() or len(previous) > PRINTED_LINE_MAX)


def paragraphs(text: str) -> list[Paragraph]:
    """Lines joined into paragraphs; a short line without closing punctuation is a heading."""
    lines = [(start, line.rstrip("\r\n")) for start, line in _lines(text)]
    lengths = [len(line.strip()) for _, line in lines if line.strip()]
    typical = statistics.median(lengths) if lengths else 0
    found: list[Paragraph] = []
    first_start = next((start for start, line in lines if line.strip()), 0)
    begin: int | None = None
    last_end = 0
    previous, after_blank = "", False
    for start, line in lines:
        stripped = line.strip()
        if not stripped:
            after_blank = True
            continue
        if begin is not None and _starts_anew(previous, line, after_blank):
            found.append(Paragraph(len(found) + 1, begin, last_end, False))
            begin = None
        previous, after_blank = stripped, False
        line_start = start + line.index(stripped[0])
        line_end = line_start + len(stripped)
        heading = (len(stripped) <= HEADING_MAX and stripped[-1] not in _PARAGRAPH_END + "，、,"
                   and (len(stripped) < HEADING_SHARE * typical or start == first_start))
        if heading:
            if begin is not None:
                found.append(Paragraph(len(found) + 1, begin, last_end, False))
                begin = None
            found.append(Paragraph(len(found) + 1, line_start, line_end, True))
            continue
        if begin is None:
            begin = line_start
        last_end = line_end
        if stripped[-1] in _PARAGRAPH_END and len(stripped) < 0.9 * typical:
            found.append(Paragraph(len(found) + 1, begin, last_end, False))
            begin = None
    if begin is not None:
        found.append(Paragraph(len(found) + 1, begin, last_end, False))
    return found


def _kept(text: str, paragraph: Paragraph) -> list[tuple[int, str]]:
    """A paragraph's characters with their offsets, its line breaks (and the indentation
    around them) dropped; a space stays between two Latin words."""
    kept, cursor = [], paragraph.start
    for found in _BREAK.finditer(text, paragraph.start, paragraph.end):
        kept += [(k, text[k]) for k in range(cursor, found.start())]
        if _LATIN.match(text[found.start() - 1]) and _LATIN.match(text[found.end()]):  # a paragraph ends unspaced
            kept.append((found.start(), " "))
        cursor = found.end()
    return kept + [(k, text[k]) for k in range(cursor, paragraph.end)]


def around(text: str, start: int, end: int, margin: int) -> tuple[str, str, str]:
    """(up to `margin` characters before, text[start:end], up to `margin` after), each
    paragraph on a line of its own: a PDF's line breaks inside a paragraph are joined."""
    kept: list[tuple[int, str]] = []
    for paragraph in paragraphs(text):
        if kept:  # the break between paragraphs belongs to the one it ends
            kept.append((kept[-1][0] + 1, "\n"))
        kept += _kept(text, paragraph)
    offsets = [offset for offset, _ in kept]
    joined = "".join(character for _, character in kept)
    first, last = bisect.bisect_left(offsets, start), bisect.bisect_left(offsets, end)
    return joined[max(0, first - margin):first], joined[first:last], joined[last:last + margin]


def squeeze(text: str, start: int, end: int) -> tuple[str, list[int]]:
    segment = text[start:end]
    offsets = [start + m.start() for m in _VISIBLE.finditer(segment)]
    return _SPACE.sub("", segment).translate(_FULL_WIDTH), offsets


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    heading = ""
    for paragraph in paragraphs(text):
        squeezed, offsets = squeeze(text, paragraph.start, paragraph.end)
        if paragraph.is_heading:
            heading = squeezed
        for piece in _SENTENCE.finditer(squeezed):
            if piece[0].strip(SENTENCE_END):
                out.append(Sentence(piece[0], tuple(offsets[piece.start():piece.end()]), paragraph.number,
                                    "" if paragraph.is_heading else heading))
    return out
