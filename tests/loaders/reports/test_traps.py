"""Every trap of report text, one table row each: a few sentences in (written for these
tests), the figures the reader accepts out. A figure is
(indicator, year, period, kind, scope, value, unit as written, qualifier)."""
from __future__ import annotations

import pytest

from loaders.reports.extract import extract_report
from loaders.reports.reader import region_named

GUSU_2021 = "姑苏区2021年法治政府建设工作报告\n"
PLAN_2022 = "2022年苏州市吴中区法治政府建设工作要点\n"


def accepted(text: str, **options) -> set[tuple]:
    _, candidates = extract_report(text, **options)
    return {(c.indicator.id, c.year, c.period, c.kind, c.scope, format(c.value.normalize(), "f"), c.unit, c.qualifier)
            for c in candidates if c.accepted}


def proposed(text: str) -> list[str]:
    """Every number the reader proposed, accepted or not."""
    return [c.number_text for c in extract_report(text)[1]]


def full_year(indicator: str, value: str, unit: str, qualifier: str = "", scope: str = "") -> tuple:
    return (indicator, 2021, "全年", "实际", scope, value, unit, qualifier)


@pytest.mark.parametrize("text, expected", [
    # PDF line breaks: inside a number, and between a number and its unit
    (GUSU_2021 + "一年来，全区坚持和发展新时代枫桥经验，各级人民调解组织调处成功各类矛盾纠纷 3\n456件，化解率稳步提升。",
     {full_year("mediation_resolved", "3456", "件")}),
    (GUSU_2021 + "一年来，全区坚持和发展新时代枫桥经验，各级人民调解组织调处成功各类矛盾纠纷3456\n件，化解率稳步提升。",
     {full_year("mediation_resolved", "3456", "件")}),
    # scales, separators, full-width digits
    (GUSU_2021 + "全区办理免罚轻罚案件2.3万件，涉及金额1.2亿元。",
     {full_year("lenient_penalty_cases", "2.3", "万件"), full_year("lenient_penalty_amount", "1.2", "亿元")}),
    (GUSU_2021 + "全年累计办理公证1,086件。", {full_year("notarization_cases", "1086", "件")}),
    (GUSU_2021 + "全年累计办理公证１２３件。", {full_year("notarization_cases", "123", "件")}),
    # Chinese numerals
    (GUSU_2021 + "全区律师规模达到三千二百余人。", {full_year("lawyers", "3200", "人", "余")}),
    (GUSU_2021 + "组织法治副校长上课近百节次。", {full_year("law_vice_principal_classes", "100", "节次", "近")}),
    (GUSU_2021 + "编发两期“法治记事”。", {full_year("rule_of_law_bulletins", "2", "期")}),
    (GUSU_2021 + "评定三级调解员一人。", {full_year("mediators_level3", "1", "人")}),
    # a zero said in words
    (GUSU_2021 + "区司法局全年行政诉讼案件12件，无被裁决败诉的案件。",
     {full_year("admin_litigation_cases", "12", "件", scope="区司法局"),
      full_year("admin_litigation_lost", "0", "件", scope="区司法局")}),
    # qualifiers
    (GUSU_2021 + "行政机关负责人出庭应诉率近95%。", {full_year("head_appearance_rate", "95", "%", "近")}),
    (GUSU_2021 + "全区人民调解协议涉及金额约1.5亿元。", {full_year("mediation_amount", "1.5", "亿元", "约")}),
    (GUSU_2021 + "街道走访企业300余家。", {full_year("enterprises_visited", "300", "家", "余")}),
    (GUSU_2021 + "街道走访企业300多家。", {full_year("enterprises_visited", "300", "家", "余")}),
    (GUSU_2021 + "全区律师规模超过900人。", {full_year("lawyers", "900", "人", "超过")}),
    (GUSU_2021 + "全区律师规模突破900人。", {full_year("lawyers", "900", "人", "超过")}),
    (GUSU_2021 + "社区四级以上调解员比例达到40%以上。", {full_year("mediators_level4plus_share", "40", "%", "以上")}),
    (GUSU_2021 + "行政复议审结率不足90%。", {full_year("admin_review_closure_rate", "90", "%", "不足")}),
    (PLAN_2022 + "行政机关负责人出庭应诉率不低于95%。",
     {("head_appearance_rate", 2022, "全年", "目标", "", "95", "%", "以上")}),
    # periods
    (GUSU_2021 + "上半年，全区新收行政复议申请20件。",
     {("admin_review_received", 2021, "上半年", "实际", "", "20", "件", "")}),
    (GUSU_2021 + "一季度，全区新收行政复议申请8件。",
     {("admin_review_received", 2021, "第1季度", "实际", "", "8", "件", "")}),
    (GUSU_2021 + "前三季度，全区新收行政复议申请30件。",
     {("admin_review_received", 2021, "前三季度", "实际", "", "30", "件", "")}),
    (GUSU_2021 + "截至10月底，全区新收行政复议申请33件。",
     {("admin_review_received", 2021, "1-10月", "实际", "", "33", "件", "")}),
    (GUSU_2021 + "1-9月，全区新收行政复议申请31件。",
     {("admin_review_received", 2021, "1-9月", "实际", "", "31", "件", "")}),
    (GUSU_2021 + "全年，全区新收行政复议申请40件。", {full_year("admin_review_received", "40", "件")}),
    ("姑苏区法治建设简报（2021年第5期）\n今年以来，全区新收行政复议申请25件。\n姑苏区司法局\n2021年8月10日",
     {("admin_review_received", 2021, "上半年", "实际", "", "25", "件", "")}),
    ("姑苏区法治建设简报（2021年第9期）\n今年以来，全区新收行政复议申请35件。\n姑苏区司法局\n2021年11月2日",
     {("admin_review_received", 2021, "前三季度", "实际", "", "35", "件", "")}),
    # kind: a plan's figures, and a later year's figure with 确保
    (PLAN_2022 + "各部门“不见面”实际办件比例达30%。", {("no_visit_share", 2022, "全年", "目标", "", "30", "%", "")}),
    (GUSU_2021 + "2022年，确保行政机关负责人出庭应诉率达到95%以上。",
     {("head_appearance_rate", 2022, "全年", "目标", "", "95", "%", "以上")}),
    # scope
    (GUSU_2021 + "以区政府为被告的行政诉讼案件23件。",
     {full_year("admin_litigation_cases", "23", "件", scope="区政府本级")}),
    (GUSU_2021 + "区市场监管局全年行政罚没120万元。",
     {full_year("fines_confiscations", "120", "万元", scope="区市场监管局")}),
    (GUSU_2021 + "区城管委、区市场监管局等部门出台细化措施文件28件。", {full_year("three_systems_measures", "28", "件")}),
    # a change gives the earlier year as 推算
    (GUSU_2021 + "全区人民调解组织调处成功各类矛盾纠纷5600件，同比增长12%。",
     {full_year("mediation_resolved", "5600", "件"), ("mediation_resolved", 2020, "全年", "实际", "", "5000", "件", "推算")}),
    (GUSU_2021 + "行政机关负责人出庭应诉率达到90%，较上年提高6.5个百分点。",
     {full_year("head_appearance_rate", "90", "%"), ("head_appearance_rate", 2020, "全年", "实际", "", "83.5", "%", "推算")}),
    (GUSU_2021 + "行政机关负责人出庭应诉率达到90%，比2019年提高15个百分点。",
     {full_year("head_appearance_rate", "90", "%"), ("head_appearance_rate", 2019, "全年", "实际", "", "75", "%", "推算")}),
    # … a count computed from a change in per cent is whole; a change in the figure's own unit is
    # no figure of its own
    (GUSU_2021 + "全年新收行政复议案件１２６件，同比增长12.1%。",
     {full_year("admin_review_received", "126", "件"), ("admin_review_received", 2020, "全年", "实际", "", "112", "件", "推算")}),
    # … but not from a bound: 130余件 ÷ 1.121 only bounds last year's figure (offered, not taken);
    # 受理行政复议案件 are cases accepted, not cases against the government
    (GUSU_2021 + "全区共受理行政复议案件130余件，同比增长12.1%。",
     {full_year("admin_review_accepted", "130", "件", "余")}),
    (GUSU_2021 + "以区政府为被告的行政诉讼案件41件，较上年减少5件。",
     {full_year("admin_litigation_cases", "41", "件", scope="区政府本级"),
      ("admin_litigation_cases", 2020, "全年", "实际", "区政府本级", "46", "件", "推算")}),
    # a bulletin whose first line has no title word, with a plan's name broken over two lines
    # of its body ("…工\n作要点》，…"): its figures are what was done in the half year
    ("我区法治建设工作稳步推进\n今年以来，全区强化组织领导，下发《2019年全面依法治区工\n作要点》，明确各单位责任，"
     "每月制作《法治姑苏》\n简报。上半年共收到区政府行政应诉案件17件。\n中共姑苏区委全面依法治区委员会办公室\n2019年8月19日",
     {("admin_litigation_cases", 2019, "上半年", "实际", "区政府本级", "17", "件", "")}),
    # a report that also plans the next year: the plan section's figure is a target of its year
    ("姑苏区2020年法治政府建设工作总结和2021年工作计划\n一年来，全区坚持和发展新时代枫桥经验，各级人民调解组织调处成功"
     "各类矛盾纠纷3456件，化解率稳步提升，全年累计办理公证100件。\n二、2021年工作计划\n新的一年，全区将继续推进公共"
     "法律服务体系建设，全年办理公证120件以上。",
     {("mediation_resolved", 2020, "全年", "实际", "", "3456", "件", ""),
      ("notarization_cases", 2020, "全年", "实际", "", "100", "件", ""),
      ("notarization_cases", 2021, "全年", "目标", "", "120", "件", "以上")}),
])
def test_trap(text, expected):
    assert accepted(text) == expected


@pytest.mark.parametrize("text", [
    "根据相政发〔2021〕12号文件要求，落实各项任务。",
    "认真贯彻《法治政府建设实施纲要（2021—2025年）》。",
    "6月30日上午，活动在南环实验中学举行。",
    "一、加强组织领导",
    "在全省法治建设考核中排名第3位。",
    "咨询电话0512-65221234，欢迎来电。",
    "位列全市前10名。",
    "持续推进“三项制度”落实，推行“一件事”改革。",
])
def test_not_figures(text):
    assert proposed(GUSU_2021 + text) == []


def test_the_figure_keeps_its_sentence_position_and_reason():
    text = GUSU_2021 + "一年来，全区各级人民调解组织调处成功各类矛盾纠纷 3\n456件。其余工作稳步推进。"
    _, [candidate] = extract_report(text)
    assert candidate.sentence == "一年来，全区各级人民调解组织调处成功各类矛盾纠纷3456件。"
    assert text[candidate.offset] == "3" and candidate.paragraph == 2
    assert candidate.confidence == "高"
    assert candidate.reasons == ("指标提示词匹配（人民调解…调处成功…纠纷）", "单位一致", "期间：一年来")


@pytest.mark.parametrize("text, options, region, year", [
    ("法治政府建设工作报告\n全年累计办理公证100件。\n苏州市吴中区人民政府\n2022年1月20日", {}, "吴中区", 2021),
    ("吴中区2021年法治政府建设工作报告\n全年累计办理公证100件。", {}, "吴中区", 2021),
    ("吴中区2021年法治政府建设工作报告\n全年累计办理公证100件。", {"region": "相城区", "year": 2020}, "相城区", 2020),
])
def test_region_and_year_from_title_and_signature_or_options(text, options, region, year):
    if "region" in options:
        options = {**options, "region": region_named(options["region"])}
    info, _ = extract_report(text, **options)
    assert (info.region.name if info.region else None, info.year) == (region, year)


@pytest.mark.parametrize("text, title, is_plan", [
    ("您当前所在位置:首页 > 通知公告\n吴中区司法局2023年法治政府建设工作报告\n来源:吴中区司法局   发布日期:2024-01-26\n"
     "全年累计办理公证100件。", "吴中区司法局2023年法治政府建设工作报告", False),
    ("我区法治建设工作稳步推进\n今年以来，全区强化组织领导，下发《2019年全面依法治区工\n作要点》，明确各单位责任。",
     "我区法治建设工作稳步推进", False),
    ("2022年苏州市吴中区法治政府建设\n工作要点\n全年办理公证120件以上。", "2022年苏州市吴中区法治政府建设工作要点", True),
    ("姑苏区2020年法治政府建设工作总结和2021年工作计划\n全年累计办理公证100件。",
     "姑苏区2020年法治政府建设工作总结和2021年工作计划", False),
])
def test_the_title_and_whether_the_report_is_a_plan(text, title, is_plan):
    info, _ = extract_report(text)
    assert (info.title, info.is_plan) == (title, is_plan)


def test_a_cue_past_a_clause_break_and_another_figure_is_that_figures():
    """Were 82 read as 征求意见反馈 too, it would be one click (采纳) from a wrong figure."""
    _, candidates = extract_report(GUSU_2021 + "全年征求意见反馈255件，报送各类材料82件。")
    assert [(c.number_text, c.indicator.id if c.indicator else None) for c in candidates] == [
        ("255件", "consultation_feedback"), ("82件", None)]


def test_the_computation_of_an_estimate_names_its_qualified_base():
    _, [_, earlier] = extract_report(GUSU_2021 + "行政机关负责人出庭应诉率近90%，比2020年提高15个百分点。")
    assert earlier.note == "由2021年数字及变化推算：近90% − 15个百分点 ≈ 75%"


def test_a_street_office_named_first_is_the_region():
    _, [candidate] = extract_report(GUSU_2021 + "平江街道办事处全年参与重大执法案件讨论8场。")
    assert candidate.region.name == "平江街道" and candidate.accepted


def test_units_must_agree():
    """A percent is never a count: 行政复议 with % and no rate cue stays unaccepted."""
    _, candidates = extract_report(GUSU_2021 + "全区新收行政复议申请占比12%。")
    assert [c.accepted for c in candidates] == [False]


def test_one_key_is_accepted_once():
    _, candidates = extract_report(GUSU_2021 + "全年累计办理公证100件。全年累计办理公证120件。")
    assert [c.accepted for c in candidates] == [True, False]
    assert "同一指标" in candidates[1].reasons[-1]
