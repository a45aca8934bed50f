"""Cached due dates follow the calendar: a newly entered year turns "请录入 … 放假安排" into a date."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def calendar_year_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    # The year's ranges are written after the CalendarYear row itself, in the same transaction; only
    # after commit is the whole notice visible.
    def recompute() -> None:
        from gongkai.inforequests.services import inforequest_recompute_due

        inforequest_recompute_due(actor=None)

    transaction.on_commit(recompute)
