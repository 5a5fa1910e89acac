"""The briefing of 姑苏区 2020 from the curated data (tests/conftest.py curated_path), gathered once (its chart is a real
report image) and written as both documents, for the read-back and rendering tests."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from exports import DOCUMENT_FORMATS
from exports.briefing import Briefing, gather
from store.connection import connect

GUSU = "320508"
ISSUED = dt.date(2026, 12, 1)


@pytest.fixture(scope="session")
def gusu_2020(curated_path) -> Briefing:
    con = connect(curated_path, read_only=True)
    try:
        return gather(con, GUSU, 2020, issued=ISSUED)
    finally:
        con.close()


@pytest.fixture(scope="session")
def gusu_files(gusu_2020, tmp_path_factory) -> dict[str, Path]:
    """{'.docx': path, '.pptx': path} of the 姑苏区 2020 briefing."""
    folder = tmp_path_factory.mktemp("briefing")
    files = {}
    for suffix, document in DOCUMENT_FORMATS.items():
        files[suffix] = folder / f"{gusu_2020.title}{suffix}"
        document.write(gusu_2020, files[suffix])
    return files
