"""The 数据征集 page through AppTest: a viewer sees the matrix and the chase list but no
action; an editor generates the round's workbooks, which records the round."""
from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from charts.collection import progress_table
from tests.fixtures.pages import open_page
from tests.fixtures.workbooks import query


def open_collection_page(editor: bool, year: int = 2024) -> AppTest:
    at = open_page("collection", {"year": str(year)}, editor=editor)
    assert not at.exception, [e.value for e in at.exception]
    return at


def matrix(at: AppTest):
    """The coverage matrix as st.table shows it (Markdown cells: figure links, escaped text)."""
    return at.table[0].value


def test_a_viewer_sees_the_matrix_and_the_chase_list_but_no_action(small_db_path):
    at = open_collection_page(editor=False)
    assert at.title[0].value == "数据征集"
    table = matrix(at)
    # 姑苏区 has only its 1-10月 mediation figure for 2024: partial, with the figure and its links
    assert table.loc["人民调解成功调处矛盾纠纷数（件）", "姑苏区"] == (
        "[△ 1\\-10月 20742件](compare?indicator=mediation_resolved&year=2024&span=1-12&level=%E5%8C%BA%E5%8E%BF)"
        " [↗](trends?indicator=mediation_resolved&regions=320508)")
    assert table.loc["人民调解成功调处矛盾纠纷数（件）", "虎丘区"].startswith("[× 缺](compare?")
    assert table.loc["已收齐", "姑苏区"] == "0/16"  # the page syncs the catalog: every indicator is asked
    chase = at.code[0].value
    assert chase.startswith("姑苏区：尚缺 16 项2024年全年实际数——人民调解成功调处矛盾纠纷数（已有1-10月数）")
    assert "太仓市：尚缺 16 项" in chase
    assert not [b for b in at.button if b.key == "collect_generate"]
    assert not at.get("download_button")
    assert any("生成征集表仅限编辑人员" in i.value for i in at.info)


def test_an_editor_generates_the_workbooks_and_the_round_is_recorded(small_db_path):
    at = open_collection_page(editor=True)
    at.text_input(key="collect_user").set_value("市司法局 张三")
    at.button(key="collect_generate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已生成 10 份2024年征集表" in at.success[0].value
    assert at.get("download_button")[0].proto.label == "下载征集表（10 份，ZIP）"
    rounds = query(small_db_path, "SELECT year, len(region_ids), user_name FROM collection_rounds")
    assert rounds == [(2024, 10, "市司法局 张三")]
    assert any("由“市司法局 张三”生成 10 个地区" in c.value for c in at.caption)


def test_a_full_year_figure_is_a_full_cell(small_db_path):
    table = matrix(open_collection_page(editor=False, year=2023))
    assert table.loc["人民调解成功调处矛盾纠纷数（件）", "姑苏区"].startswith("[● 25000件](compare?")
    assert table.loc["人民调解成功调处矛盾纠纷数（件）", "已收齐"] == "1/10"
    assert table.loc["已收齐", "姑苏区"] == "1/16"


def test_each_regions_progress_is_one_line_a_phone_shows_whole():
    """The matrix has a column per region and scrolls sideways at 390 px; above it, each
    region's progress is a line of four short cells."""
    summary = pd.DataFrame({"region_id": ["320508", "320505"], "region": ["姑苏区", "虎丘区"], "filled": [1, 0],
                            "asked": [16, 16], "arrived": [pd.Timestamp("2024-03-05 09:30"), None]})
    assert progress_table(summary).to_dict("records") == [
        {"地区": "姑苏区", "已收齐": "1/16 项", "进度": 1 / 16, "最近收到": "2024-03-05"},
        {"地区": "虎丘区", "已收齐": "0/16 项", "进度": 0.0, "最近收到": ""}]


def test_the_page_lists_each_regions_progress_above_the_matrix(small_db_path):
    progress = open_collection_page(editor=False, year=2023).dataframe[0].value  # the first table of the page
    assert progress.set_index("地区").loc["姑苏区", "已收齐"] == "1/16 项"
    assert len(progress) == 10


def test_the_name_typed_as_the_rounds_author_stays_text(small_db_path):
    at = open_collection_page(editor=True)
    at.text_input(key="collect_user").set_value("[请核对](http://evil.example) ![t](http://127.0.0.1:9/b.png)")
    at.button(key="collect_generate").click().run()
    record = next(c.value for c in at.caption if c.value.startswith("征集记录"))
    assert "](http" not in record and "\\[请核对\\]" in record  # no link, no image: the name as typed
