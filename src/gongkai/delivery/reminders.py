"""Deadline reminders, queued by `gongkai tick`: once per case and due date, 3 working days before the
reply deadline and once it has passed. They are ordinary events, so the staff notices and e-mails go
through the same expansion as every other."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.core.models import OutboxMessage
from gongkai.core.selectors import get_calendar
from gongkai.core.services import enqueue_message
from gongkai.inforequests.models import CLOCK_STATUSES, InfoRequest
from gongkai.workdays import CalendarUnknown, add_workdays, workdays_between

__all__ = ["REMIND_WORKDAYS", "deadline_reminders"]

REMIND_WORKDAYS = 3


def _enqueue(kind: str, req: InfoRequest, **extra: object) -> bool:
    """Queue one reminder unless it was queued before (the key holds the case and the due date)."""
    assert req.due_on is not None
    key = f"inforequest:{req.pk}:{kind.partition('.')[2]}:{req.due_on:%Y-%m-%d}"
    if OutboxMessage.objects.filter(idempotency_key=key).exists():
        return False
    payload = {"request_id": req.pk, "reference": req.reference, "due_on": req.due_on, **extra}
    enqueue_message(kind=kind, payload=payload, key=key)
    return True


def deadline_reminders(today: dt.date | None = None) -> list[str]:
    """Queue the reminders that are due today; returns what was done, in Chinese, for `gongkai tick`."""
    today = today or timezone.localdate()
    cal = get_calendar()
    running = InfoRequest.objects.filter(status__in=CLOCK_STATUSES, due_on__isnull=False)
    lines: list[str] = []
    try:
        horizon = add_workdays(cal, today, REMIND_WORKDAYS)
    except CalendarUnknown as exc:
        # The last known year ends within the window: remind only up to its end, and say why.
        horizon = dt.date(exc.year - 1, 12, 31)
        lines.append(f"期限提醒：{exc.year} 年放假安排尚未录入，只对 {horizon:%Y-%m-%d} 前到期的案件发出提醒")
    soon = overdue = 0
    for req in running.filter(due_on__gte=today, due_on__lte=horizon).order_by("due_on", "id"):
        try:
            left = workdays_between(cal, today, req.due_on)
        except CalendarUnknown:
            continue
        soon += _enqueue("inforequest.deadline_near", req, workdays_left=left)
    for req in running.filter(due_on__lt=today).order_by("due_on", "id"):
        overdue += _enqueue("inforequest.overdue", req)
    unknown = InfoRequest.objects.filter(status__in=CLOCK_STATUSES, due_on__isnull=True).count()
    if soon or overdue:
        lines.append(f"期限提醒：新增即将到期 {soon} 件、已逾期 {overdue} 件")
    if unknown:
        lines.append(f"期限提醒：{unknown} 件案件因放假安排未录入无法计算答复期限，已跳过")
    return lines
