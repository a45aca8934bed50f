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


def statistics_panel(request: HttpRequest) -> Panel | None:
    """This year's charts (outcomes by month, on-time rate and answer time) with their figures in a line;
    the statistics page has every chart with its table."""
    if not can(request.user, Permission.REPORT_WATCH):
        return None
    from django.utils import timezone
    from django.utils.safestring import mark_safe

    from gongkai.reporting.stat_tables import requests_by_outcome, timeliness
    from gongkai.reporting.statistics import year_statistics

    stats = year_statistics(timezone.localdate().year)
    charts = [*requests_by_outcome(stats, "dash-").charts, *timeliness(stats, "dash-").charts]
    share = stats.on_time_share
    days = stats.answer_days_year().median
    summary = (
        f"本年收到申请 {stats.received_total} 件，办结 {stats.closed_total} 件；按期答复率 "
        f"{'—' if share is None else f'{100 * share:.1f}%'}；答复用时中位数 {'—' if days is None else days} 个工作日。"
    )
    figures = "".join(f'<figure class="chart">{c}</figure>' for c in charts)
    html = mark_safe(f'<p>{summary}</p><div class="charts">{figures}</div>')  # numbers and our own SVG
    return Panel(
        title=f"{stats.year}年工作统计",
        order=55,
        html=html,
        more_url=reverse("reporting:statistics"),
        more_text="查看全部统计图表和数据表",
        wide=True,
    )
