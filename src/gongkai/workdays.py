"""Statutory working-day arithmetic over an explicit calendar (DESIGN.md "Dates", statute.md §3.9, §4).

A 工作日 is a Monday–Friday that is not a 放假 day, or a weekend the State Council notice designates
as 上班 (调休). The calendar only knows the years whose notice has been entered; every date in any
other year raises ``CalendarUnknown`` — a deadline is never guessed from Monday–Friday alone.

Counting follows procedural-law practice: day 1 is the first working day *after* the start date.
Pauses (补正, 征求第三方意见 …) are inclusive date ranges whose days are not counted.

Pure Python: importable without Django. ``gongkai.core.selectors.calendar_from_db`` builds the
same ``Calendar`` from the editable calendar table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Calendar",
    "CalendarUnknown",
    "DayExplanation",
    "DayKind",
    "Pause",
    "add_workdays",
    "calendar_from_chinesecalendar",
    "chinesecalendar_days",
    "chinesecalendar_years",
    "explain",
    "is_workday",
    "workdays_between",
]

_ONE_DAY = dt.timedelta(days=1)

# chinese_calendar names its holidays in English; the notices and our UI use these names.
CHINESECALENDAR_NAMES: Mapping[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class CalendarUnknown(LookupError):
    """A date falls in a year whose 放假安排 has not been entered."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"尚未录入 {year} 年的放假安排（国务院办公厅关于 {year} 年部分节假日安排的通知），"
            f"无法计算工作日。请录入 {year} 年放假安排。"
        )


class DayKind(StrEnum):
    WORKDAY = "workday"
    SHIFT_WORKDAY = "shift_workday"  # a weekend designated 上班 by the notice (调休)
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # a 放假 day, including weekends inside the holiday range


class Calendar:
    """The working-day facts for a set of known years.

    ``holidays`` and ``shift_workdays`` map a date to the name of its holiday (e.g. 国庆节; "" when
    unnamed); plain iterables of dates are accepted too. Every date must lie in a known year, a shift
    day must be a Saturday or Sunday, and no date may be both.
    """

    __slots__ = ("_holidays", "_known_years", "_shift_workdays")

    def __init__(
        self,
        known_years: Iterable[int],
        holidays: Mapping[dt.date, str] | Iterable[dt.date] = (),
        shift_workdays: Mapping[dt.date, str] | Iterable[dt.date] = (),
    ) -> None:
        self._known_years = frozenset(int(y) for y in known_years)
        self._holidays = _named(holidays)
        self._shift_workdays = _named(shift_workdays)
        for d in (*self._holidays, *self._shift_workdays):
            if d.year not in self._known_years:
                raise ValueError(f"{d.isoformat()} 不在已录入的年份之内")
        for d in self._shift_workdays:
            if d.weekday() < 5:
                raise ValueError(f"调休上班日 {d.isoformat()} 不是周末")
            if d in self._holidays:
                raise ValueError(f"{d.isoformat()} 不能既是放假日又是调休上班日")

    @property
    def known_years(self) -> frozenset[int]:
        return self._known_years

    @property
    def holidays(self) -> Mapping[dt.date, str]:
        return dict(self._holidays)

    @property
    def shift_workdays(self) -> Mapping[dt.date, str]:
        return dict(self._shift_workdays)

    def knows(self, d: dt.date) -> bool:
        return d.year in self._known_years

    def day_kind(self, d: dt.date) -> DayKind:
        if d.year not in self._known_years:
            raise CalendarUnknown(d.year)
        if d in self._holidays:
            return DayKind.HOLIDAY
        if d in self._shift_workdays:
            return DayKind.SHIFT_WORKDAY
        return DayKind.WEEKEND if d.weekday() >= 5 else DayKind.WORKDAY

    def holiday_name(self, d: dt.date) -> str:
        """The holiday a 放假 or 调休上班 day belongs to ("" when none or unnamed)."""
        return self._holidays.get(d) or self._shift_workdays.get(d) or ""

    def restricted_to(self, years: Iterable[int]) -> Calendar:
        keep = self._known_years & frozenset(years)
        return Calendar(
            keep,
            {d: n for d, n in self._holidays.items() if d.year in keep},
            {d: n for d, n in self._shift_workdays.items() if d.year in keep},
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Calendar):
            return NotImplemented
        return (
            self._known_years == other._known_years
            and self._holidays == other._holidays
            and self._shift_workdays == other._shift_workdays
        )

    def __hash__(self) -> int:
        return hash((self._known_years, frozenset(self._holidays), frozenset(self._shift_workdays)))

    def __repr__(self) -> str:
        years = sorted(self._known_years)
        span = f"{years[0]}–{years[-1]}" if years else "无"
        return (
            f"Calendar(years={span}, known={len(years)}, holidays={len(self._holidays)}, "
            f"shift_workdays={len(self._shift_workdays)})"
        )

    def __getstate__(self) -> tuple[frozenset[int], dict[dt.date, str], dict[dt.date, str]]:
        return (self._known_years, self._holidays, self._shift_workdays)

    def __setstate__(self, state: tuple[frozenset[int], dict[dt.date, str], dict[dt.date, str]]) -> None:
        self._known_years, self._holidays, self._shift_workdays = state


def _named(days: Mapping[dt.date, str] | Iterable[dt.date]) -> dict[dt.date, str]:
    if isinstance(days, Mapping):
        return {_as_date(d): str(name or "") for d, name in days.items()}
    return {_as_date(d): "" for d in days}


def _as_date(d: object) -> dt.date:
    # A datetime is a date subclass; silently dropping its time would hide a caller's mistake.
    if isinstance(d, dt.datetime) or not isinstance(d, dt.date):
        raise TypeError(f"需要 datetime.date，得到 {type(d).__name__}")
    return d


@dataclass(frozen=True)
class Pause:
    """An inclusive range of days that do not count towards a deadline, e.g. 补正 or 征求第三方意见."""

    first: dt.date
    last: dt.date
    reason: str = ""

    def __post_init__(self) -> None:
        _as_date(self.first)
        _as_date(self.last)
        if self.last < self.first:
            raise ValueError(f"暂停区间结束日 {self.last.isoformat()} 早于开始日 {self.first.isoformat()}")

    def covers(self, d: dt.date) -> bool:
        return self.first <= d <= self.last


PauseLike = Pause | tuple[dt.date, dt.date] | tuple[dt.date, dt.date, str]


def _pauses(pauses: Iterable[PauseLike]) -> tuple[Pause, ...]:
    return tuple(p if isinstance(p, Pause) else Pause(*p) for p in pauses)


def _pause_at(pauses: tuple[Pause, ...], d: dt.date) -> Pause | None:
    for p in pauses:
        if p.covers(d):
            return p
    return None


def is_workday(cal: Calendar, d: dt.date) -> bool:
    return cal.day_kind(d) in (DayKind.WORKDAY, DayKind.SHIFT_WORKDAY)


def _counts(cal: Calendar, pauses: tuple[Pause, ...], d: dt.date) -> bool:
    # The calendar is consulted before the pause so that a day in an unknown year raises even
    # while paused: the rule "every examined day must be known" has no exceptions.
    working = is_workday(cal, d)
    return working and _pause_at(pauses, d) is None


def add_workdays(cal: Calendar, start: dt.date, n: int, *, pauses: Iterable[PauseLike] = ()) -> dt.date:
    """The date of the n-th working day after ``start`` (day 1 = the first working day after it).

    Paused days are skipped; ``n == 0`` returns ``start``. Raises ``CalendarUnknown`` if a day that
    must be examined lies in a year the calendar does not know.
    """
    if n < 0:
        raise ValueError("工作日数不能为负数")
    ps = _pauses(pauses)
    d, counted = _as_date(start), 0
    while counted < n:
        d += _ONE_DAY
        if _counts(cal, ps, d):
            counted += 1
    return d


def workdays_between(cal: Calendar, start: dt.date, end: dt.date, *, pauses: Iterable[PauseLike] = ()) -> int:
    """The number of counted working days in (start, end]; negative when ``end`` is before ``start``.

    ``workdays_between(cal, s, add_workdays(cal, s, n)) == n`` for every n ≥ 0.
    """
    ps = _pauses(pauses)
    lo, hi, sign = (_as_date(start), _as_date(end), 1) if start <= end else (end, start, -1)
    total, d = 0, lo
    while d < hi:
        d += _ONE_DAY
        if _counts(cal, ps, d):
            total += 1
    return sign * total


@dataclass(frozen=True)
class DayExplanation:
    """One calendar day of a deadline computation, for the due-date explainer."""

    date: dt.date
    kind: DayKind | None  # None for the start day, which is never examined
    counted: bool
    ordinal: int | None  # 1 for the first counted working day, …
    reason: str
    paused_by: str | None = None  # the pause reason when a pause covers the day


def _reason(cal: Calendar, d: dt.date, kind: DayKind) -> str:
    name = cal.holiday_name(d)
    if kind is DayKind.HOLIDAY:
        return f"法定节假日「{name}」" if name else "法定节假日"
    if kind is DayKind.SHIFT_WORKDAY:
        return f"调休上班（{name}）" if name else "调休上班"
    if kind is DayKind.WEEKEND:
        return "周末"
    return "工作日"


def explain(
    cal: Calendar, start: dt.date, n: int, *, pauses: Iterable[PauseLike] = ()
) -> list[DayExplanation]:
    """Every calendar day from ``start`` to ``add_workdays(cal, start, n)``, each saying why it counted.

    The first entry is the start day itself (not counted); the last is the deadline.
    """
    if n < 0:
        raise ValueError("工作日数不能为负数")
    ps = _pauses(pauses)
    d = _as_date(start)
    days = [DayExplanation(d, None, False, None, "起算日（不计入，次日起算）")]
    counted = 0
    while counted < n:
        d += _ONE_DAY
        kind = cal.day_kind(d)
        pause = _pause_at(ps, d)
        if pause is not None:
            label = f"暂停：{pause.reason}" if pause.reason else "暂停"
            days.append(DayExplanation(d, kind, False, None, label, pause.reason))
        elif kind in (DayKind.WORKDAY, DayKind.SHIFT_WORKDAY):
            counted += 1
            days.append(DayExplanation(d, kind, True, counted, _reason(cal, d, kind)))
        else:
            days.append(DayExplanation(d, kind, False, None, _reason(cal, d, kind)))
    return days


def chinesecalendar_years() -> range:
    """The years the installed ``chinesecalendar`` package has data for."""
    from chinese_calendar import constants  # type: ignore[import-untyped]

    return range(min(constants.holidays).year, max(constants.holidays).year + 1)


def chinesecalendar_days(year: int) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """(holidays, shift workdays) of one year from ``chinesecalendar``, holiday names in Chinese.

    Dates are assigned by their own year: a notice's days in the previous December (e.g. the
    2018-12-29 上班 of the 2019 元旦 arrangement) belong to that previous year here.
    """
    from chinese_calendar import constants

    if year not in chinesecalendar_years():
        raise CalendarUnknown(year)

    def named(days: Mapping[dt.date, str]) -> dict[dt.date, str]:
        return {d: CHINESECALENDAR_NAMES.get(n, n) for d, n in sorted(days.items()) if d.year == year}

    return named(constants.holidays), named(constants.workdays)


def calendar_from_chinesecalendar(years: Iterable[int]) -> Calendar:
    """A Calendar straight from the ``chinesecalendar`` package; an unsupported year raises CalendarUnknown."""
    years = sorted(set(years))
    holidays: dict[dt.date, str] = {}
    shifts: dict[dt.date, str] = {}
    for year in years:
        h, s = chinesecalendar_days(year)
        holidays.update(h)
        shifts.update(s)
    return Calendar(years, holidays, shifts)
