"""Plausibility warnings in the preview of any import: input rows -> the rules they break.

The small database holds 姑苏区's mediation figures (2023 全年 25000, 2024 1-10月 20742)
and its 出庭应诉率 (2020 近90%); a warning never makes a plan invalid."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from charts.tables import warnings_table
from indicators.collection import load_plausibility
from store.batches import BatchInfo, commit_batch
from store.connection import connect, migrate
from store.imports import commit_import, plan_import
from store.reference import write_reference
from tests.conftest import SMALL_CATALOG, SMALL_ROWS
from tests.fixtures.workbooks import long_workbook

RULES = load_plausibility()
COARSER, SOURCE_KEPT = RULES.coarser_text, RULES.source_kept_text
NEXT_YEAR = dt.date.today().year + 1
MEDIATION, RATE, CASES = "人民调解成功调处矛盾纠纷数", "行政机关负责人出庭应诉率", "行政应诉案件数"


@pytest.fixture(scope="module")
def plans_db(tmp_path_factory):
    """The small database, shared by the tests that only plan (a plan writes nothing)."""
    con = connect(tmp_path_factory.mktemp("plausibility") / "p.duckdb")
    migrate(con)
    write_reference(con, SMALL_CATALOG)
    commit_batch(con, pd.DataFrame(SMALL_ROWS), BatchInfo(batch_type="curated", user="test"))
    yield con
    con.close()


@pytest.mark.parametrize("rows, expected", [
    ([[MEDIATION, "姑苏区", "", 2024, "全年", "实际", 75000]], [(RULES.jump_text, 25000)]),  # ×3
    ([[MEDIATION, "姑苏区", "", 2024, "全年", "实际", 8333]], [(RULES.jump_text, 25000)]),   # ÷3
    ([[MEDIATION, "姑苏区", "", 2024, "全年", "实际", 30000]], []),
    ([[MEDIATION, "姑苏区", "区司法局", 2024, "全年", "实际", 90000]], []),  # another scope: not like
    ([[MEDIATION, "姑苏区", "", 2025, "1-10月", "实际", 70000]], [(RULES.jump_text, 20742)]),  # like period
    ([[MEDIATION, "姑苏区", "", 2025, "全年", "实际", 70000]], []),  # 2024 has no full-year figure
    ([[RATE, "姑苏区", "", 2021, "", "", 55]], [(RULES.share_text, 90)]),  # 35 points
    ([[RATE, "姑苏区", "", 2021, "", "", 65]], []),                         # 25 points
    ([[CASES, "姑苏区", "", 2019, "", "", 12.5]], [(RULES.whole_text, None)]),
    ([["免罚轻罚涉及金额", "姑苏区", "", 2019, "", "", 1234.5]], []),  # 元 may have a fraction
    ([[CASES, "吴中区", "", NEXT_YEAR, "", "", 5]], [(RULES.future_text, None)]),
    ([[CASES, "吴中区", "", 2021, "", "", 10], [CASES, "吴中区", "", 2022, "", "", 40]],  # from the same file
     [(RULES.jump_text, 10)]),
    # a round number over the stored exact one: the stored figure rounded as the new one is written
    ([[MEDIATION, "姑苏区", "", 2024, "1-10月", "实际", "2.1万"]], [(COARSER.format(stored="20742件"), None)]),
    ([[MEDIATION, "姑苏区", "", 2024, "1-10月", "实际", "2.07万"]], [(COARSER.format(stored="20742件"), None)]),
    ([[MEDIATION, "姑苏区", "", 2024, "1-10月", "实际", "2.2万"]], []),  # not the stored one, rounded
    ([[MEDIATION, "姑苏区", "", 2024, "1-10月", "实际", 21000]], []),  # written to the unit: meant exactly
    ([[RATE, "姑苏区", "", 2020, "", "", "90%"]], []),  # 近90% → 90%: the qualifier changed, not the number
    # a new number still credited to the stored figure's source (a prefilled 来源 left as it was)
    ([[MEDIATION, "姑苏区", "", 2023, "全年", "实际", 26000, "", "", "测试"]], [(SOURCE_KEPT.format(source="测试"), None)]),
    ([[MEDIATION, "姑苏区", "", 2023, "全年", "实际", 26000, "", "", "区2023年报告"]], []),
    ([[MEDIATION, "姑苏区", "", 2023, "全年", "实际", 25000, "", "", "测试"]], []),  # unchanged
])
def test_rules(plans_db, rows, expected):
    plan = plan_import(plans_db, "报回.xlsx", long_workbook(rows))
    assert plan.ok
    found = plan.warnings
    assert [(rule, None if pd.isna(before) else before)
            for rule, before in zip(found["rule"], found["previous"])] == expected


def test_a_warning_names_the_cell_both_values_and_the_rule(plans_db):
    plan = plan_import(plans_db, "报回.xlsx", long_workbook([[MEDIATION, "姑苏区", "", 2024, "全年", "实际", 75000]]))
    table = warnings_table(plan.warnings)
    assert table.to_dict("records") == [{"位置": "明细表!G3", "指标": MEDIATION, "地区": "姑苏区", "年份": 2024,
                                         "期间": "全年", "数值": "75000件", "上年同期": "25000件",
                                         "提醒": "与上年同期相比相差 3 倍或以上"}]


def test_a_warning_on_a_part_names_the_part(plans_db):
    """Parts (分项) are compared with the same part a year earlier, and said to be parts."""
    part = [None] * 5 + ["公安"]
    rows = [[CASES, "吴中区", "", 2021, "", "", 10, *part], [CASES, "吴中区", "", 2022, "", "", 40, *part]]
    table = warnings_table(plan_import(plans_db, "报回.xlsx", long_workbook(rows)).warnings)
    assert table[["指标", "上年同期"]].to_dict("records") == [{"指标": f"{CASES}·公安", "上年同期": "10件"}]


def test_a_warning_never_refuses(small_db):
    plan = plan_import(small_db, "报回.xlsx", long_workbook([[CASES, "吴中区", "", NEXT_YEAR, "", "", 5.5]]))
    assert len(plan.warnings) == 2 and plan.has_changes
    assert commit_import(small_db, plan, "test").new == 1


def test_the_terminal_lists_the_first_warnings_and_counts_the_rest(make_db, tmp_path, capsys):
    from cli import main
    from cli.transfer import CLI_LIST_LIMIT

    make_db(SMALL_ROWS).close()
    rows = [[CASES, "吴中区", "", 1990 + n, "", "", 100 + n + 0.5] for n in range(CLI_LIST_LIMIT + 5)]  # fractions
    workbook = tmp_path / "报回.xlsx"
    workbook.write_bytes(long_workbook(rows))
    assert main(["import", "--db", str(tmp_path / "t.duckdb"), "--dry-run", str(workbook)]) == 0
    out = capsys.readouterr().out
    assert f"请核对 {CLI_LIST_LIMIT + 5} 处可能的笔误" in out
    assert out.count(RULES.whole_text) == CLI_LIST_LIMIT
    assert "……另有 5 处" in out
