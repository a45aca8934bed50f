"""Reads of the core app that are more than a ``.get``."""

from __future__ import annotations

from django.core.cache import cache

from gongkai.core.calendar_rules import DayRange, expand
from gongkai.core.models import CalendarYear
from gongkai.workdays import Calendar

CALENDAR_CACHE_KEY = "gongkai.core.calendar.v1"
# Other processes see a newly keyed year at most this late; until then they refuse (CalendarUnknown)
# rather than guess, and a corrected year is rare enough for a minute of staleness.
CALENDAR_CACHE_SECONDS = 60


def calendar_from_db() -> Calendar:
    """The working-day calendar from the calendar table, in one query."""
    rows = CalendarYear.objects.values_list(
        "year", "ranges__kind", "ranges__name", "ranges__first_day", "ranges__last_day"
    )
    years: set[int] = set()
    ranges: list[DayRange] = []
    for year, kind, name, first_day, last_day in rows:
        years.add(year)
        if kind is not None:
            ranges.append(DayRange(kind, name, first_day, last_day))
    holidays, shifts = expand(ranges)
    return Calendar(years, holidays, shifts)


def get_calendar() -> Calendar:
    """``calendar_from_db()`` through the cache; what request handlers should call."""
    cal = cache.get(CALENDAR_CACHE_KEY)
    if cal is None:
        cal = calendar_from_db()
        cache.set(CALENDAR_CACHE_KEY, cal, CALENDAR_CACHE_SECONDS)
    return cal


def invalidate_calendar_cache() -> None:
    cache.delete(CALENDAR_CACHE_KEY)
