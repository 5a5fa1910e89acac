"""Read a sheet that is an official statistical form through its profile.

Positions come from the numbers the form prints (行次 down one column, 栏次 along one
row), the region from the reporting unit it names, the period from its period line.
Each figure becomes a row of the long format (indicator, region, year, period, value,
breakdown = the row's 案件类别, '' for 合计) with its provenance: the form, sheet, 行次,
栏次 and cells. Validation then treats it like any other row. A cell holding text where
a number belongs, an unknown unit and an unreadable period are problems with their cell;
the form's audit rules (表内审核关系) are warnings.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

from openpyxl.utils import get_column_letter

from loaders.forms.profile import AuditRule, Figure, FormProfile, cell_position, load_profiles
from loaders.periods import normalize_period
from loaders.reference import load_regions
from loaders.values import ValueParseError, normalize_text, parse_value
from loaders.workbook import Column, Grid, ParsedRow, ParsedWorkbook, parse_grid

RECOGNISE_ROWS = 30  # a form prints its 表号 and title above its table
SHIFTED_ROWS = 5  # rows an office may have inserted or deleted above a form's table or side panel
# "2023年1月至2023年12月"; the second year may be left out ("2023年1月至12月", "2023年1-6月").
_PERIOD = re.compile(r"(\d{4})年(\d{1,2})月?(?:份)?(?:至|到|-|—|－|~|～)(?:(\d{4})年)?(\d{1,2})月")
_PERIOD_HINT = "请按“2023年1月至2023年12月”的写法填写报表期间"
Cell = tuple[int, int]  # (行次, 栏次)


def _text(value: object) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", normalize_text(str(value)))


def recognise(grid: Grid) -> FormProfile | None:
    """The profile whose marks (its 表号 line, its title) each begin a cell of the sheet's
    first rows. A cell that only mentions the 表号 (an exported note citing the form) is
    not the form."""
    texts = [_unpunctuated(v) for line in grid.cells[:RECOGNISE_ROWS] for v in line if isinstance(v, str)]
    return next((p for p in load_profiles()
                 if all(any(t.startswith(_unpunctuated(mark)) for t in texts) for mark in p.recognise)), None)


def _unpunctuated(value: object) -> str:
    """A mark as compared: spaces and colons left out ("表号 国法复统字1号" is "表号：国法复统字1号")."""
    return _text(value).replace(":", "")


def parse_sheet(grid: Grid, book: ParsedWorkbook) -> None:
    """One sheet: through its form's profile when it is a known form, else as before."""
    profile = recognise(grid)
    if profile is None:
        parse_grid(grid, book)
    else:
        book.tables += 1  # a form is a table, filled in or blank
        read_form(grid, profile, book)


@cache
def _region_names() -> tuple[tuple[str, str], ...]:
    """(text, region name) for every name and alias of the region catalog."""
    return tuple((_text(t), r.name) for r in load_regions() for t in (r.name, *r.aliases) if t)


# After the most specific known name, a place of its own ("苏州市沧浪区司法局", a district
# merged away in 2012; "苏州太湖国家旅游度假区管委会"): the unit is not of the known region.
_UNKNOWN_PLACE_AFTER = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:区|县|镇|街道)")


def region_in(text: str) -> str | None:
    """The region a unit's name names: '苏州市姑苏区司法局' -> 姑苏区. Of several names in
    it, the one ending last (the most specific, written after its parent), then the longest;
    None when an unknown place follows it (its figures are not the known region's)."""
    best: tuple[int, int, str] | None = None
    for name_text, name in _region_names():
        at = text.rfind(name_text)
        if at >= 0:
            found = (at + len(name_text), len(name_text), name)
            best = found if best is None or found[:2] > best[:2] else best
    if best is None or _UNKNOWN_PLACE_AFTER.match(text, best[0]):
        return None
    return best[2]


_NO_BOUND = Decimal("Infinity")


def _span(numbers: dict[Cell, Decimal], cells: list[Cell]) -> tuple[Decimal, Decimal]:
    """The least and the most a sum of cells can be: blank cells hold some count, 0 or more."""
    filled = sum((numbers[c] for c in cells if c in numbers), Decimal(0))
    return filled, filled if all(c in numbers for c in cells) else _NO_BOUND


def _printed_number(value: object) -> int | None:
    """A 行次 or 栏次 as the form prints it: a whole number, or its digits as text (WPS saves
    them so)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    text = _text(value)
    return int(text) if text.isascii() and text.isdigit() else None


class _Form:
    def __init__(self, grid: Grid, profile: FormProfile, book: ParsedWorkbook):
        self.grid, self.profile, self.book = grid, profile, book

    def problem(self, address: str, message: str, suggestion: str = "") -> None:
        row = int(re.search(r"\d+", address)[0]) if address else None
        letters = re.match(r"[A-Z]*", address)[0]
        self.book.problems.append((self.grid.name, row, letters, message, suggestion))

    def at(self, address: str) -> object:
        return self.grid.value(*cell_position(address))

    def near(self, row: int, matches) -> int | None:
        """The row nearest `row` (within SHIFTED_ROWS) for which matches(row) holds: an office
        that inserted or deleted a row above the table moved everything below it."""
        for r in sorted(range(row - SHIFTED_ROWS, row + SHIFTED_ROWS + 1), key=lambda r: abs(r - row)):
            if 0 <= r < len(self.grid.cells) and matches(r):
                return r
        return None

    def column_numbers_row(self) -> int:
        """Where the 栏次 are printed: the profile's row, or the nearest row printing them all."""
        p, grid = self.profile, self.grid

        def prints_them(r: int) -> bool:
            printed = {_printed_number(v) for v in grid.cells[r]}
            return all(c in printed for c in p.column_numbers)
        found = self.near(p.column_numbers_row, prints_them)
        return p.column_numbers_row if found is None else found

    def place(self, cell: str, label: str, in_cell: bool) -> str:
        """A cell the profile names beside its label (the side panel's 单位全称：, or the label
        written in the cell itself): where it is, or as far as rows were moved."""
        r, c = cell_position(cell)
        label_column, label = (c if in_cell else c - 1), _text(label).rstrip(":")
        found = self.near(r, lambda row: _text(self.grid.value(row, label_column)).startswith(label))
        return cell if found is None else f"{get_column_letter(c + 1)}{found + 1}"

    def positions(self) -> tuple[dict[int, int], dict[int, int]] | None:
        """行次 -> sheet row and 栏次 -> sheet column, from the numbers the form prints."""
        p, grid = self.profile, self.grid
        numbers_row = self.column_numbers_row()
        rows: dict[int, int] = {}
        for r in range(numbers_row + 1, len(grid.cells)):
            if (number := _printed_number(grid.value(r, p.row_numbers_column))) is not None:
                rows.setdefault(number, r)
        columns: dict[int, int] = {}
        for c, printed in enumerate(grid.cells[numbers_row] if numbers_row < len(grid.cells) else []):
            if (number := _printed_number(printed)) is not None:
                columns.setdefault(number, c)
        missing_rows = [k for k in p.row_numbers if k not in rows]
        missing_columns = [k for k in p.column_numbers if k not in columns]
        if missing_rows or missing_columns:
            where = (f"行次 {missing_rows[0]}（{get_column_letter(p.row_numbers_column + 1)} 列）" if missing_rows
                     else f"栏次 {missing_columns[0]}（第 {numbers_row + 1} 行前后）")
            self.book.problems.append((self.grid.name, None, "", f"工作表“{self.grid.name}”是{p.name}，"
                                       f"但找不到{where}：表格结构与该报表不符",
                                       "请使用原样的报表，不要删除或移动行次、栏次"))
            return None
        return rows, columns

    def numbers(self, rows: dict[int, int], columns: dict[int, int]) -> dict[Cell, Decimal]:
        """Every filled cell of the table as a number; text where a number belongs is a
        problem at its cell, a blank cell no figure (never a zero)."""
        found: dict[Cell, Decimal] = {}
        for k in self.profile.row_numbers:
            for c in self.profile.column_numbers:
                raw = self.grid.value(rows[k], columns[c])
                address = f"{get_column_letter(columns[c] + 1)}{rows[k] + 1}"
                number = self.number(raw, address, k, c)
                if number is not None:
                    found[(k, c)] = number
        return found

    def number(self, raw: object, address: str, k: int, c: int) -> Decimal | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            try:
                return Decimal(str(raw))
            except InvalidOperation:
                pass
        try:
            parsed = parse_value(raw) if isinstance(raw, str) else None
        except ValueParseError:
            parsed = None
        else:
            if parsed is None:
                return None  # —, /, 无: no figure
        if parsed is not None and not parsed.qualifier and parsed.unit in ("", "件", "元"):
            return parsed.value
        self.problem(address, f"行次{k}、栏次{c}的单元格 {address} 应填写数字，却写着“{str(raw).strip()}”",
                     "统计报表的各栏只填确切的数字；没有的留空")
        return None

    def period(self) -> tuple[int, str] | None:
        address = self.profile.period_cell
        text = _text(self.at(address))
        match = _PERIOD.search(text)
        if match is None:
            self.problem(address, f"报表期间“{text}”无法识别", _PERIOD_HINT)
            return None
        first_year, first_month, last_year, last_month = (int(g) if g else None for g in match.groups())
        last_year = last_year or first_year
        if first_year != last_year:
            self.problem(address, f"报表期间“{text}”跨越 {first_year} 年和 {last_year} 年两个年度，无法归入一个年份",
                         "请按年度分别填报（1月至12月，或1月至N月）")
            return None
        period = normalize_period(f"{first_month}-{last_month}月") if first_month == 1 else None
        if period is None:
            self.problem(address, f"报表期间“{text}”不是从1月起累计的期间", "可写：1月至12月（全年）、1月至6月、1月至N月")
            return None
        return first_year, period

    def unit(self) -> tuple[str | None, str, str]:
        """(region name or None, the unit as written, where): the first place naming a
        known region wins; when none does, the first place that names anything."""
        written: list[tuple[str, str]] = []
        for place in self.profile.unit_places:
            cell = self.place(place.cell, place.after or place.label, bool(place.after))
            text = _text(self.at(cell))
            if place.after:
                text = text.removeprefix(_text(place.after)).lstrip(":：")
                if text == _text(place.after).rstrip(":："):
                    text = ""
            if not text:
                continue
            region = region_in(text)
            if region is not None:
                return region, text, cell
            written.append((text, cell))
        text, cell = written[0] if written else ("", self.profile.unit_places[0].cell)
        return None, text, cell

    def audit(self, rule: AuditRule, numbers: dict[Cell, Decimal], rows: dict[int, int],
              columns: dict[int, int]) -> None:
        others = self.profile.column_numbers if rule.each == "column" else self.profile.row_numbers
        for other in others:
            def cell(n: int) -> Cell:
                return (n, other) if rule.each == "column" else (other, n)

            involved = [cell(n) for n in (*rule.left, *rule.plus, *rule.minus)]
            if not any(c in numbers for c in involved):
                continue  # nothing filled in: nothing to check
            left, plus, minus = (_span(numbers, [cell(n) for n in side]) for side in (rule.left, rule.plus, rule.minus))
            # A blank cell is no figure, not a 0 (a form may list some 案件类别 only): the rule
            # is broken only when no counts in the blank cells could make it hold.
            if left[0] <= plus[1] - minus[0] and plus[0] - minus[1] <= left[1]:
                continue
            left, right = left[0], plus[0] - minus[0]  # what is filled in, said in the warning
            where = f"栏次{other}" if rule.each == "column" else f"行次{other}"
            right_text = _cells_text([cell(n) for n in rule.plus], rows, columns)
            if rule.minus:
                right_text += " − " + _cells_text([cell(n) for n in rule.minus], rows, columns)
            self.book.warnings.append(
                f"工作表“{self.grid.name}”审核关系“{rule.name}”在{where}不成立："
                f"{_cells_text([cell(n) for n in rule.left], rows, columns)} = {_plain(left)}，"
                f"而 {right_text} = {_plain(right)}")

    def figure_rows(self, figure: Figure, numbers: dict[Cell, Decimal], rows: dict[int, int],
                    columns: dict[int, int], common: dict[str, object], cells: dict[str, str]) -> list[ParsedRow]:
        p = self.profile
        parsed = []
        for k in p.row_numbers:
            if k != p.total_row and k not in p.categories:
                continue
            filled = [c for c in figure.columns if (k, c) in numbers]
            if not filled:
                continue  # blank: no figure, never a zero
            value = sum((numbers[(k, c)] for c in filled), Decimal(0))
            addresses = "+".join(f"{get_column_letter(columns[c] + 1)}{rows[k] + 1}" for c in figure.columns)
            breakdown = "" if k == p.total_row else p.categories[k]
            blank = [c for c in figure.columns if c not in filled]
            note = (f"{p.name} 行次{k}（{breakdown or '合计'}）栏次{'+'.join(map(str, figure.columns))}"
                    + (f"；栏次{'、'.join(map(str, blank))}未填数字，数值为已填各栏之和，实际不少于此" if blank else ""))
            # A blank cell is no figure, never a zero: a sum missing some of its columns is a
            # lower bound (以上), not the count.
            values = {**common, "指标": figure.indicator, "数值": _plain(value), "单位": figure.unit,
                      "分项": breakdown, "口径": p.scope, "备注": note, **({"限定": "以上"} if blank else {})}
            label = f"行次{k} 栏次{'+'.join(map(str, figure.columns))}"
            parsed.append(ParsedRow(self.grid.name, rows[k] + 1, values, {name: Column("", label) for name in values},
                                    cells={name: addresses for name in values} | cells, region_from_form=True))
        return parsed

    def read(self) -> None:
        p = self.profile
        found = self.positions()
        if found is None:
            return
        rows, columns = found
        problems_before = len(self.book.problems)
        numbers = self.numbers(rows, columns)
        if not numbers and len(self.book.problems) == problems_before:
            self.book.notes.append(f"工作表“{self.grid.name}”是{p.name}，但没有填写任何数字，未导入")
            return
        when = self.period()
        region, unit_text, unit_cell = self.unit()
        if region is None:
            message = (f"报表的填表单位“{unit_text}”不是地区目录中的地区" if unit_text
                       else "报表没有写明填表单位，不知道这些数字属于哪个地区")
            self.problem(unit_cell, message, "请在“单位全称”处写明所属区（县级市），如“苏州市姑苏区司法局”；"
                                             "命令行也可加 --region 地区名")
            self.book.region_problems.append(self.book.problems.pop())
        for rule in p.audit:
            self.audit(rule, numbers, rows, columns)
        if when is None or len(self.book.problems) > problems_before:
            return
        common: dict[str, object] = {"年份": when[0], "期间": when[1]}
        cells = {"年份": p.period_cell, "期间": p.period_cell, "地区": unit_cell}
        if region is not None:
            common["地区"] = region
        for figure in p.figures:
            self.book.rows.extend(self.figure_rows(figure, numbers, rows, columns, common, cells))


def read_form(grid: Grid, profile: FormProfile, book: ParsedWorkbook) -> None:
    _Form(grid, profile, book).read()


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _cells_text(cells: list[Cell], rows: dict[int, int], columns: dict[int, int]) -> str:
    """Cells as addresses, a run down one column or along one row as a range (E13:E58)."""
    points = [(rows[k], columns[c]) for k, c in cells]
    parts: list[str] = []
    start = 0
    while start < len(points):
        end = start
        while end + 1 < len(points) and (
                (points[end + 1][1] == points[start][1] and points[end + 1][0] == points[end][0] + 1)
                or (points[end + 1][0] == points[start][0] and points[end + 1][1] == points[end][1] + 1)):
            end += 1
        first, last = (f"{get_column_letter(c + 1)}{r + 1}" for r, c in (points[start], points[end]))
        parts.append(first if start == end else f"{first}:{last}")
        start = end + 1
    return parts[0] if len(parts) == 1 else "(" + " + ".join(parts) + ")"
