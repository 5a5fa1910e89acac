"""The 数据更新 preview warns of a likely typo (indicators/collections/plausibility.yaml),
naming the cell, both values and the rule, and still lets the editor confirm."""
from __future__ import annotations

from tests.fixtures.pages import open_upload_page, upload
from tests.fixtures.workbooks import long_workbook, stored


def test_the_preview_warns_and_still_imports(small_db_path):
    data = long_workbook([["人民调解成功调处矛盾纠纷数", "姑苏区", "", 2024, "全年", "实际", 250000]])  # 2023: 25000
    at = upload(open_upload_page(), "报回.xlsx", data)
    assert "请核对 1 处可能的笔误" in at.warning[0].value
    table = at.dataframe[0].value  # the warnings stand above the new / changed / unchanged tabs
    assert table.iloc[0].to_dict() == {"位置": "明细表!G3", "指标": "人民调解成功调处矛盾纠纷数", "地区": "姑苏区",
                                       "年份": 2024, "期间": "全年", "数值": "25万件", "上年同期": "25000件",
                                       "提醒": "与上年同期相比相差 3 倍或以上"}
    at.button(key="confirm_import").click().run()
    assert stored(small_db_path, "mediation_resolved", "320508", 2024) == (250000, "")
