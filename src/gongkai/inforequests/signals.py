"""Cached due dates follow the calendar: a newly entered year turns "请录入 … 放假安排" into a date."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def recompute_after_calendar_change() -> None:
    from gongkai.inforequests.services import inforequest_recompute_due

    inforequest_recompute_due(actor=None)


def calendar_year_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    # The year's ranges are written after the CalendarYear row, in the same transaction: recompute once
    # the whole notice is committed. (Only the running cases are recomputed; a year is entered rarely.)
    transaction.on_commit(recompute_after_calendar_change)
