"""Reads of the appeals app."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.appeals.models import Appeal


def appeal_list(*, kind: str = "", result: str = "", year: int | None = None) -> QuerySet[Appeal]:
    qs = Appeal.objects.select_related("request")
    if kind:
        qs = qs.filter(kind=kind)
    if result:
        qs = qs.filter(result=result)
    if year:
        qs = qs.filter(filed_on__year=year)
    return qs.order_by("-filed_on", "-id")
