"""What a report says around its figures: its title, region, year and publication date,
and for each figure its period, year, kind (实际/目标) and scope (口径).

Words come from indicators/vocabulary.py, regions and scopes from data/ (loaders/reference.py).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from indicators.catalog import Indicator
from indicators.vocabulary import (
    ACCOUNT_TITLE_WORDS,
    ACTUAL,
    FULL_YEAR,
    FULL_YEAR_WORDS,
    PLAN_SECTION_WORDS,
    PLAN_TITLE_WORDS,
    REGION_WIDE_WORDS,
    SINCE_NEW_YEAR_WORDS,
    TARGET,
    TARGET_WORDS,
    TO_DATE_WORDS,
)
from loaders.periods import normalize_period
from loaders.reference import Region, load_regions, scope_names
from loaders.reports.layout import Sentence

TITLE_WORDS = ("报告", "要点", "简报", "总结", "计划", "打算", "方案", "通知", "情况")
_YEAR = re.compile(r"((?:19|20)\d\d)年")
_DATE = re.compile(r"(?:19|20)\d\d年\d{1,2}月\d{1,2}日")
ANNUAL_REPORT_MONTHS = 3  # a report signed in January to March is on the year before
_PUBLISHED = (re.compile(r"发布(?:日期|时间)[:：]?((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})"),
              re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日"))
_PERIOD_EXPRESSIONS = re.compile(
    r"(?:截至|截止|至)(?:(?:19|20)\d\d年|去年|今年)?(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:底|末)"
    r"|(?:截至|截止)(?:(?:19|20)\d\d年)?(?:年底|年末)"
    r"|1(?:月)?[-—－至到~～](?:\d{1,2})月(?:份)?"
    r"|上半年|前三季度|(?:第)?[一二三四1-4]季度"
    r"|" + "|".join(FULL_YEAR_WORDS + SINCE_NEW_YEAR_WORDS + TO_DATE_WORDS))
_BODY = re.compile(r"(?<![省])(以[区市县]政府为被告|[区市县](?:政府本级|人民政府|政府|级机关|"
                   r"[\u4e00-\u9fff]{1,6}?(?:局|委|办(?![理事结公]))))")
# A body after these is what is worked on ("审查市政府合同"), not who counts the figure.
_OBJECT_BEFORE = ("为", "向", "对", "审查", "接收", "实施")
_OBJECT_AFTER = ("合同", "行政规范性文件", "规范性文件", "聘请")
YEAR_REACH = 40  # a year named further back than this speaks of another clause


@dataclass(frozen=True)
class ReportInfo:
    title: str
    region: Region | None
    year: int | None
    published: dt.date | None
    is_plan: bool

    @property
    def publication_year(self) -> int | None:
        """When a report without a date was written: an annual report early the next year."""
        if self.published is not None:
            return self.published.year
        return self.year + 1 if self.year is not None and not self.is_plan else self.year

    @property
    def written_during_the_year(self) -> bool:
        return self.published is not None and self.year is not None and self.published.year == self.year


@dataclass(frozen=True)
class Period:
    name: str | None  # a contract period, or None when it cannot be told
    words: str        # as the text says it ('' for the report's default)


def inside_marks(text: str, position: int) -> bool:
    """Inside a title (《…》) or a quoted name (“…”)."""
    before = text[:position]
    return before.count("《") > before.count("》") or before.count("“") > before.count("”")


# A web page's furniture above a report's title: where the page sits, who posted it, when.
_PAGE_FURNITURE = re.compile(r"(?:当前|所在)位置|首页\s*[>＞»]|发布(?:日期|时间)|访问量|浏览次数|来源[:：]")
_NOT_TITLE_START = "》〉」”’）)，,。；;：:、"


def _title_shaped(line: str) -> bool:
    """Whether a line could be (part of) a title: not page furniture, not a sentence of
    the body (which has clause marks, or begins inside a broken-off 《…》)."""
    return (_PAGE_FURNITURE.search(line) is None and line[0] not in _NOT_TITLE_START
            and not any(mark in line for mark in "，。；") and line.count("《") == line.count("》"))


def detect_title(text: str) -> str:
    """The report's title from its first lines: the first title-shaped line with a title
    word (报告, 要点…), joined to a short line above it that the layout broke off; else the
    first title-shaped line (a bulletin's headline), else the first line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:10]
    shaped = [line for line in lines if _title_shaped(line)]
    for k, line in enumerate(shaped):
        if any(w in line for w in TITLE_WORDS) and len(line) <= 60:
            before = shaped[k - 1] if k else ""
            if before and len(before) <= 20 and before[-1] not in "。，；：" and _YEAR.search(before + line) is None:
                return re.sub(r"\s+", "", before + line)
            if before and len(before) <= 20 and not any(w in before for w in TITLE_WORDS) and not _YEAR.search(line):
                return re.sub(r"\s+", "", before + line)
            return re.sub(r"\s+", "", line)
    first = shaped[0] if shaped else lines[0] if lines else ""
    return re.sub(r"\s+", "", first)


def _plans_only(words: str, plan_words: tuple[str, ...]) -> bool:
    """Whether a title or heading speaks of a plan alone: not of a report that also sets out
    the next year's plan ("2020年工作总结和2021年工作计划")."""
    return any(w in words for w in plan_words) and not any(w in words for w in ACCOUNT_TITLE_WORDS)


def is_plan_title(title: str) -> bool:
    """A plan (工作要点, 工作计划…): its every figure is a target."""
    return _plans_only(title, PLAN_TITLE_WORDS)


def find_region(text: str) -> Region | None:
    """The most specific region a text names (吴中区 over 苏州市 in 苏州市吴中区)."""
    best: tuple[int, int, Region] | None = None
    levels = {"街道": 0, "区县": 1, "地级市": 2}
    for region in load_regions():
        for name in (region.name, *region.aliases):
            if name in REGION_WIDE_WORDS or name.startswith("全"):
                continue
            if name in text:
                rank = (levels.get(region.level, 3), -len(name))
                if best is None or rank < best[:2]:
                    best = (*rank, region)
    return best[2] if best else None


def find_published(text: str) -> dt.date | None:
    head, tail = text[:600], text[-600:]
    for pattern, where in ((_PUBLISHED[0], head + tail), (_PUBLISHED[1], tail)):
        found = list(pattern.finditer(re.sub(r"\s+", "", where)))
        if found:
            y, m, d = (int(g) for g in found[-1].groups())
            try:
                return dt.date(y, m, d)
            except ValueError:
                continue
    return None


def report_info(text: str, title: str | None = None, region: Region | None = None,
                year: int | None = None) -> ReportInfo:
    title = title or detect_title(text)
    squeezed = re.sub(r"\s+", "", text)
    region = region or find_region(title) or find_region(squeezed[:300] + squeezed[-300:])
    published = find_published(text)
    undated = _DATE.sub("", squeezed[:300])
    if year is None and (found := _YEAR.search(title) or _YEAR.search(undated)):
        year = int(found[1])
    if year is None and published is not None:  # only the signature's date: a spring report is on last year
        year = published.year - 1 if published.month <= ANNUAL_REPORT_MONTHS else published.year
    return ReportInfo(title, region, year, published, is_plan_title(title))


def _quarter_end_before(date: dt.date) -> int:
    """The last month that ends a quarter before the date: 8月19日 -> 6."""
    return (date.month - 1) // 3 * 3


def _since_new_year(info: ReportInfo) -> Period:
    if info.published is None or _quarter_end_before(info.published) == 0:
        return Period(None, "今年以来")
    month = _quarter_end_before(info.published)
    return Period({6: "上半年", 9: "前三季度", 3: "第1季度", 12: FULL_YEAR}.get(month, f"1-{month}月"), "今年以来")


def _to_date(info: ReportInfo, words: str) -> Period:
    if info.published is None or _quarter_end_before(info.published) == 0:
        return Period(None, words)
    return Period(normalize_period(f"截至{_quarter_end_before(info.published)}月底"), words)


def _period_of(words: str, info: ReportInfo) -> Period:
    if words in SINCE_NEW_YEAR_WORDS:
        return _since_new_year(info) if info.written_during_the_year else Period(FULL_YEAR, words)
    if words in TO_DATE_WORDS:
        return _to_date(info, words) if info.written_during_the_year else Period(FULL_YEAR, words)
    if words in FULL_YEAR_WORDS:
        return Period(FULL_YEAR, words)
    cleaned = re.sub(r"(?:19|20)\d\d年|去年|今年", "", words).replace("第", "")
    return Period(normalize_period(cleaned), words)


def default_period(info: ReportInfo) -> Period:
    if info.written_during_the_year and not info.is_plan:
        return _since_new_year(info)
    return Period(FULL_YEAR, "")


def period_at(sentence: str, position: int, info: ReportInfo, names_year: bool) -> Period:
    """The period nearest before the figure in its sentence, else the report's default;
    a sentence naming its year ("确定2019年…项目") speaks of the whole year."""
    found = [m for m in _PERIOD_EXPRESSIONS.finditer(sentence) if m.start() < position]
    if found:
        return _period_of(found[-1][0], info)
    if names_year:
        return Period(FULL_YEAR, "")
    return default_period(info)


def year_at(sentence: Sentence, position: int, info: ReportInfo) -> int | None:
    """The year the sentence speaks of before the figure ("2020年，…", "截至2020年底"),
    not a comparison's ("比2019年"); 去年 from the publication year; else its section's
    ("二、2021年工作计划"); else the report's."""
    before = sentence.text[:position]
    for found in reversed(list(_YEAR.finditer(before))):
        lead = before[max(0, found.start() - 1):found.start()]
        if position - found.end() > YEAR_REACH:
            break
        if (lead not in ("比", "较", "于", "—", "-") and before[found.end():found.end() + 1] not in ("—", "-", "至", "度")
                and not inside_marks(before, found.start())):
            return int(found[1])
    if "去年" in before and info.publication_year is not None:
        return info.publication_year - 1
    return heading_year(sentence.heading) or info.year


def heading_year(heading: str) -> int | None:
    """The one year a section heading names ("二、2021年工作计划"), if it names one."""
    years = {int(found[1]) for found in _YEAR.finditer(heading) if not inside_marks(heading, found.start())}
    return years.pop() if len(years) == 1 else None


def kind_of(sentence: Sentence, year: int | None, info: ReportInfo) -> str:
    if info.is_plan or _plans_only(sentence.heading, PLAN_SECTION_WORDS):
        return TARGET
    if year is not None and info.year is not None and year > info.year and any(w in sentence.text for w in TARGET_WORDS):
        return TARGET
    return ACTUAL


def _level_prefix(info: ReportInfo) -> str:
    if info.region is None:
        return "区"
    return "市" if info.region.level == "地级市" or info.region.name.endswith("市") else "区"


def _declared(body: str) -> str | None:
    names = scope_names()
    return names.get(body) or names.get(body.replace("人民政府", "政府"))


def scope_at(sentence: Sentence, position: int, indicator: Indicator | None, info: ReportInfo) -> tuple[str, str]:
    """(scope, why): '' is the whole region. A body named before the figure (以区政府为被告,
    区民卫局…), else the body heading the section, else the body whose own work the
    indicator counts (catalog `body`); several bodies (区城管委、区市场监管局等部门) or a
    region-wide indicator are the whole region."""
    if indicator is not None and indicator.region_wide:
        return "", ""
    before = sentence.text[:position]
    bodies = [m for m in _BODY.finditer(before)
              if not inside_marks(before, m.start()) and not before[:m.start()].endswith(_OBJECT_BEFORE)
              and not before[m.end():].startswith(_OBJECT_AFTER)]
    if bodies:
        if "等部门" in before[bodies[-1].end():] or (len(bodies) > 1 and before[bodies[-2].end():bodies[-1].start()] == "、"):
            return "", ""
        body = bodies[-1][0]
        return _declared(body) or body, f"口径：{body}"
    heading_body = _BODY.search(sentence.heading)
    if heading_body and heading_body.start() == 0:
        body = heading_body[0]
        return _declared(body) or body, f"口径：{body}（标题）"
    if indicator is not None and indicator.body and not any(w in sentence.text for w in REGION_WIDE_WORDS):
        body = _level_prefix(info) + indicator.body
        return _declared(body) or body, f"口径：{body}（该指标为其本身工作）"
    return "", ""


def street_at(sentence: str, position: int, info: ReportInfo) -> Region | None:
    """A street office named as the subject before the figure (平江街道…8场)."""
    if info.region is None:
        return None
    for region in load_regions():
        if region.level == "街道" and region.parent == info.region.id:
            for name in (region.name, *region.aliases):
                at = sentence.find(name)
                if 0 <= at < position and (at == 0 or sentence[at - 1] in "，,；"):
                    return region
    return None


