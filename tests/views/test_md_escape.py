"""The one escaping rule for user text shown through Markdown (views/common.md_escape)."""
from __future__ import annotations

import pytest

from views.common import md_escape

WJ = "\u2060"  # word joiner: invisible, breaks GFM's bare-URL and e-mail autolinks


@pytest.mark.parametrize(("text", "expected"), [
    ("[点此](http://evil.example/p)", f"\\[点此\\]\\(http{WJ}\\://evil\\.example/p\\)"),
    ("![t](http://127.0.0.1:9999/b.png)", f"\\!\\[t\\]\\(http{WJ}\\://127\\.0\\.0\\.1\\:9999/b\\.png\\)"),
    ("<img src=x>", "\\<img src=x\\>"),
    ("www.evil.example", f"www{WJ}\\.evil\\.example"),
    ("a@evil.example", f"a{WJ}@evil\\.example"),
    ("**粗** _斜_ `码` $x$ :material/home:", "\\*\\*粗\\*\\* \\_斜\\_ \\`码\\` \\$x\\$ \\:material/home\\:"),
    ("人民调解成功调处矛盾纠纷数（1-10月）", "人民调解成功调处矛盾纠纷数（1\\-10月）"),
    (None, "None"),
])
def test_md_escape(text, expected):
    assert md_escape(text) == expected
