"""Reads of the reply review chain: the office's chain, a draft's progress, who may decide, what waits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from gongkai.inforequests import workflow
from gongkai.inforequests.models import (
    InfoRequest,
    ReplyNotice,
    ReplyReview,
    ReplyReviewDecision,
    ReplyReviewStatus,
    ReplyReviewStep,
)
from gongkai.inforequests.permissions import may_decide_step
from gongkai.inforequests.review import DEFAULT_CHAIN, StepSpec, steps_from_json


def chain_steps() -> QuerySet[ReplyReviewStep]:
    return ReplyReviewStep.objects.select_related("updated_by").order_by("position")


def office_chain() -> list[StepSpec]:
    """The office's chain as configured (the default one if the table was emptied behind our back)."""
    rows = [StepSpec(s.name, s.role, s.own_department) for s in chain_steps()]
    return rows or list(DEFAULT_CHAIN)


def round_chain(reply: ReplyNotice) -> list[StepSpec]:
    """The chain of the reply's current round (the copy taken when it was sent), else the office's."""
    return steps_from_json(reply.review_chain) if reply.review_chain else office_chain()


def current_step(reply: ReplyNotice) -> StepSpec | None:
    """The step awaiting a decision, while the draft is under review."""
    if reply.review_status != ReplyReviewStatus.PENDING or reply.review_step is None:
        return None
    chain = round_chain(reply)
    return chain[reply.review_step] if reply.review_step < len(chain) else None


def _department_name(req: InfoRequest) -> str:
    return req.department.name if req.department_id else ""


def reply_fact(req: InfoRequest) -> workflow.Reply | None:
    """The reply as ``workflow.Case`` sees it (None before a draft exists)."""
    reply = ReplyNotice.objects.filter(request=req).first()
    if reply is None:
        return None
    step = current_step(reply)
    return workflow.Reply(
        workflow.ReviewState(reply.review_status),
        step.name if step else "",
        step.who(_department_name(req)) if step else "",
    )


def step_user_ids(step: StepSpec, department_id: int | None, *, exclude: Any = None) -> list[int]:
    """The active users holding the step's role (in the case's 科室 if the step says so)."""
    qs = get_user_model().objects.filter(is_active=True, groups__name=step.role)
    if step.own_department:
        qs = qs.filter(staff_profile__department_id=department_id) if department_id else qs.none()
    return sorted(pk for pk in qs.values_list("pk", flat=True).distinct() if pk != exclude)


def step_reviewer_ids(req: InfoRequest, reply: ReplyNotice) -> list[int]:
    """The active users who may decide the pending step (the outbox's ``reviewer_ids``)."""
    step = current_step(reply)
    if step is None:
        return []
    barred = set(reply.reviews.filter(round=reply.review_round).values_list("reviewer_id", flat=True))
    barred.add(reply.submitted_by_id)
    return [pk for pk in step_user_ids(step, req.department_id) if pk not in barred]


@dataclass
class StepRow:
    """One step of a round as the case page and the 审批表 print it."""

    position: int
    name: str
    who: str
    signing: bool
    review: ReplyReview | None = None
    pending: bool = False  # the step awaiting a decision

    @property
    def state(self) -> str:
        if self.review is not None:
            return str(ReplyReviewDecision(self.review.decision).label)
        if self.pending:
            return "待审核"
        return "未到此步"


@dataclass
class Progress:
    reply: ReplyNotice
    round: int
    steps: list[StepRow] = field(default_factory=list)
    earlier: list[ReplyReview] = field(default_factory=list)  # decisions of earlier rounds

    @property
    def returned(self) -> ReplyReview | None:
        return next((s.review for s in self.steps if s.review and not s.review.is_approved), None)

    @property
    def signer(self) -> Any:
        return self.reply.signed_by


def review_progress(req: InfoRequest, reply: ReplyNotice) -> Progress:
    """The current round step by step (the office's chain before the first submission), and earlier rounds."""
    reviews = list(reply.reviews.select_related("reviewer").order_by("round", "position"))
    this_round = {r.position: r for r in reviews if r.round == reply.review_round and reply.review_round}
    chain = round_chain(reply)
    department = _department_name(req)
    pending = reply.review_step if reply.review_status == ReplyReviewStatus.PENDING else None
    rows = [
        StepRow(
            position,
            step.name,
            step.who(department),
            position == len(chain),
            this_round.get(position),
            pending == position - 1,
        )
        for position, step in enumerate(chain, 1)
    ]
    earlier = [r for r in reviews if r.round != reply.review_round]
    return Progress(reply, reply.review_round, rows, earlier)


def replies_awaiting(user: Any) -> list[ReplyNotice]:
    """Drafts whose pending step ``user`` may decide, the longest-waiting first."""
    pending = (
        ReplyNotice.objects.filter(review_status=ReplyReviewStatus.PENDING, issued_on__isnull=True)
        .select_related("request", "request__department")
        .order_by("submitted_on", "id")
    )
    return [r for r in pending if may_decide_step(user, r.request)]


def replies_to_issue() -> QuerySet[ReplyNotice]:
    """Signed replies the 公开办 has not sent out yet."""
    return (
        ReplyNotice.objects.filter(
            review_status=ReplyReviewStatus.SIGNED,
            issued_on__isnull=True,
            request__status__in=(workflow.Status.OPEN, workflow.Status.PAUSED),
        )
        .select_related("request", "signed_by")
        .order_by("signed_on", "id")
    )
