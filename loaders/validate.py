"""Turn parsed workbook rows into store rows, collecting every problem at once.

Indicators and regions are resolved through the database (name, aliases, id), so an
indicator created by an earlier import resolves like a catalog one. Values are converted
into the indicator's canonical unit. Any issue means nothing is written.
"""
from __future__ import annotations

import difflib
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import pandas as pd

from loaders.export import write_xlsx
from loaders.periods import normalize_period
from loaders.store import KEY_COLUMNS, OBSERVATION_COLUMNS
from loaders.units import SCALE_PREFIXES, conversion_factor, convert, split_unit
from loaders.values import QUALIFIERS, ParsedValue, ValueParseError, normalize_qualifier, normalize_text, parse_value
from loaders.workbook import Field, ParsedRow, ParsedWorkbook

ISSUE_COLUMNS = ["工作表", "行", "列", "问题", "建议"]
KINDS = {"实际": "实际", "实际值": "实际", "完成": "实际", "目标": "目标", "目标值": "目标", "计划": "目标"}
REGION_WIDE_SCOPES = {"全区", "全市", "全县", "本区", "本市", "全区域", "全辖区"}
PERIOD_HINT = "可写：全年、上半年、前三季度、第1季度……第4季度、1-N月（如 1-10月）"
COUNT_TYPES = ("流量", "存量")  # counts and amounts: never negative
SHARE_TYPE = "比率"            # a share of a whole: 0–100


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


def load_reference(con: duckdb.DuckDBPyConnection) -> Reference:
    indicators: dict[str, IndicatorRef] = {}
    for id_, name, aliases, unit, type_ in con.execute(
            "SELECT id, name, aliases, unit, type FROM indicators ORDER BY sort_order").fetchall():
        ref = IndicatorRef(id_, name, unit, type_)
        for text in (id_, *aliases, name):  # the name wins over another indicator's alias
            indicators[name_key(text)] = ref
    regions: dict[str, tuple[str, str]] = {}
    for id_, name, aliases in con.execute("SELECT id, name, aliases FROM regions ORDER BY sort_order").fetchall():
        for text in (id_, *aliases, name):
            regions[name_key(text)] = (id_, name)
    # New indicators go into the last heading (in the national system: 组织保障和落实机制),
    # and the message says so; the catalog owner can move them.
    # fetchall, not fetchone: DuckDB 2.0 refuses con.register() (store.preview) while a
    # result is left unfinished on the connection.
    category = con.execute("SELECT id, name FROM categories ORDER BY sort_order DESC LIMIT 1").fetchall()
    return Reference(indicators, regions, tuple(category[0]) if category else ("", ""))


def _column(f: Field) -> str:
    if f.address is None:
        return ""
    letters = re.match(r"[A-Z]+", f.address)[0]
    return f"{letters}（{f.label}）"


def _suggest(text: str, names: list[str]) -> str:
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.4)
    return f"是否是：{'、'.join(close)}？" if close else ""


def _text(f: Field | None) -> str:
    if f is None or f.value is None:
        return ""
    value = f.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


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


@dataclass
class _RowCheck:
    """One parsed row on its way to a store row; `fail` records an issue."""

    row: ParsedRow
    issues: list[Issue]

    def fail(self, f: Field | None, message: str, suggestion: str = "") -> None:
        column = _column(f) if f is not None else ""
        self.issues.append(Issue(self.row.sheet, self.row.row, column, message, suggestion))

    def get(self, name: str) -> Field | None:
        return self.row.fields.get(name)


class Validator:
    def __init__(self, ref: Reference, file_name: str, region: str | None, allow_new_indicators: bool):
        self.ref = ref
        self.file_name = file_name
        found = ref.regions.get(name_key(region)) if region else None
        self.default_region_id = found[0] if found else None  # an unknown --region is reported once
        self.allow_new = allow_new_indicators
        self.issues: list[Issue] = []
        self.new_indicators: dict[str, NewIndicator] = {}
        self.seen: dict[tuple, tuple[float, str, str]] = {}
        self.rows: list[dict] = []

    def indicator(self, check: _RowCheck, unit_text: str) -> IndicatorRef | None:
        f = check.get("指标")
        name = _text(f)
        if not name:
            check.fail(f, "指标名称为空")
            return None
        known = self.ref.indicators.get(name_key(name))
        if known is not None:
            return known
        if self.allow_new:
            return self.create_indicator(check, f, name, unit_text)
        names = sorted({r.name for r in self.ref.indicators.values()})
        check.fail(f, f"未登记的指标“{name}”", _suggest(name, names) or "如确为新指标，请勾选“允许新建指标”"
                   "（命令行加 --allow-new-indicators）")
        return None

    def create_indicator(self, check: _RowCheck, f: Field | None, name: str, unit_text: str) -> IndicatorRef | None:
        if not unit_text:
            check.fail(f, f"新指标“{name}”没有写明单位", "请在“单位”列填写单位，如 件、人、元、%")
            return None
        unit = split_unit(unit_text)[0]
        category_id, category_name = self.ref.default_category
        new = NewIndicator(new_indicator_id(name), name, unit, SHARE_TYPE if unit == "%" else "流量",
                           category_id, category_name)
        self.new_indicators[new.id] = new
        ref = IndicatorRef(new.id, name, new.unit, new.type)
        self.ref.indicators[name_key(name)] = ref
        return ref

    def region_id(self, check: _RowCheck) -> str | None:
        f = check.get("地区")
        text = _text(f)
        if not text:
            if f is not None and self.default_region_id is None:
                check.fail(f, "地区为空", "请填写地区，或在页面上选择地区（命令行加 --region）")
            return self.default_region_id  # without one, the sheet was reported once in validate()
        found = self.ref.regions.get(name_key(text))
        if found is None:
            names = sorted({name for _, name in self.ref.regions.values()})
            check.fail(f, f"未知的地区“{text}”", _suggest(text, names) or "地区须为苏州市或其下辖区县、街道")
            return None
        return found[0]

    def value(self, check: _RowCheck) -> tuple[ParsedValue, str] | None:
        """The figure and its value_text (as written), or None for no figure / an issue."""
        f = check.get("数值")
        try:
            parsed = parse_value(f.value)
        except ValueParseError as err:
            check.fail(f, str(err))
            return None
        if parsed is None:
            return None
        if f.percent:  # Excel stores 85% as 0.85
            return ParsedValue(parsed.value * 100, parsed.qualifier, "%"), f"{_trim(parsed.value * 100)}%"
        return parsed, _text(f)

    def qualifier(self, check: _RowCheck, parsed: ParsedValue) -> str | None:
        f = check.get("限定")
        written = normalize_qualifier(normalize_text(_text(f)))
        if written and written not in QUALIFIERS:
            check.fail(f, f"限定“{written}”无法识别", f"可写：{'、'.join(QUALIFIERS)}，或留空")
            return None
        if written and parsed.qualifier and written != parsed.qualifier:
            check.fail(f, f"数值中的限定“{parsed.qualifier}”与限定列的“{written}”不一致")
            return None
        return parsed.qualifier or written

    def year_period_kind(self, check: _RowCheck) -> tuple[int, str, str] | None:
        ok = True
        year_field = check.get("年份")
        year = parse_year(year_field.value if year_field else None)
        if year is None:
            check.fail(year_field, f"年份“{_text(year_field)}”无法识别", "请写四位年份，如 2024 或 2024年")
            ok = False
        period_field = check.get("期间")
        period = normalize_period(_text(period_field))
        if period is None:
            check.fail(period_field, f"期间“{_text(period_field)}”无法识别", PERIOD_HINT)
            ok = False
        kind_field = check.get("类型")
        kind = KINDS.get(_text(kind_field) or "实际")
        if kind is None:
            check.fail(kind_field, f"类型“{_text(kind_field)}”无法识别", "可写：实际、目标，或留空（即实际）")
            ok = False
        return (year, period, kind) if ok else None

    def convert(self, check: _RowCheck, indicator: IndicatorRef, parsed: ParsedValue, unit_text: str) -> float | None:
        f = check.get("数值")
        from_unit = unit_text or indicator.unit
        if conversion_factor(from_unit, indicator.unit) is None:
            check.fail(f, f"单位“{from_unit}”无法换算为指标“{indicator.name}”的单位“{indicator.unit}”",
                       f"请按“{indicator.unit}”填写")
            return None
        value = convert(parsed.value, from_unit, indicator.unit)
        if indicator.type == SHARE_TYPE and not 0 <= value <= 100:
            hint = "如果写的是小数（如 0.85），请写成 85 或 85%" if 0 < value < 1 else "比率应在 0 到 100 之间"
            check.fail(f, f"“{indicator.name}”是比率，{_trim(Decimal(str(value)))}% 超出 0–100 的范围", hint)
            return None
        if indicator.type in COUNT_TYPES and value < 0:
            check.fail(f, f"“{indicator.name}”是数量或金额，不能为负数（{_text(f)}）")
            return None
        return value

    def check_row(self, row: ParsedRow) -> None:
        check = _RowCheck(row, self.issues)
        figure = self.value(check)
        if figure is None:
            return  # no figure here (nothing stored), or the value's issue is recorded
        parsed, value_text = figure
        unit_text = _written_unit(parsed, _text(check.get("单位")))
        indicator = self.indicator(check, unit_text)
        region_id = self.region_id(check)
        when = self.year_period_kind(check)
        qualifier = self.qualifier(check, parsed)
        value = self.convert(check, indicator, parsed, unit_text) if indicator else None
        if indicator is None or region_id is None or when is None or qualifier is None or value is None:
            return
        scope = _text(check.get("口径"))
        scope = "" if scope in REGION_WIDE_SCOPES else scope
        year, period, kind = when
        record = {
            "indicator_id": indicator.id, "region_id": region_id, "scope": scope, "year": year,
            "period": period, "kind": kind, "value": value, "qualifier": qualifier, "value_text": value_text,
            "unit_text": unit_text or None, "source_id": None,
            "source_label": _text(check.get("来源")) or self.file_name,
            "sentence": _text(check.get("原文")) or None, "note": _text(check.get("备注")) or None,
            "sheet": row.sheet, "cell": check.get("数值").address,
        }
        self.add(check, record)

    def add(self, check: _RowCheck, record: dict) -> None:
        """One key given twice: the same figure is kept once, two different ones are an error."""
        key = tuple(record[c] for c in KEY_COLUMNS)
        where = f"工作表“{record['sheet']}”{record['cell']}"
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = (record["value"], record["qualifier"], where)
            self.rows.append(record)
        elif earlier[:2] != (record["value"], record["qualifier"]):
            check.fail(check.get("数值"), f"同一指标、地区、口径、年份、期间和类型的数字出现两次且不一致"
                       f"（{earlier[2]} 也有一个）", "请只保留正确的一个")


def _written_unit(parsed: ParsedValue, column_unit: str) -> str:
    """The cell's own unit, else the 单位 column's; '9.04亿' in a 万元 row is 9.04亿元,
    so a cell that writes its own scale drops the column's."""
    unit = normalize_text(parsed.unit or column_unit)
    if parsed.scaled and not parsed.unit and len(unit) > 1 and unit[0] in SCALE_PREFIXES:
        return unit[1:]
    return unit


def _trim(number: Decimal) -> str:
    """Decimal('85.00') -> '85', without the exponent normalize() alone gives 100."""
    return format(number.normalize(), "f")


def validate(book: ParsedWorkbook, ref: Reference, file_name: str, region: str | None = None,
             allow_new_indicators: bool = False) -> Validation:
    validator = Validator(ref, file_name, region, allow_new_indicators)
    if region and name_key(region) not in ref.regions:
        names = sorted({name for _, name in ref.regions.values()})
        validator.issues.append(Issue("", None, "", f"指定的地区“{region}”不在地区目录中", _suggest(region, names)))
    elif not region:
        for sheet in book.sheets_without_region:
            validator.issues.append(Issue(sheet, None, "", f"工作表“{sheet}”没有“地区”列，不知道这些数字属于哪个地区",
                                          "请在页面上选择地区（命令行加 --region 地区名）"))
    for row in book.rows:
        validator.check_row(row)
    issues = list(dict.fromkeys(validator.issues))  # a label cell shared by a row's figures: once
    rows = pd.DataFrame(validator.rows, columns=OBSERVATION_COLUMNS)
    return Validation(rows, issues, list(validator.new_indicators.values()))


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    return pd.DataFrame([[i.sheet, i.row if i.row is not None else "", i.column, i.message, i.suggestion]
                         for i in issues], columns=ISSUE_COLUMNS)


def issues_workbook(issues: list[Issue]) -> bytes:
    """The error list as an .xlsx the clerk can work through (text never runs as a formula)."""
    buffer = io.BytesIO()
    write_xlsx(issues_frame(issues), buffer, sheet_title="问题清单")
    return buffer.getvalue()
