"""`fazhi import` end to end: validation, preview, one-batch commit, undo, exit codes."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from cli import main
from exports.issues import issues_workbook
from exports.tabular import LONG_COLUMNS, export_frame, write_csv, write_xlsx
from loaders.validate import ISSUE_COLUMNS
from store.connection import connect
from store.imports import commit_import, plan_import
from tests.conftest import SMALL_ROWS
from tests.fixtures.workbooks import (
    CSV_TEXT,
    GUSU,
    assert_office_figures_stored,
    long_workbook,
    office_workbook,
    query,
    saved_by_excel,
    snapshot,
    stored,
    xlsx_bytes,
)


@pytest.fixture
def db_path(make_db, tmp_path):
    """The small database as a file the command opens (no connection left open)."""
    make_db(SMALL_ROWS, name="import.duckdb").close()
    return tmp_path / "import.duckdb"



def run(tmp_path, db_path, name: str, data: bytes, *options: str) -> int:
    file = tmp_path / name
    file.write_bytes(data)
    return main(["import", str(file), "--db", str(db_path), "--user", "测试员", *options])


def test_wide_office_sheet_lands_in_canonical_units(tmp_path, db_path, capsys):
    assert run(tmp_path, db_path, "汇总表.xlsx", office_workbook()) == 0
    assert "新增 7 条" in capsys.readouterr().out
    assert_office_figures_stored(db_path)
    assert stored(db_path, "head_appearance_rate", GUSU, 2022) == (90, "")
    # the sheet's 注 says 2023 runs to the end of October: stored as 1-10月, never as the whole year
    assert stored(db_path, "lenient_penalty_amount", GUSU, 2023) is None
    assert stored(db_path, "lenient_penalty_amount", GUSU, 2023, "1-10月") == (120000, "")
    assert query(db_path, "SELECT note FROM observations WHERE indicator_id = 'lenient_penalty_amount' AND year = 2023") == [
        ("注：2023年数据截至10月底。",)]
    (batch,) = query(db_path, "SELECT kind, user_name, file_name, file_sha256 IS NOT NULL, options FROM batches"
                              " WHERE kind = 'import'")
    assert batch[:4] == ("import", "测试员", "汇总表.xlsx", True)
    (cell,) = query(db_path, "SELECT sheet, cell, source_label, value_text FROM observations"
                             " WHERE indicator_id = 'mediation_resolved' AND year = 2021")
    assert cell == ("汇总表", "D4", "汇总表.xlsx", "约1.2万")


def test_long_template_with_region_alias_and_period(tmp_path, db_path):
    data = long_workbook([["人民调解案件数", "姑苏", "", "2024年", "截至10月底", "", "2.1万", "", "件", "区报告"]])
    assert run(tmp_path, db_path, "明细.xlsx", data) == 0
    assert stored(db_path, "mediation_resolved", "320508", 2024, "1-10月") == (21000, "")


# One workbook per validation error: (rows, where the issue is, words of the message).
INVALID = {
    "unknown region": ([["行政应诉案件数", "姑苏县", "", 2021, "", "", 5]], "B3", "姑苏区"),
    "unknown scope": ([["行政应诉案件数", "姑苏区", "区司法所", 2021, "", "", 5]], "C3", "未登记的口径“区司法所”（是否是：区司法局"),
    "unknown indicator": ([["行政应诉案件总数", "姑苏区", "", 2021, "", "", 5]], "A3", "行政应诉案件数"),
    "unreadable year": ([["行政应诉案件数", "姑苏区", "", "二〇二一", "", "", 5]], "D3", "年份"),
    "unreadable period": ([["行政应诉案件数", "姑苏区", "", 2021, "下半年", "", 5]], "E3", "期间"),
    "unknown kind": ([["行政应诉案件数", "姑苏区", "", 2021, "", "预测", 5]], "F3", "类型"),
    "not a number": ([["行政应诉案件数", "姑苏区", "", 2021, "", "", "很多"]], "G3", "不是可识别的数字"),
    "unknown qualifier": ([["行政应诉案件数", "姑苏区", "", 2021, "", "", 5, "大概"]], "H3", "限定"),
    "negative count": ([["行政应诉案件数", "姑苏区", "", 2021, "", "", -5]], "G3", "不能为负数"),
    "share above 100": ([["行政机关负责人出庭应诉率", "姑苏区", "", 2021, "", "", 120]], "G3", "超出 0–100"),
    "negative share": ([["行政机关负责人出庭应诉率", "姑苏区", "", 2021, "", "", "-0.5%"]], "G3", "超出 0–100"),
    "unconvertible unit": ([["行政机关负责人出庭应诉率", "姑苏区", "", 2021, "", "", 85, "", "件"]], "I3", "无法换算"),
    "unconvertible unit named as written": ([["行政应诉案件数", "姑苏区", "", 2021, "", "", "1.2万", "", "万元"]], "I3",
                                            "单位“万元”无法换算"),
    "one key twice": ([["行政应诉案件数", "姑苏区", "", 2021, "", "", 5],
                       ["行政应诉案件数", "姑苏", "全区", "2021年", "全年", "实际", 6]], "G4", "出现两次且不一致"),
    "the same months twice": ([["行政应诉案件数", "姑苏区", "", 2021, "上半年", "", 5],
                               ["行政应诉案件数", "姑苏区", "", 2021, "1-6月", "", 6]], "G4", "是同一段月份"),
    "new indicator without unit": ([["全新指标", "姑苏区", "", 2021, "", "", 5]], "A3", "未登记的指标"),
    "too large for a number": ([["免罚轻罚涉及金额", "姑苏区", "", 2021, "", "", 1e308, "", "亿元"]], "G3", "过大"),
    "formula without its result": ([["行政应诉案件数", "姑苏区", "", 2021, "", "", "=2+3"]], "G3",
                                   "单元格 G3 是公式，但文件中没有保存它的计算结果"),
}


def test_a_scope_alias_is_stored_as_its_declared_name(tmp_path, db_path):
    data = long_workbook([["行政应诉案件数", "姑苏区", "以区政府为被告", 2031, "", "", 5]])
    assert run(tmp_path, db_path, "口径.xlsx", data) == 0
    assert query(db_path, "SELECT scope FROM observations WHERE year = 2031") == [("区政府本级",)]


@pytest.mark.parametrize("rows, cell, words", INVALID.values(), ids=INVALID.keys())
def test_each_validation_error_writes_nothing(tmp_path, db_path, capsys, rows, cell, words):
    before = snapshot(db_path)
    assert run(tmp_path, db_path, "错误.xlsx", long_workbook(rows)) == 1
    out = capsys.readouterr().out
    assert "未写入任何数据" in out and words in out and f" {cell[0]}（" in out and f"第{cell[1:]}行" in out
    assert snapshot(db_path) == before


def test_a_region_named_on_the_command_line_that_is_like_none_still_gets_a_hint(tmp_path, db_path, capsys):
    data = long_workbook([["行政应诉案件数", "", "", 2021, "", "", 5]])
    assert run(tmp_path, db_path, "无地区.xlsx", data, "--region", "火星区") == 1
    assert "指定的地区“火星区”不在地区目录中（地区须为苏州市或其下辖的区县、街道，如姑苏区" in capsys.readouterr().out


def test_a_file_holding_no_table_is_an_error_and_a_blank_table_is_nothing_to_do(tmp_path, db_path, capsys):
    before = snapshot(db_path)
    assert run(tmp_path, db_path, "通讯录.csv", "姓名,电话\n张三,123\n".encode()) == 1
    assert "没有找到可识别的表格" in capsys.readouterr().out
    assert run(tmp_path, db_path, "空表.xlsx", long_workbook([])) == 0
    assert "没有找到可导入的数字" in capsys.readouterr().out
    assert snapshot(db_path) == before


def test_a_formula_saved_by_excel_imports_its_result(tmp_path, db_path):
    data = saved_by_excel(long_workbook([["行政应诉案件数", "吴中区", "", 2021, "", "", "=2+3"]]), "2+3", "5")
    assert run(tmp_path, db_path, "公式.xlsx", data) == 0
    assert stored(db_path, "admin_litigation_cases", "320506", 2021) == (5, "")


def test_every_problem_is_reported_at_once(db_path):
    rows = [["行政应诉案件数", "姑苏县", "", 2021, "", "", 5],
            ["行政应诉案件数", "姑苏区", "", 2021, "下半年", "", "很多"],
            ["行政机关负责人出庭应诉率", "姑苏区", "", 2021, "", "", 120]]
    con = connect(db_path)
    plan = plan_import(con, "x.xlsx", long_workbook(rows))
    con.close()
    # Row 4's value and its period are both wrong: both are said, not the first alone.
    assert [(i.row, i.column[0]) for i in plan.validation.issues] == [(3, "B"), (4, "G"), (4, "E"), (5, "G")]
    assert plan.preview.empty


def test_identical_duplicates_are_kept_once(tmp_path, db_path):
    rows = [["行政应诉案件数", "吴中区", "", 2021, "", "", 5], ["行政应诉案件数", "吴中", "", 2021, "", "", "5件"]]
    assert run(tmp_path, db_path, "x.xlsx", long_workbook(rows)) == 0
    assert stored(db_path, "admin_litigation_cases", "320506", 2021) == (5, "")


def test_sheet_without_region_needs_one(tmp_path, db_path, capsys):
    book = Workbook()
    book.active.append(["指标", "单位", "2021"])
    book.active.append(["行政应诉案件数", "起", 44])
    data = xlsx_bytes(book)
    assert run(tmp_path, db_path, "x.xlsx", data) == 1
    assert "没有“地区”列" in capsys.readouterr().out
    assert run(tmp_path, db_path, "x.xlsx", data, "--region", "相城") == 0
    assert stored(db_path, "admin_litigation_cases", "320507", 2021) == (44, "")


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_csv_import(tmp_path, db_path, encoding):
    text = CSV_TEXT.replace("出庭应诉率", "行政机关负责人出庭应诉率")
    assert run(tmp_path, db_path, "填报.csv", text.encode(encoding)) == 0
    assert stored(db_path, "mediation_resolved", "320508", 2023) == (25000, "")  # was 25000: unchanged
    assert stored(db_path, "head_appearance_rate", "320508", 2020) == (90, "近")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_changes_nothing(tmp_path, db_path, capsys, suffix):
    con = connect(db_path)
    frame = export_frame(con)
    con.close()
    out = tmp_path / f"export{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(frame, out)
    before = snapshot(db_path)
    assert main(["import", str(out), "--db", str(db_path)]) == 0
    printed = capsys.readouterr().out
    assert f"新增 0 条，修改 0 条，不变 {len(SMALL_ROWS)} 条" in printed and "未写入" in printed
    assert snapshot(db_path) == before


def test_undo_restores_earlier_values_exactly(tmp_path, db_path):
    before = snapshot(db_path)
    rows = [["行政机关负责人出庭应诉率", "姑苏区", "", 2020, "", "", 92],
            ["行政应诉案件数", "吴江区", "", 2022, "", "", 17]]
    assert run(tmp_path, db_path, "更新.xlsx", long_workbook(rows)) == 0
    assert stored(db_path, "head_appearance_rate", "320508", 2020) == (92, "")
    (batch_id,) = query(db_path, "SELECT max(id) FROM batches")[0]
    assert main(["undo", str(batch_id), "--db", str(db_path)]) == 0
    observations, _, indicators = snapshot(db_path)
    assert (observations, indicators) == (before[0], before[2])


def test_dry_run_writes_nothing(tmp_path, db_path, capsys):
    before = snapshot(db_path)
    assert run(tmp_path, db_path, "汇总表.xlsx", office_workbook(), "--dry-run") == 0
    assert "试运行" in capsys.readouterr().out
    assert snapshot(db_path) == before


def test_new_indicator_is_created_with_its_batch_and_undone_with_it(tmp_path, db_path, capsys):
    rows = [["公共法律服务中心接待量", "姑苏区", "", 2023, "", "", "1.5万", "", "人次"]]
    assert run(tmp_path, db_path, "新.xlsx", long_workbook(rows), "--allow-new-indicators") == 0
    assert "将新建指标“公共法律服务中心接待量”" in capsys.readouterr().out
    (batch_id,) = query(db_path, "SELECT max(id) FROM batches")[0]
    (indicator,) = query(db_path, "SELECT id, unit, type, origin, created_batch, category_id FROM indicators"
                                  " WHERE name = '公共法律服务中心接待量'")
    assert indicator[1:] == ("人次", "流量", "import", batch_id, "oversight")  # the last category
    assert stored(db_path, indicator[0], "320508", 2023) == (15000, "")
    assert main(["undo", str(batch_id), "--db", str(db_path)]) == 0
    assert query(db_path, "SELECT count(*) FROM indicators WHERE origin = 'import'") == [(0,)]
    assert "删除 1 条，恢复 0 条" in capsys.readouterr().out
    # undoing the undo brings back the indicator with its figure (`fazhi undo` and the page agree)
    assert main(["undo", str(batch_id + 1), "--db", str(db_path)]) == 0
    assert "重新加入 1 条" in capsys.readouterr().out
    assert query(db_path, "SELECT id, unit, created_batch FROM indicators WHERE origin = 'import'") == [
        (indicator[0], "人次", batch_id)]
    assert stored(db_path, indicator[0], "320508", 2023) == (15000, "")
    assert main(["history", "--db", str(db_path)]) == 0
    history = capsys.readouterr().out
    assert "撤销批次" in history and "删除" in history and "nan" not in history


@pytest.mark.parametrize("failing", [
    "store.batches._insert_batch",     # before the indicators are written
    "store.batches.derived.refresh",   # after the indicators and the figures are written
])
def test_a_failed_commit_creates_no_indicator(db_path, monkeypatch, failing):
    rows = [["公共法律服务中心接待量", "姑苏区", "", 2023, "", "", 15000, "", "人次"]]
    con = connect(db_path)
    plan = plan_import(con, "新.xlsx", long_workbook(rows), allow_new_indicators=True)
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(failing, fail)
    with pytest.raises(RuntimeError):
        commit_import(con, plan, "测试员")
    assert con.execute("SELECT count(*) FROM indicators WHERE origin = 'import'").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM batches WHERE kind = 'import'").fetchall() == [(0,)]
    con.close()


@pytest.mark.parametrize("name, data, message", [
    ("renamed.xlsx", "这只是一个文本文件，不是工作簿".encode(), "不是 Excel 工作簿"),
    ("missing.xlsx", None, "不存在"),
])
def test_unreadable_file_exits_2_with_a_message_not_a_traceback(tmp_path, db_path, capsys, name, data, message):
    file = tmp_path / name
    if data is not None:
        file.write_bytes(data)
    assert main(["import", str(file), "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_nothing_to_do_exits_0(tmp_path, db_path, capsys):
    assert run(tmp_path, db_path, "x.xlsx", long_workbook([])) == 0
    assert "没有找到可导入的数字" in capsys.readouterr().out


def test_error_list_downloads_as_a_workbook(db_path):
    """A CSV's sheet is named after the file: a name like '=1+1' must stay text there."""
    con = connect(db_path)
    plan = plan_import(con, "=1+1.csv", "指标,地区,年份,数值\n行政应诉总数,姑苏区,2021,5\n".encode())
    con.close()
    sheet = load_workbook(io.BytesIO(issues_workbook(plan.validation.issues))).active
    rows = list(sheet.values)
    assert list(rows[0]) == ISSUE_COLUMNS
    assert rows[1][:3] == ("=1+1", 2, "A（指标）") and "未登记的指标" in rows[1][3]
    assert "行政应诉案件数" in rows[1][4]
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_template_lists_come_from_the_database(tmp_path, db_path, monkeypatch):
    monkeypatch.setenv("FAZHI_DB", str(db_path))
    out = tmp_path / "模板.xlsx"
    assert main(["template", "--out", str(out)]) == 0
    book = load_workbook(out)
    assert [ws.title for ws in book.worksheets] == ["明细表", "选项", "填表说明"]
    assert book["选项"].sheet_state == "hidden"
    assert [c.value for c in book["明细表"][1]] == LONG_COLUMNS
    options = {c[0].value: [x.value for x in c[1:] if x.value] for c in book["选项"].iter_cols()}
    assert options["indicators"][0] == "人民调解成功调处矛盾纠纷数" and "行政诉讼败诉率" not in options["indicators"]
    assert "姑苏区" in options["regions"] and "1-10月" in options["periods"]
    validated = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in book["明细表"].data_validations.dataValidation}
    assert validated["A"].startswith("'选项'!$A$2") and validated["B"].startswith("'选项'!$B$2")
    # The blank template imports as "nothing to do", its 选项 and 填表说明 sheets skipped.
    assert main(["import", str(out), "--db", str(db_path)]) == 0


def test_a_csv_export_imports_back_as_it_was(tmp_path, db_path, capsys):
    """Text that looks like a formula is written with a leading ' by the CSV export; the
    import takes it off again, so the text comes back as it was written."""
    con = connect(db_path)
    rows = [["行政机关负责人出庭应诉率", "姑苏区", "", 2021, "", "", 91, "", "%", "", "=1+1 原文", "-负号开头的备注", ""]]
    plan = plan_import(con, "公式样.csv", pd.DataFrame(rows, columns=LONG_COLUMNS).to_csv(index=False).encode(),
                       allow_new_indicators=False)
    assert plan.ok
    commit_import(con, plan, "测试员")
    con.close()
    out = tmp_path / "导出.csv"
    assert main(["export", "--out", str(out), "--db", str(db_path)]) == 0
    assert "'=1+1 原文" in out.read_text(encoding="utf-8-sig")
    con = connect(db_path)
    again = plan_import(con, out.name, out.read_bytes())
    con.close()
    assert again.ok and again.count("changed") == 0 and again.count("new") == 0
    read = again.validation.rows
    read = read[read["sentence"].fillna("").str.contains("1+1", regex=False)]
    assert read[["sentence", "note"]].values.tolist() == [["=1+1 原文", "-负号开头的备注"]]  # as written, no '
