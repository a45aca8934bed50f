"""Reads of the mailbox, including the figure section 一 of the annual report needs."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from gongkai.engagement.models import Letter, LetterStatus


def letters_summary(year: int, *, as_of: dt.date | None = None) -> tuple[int, int]:
    """(received, completed) for the annual report: letters received in ``year``, and of those the ones
    completed by ``as_of`` (default 31 December of the year, so the figure does not move afterwards).
    One aggregate query."""
    as_of = as_of or dt.date(year, 12, 31)
    row = Letter.objects.filter(received_on__year=year).aggregate(
        received=Count("id"),
        completed=Count("id", filter=Q(status=LetterStatus.COMPLETED, completed_on__lte=as_of)),
    )
    return int(row["received"]), int(row["completed"])


def letter_list(*, status: str = "", year: int | None = None) -> QuerySet[Letter]:
    qs = Letter.objects.all()
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(received_on__year=year)
    return qs.order_by("status", "-submitted_at")


def letters_awaiting_reply() -> QuerySet[Letter]:
    return Letter.objects.filter(status=LetterStatus.NEW).order_by("submitted_at")


def letters_awaiting_completion() -> QuerySet[Letter]:
    return Letter.objects.filter(status=LetterStatus.REPLIED).order_by("replied_on")


def public_letters() -> QuerySet[Letter]:
    return Letter.objects.filter(is_public=True).order_by("-published_on", "-id")


def public_letter(pk: int) -> Letter | None:
    return public_letters().filter(pk=pk).first()
