"""数据更新 › 从报告提取 through AppTest: paste a report, see its candidates with their
sentences, confirm, and find the figures stored with sentence and report title."""
from __future__ import annotations

from store.connection import connect
from tests.fixtures.pages import import_three_new_figures, open_upload_page, texts

REPORT = ("姑苏区2025年法治政府建设工作报告\n"
          "2025年，区政府新收行政复议申请41件，办结39件。全区人民调解组织调处成功各类矛盾纠纷3\n456件。\n"
          "以区政府为被告的行政诉讼案件17件，败诉1件。")


def _paste(at, text: str):
    at.radio(key="report_how_0").set_value("粘贴文字").run()
    at.text_area(key="report_paste_0").input(text).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_pasted_report_is_previewed_then_committed_with_its_sentence(small_db_path):
    at = _paste(open_upload_page(), REPORT)
    assert "找到 5 个数字，其中 5 个" in texts(at.caption)
    assert {m.label: m.value for m in at.metric} == {"新增": "5 条", "修改": "0 条", "不变": "0 条"}
    at.button(key="confirm_report_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已从报告导入为批次" in texts(at.success)
    con = connect(small_db_path)
    try:
        rows = con.execute("SELECT indicator_id, scope, value, source_label, sentence FROM observations "
                           "WHERE year = 2025 ORDER BY indicator_id, scope").fetchall()
        file_name = con.execute("SELECT file_name FROM batches ORDER BY id DESC LIMIT 1").fetchall()[0][0]
    finally:
        con.close()
    assert file_name == "粘贴的报告.txt"
    assert ("mediation_resolved", "", 3456, "姑苏区2025年法治政府建设工作报告",
            "全区人民调解组织调处成功各类矛盾纠纷3456件。") in rows
    assert ("admin_litigation_lost", "区政府本级", 1, "姑苏区2025年法治政府建设工作报告",
            "以区政府为被告的行政诉讼案件17件，败诉1件。") in rows


def test_unaccepted_candidates_are_not_written(small_db_path):
    at = _paste(open_upload_page(), "姑苏区2025年法治政府建设工作报告\n全年开展各类活动12场。")
    assert "找到 1 个数字，其中 0 个" in texts(at.caption)
    assert "没有勾选任何数字" in texts(at.info)
    assert "confirm_report_import" not in [b.key for b in at.button]


def test_a_report_figure_far_from_last_years_is_flagged_before_it_is_written(small_db_path):
    """The plausibility reminder of every import preview, here too: 姑苏区 reported 25000
    resolved disputes for 2023, so 250000 for 2024 reads as a slip of the pen."""
    at = _paste(open_upload_page(), "姑苏区2024年法治政府建设工作报告\n全区人民调解组织调处成功各类矛盾纠纷250000件。")
    assert "请核对 1 处可能的笔误" in texts(at.warning)
    assert "confirm_report_import" in [b.key for b in at.button]  # a reminder, never a refusal


def test_the_accepted_figures_are_checked_once_until_the_rows_or_the_store_change(small_db_path, monkeypatch):
    """Typing the 操作人 reruns the page; the report's figures are not checked against the
    store again for it, only when the rows change (here their source, the report's title)
    or after a write."""
    import views.kept_upload as kept

    plans = []
    real_plan_import = kept.plan_import
    monkeypatch.setattr(kept, "plan_import", lambda *a, **k: plans.append(k["workbook"]) or real_plan_import(*a, **k))
    import_three_new_figures(small_db_path)  # batch 2, for the page to undo
    at = _paste(open_upload_page(), REPORT)
    assert len(plans) == 1
    at.text_input(key="report_user").input("李四").run()
    assert len(plans) == 1 and {m.label: m.value for m in at.metric}["新增"] == "5 条"
    title = next(w for w in at.text_input if w.key.startswith("report_title_"))
    title.input("姑苏区2025年法治政府建设工作报告（修订）").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(plans) == 2
    assert {row.values["来源"] for row in plans[-1].rows} == {"姑苏区2025年法治政府建设工作报告（修订）"}
    at.button(key="undo_2").click().run()
    at.button(key="confirm_undo_2").click().run()  # a write: checked again against the store
    assert not at.exception, [e.value for e in at.exception]
    assert len(plans) == 3
    at.switch_page("views/overview.py").run()
    assert kept.REPORT_KEPT not in at.session_state  # let go when the editor leaves the page
