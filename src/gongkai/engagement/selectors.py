"""Reads of the mailbox, including the figure section 一 of the annual report needs."""

from __future__ import annotations

import datetime as dt
import time

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from gongkai.core.tracking_codes import check_secret, normalise_reference
from gongkai.engagement.models import Forwarding, Letter, LetterStatus
from gongkai.org.models import Department


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


OVERDUE = "overdue"  # a list filter beside the statuses: a 转办 past its due date


def _open(qs: QuerySet[Forwarding]) -> QuerySet[Forwarding]:
    return qs.filter(answered_at__isnull=True, recalled_at__isnull=True)


def letter_list(
    *, status: str = "", year: int | None = None, department: Department | None = None
) -> QuerySet[Letter]:
    """Letters for the workbench list; with ``department``, only those 转办 to it (and not recalled)."""
    qs = Letter.objects.annotate(
        overdue=Exists(
            _open(Forwarding.objects.filter(letter=OuterRef("pk"), due_on__lt=timezone.localdate()))
        )
    )
    if department is not None:
        qs = qs.filter(
            Exists(
                Forwarding.objects.filter(
                    letter=OuterRef("pk"), department=department, recalled_at__isnull=True
                )
            )
        )
    if status == OVERDUE:
        qs = qs.filter(overdue=True)
    elif status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(received_on__year=year)
    return qs.order_by("status", "-submitted_at")


def letters_awaiting_reply() -> QuerySet[Letter]:
    """Letters with the office: new ones, and those whose 科室 has answered (``answered`` marks them)."""
    answered = Forwarding.objects.filter(letter=OuterRef("pk"), answered_at__isnull=False)
    return (
        Letter.objects.filter(status=LetterStatus.NEW)
        .annotate(answered=Exists(answered))
        .order_by("-answered", "submitted_at")
    )


def forwardings_overdue() -> QuerySet[Forwarding]:
    return (
        _open(Forwarding.objects.filter(due_on__lt=timezone.localdate()))
        .select_related("letter", "department")
        .order_by("due_on", "id")
    )


def forwardings_open_for(department: Department) -> QuerySet[Forwarding]:
    """What a 科室 still owes: its open 转办, the earliest due first."""
    return (
        _open(Forwarding.objects.filter(department=department))
        .select_related("letter")
        .order_by("due_on", "id")
    )


def letter_forwardings(letter: Letter) -> list[Forwarding]:
    return list(letter.forwardings.select_related("department", "forwarded_by", "answered_by"))


def letters_awaiting_completion() -> QuerySet[Letter]:
    return Letter.objects.filter(status=LetterStatus.REPLIED).order_by("replied_on")


def public_letters() -> QuerySet[Letter]:
    return Letter.objects.filter(is_public=True).order_by("-published_on", "-id")


def public_letter(pk: int) -> Letter | None:
    return public_letters().filter(pk=pk).first()


def letter_by_code(reference: str, code: str) -> Letter | None:
    """The letter with this number if ``code`` is its 查询码; else None. An unknown number and a wrong
    code take the same path and, padded, the same time."""
    started = time.monotonic()
    number = normalise_reference(reference)
    letter = Letter.objects.filter(reference=number).exclude(query_code_hash="").first() if number else None
    ok = check_secret(code, letter.query_code_hash if letter else None)
    if not ok:
        time.sleep(max(0.0, 0.2 - (time.monotonic() - started)))
    return letter if ok else None


# What the writer's lookup page says of each status (no 科室 or staff named).
STATUS_FOR_WRITER = {
    LetterStatus.NEW: "已收到，正在办理",
    LetterStatus.FORWARDED: "已转相关科室办理",
    LetterStatus.REPLIED: "已答复",
    LetterStatus.COMPLETED: "已办结",
}
