"""按分项 on 趋势 and 地区对比 (AppTest): offered for an indicator with parts, absent for one
without; the upload page shows a form's preview with its 分项 and its audit warnings."""
from __future__ import annotations

import pandas as pd
import pytest

from store.batches import BatchInfo, commit_batch
from store.imports import commit_import, plan_import
from tests.conftest import obs
from tests.fixtures.pages import open_page, open_upload_page
from tests.fixtures.workbooks import REVIEW_FORM_ROWS, review_form_xls, with_total


@pytest.fixture
def form_db(catalog_db, tmp_path, monkeypatch):
    """The whole catalog, a filled form for 姑苏区 2023 and one for 2022 with 公安 four
    fewer new cases (its audit rules broken on purpose: warnings do not stop it)."""
    earlier = with_total(REVIEW_FORM_ROWS)
    earlier[1] = {**earlier[1], 2: 26}
    for name, data in (("2022.xls", review_form_xls(earlier, period="2022年1月至2022年12月")),
                       ("2023.xls", review_form_xls())):
        commit_import(catalog_db, plan_import(catalog_db, name, data), "test")
    commit_batch(catalog_db, pd.DataFrame([obs("admin_review_advisory_letters", "姑苏区", 2023, 6)]),
                 BatchInfo(batch_type="import", user="test"))  # a total without parts
    catalog_db.close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "catalog.duckdb"))


def test_trends_offers_the_parts_with_shares_and_their_change(form_db):
    at = open_page("trends", {"indicator": "admin_review_received", "regions": "320508", "view": "分项"})
    assert not at.exception, [e.value for e in at.exception]
    assert "按分项" in [h.value for h in at.subheader]
    assert at.selectbox(key="breakdown_of").value == "320508|2023|全年|"
    table = next(d.value for d in at.dataframe if "占总数" in d.value.columns)
    assert table["分项"].tolist() == ["公安", "土地", "房屋征补（拆迁）", "其他"]
    assert table["占总数"].tolist()[0] == "54.5%"
    assert table["上年同期"].tolist()[0] == "26件" and table["同比"].tolist()[0] == "+15.38%"
    assert any("各分项之和等于总数 55件" in c.value for c in at.caption)


def test_compare_offers_the_parts_of_the_chosen_year(form_db):
    at = open_page("compare", {"indicator": "admin_review_mediated", "year": "2022"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="breakdown_of").value == "320508|2022|全年|"


def test_an_indicator_without_parts_offers_none(form_db):
    at = open_page("trends", {"indicator": "admin_review_advisory_letters", "regions": "320508", "view": "分项"})
    assert at.selectbox(key="pick_indicator").value == "admin_review_advisory_letters"
    assert "按分项" not in [h.value for h in at.subheader]
    assert any("没有分项数字" in i.value for i in at.info)  # said in the tab, not left blank


def test_the_upload_page_previews_a_form_with_its_parts_and_warnings(catalog_db, tmp_path, monkeypatch):
    catalog_db.close()
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "catalog.duckdb"))
    rows = with_total(REVIEW_FORM_ROWS)
    rows[47] = {**rows[47], 3: 51}  # below its categories filled in: a rule no blank can mend
    at = open_upload_page()
    at.file_uploader[0].set_value(("复议统计.xls", review_form_xls(rows), "application/vnd.ms-excel")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["新增"] == "63 条"
    assert any("审核提示" in w.value and "F59 = 51" in w.value for w in at.warning)
    assert "公安" in set(at.dataframe[0].value["分项"])
