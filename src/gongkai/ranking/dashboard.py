"""The dashboard panel: the link to the quarterly 考核排名, with the latest published quarter."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from gongkai.core.dashboard import Panel, PanelItem
from gongkai.org.access import Permission, can
from gongkai.ranking.selectors import current_quarter, published_quarters


def ranking_panel(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.RANKING_VIEW):
        return None
    q = current_quarter()
    items = [
        PanelItem(
            text=f"{q.label}科室考核排名（实时）", url=reverse("ranking:quarter", args=[q.year, q.quarter])
        )
    ]
    latest = published_quarters()[-1:]
    for pq in latest:
        items.append(
            PanelItem(
                text=f"{pq.year}年第{pq.quarter}季度排名",
                url=reverse("ranking:quarter", args=[pq.year, pq.quarter]),
                badge="已发布",
            )
        )
    return Panel(title="考核排名", items=items, order=60, more_url=reverse("ranking:index"))
