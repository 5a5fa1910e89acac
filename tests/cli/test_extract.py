"""`fazhi extract` on each seed report, then `fazhi import` of the file it wrote into a
fresh database (catalog and regions, no figures): the curated figures come back."""
from __future__ import annotations

import pandas as pd
import pytest

from cli import main
from loaders.curated import read_curated
from loaders.reference import load_sources
from store.connection import connect, migrate
from store.reference import write_reference
from tests.loaders.reports.quality import RECALL_FLOOR_CLI, curated_store_keys

SEEDS = {s.id: s for s in load_sources()}


@pytest.fixture
def fresh_db(tmp_path):
    path = tmp_path / "fresh.duckdb"
    con = connect(path)
    migrate(con)
    write_reference(con)
    con.close()
    return path


def test_extract_then_import_reproduces_the_curated_figures(fresh_db, tmp_path, capsys):
    for source in SEEDS.values():
        out = tmp_path / f"{source.id}.xlsx"
        assert main(["extract", str(source.path), "--source", source.title, "--out", str(out)]) == 0
        assert main(["import", str(out), "--db", str(fresh_db), "--user", "测试"]) == 0
    con = connect(fresh_db, read_only=True)
    try:
        stored = con.execute("SELECT indicator_id, region_id, scope, year, period, kind, value, qualifier, "
                             "source_label, sentence FROM observations").fetchall()
    finally:
        con.close()
    keys = {row[:8] for row in stored}
    truth = curated_store_keys(read_curated())
    assert len(truth & keys) / len(truth) >= RECALL_FLOOR_CLI
    titles = {s.title for s in SEEDS.values()}
    assert all(row[8] in titles and row[9] for row in stored)  # every figure names its report and sentence


def test_extract_writes_the_contract_columns(tmp_path):
    source = SEEDS["gusu-2020-report"]
    out = tmp_path / "c.csv"
    assert main(["extract", str(source.path), "--out", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns)[:15] == ["指标", "地区", "口径", "年份", "期间", "类型", "数值", "限定", "单位", "来源",
                                        "原文", "备注", "采纳", "置信", "位置"]
    assert set(frame["采纳"]) == {"是", "否"} and set(frame["置信"]) <= {"高", "中", "低"}
    assert frame["位置"].str.match(r"^第\d+段，第\d+字$").all()


def test_import_of_candidates_takes_only_the_accepted_rows(fresh_db, tmp_path, capsys):
    frame = pd.DataFrame([
        ["办理公证件数", "姑苏区", "", 2031, "全年", "实际", "100", "", "件", "某报告", "全年累计办理公证100件。", "", "是"],
        ["律师人数", "姑苏区", "", 2031, "全年", "实际", "7", "", "人", "某报告", "七人。", "", "否"],
    ], columns=["指标", "地区", "口径", "年份", "期间", "类型", "数值", "限定", "单位", "来源", "原文", "备注", "采纳"])
    path = tmp_path / "候选.csv"
    frame.to_csv(path, index=False)
    assert main(["import", str(path), "--db", str(fresh_db)]) == 0
    assert "新增 1 条" in capsys.readouterr().out


@pytest.mark.parametrize("name, data, message", [
    ("旧.doc", b"\xd0\xcf\x11\xe0", "另存为 .docx"),
    ("扫描.pdf", b"%PDF-1.4\n%%EOF", "PDF"),
])
def test_unreadable_report_exits_2_with_a_message(tmp_path, capsys, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["extract", str(path), "--out", str(tmp_path / "c.xlsx")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_report_without_figures_says_so(tmp_path, capsys):
    path = tmp_path / "空.txt"
    path.write_text("姑苏区2021年法治政府建设工作报告\n工作稳步推进。", encoding="utf-8")
    assert main(["extract", str(path), "--out", str(tmp_path / "c.xlsx")]) == 0
    assert "没有找到数字" in capsys.readouterr().out
