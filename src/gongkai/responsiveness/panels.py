"""Dashboard panels: overdue 督查督办 tasks (a 科室 sees its own), and a quarter without a 五方联席会 with
the meetings' overdue follow-up tasks."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.dashboard import Panel, PanelItem
from gongkai.org.access import Permission, can
from gongkai.org.selectors import user_department
from gongkai.responsiveness import selectors

LIMIT = 8


def supervision_panel(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.RESPONSIVENESS_VIEW):
        return None
    today = timezone.localdate()
    qs = selectors.overdue_tasks(today)
    if not can(request.user, Permission.SEE_ALL_DEPARTMENTS):
        dept = user_department(request.user)
        if dept is None:
            return None
        qs = qs.filter(department=dept)
    overdue = list(qs[: LIMIT + 1])
    items = [
        PanelItem(
            f"{t.get_issuer_display()}督办：{t.title}（{t.department.name}）",
            reverse("responsiveness:task", args=[t.pk]),
            f"逾期 {(today - t.deadline).days} 天",
            "danger",
        )
        for t in overdue[:LIMIT]
    ]
    more = f"{reverse('responsiveness:tasks')}?status={selectors.OVERDUE}" if len(overdue) > LIMIT else ""
    return Panel("督查督办逾期", items, order=45, empty_text="没有逾期的督办事项", more_url=more)


def meetings_panel(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.JOINT_MEETING_RECORD) and not can(
        request.user, Permission.SEE_ALL_DEPARTMENTS
    ):
        return None
    today = timezone.localdate()
    url = reverse("responsiveness:meetings")
    items = [
        PanelItem(f"{q.label}未召开五方联席会", url, "未召开", "danger")
        for q in selectors.missed_quarters(today)
    ]
    for f in selectors.overdue_follow_ups(today)[: max(0, LIMIT - len(items))]:
        items.append(
            PanelItem(
                f"联席会议定事项：{f.task}（{f.owner}）",
                reverse("responsiveness:meeting", args=[f.meeting_id]),
                f"逾期 {(today - f.deadline).days} 天",
                "warn",
            )
        )
    return Panel("五方联席会", items, order=46, empty_text="各季度均已召开联席会")
