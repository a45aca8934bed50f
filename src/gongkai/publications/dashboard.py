"""Dashboard panels of the publications app, registered in ``PublicationsConfig.ready``."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from gongkai.core.dashboard import Panel, PanelItem, register_panel
from gongkai.core.selectors import get_calendar
from gongkai.org.access import Permission, can
from gongkai.publications import selectors

PANEL_SIZE = 8


def review_panel(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.PUBLICATION_REVIEW):
        return None
    cal = get_calendar()
    items = []
    for pub in selectors.review_queue(request.user)[:PANEL_SIZE]:
        art26 = selectors.art26_status(pub, cal=cal)
        level = "第一级" if pub.is_pending_head else "第二级"
        tone = "danger" if art26.overdue else ("warn" if art26.unknown_year else "")
        items.append(
            PanelItem(
                text=f"{pub.title}（{pub.department}）",
                url=reverse("publications:detail", args=[pub.pk]),
                badge=f"{level} · {art26.message}" if art26.message else level,
                tone=tone,
            )
        )
    return Panel(
        title="待我审核",
        items=items,
        order=10,
        empty_text="暂无待审核的主动公开信息",
        more_url=reverse("publications:review_queue"),
    )


def drafts_panel(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.PUBLICATION_DRAFT):
        return None
    items = []
    for pub in selectors.my_drafts(request.user)[:PANEL_SIZE]:
        returned = pub.returned_reason is not None  # type: ignore[attr-defined]
        items.append(
            PanelItem(
                text=pub.title,
                url=reverse("publications:detail", args=[pub.pk]),
                badge=f"被退回：{pub.returned_reason}" if returned else "草稿",  # type: ignore[attr-defined]
                tone="danger" if returned else "",
            )
        )
    return Panel(
        title="我的草稿/被退回",
        items=items,
        order=20,
        empty_text="没有草稿",
        more_url=reverse("publications:list") + "?status=draft&mine=on",
    )


def overdue_panel(request: HttpRequest) -> Panel | None:
    report = selectors.overdue_publications(user=request.user, include_late=False)
    items = [
        PanelItem(
            text=f"请录入 {year} 年放假安排",
            url=reverse("calendar"),
            badge="无法计算公开期限",
            tone="warn",
        )
        for year in report.unknown_years
    ]
    for item in report.unpublished[:PANEL_SIZE]:
        items.append(
            PanelItem(
                text=item.publication.title,
                url=reverse("publications:detail", args=[item.publication.pk]),
                badge=f"期限 {item.deadline:%Y-%m-%d}",
                tone="danger",
            )
        )
    return Panel(
        title="主动公开逾期",
        items=items,
        order=30,
        empty_text="没有超过第二十六条期限未公开的信息",
        more_url=reverse("publications:overdue"),
    )


def register() -> None:
    for panel in (review_panel, drafts_panel, overdue_panel):
        register_panel(panel)
