"""Rules for a year's 放假安排 as keyed from a State Council notice, shared by the admin and services.

Pure Python over plain values so that the admin formset, the seeding service and the tests apply
exactly the same checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

HOLIDAY = "holiday"
WORKDAY_SHIFT = "workday_shift"
_WEEKDAYS = "一二三四五六日"
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DayRange:
    kind: str  # HOLIDAY or WORKDAY_SHIFT
    name: str
    first_day: dt.date
    last_day: dt.date

    def days(self) -> Iterable[dt.date]:
        d = self.first_day
        while d <= self.last_day:
            yield d
            d += _ONE_DAY


Span = tuple[str, dt.date, dt.date]  # (name, first day, last day) as services.enter_calendar_year takes it


def spans_by_kind(rows: Iterable[Mapping[str, Any]]) -> tuple[list[Span], list[Span]]:
    """Formset rows (kind, name, first_day, last_day; deleted and blank rows left out) as the
    holiday spans and the 调休上班 spans of ``services.enter_calendar_year``."""
    holidays: list[Span] = []
    shifts: list[Span] = []
    for row in rows:
        if not row or row.get("DELETE"):
            continue
        target = holidays if row["kind"] == HOLIDAY else shifts
        target.append((row["name"], row["first_day"], row["last_day"]))
    return holidays, shifts


def weekday_label(d: dt.date) -> str:
    return f"星期{_WEEKDAYS[d.weekday()]}"


def range_errors(year: int, r: DayRange) -> list[str]:
    """What is wrong with one range on its own."""
    if r.kind not in (HOLIDAY, WORKDAY_SHIFT):
        return [f"未知的类型 {r.kind!r}"]
    if r.last_day < r.first_day:
        return [f"结束日期 {r.last_day.isoformat()} 早于开始日期 {r.first_day.isoformat()}"]
    errors = [f"{d.isoformat()} 不在 {year} 年内" for d in (r.first_day, r.last_day) if d.year != year]
    if errors:
        return errors
    if r.kind == WORKDAY_SHIFT:
        errors += [
            f"调休上班日 {d.isoformat()}（{weekday_label(d)}）不是周末" for d in r.days() if d.weekday() < 5
        ]
    return errors


def year_errors(year: int, ranges: Sequence[DayRange], *, require_holiday: bool = False) -> list[str]:
    """What is wrong with a whole year's arrangement: each range, and any date keyed twice."""
    errors = [e for r in ranges for e in range_errors(year, r)]
    if errors:
        return errors
    if require_holiday and not any(r.kind == HOLIDAY for r in ranges):
        errors.append(f"{year} 年至少应录入一段放假安排")
    seen: dict[dt.date, DayRange] = {}
    for r in ranges:
        for d in r.days():
            other = seen.get(d)
            if other is None:
                seen[d] = r
            elif other.kind != r.kind:
                errors.append(f"{d.isoformat()} 不能既是放假日又是调休上班日")
            else:
                errors.append(f"{d.isoformat()} 重复出现在「{other.name}」和「{r.name}」中")
    return errors


def expand(ranges: Iterable[DayRange]) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """(holidays, shift workdays) as date -> holiday name."""
    holidays: dict[dt.date, str] = {}
    shifts: dict[dt.date, str] = {}
    for r in ranges:
        target = holidays if r.kind == HOLIDAY else shifts
        for d in r.days():
            target[d] = r.name
    return holidays, shifts


def group_days(kind: str, days: Mapping[dt.date, str]) -> list[DayRange]:
    """Consecutive dates with the same name folded into ranges, as a notice would print them."""
    ranges: list[DayRange] = []
    for d, name in sorted(days.items()):
        last = ranges[-1] if ranges else None
        if last is not None and last.name == name and last.last_day + _ONE_DAY == d:
            ranges[-1] = DayRange(kind, name, last.first_day, d)
        else:
            ranges.append(DayRange(kind, name, d, d))
    return ranges
