"""A figure's context as the 数据与来源 page and the 从报告提取 tab show it: a PDF's line
breaks inside a paragraph joined, each real paragraph on a line of its own."""
from __future__ import annotations

import pytest

from loaders.reports.layout import around

TITLE = "姑苏区工作报告\n"  # a report's first line without closing punctuation is its title
LINE = "一二三四五六七八九十" * 3  # a full printed line
ENDS = "一二三四五六七八九十" * 2 + "一二三四五六七八九。"  # a full line that ends a sentence


@pytest.mark.parametrize(("text", "figure", "margin", "expected"), [
    # a break inside a sentence, and a number split from its unit, are joined
    (TITLE + "今年以来，一体推进法治\n姑苏建设，取得成效。", "姑苏建设", 200,
     (TITLE + "今年以来，一体推进法治", "姑苏建设", "，取得成效。")),
    (TITLE + "共梳理事项 112\n项，全部完成。", "112\n项", 200, (TITLE + "共梳理事项 ", "112项", "，全部完成。")),
    # a PDF that puts a blank line after every line: the blank line inside a sentence is no break
    (TITLE + "今年以来，一体推进法治 \n\n姑苏建设，取得成效。", "姑苏建设", 200,
     (TITLE + "今年以来，一体推进法治", "姑苏建设", "，取得成效。")),
    # a blank line after a sentence's end, or an indented line, starts a paragraph
    (TITLE + "第一段到此结束。\n\n第二段共5件。", "5件", 200, (TITLE + "第一段到此结束。\n第二段共", "5件", "。")),
    (f"{TITLE}{LINE}\n{ENDS}\n　　新段共5件。", "5件", 200, (f"{TITLE}{LINE}{ENDS}\n新段共", "5件", "。")),
    # a full line that ends a sentence, followed by more of the paragraph: joined
    (f"{TITLE}{LINE}\n{ENDS}\n{LINE}，共5件。", "5件", 200, (f"{TITLE}{LINE}{ENDS}{LINE}，共", "5件", "。")),
    # a web page or Word file: one paragraph a line, longer than any printed line
    (f"{TITLE}{LINE * 3}。\n下一段共5件。", "5件", 200, (f"{TITLE}{LINE * 3}。\n下一段共", "5件", "。")),
    # a heading keeps its line
    (f"{TITLE}一、总体情况\n{LINE}\n全年共受理案件120件，比上年增长一成。", "120件", 200,
     (f"{TITLE}一、总体情况\n{LINE}全年共受理案件", "120件", "，比上年增长一成。")),
    # two Latin words across a break keep a space between them
    (TITLE + "依托 online\nservice 平台办理5件。", "5件", 200, (TITLE + "依托 online service 平台办理", "5件", "。")),
    # the margin counts the characters shown, not the line breaks dropped
    ("甲乙丙丁，\n戊己共5件，庚\n辛壬。", "5件", 3, ("戊己共", "5件", "，庚辛")),
])
def test_a_figure_is_shown_in_its_paragraphs(text, figure, margin, expected):
    start = text.index(figure)
    assert around(text, start, start + len(figure), margin) == expected
