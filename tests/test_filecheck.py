"""Broken and hostile files are refused by their bytes, before any parser sees them."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from loaders.filecheck import OLE_MAGIC, UnreadableFile, check_upload


def real_xlsx() -> bytes:
    book = Workbook()
    book.active.append(["指标", "地区", "年份", "数值"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item.filename)))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')


@pytest.mark.parametrize("name, make, message", [
    ("notes.xlsx", lambda: "这是一份说明文字，不是表格。".encode(), "不是 Excel 工作簿"),
    ("notes.xls", lambda: b"plain text pretending to be xls", "不是 Excel 工作簿"),
    ("empty.xlsx", lambda: b"", "空的"),
    ("cut.xlsx", lambda: real_xlsx()[:400], "已损坏"),
    ("macro.xlsx", lambda: rezip(real_xlsx(), extra={"xl/vbaProject.bin": b"\x00" * 100}), "宏"),
    ("bomb.xlsx", lambda: rezip(real_xlsx(), extra={"xl/media/zeros.bin": b"\x00" * 60_000_000}), "压缩炸弹"),
    ("entities.xlsx", lambda: rezip(real_xlsx(), replace={"xl/worksheets/sheet1.xml": ENTITY_BOMB}), "XML 实体"),
    ("locked.xlsx", lambda: OLE_MAGIC + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le"), "打开密码"),
    ("other.zip.xlsx", lambda: _plain_zip(), "不是 Excel"),
    ("binary.csv", lambda: b"\x00\x01\x02abc", "不是文本"),
])
def test_hostile_files_are_refused_with_a_chinese_message(name, make, message):
    with pytest.raises(UnreadableFile, match=message):
        check_upload(name, make())


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    return out.getvalue()


@pytest.mark.parametrize("name, make, kind", [
    ("ok.xlsx", real_xlsx, "xlsx"),
    ("renamed.xls", real_xlsx, "xlsx"),   # judged by content, not by name
    ("ok.csv", lambda: "指标,地区\n".encode("gbk"), "csv"),
    ("old.xls", lambda: OLE_MAGIC + b"\x00" * 512, "xls"),
])
def test_real_files_pass(name, make, kind):
    assert check_upload(name, make()).kind == kind
