"""Dashboard panels: my messages (everyone on the staff), and for the 公开办 what waits to be delivered."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.dashboard import Panel, PanelItem
from gongkai.delivery import selectors
from gongkai.org.access import Permission, can

LIMIT = 8
RECENT = dt.timedelta(days=30)


def my_messages_panel(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.WORKBENCH):
        return None
    since = timezone.now() - RECENT
    notices = list(selectors.notices_for(request.user).filter(created_at__gte=since)[: LIMIT + 1])
    items = [
        PanelItem(n.title, n.url, timezone.localtime(n.created_at).strftime("%m-%d %H:%M"), n.tone)
        for n in notices[:LIMIT]
    ]
    return Panel(
        "我的消息", items, order=5, empty_text="近 30 天没有新消息", more_url=reverse("delivery:notices")
    )


def delivery_panel(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.DELIVERY_MANAGE):
        return None
    dead = selectors.dead_letters().count()
    posts = selectors.postal_pending().count()
    items = []
    if dead:
        items.append(PanelItem(f"发送失败的消息 {dead} 条", reverse("delivery:outbox"), "待处理", "danger"))
    if posts:
        items.append(
            PanelItem(f"待打印寄出的信件 {posts} 件", reverse("delivery:post_list"), "待寄出", "warn")
        )
    if not items:
        return None
    return Panel("消息送达", items, order=15)


PANELS = (my_messages_panel, delivery_panel)
