"""A filled 行政复议案件统计报表 through `fazhi import` with no option: figures and their
breakdowns land with region, period and provenance; the round trip stays a no-op;
undo removes the form's batch; an error writes nothing."""
from __future__ import annotations

import pytest

from cli import main
from store.connection import connect
from tests.fixtures.workbooks import query, resaved_as_xlsx, review_form_xls

GUSU = "320508"


@pytest.fixture
def db_path(catalog_db, tmp_path):
    catalog_db.close()
    return tmp_path / "catalog.duckdb"


def run(tmp_path, db_path, name: str, data: bytes, *options: str) -> int:
    file = tmp_path / name
    file.write_bytes(data)
    return main(["import", str(file), "--db", str(db_path), "--user", "测试员", *options])


@pytest.mark.parametrize("name,data", [("复议统计.xls", review_form_xls()),
                                       ("复议统计.xlsx", resaved_as_xlsx(review_form_xls()))])
def test_a_filled_form_imports_with_no_option(tmp_path, db_path, capsys, name, data):
    assert run(tmp_path, db_path, name, data) == 0
    assert "已导入为批次" in capsys.readouterr().out
    rows = query(db_path, """SELECT indicator_id, breakdown, value, sheet, cell, note FROM observations
                             WHERE region_id = ? AND year = 2023 AND period = '全年' AND scope = ''""", [GUSU])
    found = {(i, b): (v, sheet, cell, note) for i, b, v, sheet, cell, note in rows}
    assert found[("admin_review_received", "")][:3] == (55, "sheet1", "E59")
    assert found[("admin_review_closed", "")][0] == 47
    assert found[("admin_review_corrected", "")][0] == 8
    assert found[("admin_review_mediated", "")][0] == 12
    assert found[("admin_review_received", "公安")][:3] == (30, "sheet1", "E13")
    assert "行次1（公安）栏次2" in found[("admin_review_received", "公安")][3]
    # the derived rates, each part from its own figures
    rates = dict(query(db_path, """SELECT breakdown, round(value, 4) FROM derived_observations
                                   WHERE indicator_id = 'admin_review_settlement_rate' AND region_id = ?""", [GUSU]))
    assert rates[""] == round(12 / 47 * 100, 4) and rates["公安"] == round(7 / 26 * 100, 4)


def test_export_then_reimport_with_breakdowns_is_a_no_op(tmp_path, db_path, capsys):
    assert run(tmp_path, db_path, "复议统计.xls", review_form_xls()) == 0
    for suffix in ("xlsx", "csv"):
        out = tmp_path / f"all.{suffix}"
        assert main(["export", "--db", str(db_path), "--out", str(out)]) == 0
        capsys.readouterr()
        assert main(["import", str(out), "--db", str(db_path)]) == 0
        printed = capsys.readouterr().out
        assert "新增 0 条，修改 0 条" in printed and "没有新的或变化的数字" in printed


def test_undo_removes_the_forms_figures(tmp_path, db_path):
    before = query(db_path, "SELECT count(*) FROM observations")[0][0]
    assert run(tmp_path, db_path, "复议统计.xls", review_form_xls()) == 0
    batch = query(db_path, "SELECT max(id) FROM batches")[0][0]
    assert main(["undo", str(batch), "--db", str(db_path)]) == 0
    assert query(db_path, "SELECT count(*) FROM observations")[0][0] == before


def test_a_blank_form_writes_nothing_and_says_so(tmp_path, db_path, capsys):
    assert run(tmp_path, db_path, "空白.xls", review_form_xls(rows={}, period=None, unit=None)) == 0
    out = capsys.readouterr().out
    assert "没有填写任何数字" in out and "未写入" in out
    assert query(db_path, "SELECT count(*) FROM batches")[0][0] == 0


@pytest.mark.parametrize("change,where", [
    ({"extra": {"E13": "三十"}}, "第13行 E"),
    ({"period": "2022年 7月 至 2023年 6月"}, "第2行 A"),
    ({"unit": "北京市人民政府法制办公室"}, "第18行 AY"),
])
def test_an_error_writes_nothing(tmp_path, db_path, capsys, change, where):
    assert run(tmp_path, db_path, "复议统计.xls", review_form_xls(**change)) == 1
    assert where in capsys.readouterr().out
    assert query(db_path, "SELECT count(*) FROM observations")[0][0] == 0


def test_audit_warnings_are_printed_and_do_not_stop_the_import(tmp_path, db_path, capsys):
    from tests.fixtures.workbooks import REVIEW_FORM_ROWS, with_total

    rows = with_total(REVIEW_FORM_ROWS)
    rows[47] = {**rows[47], 3: 51}
    assert run(tmp_path, db_path, "复议统计.xls", review_form_xls(rows=rows)) == 0
    out = capsys.readouterr().out
    assert "审核提示" in out and "F59 = 51" in out and "F13:F58 = 52" in out
    con = connect(db_path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] > 0
    finally:
        con.close()
