"""The 数据更新 page through AppTest: upload via st.file_uploader, preview, confirm, undo."""
from __future__ import annotations

import time

import pytest
from openpyxl import Workbook

from store.connection import connect
from store.imports import commit_import, plan_import
from tests.fixtures.pages import import_three_new_figures, open_upload_page, texts, upload
from tests.fixtures.workbooks import long_workbook, office_workbook, stored, xlsx_bytes


def test_editor_login_guards_the_page(small_db_path):
    at = open_upload_page(logged_in=False)
    assert not at.file_uploader and "仅限编辑人员" in texts(at.info)


def test_upload_preview_confirm_and_land(small_db_path):
    at = upload(open_upload_page(), "汇总表.xlsx", office_workbook())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"新增": "7 条", "修改": "0 条", "不变": "0 条"}
    assert stored(small_db_path, "head_appearance_rate", "320508", 2021) is None  # nothing before 确认导入
    at.button(key="confirm_import").click().run()
    assert not at.exception
    assert "已导入为批次 2" in texts(at.success)
    landed = at.dataframe[0].value  # what was written, shown once
    assert len(landed) == 7 and set(landed["状态"]) == {"新增"} and landed["年份"].dtype.kind == "i"
    assert stored(small_db_path, "head_appearance_rate", "320508", 2021) == (85, "")
    assert any("批次 2" in m.value and "汇总表" in m.value for m in at.markdown)  # listed in the history
    assert at.file_uploader[0].value is None  # a fresh uploader: the file is not offered twice


@pytest.mark.parametrize("rows, words", [
    ([["行政应诉案件数", "姑苏县", "", 2021, "", "", 5]], "未知的地区"),
    ([["行政应诉案件数", "姑苏区", "", 2021, "", "", -5]], "不能为负数"),
])
def test_errors_are_listed_with_a_download_and_nothing_is_written(small_db_path, rows, words):
    at = upload(open_upload_page(), "错误.xlsx", long_workbook(rows))
    assert "未写入任何数据" in texts(at.error)
    table = at.dataframe[0].value
    assert list(table.columns) == ["工作表", "行", "列", "问题", "建议"] and words in table["问题"].iloc[0]
    assert "confirm_import" not in [b.key for b in at.button]
    assert [b for b in at.get("download_button") if "问题清单" in b.proto.label]
    assert stored(small_db_path, "admin_litigation_cases", "320508", 2021) is None


def test_a_renewed_login_reaches_the_browser_in_the_same_run_and_the_old_token_still_holds(small_db_path):
    """Five minutes into a login its token is renewed: the new cookie is written at once and
    the old token is left to expire, so an F5 right after still finds the editor logged in."""
    from streamlit.testing.v1 import AppTest

    from paths import ROOT
    from views import auth

    old = auth._tokens().issue("editor", 20 * 60)  # under RENEW_BELOW_SECONDS left
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["editor_token"], at.session_state["editor_until"] = old, time.time() + 600
    at.run()
    at.switch_page("views/upload.py").run()
    assert not at.exception and at.file_uploader  # still an editor
    new = at.session_state["editor_token"]
    assert new != old and auth._tokens().role(old) == "editor"
    assert any(f"fazhi_editor={new};" in e.proto.body for e in at.get("html"))
    at.sidebar.button(key="editor_logout").click().run()  # logging out ends both
    assert auth._tokens().role(old) is None and auth._tokens().role(new) is None


def test_a_snapshot_that_failed_to_publish_is_said_to_the_editor(small_db_path):
    from views import connection as views_db

    at = open_upload_page()
    assert not [w for w in at.warning if "快照发布失败" in w.value]
    publisher = views_db.connection().publisher
    publisher.wait()  # the start's own publication, which would clear the error set below
    publisher.last_error = OSError(28, "No space left on device")
    try:
        at.run()
        assert any("快照发布失败" in w.value and "No space left" in w.value for w in at.warning)
    finally:
        publisher.last_error = None


def test_a_file_holding_no_table_is_refused_with_what_a_table_needs(small_db_path):
    at = upload(open_upload_page(), "通讯录.csv", "姓名,电话\n张三,123\n".encode())
    assert not at.exception and "没有找到可识别的表格" in texts(at.error) and "“指标”列" in texts(at.error)
    assert "confirm_import" not in [b.key for b in at.button]


def test_a_sheet_without_region_asks_for_one(small_db_path):
    book = Workbook()
    book.active.append(["指标", "单位", "2021"])
    book.active.append(["行政应诉案件数", "件", 44])
    at = upload(open_upload_page(), "无地区.xlsx", xlsx_bytes(book))
    assert "请先选择地区" in texts(at.info) and not at.metric
    at.selectbox(key="upload_region").select("相城区").run()
    assert {m.label: m.value for m in at.metric}["新增"] == "1 条"
    at.button(key="confirm_import").click().run()
    assert stored(small_db_path, "admin_litigation_cases", "320507", 2021) == (44, "")


def test_undo_is_refused_while_a_later_batch_depends_on_it(small_db_path):
    con = connect(small_db_path)
    for value in (92, 95):  # two imports of the same figure: the first cannot go before the second
        data = long_workbook([["行政机关负责人出庭应诉率", "姑苏区", "", 2020, "", "", value]])
        commit_import(con, plan_import(con, f"第{value}.xlsx", data), "测试员")
    con.close()
    at = open_upload_page()
    at.button(key="undo_2").click().run()
    at.button(key="confirm_undo_2").click().run()
    assert "请先撤销" in texts(at.error)
    at.button(key="undo_3").click().run()
    at.button(key="confirm_undo_3").click().run()
    assert "已撤销批次 3" in texts(at.success)
    assert stored(small_db_path, "head_appearance_rate", "320508", 2020) == (92, "")


def test_undo_asks_first_and_says_what_it_will_do(small_db_path):
    import_three_new_figures(small_db_path)
    at = open_upload_page()
    at.button(key="undo_2").click().run()
    assert "删除它写入的 3 条数字" in texts(at.warning)
    assert stored(small_db_path, "admin_litigation_cases", "320507", 2021) == (11, "")  # nothing yet
    at.button(key="cancel_undo_2").click().run()
    assert "confirm_undo_2" not in [b.key for b in at.button]
    assert stored(small_db_path, "admin_litigation_cases", "320507", 2021) == (11, "")


def test_undo_says_what_happened_and_can_itself_be_undone(small_db_path):
    import_three_new_figures(small_db_path)
    at = open_upload_page()
    at.button(key="undo_2").click().run()
    at.button(key="confirm_undo_2").click().run()
    assert "删除 3 条，恢复 0 条" in texts(at.success)
    assert stored(small_db_path, "admin_litigation_cases", "320507", 2021) is None
    history = " ".join(m.value for m in at.markdown)
    assert "删除 3，恢复 0" in history and "nan" not in history
    at.button(key="undo_3").click().run()  # the undo is a batch with its own 撤销
    at.button(key="confirm_undo_3").click().run()
    assert "重新加入 3 条" in texts(at.success)
    assert stored(small_db_path, "admin_litigation_cases", "320507", 2021) == (11, "")


def test_confirm_after_the_login_expired_writes_nothing(small_db_path):
    at = upload(open_upload_page(), "汇总表.xlsx", office_workbook())
    assert "confirm_import" in [b.key for b in at.button]
    at.session_state["editor_until"] = time.time() - 1  # 30 minutes passed on the preview
    at.button(key="confirm_import").click().run()
    assert not at.exception
    assert stored(small_db_path, "head_appearance_rate", "320508", 2021) is None
    assert "超时" in texts(at.info) and not at.file_uploader


def test_crafted_widget_state_without_login_writes_nothing(small_db_path):
    at = open_upload_page(logged_in=False)
    # What a crafted client could send: the confirm and undo buttons' keys as pressed.
    for key in ("confirm_import", "undo_1"):
        at.session_state[key] = True
    at.run()
    assert not at.exception
    con = connect(small_db_path)
    try:
        assert con.execute("SELECT count(*) FROM batches").fetchone()[0] == 1  # the curated load only
    finally:
        con.close()
    assert "仅限编辑人员" in texts(at.info)


def test_the_file_is_read_checked_and_tabled_once_until_something_it_depends_on_changes(small_db_path, monkeypatch):
    """Typing the 操作人 or pressing a button reruns the page; the upload is not read,
    checked or put into tables again for it, only for another option, after a write, or
    when uploaded again."""
    import views.commit
    import views.kept_upload as kept

    calls = {"read": 0, "plan": 0, "table": 0}

    def counted(name, fn):
        def call(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)
        return call

    real_reader_for = kept.reader_for
    monkeypatch.setattr(kept, "reader_for", lambda name: type("R", (), {
        "read": staticmethod(counted("read", real_reader_for(name).read))})())
    monkeypatch.setattr(kept, "plan_import", counted("plan", kept.plan_import))
    monkeypatch.setattr(views.commit, "preview_table", counted("table", views.commit.preview_table))
    import_three_new_figures(small_db_path)  # batch 2: 相城区 2020–2022, 10 to 12
    at = upload(open_upload_page(), "改一条.xlsx",
                long_workbook([["行政应诉案件数", "相城区", "", 2021, "", "", 15]]))
    assert {m.label: m.value for m in at.metric}["修改"] == "1 条"
    assert calls == {"read": 1, "plan": 1, "table": 3}  # one table per status
    at.text_input(key="upload_user").input("李四").run()
    at.button(key="undo_2").click().run()  # asks first: nothing written yet
    assert calls == {"read": 1, "plan": 1, "table": 3}
    at.checkbox(key="upload_allow_new").check().run()
    assert calls == {"read": 1, "plan": 2, "table": 6}
    at.button(key="confirm_undo_2").click().run()  # a write: the figure it changed is gone
    assert {m.label: m.value for m in at.metric}["新增"] == "1 条"
    assert calls == {"read": 1, "plan": 3, "table": 9}
    at.switch_page("views/overview.py").run()
    assert kept.KEPT not in at.session_state  # let go when the editor leaves the page
    at.switch_page("views/upload.py").run()
    assert at.file_uploader[0].value is None and kept.KEPT not in at.session_state


def test_a_refused_file_lets_the_one_before_go(small_db_path):
    import views.kept_upload as kept

    at = upload(open_upload_page(), "好.xlsx", long_workbook([["行政应诉案件数", "相城区", "", 2021, "", "", 5]]))
    assert kept.KEPT in at.session_state
    at = upload(at, "坏.xlsx", b"not a workbook")
    assert at.error and kept.KEPT not in at.session_state
