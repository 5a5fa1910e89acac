"""`fazhi collect` and `fazhi coverage` on the curated data: a round's workbooks, returned
untouched, filled in and corrected, through the ordinary import."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from cli import main
from loaders.reference import load_regions
from tests.fixtures.workbooks import snapshot, stored

COUNTY_LEVEL = [r.name for r in load_regions() if r.level == "区县"]
WUZHONG, LEGAL_AID = "320506", "legal_aid_cases"


@pytest.fixture(scope="module")
def curated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("collect") / "curated.duckdb"
    assert main(["init", "--db", str(path)]) == 0
    return path


@pytest.fixture
def db(curated, tmp_path) -> Path:
    """A copy of the curated database each test may change."""
    return Path(shutil.copy(curated, tmp_path / "x.duckdb"))


def collect(db: Path, out: Path, year: int, *extra: str) -> Path:
    assert main(["collect", "--db", str(db), "--year", str(year), "--out", str(out), "--user", "测试", *extra]) == 0
    return out


def set_value(path: Path, indicator: str, value: object, out: Path) -> Path:
    """The workbook with the 数值 of one indicator's row set, as a clerk would type it."""
    book = load_workbook(io.BytesIO(path.read_bytes()))
    sheet: Worksheet = book["数据征集表"]
    header = [c.value for c in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == indicator)
    row[header.index("数值")].value = value
    book.save(out)
    return out


def test_one_workbook_per_county_level_division(db, tmp_path):
    out = collect(db, tmp_path / "out", 2024)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}_2024年数据征集表.xlsx" for name in COUNTY_LEVEL)
    assert len(COUNTY_LEVEL) == 10


def test_an_untouched_workbook_changes_nothing(db, tmp_path, capsys):
    out = collect(db, tmp_path / "out", 2020, "--regions", "姑苏")  # 姑苏区 has 12 of the figures
    before = snapshot(db)
    assert main(["import", "--db", str(db), str(out / "姑苏区_2020年数据征集表.xlsx")]) == 0
    assert "新增 0 条，修改 0 条，不变 12 条" in capsys.readouterr().out
    assert snapshot(db) == before


def test_a_filled_blank_is_exactly_one_new_figure_and_then_full(db, tmp_path, capsys):
    out = collect(db, tmp_path / "out", 2024, "--regions", "吴中区")
    filled = set_value(out / "吴中区_2024年数据征集表.xlsx", "法律援助受理案件数", 321, tmp_path / "报回.xlsx")
    observations_before = len(snapshot(db)[0])
    assert main(["import", "--db", str(db), str(filled)]) == 0
    assert "新增 1 条，修改 0 条，不变 0 条" in capsys.readouterr().out
    assert len(snapshot(db)[0]) == observations_before + 1
    assert stored(db, LEGAL_AID, WUZHONG, 2024) == (321, "")
    assert main(["coverage", "--db", str(db), "--year", "2024"]) == 0
    printed = capsys.readouterr().out
    assert "法律援助受理案件数\t吴中区\t全年实际\t全年\t321件\t报回.xlsx" in printed
    assert "吴中区：已收齐 1/16" in printed


def test_a_changed_known_figure_shows_old_and_new(db, tmp_path, capsys):
    out = collect(db, tmp_path / "out", 2020, "--regions", "姑苏区")
    changed = set_value(out / "姑苏区_2020年数据征集表.xlsx", "行政复议新收案件数", 40, tmp_path / "改.xlsx")
    assert main(["import", "--db", str(db), "--dry-run", str(changed)]) == 0
    printed = capsys.readouterr().out
    assert "新增 0 条，修改 1 条，不变 11 条" in printed
    assert "修改 行政复议新收案件数 姑苏区 2020年全年 实际：38件 → 40件" in printed


def test_collect_records_the_round(db, tmp_path):
    collect(db, tmp_path / "out", 2024, "--regions", "姑苏区,园区")
    from tests.fixtures.workbooks import query

    assert query(db, "SELECT collection_id, year, region_ids, len(indicator_ids), user_name FROM collection_rounds") == [
        ("annual", 2024, ["320508", "320571"], 16, "测试")]


def test_an_unknown_region_is_refused(db, tmp_path, capsys):
    assert main(["collect", "--db", str(db), "--year", "2024", "--out", str(tmp_path / "o"), "--regions", "姑苏县"]) == 1
    assert "未知的区县：姑苏县" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_coverage_writes_a_table(db, tmp_path, suffix):
    import pandas as pd

    out = tmp_path / f"覆盖{suffix}"
    assert main(["coverage", "--db", str(db), "--year", "2020", "--out", str(out)]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str).fillna("") if suffix == ".csv" else \
        pd.read_excel(out, engine="calamine", dtype=str).fillna("")
    assert len(table) == 160
    gusu = table[(table["地区"] == "姑苏区") & (table["指标"] == "行政机关负责人出庭应诉率")].iloc[0]
    assert (gusu["状态"], gusu["数值"]) == ("全年实际", "近90%")
    advisors = table[(table["地区"] == "姑苏区") & (table["指标"] == "法律顾问人数")].iloc[0]
    assert advisors["状态"] == "仅部分期间" and advisors["期间"] == "1-6月"
