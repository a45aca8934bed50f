"""Reads of the inforequests app: scoped lists, due-soon and overdue, the clock of one case."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from gongkai.annual_report.formats import outcome_leaf_keys
from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.choices import Outcome, RequestChannel
from gongkai.core.models import AuditEvent
from gongkai.core.selectors import get_calendar
from gongkai.inforequests import clock as clock_mod
from gongkai.inforequests import workflow
from gongkai.inforequests.models import (
    ANY_OPEN_STATUS,
    CLOCK_STATUSES,
    OPEN_STATUSES,
    ExtensionStatus,
    Fee,
    InfoRequest,
    PauseKindChoice,
    ReplyTemplate,
)
from gongkai.inforequests.notice_text import (
    DEFAULT_TEMPLATES,
    NoticeContent,
    TemplateText,
    cn_date,
    remedy_sentence,
)
from gongkai.inforequests.review_selectors import reply_fact
from gongkai.org.access import Permission, can
from gongkai.org.selectors import user_department
from gongkai.workdays import Calendar, CalendarUnknown, add_workdays, workdays_between

DUE_SOON_WORKDAYS = 5


def visible_requests(user: Any) -> QuerySet[InfoRequest]:
    """Office-wide roles see every case; department staff their department's and their own."""
    qs = InfoRequest.objects.select_related("department", "handler")
    if can(user, Permission.SEE_ALL_DEPARTMENTS):
        return qs
    dept = user_department(user)
    scope = Q(handler_id=user.pk)
    if dept is not None and can(user, Permission.REQUEST_HANDLE):
        scope |= Q(department_id=dept.pk)
    return qs.filter(scope)


def request_list(
    user: Any,
    *,
    status: str = "",
    outcome: str = "",
    applicant_type: str = "",
    channel: str = "",
    department: Any = None,
    year: int | None = None,
    q: str = "",
    mine: bool = False,
) -> QuerySet[InfoRequest]:
    qs = visible_requests(user)
    if status == ANY_OPEN_STATUS:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if outcome:
        # A group key such as "refused" selects all its leaves.
        qs = qs.filter(outcome__in=outcome_leaf_keys(outcome))
    if applicant_type:
        qs = qs.filter(applicant_type=applicant_type)
    if channel:
        qs = qs.filter(channel=channel)
    if department is not None:
        qs = qs.filter(department=department)
    if year:
        qs = qs.filter(Q(received_on__year=year) | Q(closed_on__year=year))
    if q:
        qs = qs.filter(
            Q(reference__icontains=q) | Q(applicant_name__icontains=q) | Q(description__icontains=q)
        )
    if mine:
        qs = qs.filter(handler_id=user.pk)
    return qs.order_by("-created_at", "-id")


def my_open_requests(user: Any) -> QuerySet[InfoRequest]:
    return (
        visible_requests(user).filter(handler_id=user.pk, status__in=OPEN_STATUSES).order_by("due_on", "id")
    )


@dataclass
class DueLists:
    today: dt.date
    due_soon: list[tuple[InfoRequest, int]] = field(default_factory=list)  # (case, working days left)
    overdue: list[tuple[InfoRequest, int]] = field(default_factory=list)  # (case, working days past due)
    unknown: list[InfoRequest] = field(default_factory=list)  # the clock runs but no deadline can be computed
    unknown_year: int | None = None  # the year whose 放假安排 is missing, if any


def _left(cal: Calendar, today: dt.date, due: dt.date) -> int | None:
    try:
        return workdays_between(cal, today, due)
    except CalendarUnknown:
        return None


def due_lists(
    user: Any, *, today: dt.date | None = None, cal: Calendar | None = None, within: int = DUE_SOON_WORKDAYS
) -> DueLists:
    """Cases whose clock runs: due within ``within`` working days, overdue, or undeterminable."""
    today = today or timezone.localdate()
    cal = cal or get_calendar()
    out = DueLists(today=today)
    running = visible_requests(user).filter(status__in=CLOCK_STATUSES)
    try:
        threshold = add_workdays(cal, today, within)
    except CalendarUnknown as exc:
        # Fewer than `within` working days remain in the known years: everything due by then is due soon.
        out.unknown_year = exc.year
        threshold = dt.date(exc.year - 1, 12, 31)
    for req in running.filter(due_on__gte=today, due_on__lte=threshold).order_by("due_on", "id"):
        left = _left(cal, today, req.due_on)
        out.due_soon.append((req, left if left is not None else 0))
    for req in running.filter(due_on__lt=today).order_by("due_on", "id"):
        past = _left(cal, req.due_on, today)
        out.overdue.append((req, past if past is not None else 0))
    out.unknown = list(running.filter(due_on__isnull=True).order_by("received_on", "id"))
    if out.unknown and out.unknown_year is None:
        out.unknown_year = unknown_year_of(out.unknown[0], cal)
    return out


def unknown_year_of(req: InfoRequest, cal: Calendar) -> int | None:
    try:
        clock_for(req, cal=cal)
    except CalendarUnknown as exc:
        return exc.year
    return None


def assignable_handlers(department: Any = None) -> QuerySet[Any]:
    """Active staff who may handle a case (``Permission.REQUEST_HANDLE``), of ``department`` if given."""
    from django.contrib.auth import get_user_model

    from gongkai.org.access import roles_with

    qs = (
        get_user_model()
        .objects.filter(
            is_active=True,
            staff_profile__isnull=False,
            groups__name__in=[r.value for r in roles_with(Permission.REQUEST_HANDLE)],
        )
        .distinct()
        .select_related("staff_profile__department")
        .order_by("staff_profile__department__sort_order", "first_name", "username")
    )
    if department is not None:
        qs = qs.filter(staff_profile__department=department)
    return qs


def awaiting_confirmation(user: Any) -> QuerySet[InfoRequest]:
    """Online applications the office has not yet confirmed (Art. 31 (三): the clock starts only at the
    confirmation), the longest-waiting first, within what ``user`` may see."""
    return (
        visible_requests(user)
        .filter(status=workflow.Status.AWAITING_CONFIRMATION, channel=RequestChannel.ONLINE)
        .order_by("submitted_on", "created_at", "id")
    )


def pending_extensions() -> QuerySet[Any]:
    from gongkai.inforequests.models import Extension

    return (
        Extension.objects.filter(status=ExtensionStatus.PENDING, request__status__in=CLOCK_STATUSES)
        .select_related("request", "requested_by")
        .order_by("requested_at", "id")
    )


def open_at_year_end(year: int) -> QuerySet[InfoRequest]:
    """Cases carried forward into ``year + 1`` (结转下年度继续办理)."""
    end = dt.date(year, 12, 31)
    return InfoRequest.objects.filter(received_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=end)
    )


def applicant_pieces_before(req: InfoRequest) -> int:
    """Pieces the same applicant filed earlier in the calendar month of this case (按件计收)."""
    if req.received_on is None:
        return 0
    same = (
        Q(applicant_id_number=req.applicant_id_number)
        if req.applicant_id_number
        else Q(applicant_id_number="", applicant_name=req.applicant_name)
    )
    earlier = Q(received_on__lt=req.received_on) | Q(received_on=req.received_on, id__lt=req.pk)
    total = (
        InfoRequest.objects.filter(same, earlier)
        .filter(received_on__year=req.received_on.year, received_on__month=req.received_on.month)
        .exclude(pk=req.pk)
        .aggregate(n=Sum("pieces"))["n"]
    )
    return int(total or 0)


def clock_facts(req: InfoRequest) -> clock_mod.ClockFacts | None:
    if req.received_on is None:
        return None
    pauses = tuple(
        clock_mod.PauseFact(p.kind, p.started_on, p.ended_on)
        for p in req.pauses.all()
        if p.kind != PauseKindChoice.CORRECTION
    )
    approved = next((e for e in req.extensions.all() if e.status == ExtensionStatus.APPROVED), None)
    return clock_mod.ClockFacts(
        received_on=req.received_on,
        corrected_on=req.corrected_on,
        awaiting_correction=req.is_awaiting_correction,
        pauses=pauses,
        extension_workdays=approved.workdays if approved else 0,
    )


def clock_for(
    req: InfoRequest, *, cal: Calendar | None = None, today: dt.date | None = None
) -> clock_mod.Clock | None:
    """The case's clock, or None before its receipt is confirmed. Raises CalendarUnknown."""
    facts = clock_facts(req)
    if facts is None:
        return None
    return clock_mod.compute(cal or get_calendar(), facts, today=today)


def reply_template_for(outcome: str) -> TemplateText:
    row = ReplyTemplate.objects.filter(outcome=outcome).first()
    if row is not None:
        return TemplateText(row.title, row.body, row.legal_basis)
    return DEFAULT_TEMPLATES[Outcome(outcome)]


def reply_templates() -> QuerySet[ReplyTemplate]:
    return ReplyTemplate.objects.select_related("updated_by").order_by("id")


def request_history(req: InfoRequest) -> QuerySet[AuditEvent]:
    """The case's handling steps. Views of personal data stay in the audit log but not here: one is written
    per page view and they would bury the steps."""
    return (
        AuditEvent.objects.filter(object_type=req._meta.label_lower, object_id=str(req.pk))
        .exclude(verb=AuditVerb.INFOREQUEST_VIEW_PERSONAL_DATA)
        .select_related("actor")
    )


def notice_content(req: InfoRequest) -> NoticeContent | None:
    """What the 告知书 of the case says (its draft until issued), or None before a reply is drafted."""
    from gongkai.org.selectors import current_organisation

    reply = getattr(req, "reply", None)
    if reply is None:
        return None
    org = current_organisation()
    return NoticeContent(
        title=reply.title,
        reference=req.reference,
        applicant_name=req.applicant_name,
        received_on=req.received_on,
        description=req.description,
        body=reply.body,
        legal_basis=reply.legal_basis,
        remedy=remedy_sentence(org.parent_name if org else ""),
        organisation=org.name if org else "",
        issued_on=reply.issued_on,
        outcome_label=reply.get_outcome_display(),
        signer=_person(reply.signed_by) if reply.signed_on else "",
        signed_on=reply.signed_on,
    )


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def case_facts(req: InfoRequest, *, exact: frozenset[workflow.Date] = frozenset()) -> workflow.Case:
    """The case as the workflow table sees it (``workflow.allowed``).

    A date in a year the calendar does not know is ``None`` (unknown) unless it is in ``exact``: then
    ``CalendarUnknown`` propagates, as a service must say which year's 放假安排 is missing.
    """
    cal = get_calendar()

    def known(compute: Callable[[], dt.date | None], date: workflow.Date) -> dt.date | None:
        try:
            return compute()
        except CalendarUnknown:
            if date in exact:
                raise
            return None

    def respond_by(p: Any) -> dt.date | None:
        if p.respond_by is not None or p.kind != PauseKindChoice.FEE:
            return p.respond_by  # type: ignore[no-any-return]
        return known(lambda: clock_mod.fee_payment_end(cal, p.started_on), workflow.Date.RESPOND_BY)

    def base_due() -> dt.date | None:
        facts = clock_facts(req)
        if facts is None:
            return None
        return clock_mod.compute(cal, dataclasses.replace(facts, extension_workdays=0)).base_due

    status = workflow.Status(req.status)
    received = req.received_on
    return workflow.Case(
        status=status,
        pauses=tuple(
            workflow.Pause(clock_mod.PauseKind(p.kind), p.ended_on is None, respond_by(p))
            for p in req.pauses.all()
        ),
        extensions=tuple(workflow.ExtensionState(e.status) for e in req.extensions.all()),
        has_fee=Fee.objects.filter(request=req).exists(),
        base_due=known(base_due, workflow.Date.BASE_DUE) if status in workflow.CLOCK else None,
        correction_notice_by=(
            known(lambda: clock_mod.correction_notice_due(cal, received), workflow.Date.CORRECTION_NOTICE_BY)
            if received is not None and status == workflow.Status.OPEN
            else None
        ),
        reply=reply_fact(req),
    )


# --- the applicant's online 补正 and the documents a reply releases -----------------------------------


def open_correction(req: InfoRequest) -> Any:
    """The 补正 notice still awaiting the applicant's answer, or None."""
    if not req.is_awaiting_correction:
        return None
    return next(
        (p for p in req.pauses.all() if p.kind == PauseKindChoice.CORRECTION and p.ended_on is None), None
    )


def correction_submission(req: InfoRequest) -> Any:
    """The 补正 the applicant sent online (with its files), or None."""
    from gongkai.inforequests.models import CorrectionSubmission

    return CorrectionSubmission.objects.filter(request=req).prefetch_related("files").first()


def online_correction_refusal(req: InfoRequest, today: dt.date) -> str | None:
    """Why the applicant cannot send a 补正 online today, in words for them; None when they can."""
    sent = correction_submission(req)
    if sent is not None:
        return f"您已于{cn_date(sent.received_on)}提交补正，无需重复提交"
    pause = open_correction(req)
    if pause is None:
        return "本申请当前不在待补正状态，无需补正"
    if pause.respond_by is not None and today > pause.respond_by:
        return (
            f"补正期限已于{cn_date(pause.respond_by)}届满，无法再在网上提交补正。"
            "如有正当理由未能按期补正，请与本机关联系"
        )
    return None


@dataclass(frozen=True)
class ReleasedDocument:
    """One file a reply gives the applicant: what the portal offers and the answer e-mail attaches."""

    pk: int
    filename: str  # the title, 已作删除处理 when redacted, and the real extension
    content_type: str
    size: int
    redacted: bool
    storage_name: str

    def read(self) -> bytes:
        from gongkai.core.files import private_storage

        with private_storage().open(self.storage_name, "rb") as f:
            data: bytes = f.read()
        return data


def _documents(files: Any) -> list[ReleasedDocument]:
    return [
        ReleasedDocument(f.pk, f.download_name, f.content_type, f.size, f.redacted, f.storage_name)
        for f in files
    ]


def draft_released_files(req: InfoRequest) -> list[Any]:
    """Every file uploaded for the reply so far (the workbench lists them while drafting)."""
    return list(req.released_files.select_related("uploaded_by").order_by("id"))


def released_files(req: InfoRequest) -> list[ReleasedDocument]:
    """The documents the applicant receives: only once the 告知书 is issued with an outcome that discloses
    (予以公开 / 部分公开); empty otherwise. ``read()`` gives a file's bytes."""
    from gongkai.inforequests.released import RELEASING_OUTCOMES

    reply = getattr(req, "reply", None)
    if reply is None or reply.issued_on is None or reply.outcome not in RELEASING_OUTCOMES:
        return []
    return _documents(req.released_files.order_by("id"))
