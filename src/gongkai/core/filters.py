"""What the workbench's register pages share: the statutory date and the year a list is filtered by."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone


def statutory_today() -> dt.date:
    """The statutory date now: the local date in Asia/Shanghai (settings.TIME_ZONE), whatever is active."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def year_filter(request: HttpRequest) -> int | None:
    """``?year=``: None for ``all``; this year for anything missing, malformed or out of range."""
    raw = request.GET.get("year", "")
    if raw == "all":
        return None
    try:
        year = int(raw)
    except ValueError:
        return statutory_today().year
    return year if 2000 <= year <= 2100 else statutory_today().year
