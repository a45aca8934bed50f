"""Dashboard panel of the mailbox: letters waiting for a reply or for the completion mark."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from gongkai.core.dashboard import Panel, PanelItem
from gongkai.engagement import selectors
from gongkai.org.access import Permission, can

LIMIT = 8


def letters_panel(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.LETTER_HANDLE):
        return None
    waiting = list(selectors.letters_awaiting_reply()[: LIMIT + 1])
    items = [
        PanelItem(f"{x.reference} {x.subject}", reverse("engagement:detail", args=[x.pk]), "待答复", "warn")
        for x in waiting[:LIMIT]
    ]
    room = LIMIT - len(items)
    if room > 0:
        items += [
            PanelItem(f"{x.reference} {x.subject}", reverse("engagement:detail", args=[x.pk]), "待办结")
            for x in selectors.letters_awaiting_completion()[:room]
        ]
    more = reverse("engagement:list") if len(waiting) > LIMIT else ""
    return Panel("区长信箱", items, order=40, empty_text="没有待办的来信", more_url=more)
