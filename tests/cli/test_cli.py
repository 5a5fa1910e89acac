"""The `fazhi` command: init and export of the curated data, history, undo, backup, restore."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cli import main
from loaders.curated import read_curated
from paths import ROOT
from store.batches import BatchInfo, commit_batch
from tests.conftest import obs


@pytest.fixture(scope="module")
def curated_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("init") / "x.duckdb"
    assert main(["init", "--db", str(path)]) == 0
    return path


def test_init_keeps_an_existing_database(curated_db, capsys):
    before = curated_db.stat().st_mtime_ns
    assert main(["init", "--db", str(curated_db)]) == 0
    assert "已存在" in capsys.readouterr().out
    assert curated_db.stat().st_mtime_ns == before


def test_init_loads_every_curated_row_as_one_batch(curated_db):
    with duckdb.connect(str(curated_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == len(read_curated())
        assert con.execute("SELECT id, kind, n_new FROM batches").fetchall() == [
            (1, "curated", len(read_curated()))]
        assert con.execute("SELECT octet_length(file_bytes) FROM batches").fetchone()[0] > 0


def test_export_is_faithful_to_the_curated_sentences(curated_db, tmp_path):
    out = tmp_path / "x.csv"
    assert main(["export", "--db", str(curated_db), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        exported = list(csv.DictReader(f))
    assert len(exported) == len(read_curated())
    by_sentence_key = {(r["原文"], r["地区"], r["年份"], r["期间"], r["类型"], r["口径"], r["限定"]): r
                       for r in exported}
    for row in read_curated():
        key = (row["sentence"], row["region"], row["year"], row["period"], row["kind"] or "实际",
               row["scope"], row["qualifier"])
        assert key in by_sentence_key, row


def test_export_xlsx_has_the_interchange_columns(curated_db, tmp_path):
    out = tmp_path / "x.xlsx"
    assert main(["export", "--db", str(curated_db), "--out", str(out)]) == 0
    frame = pd.read_excel(out, engine="calamine")
    assert list(frame.columns) == ["指标", "地区", "口径", "年份", "期间", "类型", "数值", "限定", "单位", "来源",
                                   "原文", "备注", "分项"]


def test_python_m_loaders_is_the_same_command(curated_db):
    done = subprocess.run([sys.executable, "-m", "loaders", "history", "--db", str(curated_db)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and "curated" in done.stdout


@pytest.mark.parametrize("argv, code, message", [
    (["export", "--db", "/nonexistent/x.duckdb", "--out", "/tmp/x.csv"], 2, "不存在"),
    (["export", "--db", "{db}", "--out", "/tmp/x.txt"], 1, ".xlsx 或 .csv"),
    (["undo", "99", "--db", "{db}"], 1, "没有编号为 99"),
    (["restore", "/nonexistent/backup.duckdb", "--db", "{db}"], 2, "不存在"),
    # a path that cannot be written: a message, not Python's traceback
    (["export", "--db", "{db}", "--out", "/nonexistent/x.csv"], 2, "无法读写文件"),
    (["brief", "--db", "{db}", "--region", "姑苏区", "--year", "2020", "--out", "/nonexistent/x.docx"], 2, "无法读写文件"),
])
def test_errors_are_chinese_messages_with_exit_codes(argv, code, message, curated_db, capsys):
    argv = [a.replace("{db}", str(curated_db)) for a in argv]
    assert main(argv) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


# A command typed wrong is told in Chinese too, with argparse's exit code 2.
@pytest.mark.parametrize("argv, message", [
    (["import"], "fazhi import：错误：缺少参数：file"),
    (["undo", "abc"], "fazhi undo：错误：参数 batch 的值 'abc' 无效（应为整数）"),
    (["coverage", "--year", "二〇二二"], "参数 --year 的值 '二〇二二' 无效（应为整数）"),
    (["template", "--out", "x.xlsx", "--db", "x.duckdb"], "无法识别的参数：--db x.duckdb"),
    (["bogus"], "参数 command 的取值 'bogus' 无效，可选：'init'"),
    (["backup"], "缺少参数：--out"),
])
def test_a_command_typed_wrong_is_told_in_chinese(argv, message, capsys):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2 and message in err and err.startswith("用法：fazhi")
    assert "error" not in err and "usage" not in err and "required" not in err


def test_help_is_headed_in_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：fazhi import") and "选项：" in out and "显示本说明并退出" in out


def test_output_cut_short_by_its_reader_is_no_error(curated_db):
    """`fazhi coverage … | head -1`: no BrokenPipe traceback once the reader has had enough
    (the table, ~8 KB, outruns what the pipe takes before head has closed it)."""
    done = subprocess.run(f"'{sys.executable}' -m loaders coverage --year 2022 --db '{curated_db}' | head -1",
                          shell=True, capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.startswith("2022年") and "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_undo_refused_exit_1_when_a_later_batch_depends(make_db, tmp_path, capsys):
    con = make_db([obs("mediation_resolved", "姑苏区", 2023, 1)], name="u.duckdb")
    for value in (2, 3):
        commit_batch(con, pd.DataFrame([obs("mediation_resolved", "姑苏区", 2023, value)]),
                     BatchInfo(batch_type="import", user="t"))
    con.close()
    db = str(tmp_path / "u.duckdb")
    assert main(["undo", "2", "--db", db]) == 1
    assert "请先撤销" in capsys.readouterr().err
    assert main(["undo", "3", "--db", db]) == 0
    assert main(["undo", "2", "--db", db]) == 0
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT value FROM observations").fetchone() == (1,)


def test_backup_then_restore_round_trip(curated_db, tmp_path):
    work = tmp_path / "work.duckdb"
    work.write_bytes(curated_db.read_bytes())
    backup = tmp_path / "backup.duckdb"
    assert main(["backup", "--db", str(work), "--out", str(backup)]) == 0
    con = duckdb.connect(str(work))
    con.execute("DELETE FROM observations")
    con.close()
    assert main(["restore", str(backup), "--db", str(work)]) == 0
    with duckdb.connect(str(work), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == len(read_curated())
    with duckdb.connect(str(tmp_path / "work.duckdb.before-restore"), read_only=True) as con:  # what it replaced
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == 0


@pytest.mark.parametrize("kept", [0.6, 0.9])
def test_restore_refuses_a_truncated_backup_and_changes_nothing(curated_db, tmp_path, capsys, kept):
    """A cut-off copy still opens and its header still counts the rows: only reading every
    row finds it damaged (it once replaced a good database and reported success)."""
    work = tmp_path / "work.duckdb"
    work.write_bytes(curated_db.read_bytes())
    backup = tmp_path / "backup.duckdb"
    assert main(["backup", "--db", str(work), "--out", str(backup)]) == 0
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(backup.read_bytes()[:int(backup.stat().st_size * kept)])
    before = work.read_bytes()
    assert main(["restore", str(cut), "--db", str(work)]) == 2
    err = capsys.readouterr().err
    assert "已损坏" in err and "数据库未作任何改动" in err and "Traceback" not in err
    assert work.read_bytes() == before


def test_restore_refuses_a_file_that_is_not_a_backup(curated_db, tmp_path, capsys):
    fake = tmp_path / "fake.duckdb"
    fake.write_text("not a database")
    assert main(["restore", str(fake), "--db", str(curated_db)]) == 2
    assert "不是" in capsys.readouterr().err
