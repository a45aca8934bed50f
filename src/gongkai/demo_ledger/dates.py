"""Picking plausible office dates for the demo from the working-day calendar (never a Mon–Fri guess)."""

from __future__ import annotations

import datetime as dt

from gongkai.workdays import Calendar, add_workdays, is_workday

_DAY = dt.timedelta(days=1)


def on_or_before(cal: Calendar, d: dt.date) -> dt.date:
    while not is_workday(cal, d):
        d -= _DAY
    return d


def on_or_after(cal: Calendar, d: dt.date) -> dt.date:
    while not is_workday(cal, d):
        d += _DAY
    return d


def workdays_before(cal: Calendar, d: dt.date, n: int) -> dt.date:
    """The n-th working day before ``d``: for a working day d, ``add_workdays(cal, result, n) == d``."""
    start, counted = d, 0
    while counted < n:
        start -= _DAY
        if is_workday(cal, start):
            counted += 1
    return start


def after_workdays(cal: Calendar, d: dt.date, n: int) -> dt.date:
    return add_workdays(cal, d, n)


def workdays_in_month(cal: Calendar, year: int, month: int) -> list[dt.date]:
    d = dt.date(year, month, 1)
    out = []
    while d.month == month:
        if is_workday(cal, d):
            out.append(d)
        d += _DAY
    return out
