"""Dashboard panels of the inforequests app: online applications awaiting confirmation, my cases, due soon,
overdue, extensions awaiting approval, reply drafts awaiting my review (and signed replies to send out)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.dashboard import Panel, PanelItem
from gongkai.inforequests import review_selectors, selectors, workflow
from gongkai.inforequests.review_selectors import current_step
from gongkai.inforequests.workflow import Action
from gongkai.org.access import Permission, can

LIMIT = 8


def _url(req_pk: int) -> str:
    return reverse("inforequests:detail", args=[req_pk])


def _due_badge(req: object) -> tuple[str, str]:
    due = getattr(req, "due_on", None)
    return (f"{due:%m-%d} 到期", "") if due else ("", "")


def awaiting_confirmation(request: HttpRequest) -> Panel | None:
    """The portal's applications: nothing runs until the office confirms them, so none may be forgotten."""
    if not can(request.user, workflow.TABLE[Action.CONFIRM].by):
        return None
    today = timezone.localdate()
    reqs = list(selectors.awaiting_confirmation(request.user)[: LIMIT + 1])
    items = [
        PanelItem(
            f"{r.reference} {r.applicant_name}",
            _url(r.pk),
            f"已等待 {(today - r.submitted_on).days} 天",
            "warn" if r.submitted_on < today else "",
        )
        for r in reqs[:LIMIT]
    ]
    more = (
        reverse("inforequests:list") + "?status=awaiting_confirmation&channel=online"
        if len(reqs) > LIMIT
        else ""
    )
    return Panel("待确认的网上申请", items, order=19, empty_text="没有待确认的网上申请", more_url=more)


def my_cases(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.REQUEST_HANDLE):
        return None
    reqs = list(selectors.my_open_requests(request.user)[: LIMIT + 1])
    items = [
        PanelItem(f"{r.reference} {r.get_status_display()}", _url(r.pk), *_due_badge(r)) for r in reqs[:LIMIT]
    ]
    more = reverse("inforequests:list") + "?mine=1" if len(reqs) > LIMIT else ""
    return Panel("我的案件", items, order=20, empty_text="暂无由您承办的未办结申请", more_url=more)


def _calendar_item(year: int) -> PanelItem:
    return PanelItem(
        f"请录入 {year} 年放假安排：部分申请的答复期限无法计算",
        reverse("calendar"),
        "日历",
        "danger",
    )


def _due_lists(request: HttpRequest) -> selectors.DueLists:
    # Both the due-soon and the overdue panel need them; compute once per page.
    cached = getattr(request, "_inforequests_due_lists", None)
    if cached is None:
        cached = selectors.due_lists(request.user)
        request._inforequests_due_lists = cached  # type: ignore[attr-defined]
    return cached


def due_soon(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.WORKBENCH):
        return None
    lists = _due_lists(request)
    items = []
    if lists.unknown_year is not None:
        items.append(_calendar_item(lists.unknown_year))
    items += [
        PanelItem(f"{r.reference} {r.applicant_name}", _url(r.pk), f"剩 {left} 个工作日", "warn")
        for r, left in lists.due_soon[:LIMIT]
    ]
    return Panel(
        "即将到期",
        items,
        order=21,
        empty_text="5 个工作日内没有到期的申请",
        more_url=reverse("inforequests:due"),
    )


def overdue(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.WORKBENCH):
        return None
    lists = _due_lists(request)
    items = [
        PanelItem(f"{r.reference} {r.applicant_name}", _url(r.pk), f"逾期 {past} 个工作日", "danger")
        for r, past in lists.overdue[:LIMIT]
    ]
    return Panel(
        "已逾期", items, order=22, empty_text="没有逾期未答复的申请", more_url=reverse("inforequests:due")
    )


def pending_extensions(request: HttpRequest) -> Panel | None:
    if not can(request.user, Permission.REQUEST_APPROVE_EXTENSION):
        return None
    items = [
        PanelItem(
            f"{e.request.reference} 申请延长 {e.workdays} 个工作日", _url(e.request_id), "待批准", "warn"
        )
        for e in selectors.pending_extensions()[:LIMIT]
    ]
    return Panel("待批准延期", items, order=23, empty_text="没有待批准的延期申请")


def replies_to_review(request: HttpRequest) -> Panel | None:
    """Drafts whose pending step the user may decide (the one rule: ``permissions.may_decide_step``), and for
    the 公开办 the signed replies it has not sent out yet — a draft that waits is never nobody's task."""
    user = request.user
    office = can(user, workflow.TABLE[Action.ISSUE_REPLY].by)
    if not (can(user, Permission.REPLY_REVIEW) or office):
        return None
    today = timezone.localdate()
    items = []
    for reply in review_selectors.replies_awaiting(user)[:LIMIT]:
        step = current_step(reply)
        days = (today - reply.submitted_on).days if reply.submitted_on else 0
        items.append(
            PanelItem(
                f"{reply.request.reference} {step.name if step else ''}",
                _url(reply.request_id),
                f"送审 {days} 天" if days else "今日送审",
                "warn" if days >= 3 else "",
            )
        )
    if office:
        items += [
            PanelItem(
                f"{r.request.reference} 已签发，待发出", _url(r.request_id), f"{r.signed_on:%m-%d} 签发"
            )
            for r in review_selectors.replies_to_issue()[:LIMIT]
        ]
    return Panel("待我审核的答复", items, order=18, empty_text="没有待您审核或发出的答复")


PANELS = (awaiting_confirmation, replies_to_review, my_cases, due_soon, overdue, pending_extensions)
