"""Dashboard panels of the mailbox: for the office, letters to reply to (a 科室's answer first), overdue
转办 and letters to complete; for a 科室, the letters 转办 to it, the earliest due first."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.dashboard import Panel, PanelItem
from gongkai.engagement import selectors
from gongkai.org.access import Permission, can
from gongkai.org.selectors import mailbox_name, user_department

LIMIT = 8


def _url(letter_pk: int) -> str:
    return reverse("engagement:detail", args=[letter_pk])


def letters_panel(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.LETTER_HANDLE):
        return None
    waiting = list(selectors.letters_awaiting_reply()[: LIMIT + 1])
    items = [
        PanelItem(
            f"{x.reference} {x.subject}",
            _url(x.pk),
            *(("科室已回复", "warn") if x.answered else ("待答复", "warn")),
        )
        for x in waiting[:LIMIT]
    ]
    today = timezone.localdate()
    for f in selectors.forwardings_overdue()[: max(0, LIMIT - len(items))]:
        days = (today - f.due_on).days
        items.append(
            PanelItem(
                f"{f.letter.reference} 转办{f.department.name}",
                _url(f.letter_id),
                f"逾期 {days} 天",
                "danger",
            )
        )
    room = LIMIT - len(items)
    if room > 0:
        items += [
            PanelItem(f"{x.reference} {x.subject}", _url(x.pk), "待办结")
            for x in selectors.letters_awaiting_completion()[:room]
        ]
    more = reverse("engagement:list") if len(waiting) > LIMIT else ""
    return Panel(mailbox_name(), items, order=40, empty_text="没有待办的来信", more_url=more)


def forwarded_panel(request: HttpRequest) -> Panel | None:
    """The letters a 科室 has to answer (a department head and staff alike)."""
    dept = user_department(request.user)
    if dept is None or not can(request.user, Permission.LETTER_DEPARTMENT_ANSWER):
        return None
    today = timezone.localdate()
    open_ = list(selectors.forwardings_open_for(dept)[: LIMIT + 1])
    items = []
    for f in open_[:LIMIT]:
        days = (f.due_on - today).days
        badge, tone = (
            (f"逾期 {-days} 天", "danger")
            if days < 0
            else (f"{f.due_on:%m-%d} 前回复", "warn" if days <= 1 else "")
        )
        items.append(PanelItem(f"{f.letter.reference} {f.letter.subject}", _url(f.letter_id), badge, tone))
    more = reverse("engagement:list") if len(open_) > LIMIT else ""
    return Panel(
        f"转办来信（{mailbox_name()}）", items, order=41, empty_text="没有待回复的转办来信", more_url=more
    )
