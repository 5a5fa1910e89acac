"""Look at an uploaded file's bytes before any parser does, and refuse the hostile ones.

A workbook parser given a zip bomb, an XML entity bomb or a million-row sheet can take
the server down; checking the container first costs microseconds. Every refusal is a
Chinese message for the clerk who sent the file.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

MAX_FILE_BYTES = 20 * 1024 * 1024            # matches server.maxUploadSize in .streamlit/config.toml
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024   # all parts of an .xlsx together, once unpacked
MAX_COMPRESSION_RATIO = 200                  # real workbooks compress ~10:1; bombs 1000:1 and more
MAX_ZIP_MEMBERS = 5000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx (both OLE containers)
ZIP_MAGIC = b"PK\x03\x04"
_ENTITY = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class UnreadableFile(ValueError):
    """The file is refused before parsing; str() is the message for the user."""


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # xlsx | xls | csv
    data: bytes


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as err:
        raise UnreadableFile("文件已损坏（压缩包不完整），无法读取。请重新保存后再上传。") from err
    names = {m.filename for m in members}
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnreadableFile("文件内部结构异常（部件过多），已拒绝。")
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UnreadableFile("这不是 Excel 工作簿（.xlsx）。请上传 .xlsx、.xls 或 .csv 文件。")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UnreadableFile("工作簿含有宏（.xlsm），出于安全考虑不予读取。请另存为不含宏的 .xlsx 后再上传。")
    total = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise UnreadableFile("文件解压后异常庞大（疑似“压缩炸弹”），已拒绝，未作解析。")
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            with archive.open(member) as part:
                head = part.read(4096)
            if _ENTITY.search(head):
                raise UnreadableFile("工作簿内含 XML 实体声明（可能是恶意构造的文件），已拒绝。")


def check_upload(file_name: str, data: bytes) -> CheckedFile:
    """Classify the upload by its bytes, not its name, and refuse what must not be parsed."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，已拒绝。请拆分后上传。")
    if not data.strip():
        raise UnreadableFile("文件是空的。")
    if data.startswith(ZIP_MAGIC):
        _check_zip(data)
        return CheckedFile("xlsx", data)
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
            raise UnreadableFile("工作簿设置了打开密码，无法读取。请取消密码后再上传。")
        return CheckedFile("xls", data)
    if file_name.lower().endswith(".csv"):
        if b"\x00" in data[:4096]:
            raise UnreadableFile("这不是文本格式的 CSV 文件。")
        return CheckedFile("csv", data)
    raise UnreadableFile("这不是 Excel 工作簿或 CSV 文件（文件内容与扩展名不符）。请上传 .xlsx、.xls 或 .csv 文件。")
