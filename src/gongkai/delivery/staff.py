"""What staff are told about each event, and whom: the in-app notice (also e-mailed when they have an address)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from gongkai.appeals.models import Appeal
from gongkai.core.choices import AppealKind
from gongkai.delivery import recipients
from gongkai.engagement.models import Letter
from gongkai.inforequests.models import InfoRequest
from gongkai.org.access import Permission
from gongkai.publications.models import Publication, ReviewLevel

__all__ = ["STAFF_NOTICES", "StaffPlan", "staff_plan"]


@dataclass
class StaffPlan:
    title: str
    body: str = ""
    url: str = ""
    tone: str = ""  # "", "warn" or "danger"
    users: list[Any] = field(default_factory=list)


Payload = Mapping[str, Any]


def _case(payload: Payload) -> InfoRequest | None:
    return InfoRequest.objects.filter(pk=payload.get("request_id")).first()


def _case_url(req: InfoRequest) -> str:
    return reverse("inforequests:detail", args=[req.pk])


def _summary(req: InfoRequest) -> str:
    text = req.description.strip()
    return text if len(text) <= 60 else text[:60] + "…"


def _assigned(payload: Payload) -> StaffPlan | None:
    req = _case(payload)
    if req is None:
        return None
    due = f"答复期限 {req.due_on:%Y-%m-%d}。" if req.due_on else ""
    if payload.get("handler_id"):
        who = recipients.users([payload["handler_id"]])
    else:  # assigned to a 科室 only: its head assigns a handler
        who = recipients.holders(Permission.REQUEST_ASSIGN, department_id=payload.get("department_id"))
    body = f"{_summary(req)}\n{due}".strip()
    return StaffPlan(f"新分派的申请：{req.reference}", body, _case_url(req), users=who)


def _extension_requested(payload: Payload) -> StaffPlan | None:
    req = _case(payload)
    if req is None:
        return None
    body = f"申请延长答复期限 {payload.get('workdays', '')} 个工作日，请在答复期限届满前审批。"
    who = recipients.holders(Permission.REQUEST_APPROVE_EXTENSION)
    return StaffPlan(f"延期待批准：{req.reference}", body, _case_url(req), "warn", who)


def _review_requested(payload: Payload) -> StaffPlan | None:
    req = _case(payload)
    if req is None:
        return None
    step = payload.get("step_label") or "审核"
    who = recipients.users(payload.get("reviewer_ids") or [])
    return StaffPlan(f"答复草稿待{step}：{req.reference}", _summary(req), _case_url(req), users=who)


def _draft_returned(payload: Payload) -> StaffPlan | None:
    req = _case(payload)
    if req is None:
        return None
    body = f"退回理由：{payload.get('reason') or '—'}"
    who = recipients.users([payload.get("to_user_id")])
    return StaffPlan(f"答复草稿被退回：{req.reference}", body, _case_url(req), "warn", who)


def _correction_submitted(payload: Payload) -> StaffPlan | None:
    req = _case(payload)
    if req is None:
        return None
    who = (
        recipients.users([payload["handler_id"]]) if payload.get("handler_id") else recipients.case_staff(req)
    )
    body = "申请人已在网上提交补正，答复期限自收到补正之日起重新计算。"
    return StaffPlan(f"申请人已补正：{req.reference}", body, _case_url(req), users=who)


def _deadline_near(payload: Payload) -> StaffPlan | None:
    req = _case(payload)
    if req is None or not req.is_open:
        return None
    body = f"答复期限 {payload.get('due_on')}，剩 {payload.get('workdays_left')} 个工作日。{_summary(req)}"
    return StaffPlan(f"期限将至：{req.reference}", body, _case_url(req), "warn", recipients.case_staff(req))


def _overdue(payload: Payload) -> StaffPlan | None:
    req = _case(payload)
    if req is None or not req.is_open:
        return None
    body = f"答复期限 {payload.get('due_on')} 已过，请尽快答复。{_summary(req)}"
    return StaffPlan(f"已逾期：{req.reference}", body, _case_url(req), "danger", recipients.case_staff(req))


_PUBLICATION_TITLES = {
    "publication.review_requested": "主动公开信息待审核",
    "publication.published": "主动公开信息已发布",
    "publication.rejected": "主动公开信息被退回",
    "publication.withdrawn": "主动公开信息已撤下",
}


def _publication(kind: str) -> Callable[[Payload], StaffPlan | None]:
    def plan(payload: Payload) -> StaffPlan | None:
        pub = Publication.objects.filter(pk=payload.get("publication")).first()
        if pub is None:
            return None
        lines = []
        if payload.get("level"):
            lines.append(f"审核层级：{ReviewLevel(int(payload['level'])).label}")
        if payload.get("reason"):
            lines.append(f"理由：{payload['reason']}")
        url = reverse("publications:detail", args=[pub.pk])
        tone = "warn" if kind in ("publication.rejected", "publication.withdrawn") else ""
        who = recipients.users(payload.get("recipients") or [])
        return StaffPlan(f"{_PUBLICATION_TITLES[kind]}：{pub.title}", "\n".join(lines), url, tone, who)

    return plan


def _letter_forwarded(payload: Payload) -> StaffPlan | None:
    letter = Letter.objects.filter(pk=payload.get("letter_id")).first()
    if letter is None:
        return None
    due = f"请于 {payload['due_on']} 前办理。" if payload.get("due_on") else ""
    who = recipients.department_staff(payload.get("department_id"))
    url = reverse("engagement:detail", args=[letter.pk])
    return StaffPlan(f"来信转办：{letter.reference} {letter.subject}", due, url, users=who)


def _appeal_registered(payload: Payload) -> StaffPlan | None:
    appeal = Appeal.objects.filter(pk=payload.get("appeal_id")).first()
    if appeal is None:
        return None
    kind = AppealKind(appeal.kind).label if appeal.kind in AppealKind.values else appeal.kind
    url = reverse("appeals:detail", args=[appeal.pk])
    title = f"已登记{kind}：{appeal.case_number or appeal.appellant}"
    return StaffPlan(title, "", url, users=recipients.holders(Permission.REQUEST_OFFICE))


# Event kind -> what staff are told. Kinds that only concern the applicant are absent.
STAFF_NOTICES: dict[str, Callable[[Payload], StaffPlan | None]] = {
    "inforequest.assigned": _assigned,
    "inforequest.extension_requested": _extension_requested,
    "inforequest.review_requested": _review_requested,
    "inforequest.draft_returned": _draft_returned,
    "inforequest.correction_submitted": _correction_submitted,
    "inforequest.deadline_near": _deadline_near,
    "inforequest.overdue": _overdue,
    **{kind: _publication(kind) for kind in _PUBLICATION_TITLES},
    "letter.forwarded": _letter_forwarded,
    "appeal.registered": _appeal_registered,
}


def staff_plan(kind: str, payload: Payload) -> StaffPlan | None:
    """What staff are told about one event; None when its record no longer exists (nothing to tell)."""
    fn = STAFF_NOTICES.get(kind)
    return fn(payload) if fn is not None else None
