"""Turn parsed workbook rows into store rows, collecting every problem at once.

Indicators and regions are resolved through a Reference the store reads from the database
(name, aliases, id), so an indicator created by an earlier import resolves like a catalog one. Values are converted
into the indicator's canonical unit. Any issue means nothing is written.
"""
from __future__ import annotations

import difflib
import functools
import hashlib
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from indicators.vocabulary import ACTUAL, COUNT_TYPES, KIND_SYNONYMS, PERIOD_HINT, QUALIFIERS, SHARE_TYPE, period_span
from loaders.periods import normalize_period
from loaders.reference import scope_names
from loaders.rows import OBSERVATION_COLUMNS
from loaders.units import SCALE_PREFIXES, conversion_factor, split_unit
from loaders.values import ParsedValue, ValueParseError, normalize_qualifier, normalize_text, parse_value
from loaders.workbook import Field, ParsedRow, ParsedWorkbook, cycle_collection_paused

ISSUE_COLUMNS = ["工作表", "行", "列", "问题", "建议"]
REGION_WIDE_SCOPES = {"全区", "全市", "全县", "本区", "本市", "全区域", "全辖区"}


@dataclass(frozen=True)
class Issue:
    sheet: str
    row: int | None
    column: str
    message: str
    suggestion: str = ""


@dataclass(frozen=True)
class IndicatorRef:
    id: str
    name: str
    unit: str
    type: str


@dataclass(frozen=True)
class NewIndicator:
    id: str
    name: str
    unit: str
    type: str
    category_id: str
    category_name: str


@dataclass
class Reference:
    """Names, aliases and ids of indicators and regions, keyed by their normalized text."""

    indicators: dict[str, IndicatorRef]
    regions: dict[str, tuple[str, str]]  # key -> (id, name)
    default_category: tuple[str, str]    # (id, name) for indicators an import creates


@dataclass
class Validation:
    rows: pd.DataFrame
    issues: list[Issue]
    new_indicators: list[NewIndicator] = field(default_factory=list)


def name_key(text: object) -> str:
    return normalize_text(str(text)).lower()


def _column(f: Field) -> str:
    if f.address is None:
        return ""
    letters = re.match(r"[A-Z]+", f.address)[0]
    return f"{letters}（{f.label}）" if f.label else letters


REGION_HINT = "地区须为苏州市或其下辖的区县、街道，如姑苏区、吴江区、平江街道"


def _suggest(text: str, names: list[str]) -> str:
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.4)
    return f"是否是：{'、'.join(close)}？" if close else ""


def cell_text(raw: object) -> str:
    """A cell as text: 2021.0 -> '2021', None -> ''."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def new_indicator_id(name: str) -> str:
    """Stable and ASCII, so the same name in two rows (or two files) is one indicator."""
    return "import_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def parse_year(raw: object) -> int | None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        year = int(raw) if float(raw).is_integer() else None
    else:
        match = re.fullmatch(r"((?:19|20)\d\d)(?:\.0)?(?:年度?)?", normalize_text(str(raw or "")))
        year = int(match[1]) if match else None
    return year if year is not None and 1990 <= year <= 2100 else None


def _name_of_cell(raw: object) -> tuple[str, str]:
    """A name as written and the key it is looked up by."""
    name = cell_text(raw)
    return name, name_key(name)


def _scope(raw: object) -> str | None:
    """The declared scope a cell names (through data/scopes.yaml's aliases), '' for the
    whole region, None when the catalog does not hold it."""
    scope = cell_text(raw)
    return "" if scope in REGION_WIDE_SCOPES or not scope else scope_names().get(scope)


def _written_qualifier(raw: object) -> str:
    return normalize_qualifier(normalize_text(cell_text(raw)))


class Validator:
    """Checks rows one by one. Whatever depends only on a cell's text (a name, a year, a
    period, a unit) is worked out once per distinct text and remembered for this file:
    a 100,000-row sheet names a few dozen indicators, regions and periods. The caches
    are typed, so the cells 1, 1.0 and True are told apart as the messages need."""

    def __init__(self, ref: Reference, file_name: str, region: str | None, allow_new_indicators: bool):
        self.ref = ref
        self.file_name = file_name
        found = ref.regions.get(name_key(region)) if region else None
        self.default_region_id = found[0] if found else None  # an unknown --region is reported once
        self.allow_new = allow_new_indicators
        self.issues: list[Issue] = []
        self.new_indicators: dict[str, NewIndicator] = {}
        self.seen: dict[tuple, tuple] = {}  # key -> payload
        # The periods of the file naming the same months (上半年, 1-6月), by each of them and by
        # the months ('1-6'): one shared list.
        self.periods_by_months: dict[str | None, list[str]] = {}
        self.records: list[tuple] = []  # key then payload: OBSERVATION_COLUMNS order
        remember = functools.lru_cache(maxsize=None, typed=True)
        self.text = remember(cell_text)
        self.scope = remember(_scope)
        self.written_qualifier = remember(_written_qualifier)
        self.written_unit = remember(_written_unit)
        self.factor = remember(conversion_factor)
        self.name_of = remember(_name_of_cell)
        self.region_of = remember(self._region_of)
        self.when = remember(self._when)
        self.indicator_hint = remember(self._indicator_hint)

    def fail(self, row: ParsedRow, name: str, message: str, suggestion: str = "") -> None:
        """An issue at the row's cell of column `name` (no column when the sheet has none)."""
        f = row.field(name)
        self.issues.append(Issue(row.sheet, row.row, _column(f) if f is not None else "", message, suggestion))

    def indicator(self, row: ParsedRow, unit_text: str) -> IndicatorRef | None:
        name, key = self.name_of(row.values.get("指标"))
        if not name:
            self.fail(row, "指标", "指标名称为空")
            return None
        known = self.ref.indicators.get(key)  # looked up each time: an import may add one
        if known is not None:
            return known
        if self.allow_new:
            return self.create_indicator(row, name, unit_text)
        self.fail(row, "指标", f"未登记的指标“{name}”", self.indicator_hint(name))
        return None

    def _indicator_hint(self, name: str) -> str:
        names = sorted({r.name for r in self.ref.indicators.values()})
        return _suggest(name, names) or "如确为新指标，请勾选“允许新建指标”（命令行加 --allow-new-indicators）"

    def create_indicator(self, row: ParsedRow, name: str, unit_text: str) -> IndicatorRef | None:
        if not unit_text:
            self.fail(row, "指标", f"新指标“{name}”没有写明单位", "请在“单位”列填写单位，如 件、人、元、%")
            return None
        unit = split_unit(unit_text)[0]
        category_id, category_name = self.ref.default_category
        new = NewIndicator(new_indicator_id(name), name, unit, SHARE_TYPE if unit == "%" else "流量",
                           category_id, category_name)
        self.new_indicators[new.id] = new
        ref = IndicatorRef(new.id, name, new.unit, new.type)
        self.ref.indicators[name_key(name)] = ref
        return ref

    def _region_of(self, raw: object) -> tuple[str, str | None, str]:
        """(text, region id or None, suggestion when unknown)."""
        text = self.text(raw)
        found = self.ref.regions.get(name_key(text)) if text else None
        if found is not None or not text:
            return text, found[0] if found else None, ""
        names = sorted({name for _, name in self.ref.regions.values()})
        return text, None, _suggest(text, names) or REGION_HINT

    def region_id(self, row: ParsedRow) -> str | None:
        if row.region_from_form and self.default_region_id is not None:
            return self.default_region_id
        values = row.values
        text, region_id, hint = self.region_of(values.get("地区"))
        if not text:
            if "地区" in values and self.default_region_id is None:
                self.fail(row, "地区", "地区为空", "请填写地区，或在页面上选择地区（命令行加 --region）")
            return self.default_region_id  # without one, the sheet was reported once in validate()
        if region_id is None:
            self.fail(row, "地区", f"未知的地区“{text}”", hint)
        return region_id

    def value(self, row: ParsedRow) -> tuple[ParsedValue, str] | None:
        """The figure and its value_text (as written), or None for no figure / an issue."""
        raw = row.values.get("数值")
        try:
            parsed = parse_value(raw)
        except ValueParseError as err:
            self.fail(row, "数值", str(err))
            return None
        if parsed is None:
            return None
        if row.percent:  # Excel stores 85% as 0.85
            return ParsedValue(parsed.value * 100, parsed.qualifier, "%"), f"{_trim(parsed.value * 100)}%"
        return parsed, cell_text(raw)

    def qualifier(self, row: ParsedRow, parsed: ParsedValue) -> str | None:
        written = self.written_qualifier(row.values.get("限定"))
        if written and written not in QUALIFIERS:
            self.fail(row, "限定", f"限定“{written}”无法识别", f"可写：{'、'.join(QUALIFIERS)}，或留空")
            return None
        if written and parsed.qualifier and written != parsed.qualifier:
            self.fail(row, "限定", f"数值中的限定“{parsed.qualifier}”与限定列的“{written}”不一致")
            return None
        return parsed.qualifier or written

    def _when(self, year_raw: object, period_raw: object, kind_raw: object) -> tuple[int, str, str] | list:
        """(year, period, kind), or the problems as (column, message, suggestion)."""
        problems = []
        year = parse_year(year_raw)
        if year is None:
            problems.append(("年份", f"年份“{cell_text(year_raw)}”无法识别", "请写四位年份，如 2024 或 2024年"))
        period = normalize_period(cell_text(period_raw))
        if period is None:
            problems.append(("期间", f"期间“{cell_text(period_raw)}”无法识别", PERIOD_HINT))
        kind = KIND_SYNONYMS.get(cell_text(kind_raw) or ACTUAL)
        if kind is None:
            problems.append(("类型", f"类型“{cell_text(kind_raw)}”无法识别", "可写：实际、目标，或留空（即实际）"))
        return problems or (year, period, kind)

    def year_period_kind(self, row: ParsedRow) -> tuple[int, str, str] | None:
        values = row.values
        when = self.when(values.get("年份"), values.get("期间"), values.get("类型"))
        if isinstance(when, tuple):
            return when
        for problem in when:
            self.fail(row, *problem)
        return None

    def convert(self, row: ParsedRow, indicator: IndicatorRef, parsed: ParsedValue, unit_text: str) -> float | None:
        from_unit = unit_text or indicator.unit
        factor = self.factor(from_unit, indicator.unit)
        if factor is None:
            # Named as the clerk wrote it: "1.2万" in a 万元 row was left with 元 once its 万 was
            # applied, and "单位“元”" would name a unit nobody wrote.
            written = parsed.unit or self.text(row.values.get("单位")) or from_unit
            # The cell that wrote the unit: the number's own text ("1.2万件"), else the 单位 column.
            where = "单位" if not parsed.unit and self.text(row.values.get("单位")) else "数值"
            self.fail(row, where, f"单位“{written}”无法换算为指标“{indicator.name}”的单位“{indicator.unit}”",
                      f"请按“{indicator.unit}”填写")
            return None
        value = float(parsed.value * factor)  # exact in Decimal, as units.convert does
        if not math.isfinite(value):  # 1e308 万元 is past what a float holds
            self.fail(row, "数值", f"数值“{cell_text(row.values['数值'])}”过大，不是可用的数字")
            return None
        if indicator.type == SHARE_TYPE and not 0 <= value <= 100:
            hint = "如果写的是小数（如 0.85），请写成 85 或 85%" if 0 < value < 1 else "比率应在 0 到 100 之间"
            self.fail(row, "数值", f"“{indicator.name}”是比率，{_trim(Decimal(str(value)))}% 超出 0–100 的范围", hint)
            return None
        if indicator.type in COUNT_TYPES and value < 0:
            self.fail(row, "数值", f"“{indicator.name}”是数量或金额，不能为负数（{cell_text(row.values['数值'])}）")
            return None
        return value

    def check_row(self, row: ParsedRow) -> None:
        if "采纳" in row.values and self.text(row.values["采纳"]) != "是":
            return  # a report's candidate that was not accepted
        issues_before = len(self.issues)
        figure = self.value(row)
        if figure is None:
            if len(self.issues) > issues_before:  # the value is wrong: the rest of its row is said at once too
                self.labels_of_a_wrong_figure(row)
            return  # otherwise no figure here: nothing is stored
        parsed, value_text = figure
        values = row.values
        unit_text = self.written_unit(parsed.unit, parsed.scaled, self.text(values.get("单位")))
        indicator = self.indicator(row, unit_text)
        region_id = self.region_id(row)
        when = self.year_period_kind(row)
        qualifier = self.qualifier(row, parsed)
        value = self.convert(row, indicator, parsed, unit_text) if indicator else None
        scope = self.checked_scope(row)
        if indicator is None or region_id is None or when is None or qualifier is None or value is None or scope is None:
            return
        key = (indicator.id, region_id, scope, *when, self.text(values.get("分项")))
        self.add(row, key, (value, qualifier, value_text, unit_text or None, None,
                            self.text(values.get("来源")) or self.file_name,
                            self.text(values.get("原文")) or None, self.text(values.get("备注")) or None,
                            row.sheet, row.address("数值")))

    def checked_scope(self, row: ParsedRow) -> str | None:
        scope = self.scope(row.values.get("口径"))
        if scope is None:
            written = self.text(row.values.get("口径"))
            self.fail(row, "口径", f"未登记的口径“{written}”",
                      _suggest(written, sorted(set(scope_names().values()))) or "口径须为 data/scopes.yaml 中的单位，或留空（全区）")
        return scope

    def labels_of_a_wrong_figure(self, row: ParsedRow) -> None:
        """Every other problem of a row whose value is wrong (the contract: every problem at
        once), so that a clerk mends the row in one go. A new indicator is not made for it."""
        if not self.allow_new:
            self.indicator(row, "")
        self.region_id(row)
        self.year_period_kind(row)
        self.checked_scope(row)

    def add(self, row: ParsedRow, key: tuple, payload: tuple) -> None:
        """One key given twice: the same figure is kept once, two different ones are an error."""
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = payload
            self.records.append(key + payload)
        elif earlier[:2] != payload[:2]:  # value and qualifier
            self.fail(row, "数值", f"同一指标、地区、口径、年份、期间、类型和分项的数字出现两次且不一致"
                                   f"（工作表“{earlier[-2]}”{earlier[-1]} 也有一个）", "请只保留正确的一个")
            return
        # 上半年 and 1-6月 are the same months: two different figures for them cannot both be true.
        # Looked up only when the file names some months two ways (rare): a row costs two lookups.
        period = key[4]
        names = self.periods_by_months.get(period)
        if names is None:
            names = self.periods_by_months.setdefault(period_span(period), [])
            names.append(period)
            self.periods_by_months[period] = names
        for other_period in names if len(names) > 1 else ():
            other = self.seen.get((*key[:4], other_period, *key[5:])) if other_period != period else None
            if other is not None and other[:2] != payload[:2]:
                self.fail(row, "数值", f"“{other_period}”与“{period}”是同一段月份，同一指标、地区、口径、年份、类型和分项"
                                       f"却有两个不一致的数字（工作表“{other[-2]}”{other[-1]} 也有一个）",
                          "请只保留正确的一个")
                return


def _written_unit(unit: str, scaled: bool, column_unit: str) -> str:
    """The cell's own unit, else the 单位 column's; '9.04亿' in a 万元 row is 9.04亿元,
    so a cell that writes its own scale drops the column's."""
    written = normalize_text(unit or column_unit)
    if scaled and not unit and len(written) > 1 and written[0] in SCALE_PREFIXES:
        return written[1:]
    return written


def _trim(number: Decimal) -> str:
    """Decimal('85.00') -> '85', without the exponent normalize() alone gives 100."""
    return format(number.normalize(), "f")


def _uncached_formula_issue(sheet: str, row: int, cell: Field) -> Issue:
    return Issue(sheet, row, _column(cell), f"单元格 {cell.address} 是公式，但文件中没有保存它的计算结果"
                 "（由程序生成、未经 Excel 或 WPS 保存的文件常见）",
                 "请在 Excel 或 WPS 中打开并保存后再上传，或把公式改为数值")


def validate(book: ParsedWorkbook, ref: Reference, file_name: str, region: str | None = None,
             allow_new_indicators: bool = False) -> Validation:
    validator = Validator(ref, file_name, region, allow_new_indicators)
    if region and name_key(region) not in ref.regions:
        names = sorted({name for _, name in ref.regions.values()})
        validator.issues.append(Issue("", None, "", f"指定的地区“{region}”不在地区目录中",
                                      _suggest(region, names) or REGION_HINT))
    elif not region:
        for sheet in book.sheets_without_region:
            validator.issues.append(Issue(sheet, None, "", f"工作表“{sheet}”没有“地区”列，不知道这些数字属于哪个地区",
                                          "请在页面上选择地区（命令行加 --region 地区名）"))
    validator.issues.extend(_uncached_formula_issue(*found) for found in book.uncached_formulas)
    validator.issues.extend(Issue(*problem) for problem in book.problems)
    if not region:
        validator.issues.extend(Issue(*problem) for problem in book.region_problems)
    with cycle_collection_paused():
        for row in book.rows:
            validator.check_row(row)
        issues = list(dict.fromkeys(validator.issues))  # a label cell shared by a row's figures: once
        # Text stays Python objects: the store hands it to DuckDB as such, and pandas' own
        # string arrays would be built here only to be turned back (a quarter of preview).
        rows = pd.DataFrame(validator.records, columns=OBSERVATION_COLUMNS, dtype=object)
        rows = rows.astype({"year": "int64", "value": "float64"})
    return Validation(rows, issues, list(validator.new_indicators.values()))


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    return pd.DataFrame([[i.sheet, i.row if i.row is not None else "", i.column, i.message, i.suggestion]
                         for i in issues], columns=ISSUE_COLUMNS)
