"""Exported Excel and CSV never carry a live formula from user text; pages render no
user text as HTML."""
from __future__ import annotations

import csv
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from exports.tabular import export_frame, write_csv, write_xlsx
from paths import ROOT
from tests.conftest import obs

HOSTILE = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "=1+1", "\t=1"]


@pytest.fixture
def hostile_db(make_db):
    rows = [obs("mediation_resolved", "姑苏区", 2000 + i, 1, sentence=text, note=text) for i, text in enumerate(HOSTILE)]
    return make_db(rows)


def test_xlsx_export_has_no_formula_cells(hostile_db, tmp_path):
    out = tmp_path / "x.xlsx"
    write_xlsx(export_frame(hostile_db), out)
    sheet = load_workbook(out).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert set(HOSTILE) <= texts  # kept exactly as written, as text


def test_csv_export_neutralises_formula_text(hostile_db, tmp_path):
    out = tmp_path / "x.csv"
    write_csv(export_frame(hostile_db), out)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for column in ("原文", "备注"):
            assert not re.match(r"[=+\-@\t\r]", row[column]), row[column]
    assert {r["原文"] for r in rows} == {"'" + h for h in HOSTILE}


def test_negative_numbers_stay_numbers(make_db, tmp_path):
    con = make_db([obs("mediation_resolved", "姑苏区", 2020, -3)])
    out = tmp_path / "x.csv"
    write_csv(export_frame(con), out)
    assert pd.read_csv(out, encoding="utf-8-sig")["数值"].tolist() == [-3]


def test_pages_render_no_html_from_data():
    """HTML (unsafe_allow_html, st.html) is allowed only for static CSS or script, never with data in it."""
    for path in [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "unsafe_allow_html=True" in line or "st.html(" in line:
                assert "STATIC_CSS" in line or "STATIC_SCRIPT" in line, f"{path.name}:{number} renders HTML: {line.strip()}"
