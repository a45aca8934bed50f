"""Property tests: the working-day arithmetic against a day-by-day reference over 2019–2026.

The reference asks ``chinese_calendar.is_workday`` directly for every day, so it shares no code
with ``gongkai.workdays``: it checks the name mapping, the known-year rule and the counting.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays import (
    CalendarUnknown,
    DayKind,
    Pause,
    add_workdays,
    calendar_from_chinesecalendar,
    explain,
    is_workday,
    workdays_between,
)

YEARS = range(2019, 2027)
CAL = calendar_from_chinesecalendar(YEARS)
FIRST, LAST = dt.date(2019, 1, 1), dt.date(2026, 12, 31)
ONE = dt.timedelta(days=1)


class ReferenceUnknown(Exception):
    def __init__(self, year: int) -> None:
        self.year = year


def ref_counts(d: dt.date, pauses: list[Pause]) -> bool:
    if d.year not in YEARS:
        raise ReferenceUnknown(d.year)
    working = chinese_calendar.is_workday(d)
    return working and not any(p.first <= d <= p.last for p in pauses)


def ref_add(start: dt.date, n: int, pauses: list[Pause]) -> dt.date:
    d, seen = start, 0
    while seen < n:
        d += ONE
        seen += ref_counts(d, pauses)
    return d


def ref_between(start: dt.date, end: dt.date, pauses: list[Pause]) -> int:
    lo, hi = sorted((start, end))
    total = sum(ref_counts(lo + ONE * i, pauses) for i in range(1, (hi - lo).days + 1))
    return total if start <= end else -total


# 调休 weekends are rare; start some examples just before one so the property really exercises them.
SHIFT_DAYS = sorted(CAL.shift_workdays)
near_shift = st.builds(
    lambda d, back: max(FIRST, d - dt.timedelta(days=back)), st.sampled_from(SHIFT_DAYS), st.integers(0, 12)
)
dates = st.one_of(st.dates(FIRST, LAST), near_shift)
pause = st.builds(
    lambda first, length, reason: Pause(first, first + dt.timedelta(days=length), reason),
    st.dates(FIRST, LAST),
    st.integers(0, 25),
    st.sampled_from(["补正", "征求第三方意见", "征求其他机关意见", ""]),
)
pause_lists = st.lists(pause, max_size=3)


def near(start: dt.date, pauses: list[Pause]) -> list[Pause]:
    """Pauses moved to within a month after ``start`` so that they usually fall inside the counted window."""
    moved = []
    for p in pauses:
        first = start + dt.timedelta(days=(p.first - FIRST).days % 30)
        moved.append(Pause(first, first + (p.last - p.first), p.reason))
    return moved


@settings(max_examples=400)
@given(start=dates, n=st.integers(0, 60), pauses=pause_lists)
def test_add_workdays_matches_reference(start: dt.date, n: int, pauses: list[Pause]) -> None:
    pauses = near(start, pauses)
    try:
        expected = ref_add(start, n, pauses)
    except ReferenceUnknown as unknown:
        with pytest.raises(CalendarUnknown) as info:
            add_workdays(CAL, start, n, pauses=pauses)
        assert info.value.year == unknown.year == 2027
        return
    assert add_workdays(CAL, start, n, pauses=pauses) == expected


@settings(max_examples=400)
@given(start=dates, span=st.integers(-200, 200), pauses=pause_lists)
def test_workdays_between_matches_reference(start: dt.date, span: int, pauses: list[Pause]) -> None:
    end = min(max(start + dt.timedelta(days=span), FIRST), LAST)
    pauses = near(min(start, end), pauses)
    expected = ref_between(start, end, pauses)
    assert workdays_between(CAL, start, end, pauses=pauses) == expected
    assert workdays_between(CAL, end, start, pauses=pauses) == -expected


@settings(max_examples=300)
@given(start=st.dates(FIRST, dt.date(2026, 9, 30)), n=st.integers(1, 40), pauses=pause_lists)
def test_add_and_between_are_inverse(start: dt.date, n: int, pauses: list[Pause]) -> None:
    pauses = near(start, pauses)
    deadline = add_workdays(CAL, start, n, pauses=pauses)
    assert workdays_between(CAL, start, deadline, pauses=pauses) == n
    assert workdays_between(CAL, start, deadline - ONE, pauses=pauses) == n - 1
    assert is_workday(CAL, deadline)
    assert not any(p.covers(deadline) for p in pauses)


@settings(max_examples=300)
@given(start=dates, n=st.integers(0, 40), pauses=pause_lists)
def test_explain_accounts_for_every_day(start: dt.date, n: int, pauses: list[Pause]) -> None:
    pauses = near(start, pauses)
    try:
        deadline = ref_add(start, n, pauses)
    except ReferenceUnknown:
        with pytest.raises(CalendarUnknown):
            explain(CAL, start, n, pauses=pauses)
        return
    days = explain(CAL, start, n, pauses=pauses)
    assert [d.date for d in days] == [start + ONE * i for i in range((deadline - start).days + 1)]
    assert [d.ordinal for d in days if d.counted] == list(range(1, n + 1))
    for d in days[1:]:
        assert d.counted == ref_counts(d.date, pauses)
        assert (d.kind in (DayKind.WORKDAY, DayKind.SHIFT_WORKDAY)) == chinese_calendar.is_workday(d.date)
        assert (d.paused_by is not None) == any(p.covers(d.date) for p in pauses)
        if d.kind is DayKind.SHIFT_WORKDAY and d.paused_by is None:
            assert d.date.weekday() >= 5 and d.reason.startswith("调休上班")


@settings(max_examples=300)
@given(start=dates, n=st.integers(0, 40))
def test_agrees_with_chinesecalendar_find_workday(start: dt.date, n: int) -> None:
    # find_workday(n, d) counts n working days after the first working day on or after d, which is
    # our definition exactly when the start itself is a working day.
    if not chinese_calendar.is_workday(start):
        start = chinese_calendar.find_workday(0, start)
    try:
        expected = chinese_calendar.find_workday(n, start)
    except NotImplementedError:
        with pytest.raises(CalendarUnknown):
            add_workdays(CAL, start, n)
        return
    if expected.year not in YEARS:
        return
    assert add_workdays(CAL, start, n) == expected
