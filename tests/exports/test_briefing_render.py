"""Both briefing documents opened as a reader's office suite opens them: LibreOffice
(Debian libreoffice-writer-nogui / -impress-nogui, installed by `make test`) converts each
to PDF, poppler-utils reads its text and fonts and renders its pages to PNG in
test-artifacts/briefing/ for a person to look at. With CI=true a missing tool fails."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, require

TOOLS = ("soffice", "pdftotext", "pdffonts", "pdftoppm")
CONVERT_TIMEOUT_S = 180


def _tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    require(not missing, f"{', '.join(missing)} not installed (make test installs LibreOffice and poppler-utils)")


def to_pdf(document: Path, out_dir: Path) -> Path:
    """One conversion with its own LibreOffice profile: two conversions sharing one
    profile (another test, another engineer's run) would wait on each other's lock."""
    profile = out_dir / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(out_dir), str(document)],
                   check=True, capture_output=True, timeout=CONVERT_TIMEOUT_S)
    pdf = out_dir / f"{document.stem}.pdf"
    assert pdf.exists(), f"LibreOffice wrote no PDF for {document.name}"
    return pdf


def pdf_text(pdf: Path) -> str:
    """The PDF's text without whitespace: LibreOffice spaces Chinese from digits on the
    page, which pdftotext may read back as spaces."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("suffix", [".docx", ".pptx"])
def test_libreoffice_shows_title_figures_and_sources(gusu_2020, gusu_files, tmp_path, suffix):
    _tools()
    pdf = to_pdf(gusu_files[suffix], tmp_path)
    text = pdf_text(pdf)
    expected = [gusu_2020.title, "近90%", "130余件", "+15个百分点", "姑苏区2020年法治政府建设工作报告（姑苏区人民政府）",
                gusu_2020.charts[0].takeaway]
    assert [e for e in expected if re.sub(r"\s+", "", e) not in text] == []
    # Chinese drawn with a CJK font (LibreOffice substitutes Noto CJK for 黑体, 仿宋_GB2312,
    # 微软雅黑); a font without the glyphs would leave boxes, however the text extracts.
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "CJK" in fonts, fonts
    pages = ARTIFACTS / "briefing"
    pages.mkdir(parents=True, exist_ok=True)
    for old in pages.glob(f"{suffix[1:]}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(pages / suffix[1:])], check=True, timeout=120)
    assert len(list(pages.glob(f"{suffix[1:]}-*.png"))) >= (4 if suffix == ".pptx" else 2)
