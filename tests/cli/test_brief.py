"""`fazhi brief` as ../shared/interchange.md specifies it: a .docx or .pptx briefing of a
region and year; exit 1 with a Chinese message for a region and year without figures."""
from __future__ import annotations

import pytest
from docx import Document
from pptx import Presentation

from cli import main

TITLE = "姑苏区2020年法治政府建设主要指标简报"


@pytest.mark.parametrize("suffix", [".docx", ".pptx"])
def test_brief_writes_the_document(curated_path, tmp_path, capsys, suffix):
    out = tmp_path / f"b{suffix}"
    assert main(["brief", "--db", str(curated_path), "--region", "姑苏区", "--year", "2020", "--out", str(out)]) == 0
    assert "7 项重点指标，1 张图表" in capsys.readouterr().out
    if suffix == ".docx":
        doc = Document(out)
        assert doc.paragraphs[0].text == TITLE and len(doc.inline_shapes) == 1
        assert "近90%\n2020年" in [c.text for row in doc.tables[0].rows for c in row.cells]
    else:
        deck = Presentation(out)
        title = deck.slides[0].shapes
        assert any(s.has_text_frame and s.text_frame.text == TITLE for s in title)
        assert sum(s.shape_type == 13 for slide in deck.slides for s in slide.shapes) == 1


# (arguments, message): each refused with exit 1 and nothing written.
REFUSED = [
    (["--region", "太仓市", "--year", "2020"], "太仓市2020年没有任何实际数字，未生成简报。"),
    (["--region", "火星区", "--year", "2020"], "地区“火星区”不在地区目录中"),
]


@pytest.mark.parametrize(("args", "message"), REFUSED)
def test_brief_refuses_with_a_message(curated_path, tmp_path, capsys, args, message):
    out = tmp_path / "b.docx"
    assert main(["brief", "--db", str(curated_path), *args, "--out", str(out)]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_brief_names_the_formats_it_writes(curated_path, tmp_path, capsys):
    assert main(["brief", "--db", str(curated_path), "--region", "姑苏", "--year", "2020",
                 "--out", str(tmp_path / "b.pdf")]) == 1
    assert ".docx（Word）或 .pptx（PowerPoint）" in capsys.readouterr().err
