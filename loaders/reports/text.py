"""The text of a report file: .txt (UTF-8 or GBK), .docx, .pdf with a text layer, .html.

Every refusal is an UnreadableFile with a Chinese message; the file is checked for its
size first, and a .docx as a zip like any Office upload.
"""
from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from pathlib import PurePath

from loaders.filecheck import UnreadableFile

MAX_REPORT_BYTES = 20 * 1024 * 1024
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
REPORT_SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".htm")
_OLD_WORD = (".doc", ".wps")
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "td", "title"}
_SKIP_TAGS = {"script", "style", "noscript", "head"}


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("文本文件的编码无法识别，请另存为 UTF-8 或 GBK 编码后再上传。")


def _docx_text(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise UnreadableFile("这不是有效的 .docx 文件（可能已损坏或只是改了扩展名），请用 Word 或 WPS 另存为 .docx。") from err
    if sum(i.file_size for i in archive.infolist()) > MAX_DOCX_UNPACKED:
        raise UnreadableFile("文件解压后异常庞大，已拒收。")
    if any(b"<!ENTITY" in archive.read(name)[:4096] for name in archive.namelist() if name.endswith(".xml")):
        raise UnreadableFile("文件含有 XML 实体声明，出于安全考虑已拒收。")
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:  # a figure may sit in a table of the report
        lines.extend("　".join(cell.text for cell in row.cells) + "。" for row in table.rows)
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as err:
        raise UnreadableFile("PDF 文件无法打开（可能已损坏、加密或不是 PDF）。") from err
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableFile("这份 PDF 没有文字层（可能是扫描件），无法读取文字。请上传可复制文字的 PDF、Word 或文本文件。")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _html_text(data: bytes) -> str:
    collector = _TextCollector()
    collector.feed(decode_text(data))
    collector.close()
    return "".join(collector.parts)


def report_text(file_name: str, data: bytes) -> str:
    """The report's text as its lines; UnreadableFile when the file cannot be read as one."""
    suffix = PurePath(file_name).suffix.lower()
    if len(data) > MAX_REPORT_BYTES:
        raise UnreadableFile("文件超过 20 MB，已拒收。")
    if suffix in _OLD_WORD:
        raise UnreadableFile(f"不能读取 {suffix} 格式（旧版 Word/WPS 文档），请用 Word 或 WPS 另存为 .docx 后再上传。")
    if suffix == ".docx":
        return _docx_text(data)
    if suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise UnreadableFile("这不是 PDF 文件（内容与扩展名不符）。")
        return _pdf_text(data)
    if suffix in (".html", ".htm"):
        return _html_text(data)
    if suffix == ".txt":
        return decode_text(data)
    raise UnreadableFile(f"报告须为 .txt、.docx、.pdf 或 .html 文件（收到 {suffix or '无扩展名'}）。")
