"""While another process (the dashboard) holds the database: the read commands read the
newest published snapshot and say which; the write commands refuse, pointing to the page."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from cli import main
from loaders.curated import read_curated
from paths import ROOT
from paths.operations import snapshot_dir_for
from tests.fixtures.workbooks import long_workbook

# What the dashboard does to the file: hold it open for writing and publish a snapshot.
HOLDER = """
import sys
from pathlib import Path
from store.connection import connect
from store.snapshots import publish_snapshot
con = connect(sys.argv[1])
publish_snapshot(con, Path(sys.argv[2]), kept=3)
print("ready", flush=True)
sys.stdin.read()
"""


@pytest.fixture(scope="module")
def held_db(tmp_path_factory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("held") / "fazhi.duckdb"
    assert main(["init", "--db", str(path)]) == 0
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(snapshot_dir_for(path))], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield path
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_the_database_is_really_held(held_db):
    with pytest.raises(duckdb.IOException, match="(?i)lock"):
        duckdb.connect(str(held_db))


@pytest.mark.parametrize("command", [["export", "--out", "{tmp}/x.csv"], ["history"],
                                     ["backup", "--out", "{tmp}/b.duckdb"], ["coverage", "--year", "2020"],
                                     ["collect", "--year", "2020", "--out", "{tmp}/rounds"],
                                     ["brief", "--region", "姑苏区", "--year", "2020", "--out", "{tmp}/b.docx"]])
def test_read_commands_read_the_newest_snapshot_and_say_which(held_db, tmp_path, capsys, command):
    argv = [a.format(tmp=tmp_path) for a in command] + ["--db", str(held_db)]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "看板正在使用数据库" in err and "发布的快照（至批次 1）" in err


def test_backup_taken_while_held_is_the_whole_database(held_db, tmp_path):
    out = tmp_path / "b.duckdb"
    assert main(["backup", "--db", str(held_db), "--out", str(out)]) == 0
    with duckdb.connect(str(out), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == len(read_curated())
        assert con.execute("SELECT count(*) FROM derived_observations").fetchone()[0] > 0
    assert main(["backup", "--db", str(held_db), "--out", str(out)]) == 1  # never overwrites a backup


@pytest.mark.parametrize("command", [["import", "{file}"], ["undo", "1"], ["restore", "{backup}"],
                                     ["init", "--force"]])
def test_writes_refuse_and_point_to_the_page(held_db, tmp_path, capsys, command):
    file = tmp_path / "u.xlsx"
    file.write_bytes(long_workbook([["人民调解成功调处矛盾纠纷数", "姑苏区", "", 2031, "全年", "实际", 5, "", "件"]]))
    backup = tmp_path / "b.duckdb"
    assert main(["backup", "--db", str(held_db), "--out", str(backup)]) == 0
    capsys.readouterr()
    before = held_db.stat().st_mtime_ns
    argv = [a.format(file=file, backup=backup) for a in command] + ["--db", str(held_db)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "正被正在运行的看板使用" in err and "请在看板的“数据更新”页" in err
    assert held_db.stat().st_mtime_ns == before
