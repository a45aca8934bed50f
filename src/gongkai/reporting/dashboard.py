"""The dashboard panel: the annual report's statutory deadline, a countdown in days, the draft's status."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from gongkai.core.dashboard import Panel, PanelItem
from gongkai.org.access import Permission, can
from gongkai.org.selectors import OrganisationMissing
from gongkai.reporting import selectors
from gongkai.reporting.models import ReportStatus


def annual_report_panel(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.REPORT_WATCH):
        return None
    try:
        deadlines = [selectors.report_deadline(y) for y in selectors.years_to_watch()]
    except OrganisationMissing:
        return None
    items = []
    for d in deadlines:
        if d.status == ReportStatus.PUBLISHED:
            badge, tone = "已发布", ""
        elif d.days_left < 0:
            badge, tone = f"已逾期 {-d.days_left} 天", "danger"
        elif d.days_left == 0:
            badge, tone = "今天截止", "danger"
        else:
            badge, tone = f"还有 {d.days_left} 天", "warn" if d.days_left <= 30 else ""
        items.append(
            PanelItem(
                text=f"{d.year} 年度报告（{d.status_label}）· 截止 {d.due:%Y年%-m月%-d日}",
                url=reverse("reporting:detail", args=[d.year]),
                badge=badge,
                tone=tone,
            )
        )
    return Panel(title="年度报告", items=items, order=50, more_url=reverse("reporting:list"))
