"""Dashboard panel of the 微网格: comments waiting for moderation (the oldest first: residents wait to see
them), and polls closing within three days."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.dashboard import Panel, PanelItem
from gongkai.org.access import Permission, can
from gongkai.participation import selectors

LIMIT = 8


def participation_panel(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.COMMENT_MODERATE):
        return None
    items = [
        PanelItem(
            f"{c.consultation.title} 的意见",
            reverse("participation:comment_moderate", args=[c.pk]),
            "待审核",
            "warn",
        )
        for c in selectors.pending_comments()[:LIMIT]
    ]
    soon = timezone.now() + dt.timedelta(days=3)
    for poll in selectors.current_polls().filter(closes_at__lte=soon)[: max(0, LIMIT - len(items))]:
        items.append(
            PanelItem(
                poll.title,
                reverse("participation:poll_edit", args=[poll.pk]),
                f"{timezone.localtime(poll.closes_at):%-m月%-d日 %H:%M} 截止",
            )
        )
    return Panel(
        "微网格互动",
        items,
        order=60,
        empty_text="没有待审核的意见",
        more_url=reverse("participation:index"),
    )
