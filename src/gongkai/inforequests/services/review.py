"""The reply's review chain (答复审批): send a draft for review, approve a step (the last one signs) or return
the draft with a reason, and configure the office's chain.

Who may decide a step is one rule (``workflow.TABLE`` with ``permissions.may_decide_step``); each
decision is a ``ReplyReview`` row of the draft's current round, so a returned and resubmitted draft keeps
every round's decisions. Editing the draft (``inforequest_draft_reply``) while it is under review or
signed withdraws it: the next submission opens a new round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.services import model_snapshot, record_event
from gongkai.inforequests.models import (
    InfoRequest,
    ReplyNotice,
    ReplyReview,
    ReplyReviewDecision,
    ReplyReviewStatus,
    ReplyReviewStep,
)
from gongkai.inforequests.review import StepSpec, chain_errors, steps_to_json
from gongkai.inforequests.review_selectors import (
    current_step,
    office_chain,
    round_chain,
    step_reviewer_ids,
    step_user_ids,
)
from gongkai.inforequests.services._common import (
    _allow,
    _clock_start,
    _invalid,
    _lock,
    _not_before,
    _not_future,
    _notify,
    _today,
)
from gongkai.inforequests.services.released import check_released_files
from gongkai.inforequests.services.replies import _no_blanks
from gongkai.inforequests.workflow import Action
from gongkai.org.access import Permission, can
from gongkai.org.selectors import current_organisation

__all__ = ["reply_review_approve", "reply_review_return", "reply_submit_for_review", "review_chain_set"]

REVIEW_FIELDS = (
    "review_status",
    "review_round",
    "review_step",
    "submitted_by",
    "submitted_on",
    "signed_by",
    "signed_on",
)


def _review_snapshot(reply: ReplyNotice) -> dict[str, Any]:
    return {"reply_id": reply.pk, **model_snapshot(reply, fields=REVIEW_FIELDS)}


def _request_review(req: InfoRequest, reply: ReplyNotice) -> None:
    """Tell the people who may decide the step the draft has reached (``gongkai tick`` delivers it)."""
    step = current_step(reply)
    assert step is not None
    _notify(
        "inforequest.review_requested",
        req,
        step_label=step.name,
        reviewer_ids=step_reviewer_ids(req, reply),
        round=reply.review_round,
    )


def _someone_for_every_step(req: InfoRequest, chain: list[StepSpec], submitter: Any) -> None:
    """A draft is not sent where it would wait forever: every step needs a possible reviewer."""
    department = req.department.name if req.department_id else ""
    for number, step in enumerate(chain, 1):
        if step.own_department and not req.department_id:
            raise _invalid(
                None, f"本案尚未分派承办科室，第 {number} 步“{step.name}”须由{step.who()}审核：请先分派"
            )
        if not step_user_ids(step, req.department_id, exclude=submitter.pk):
            raise _invalid(
                None,
                f"第 {number} 步“{step.name}”没有可以审核的人员（{step.who(department)}，送审人除外）："
                "请先设置人员，或由公开办负责人调整答复审核流程",
            )


@transaction.atomic
def reply_submit_for_review(
    *, actor: Any, request: InfoRequest, submitted_on: dt.date | None = None, note: str = ""
) -> ReplyNotice:
    """Send the draft to the first step of the office's chain: a new review round."""
    on = submitted_on or _today()
    req = _lock(request)
    _allow(Action.SUBMIT_REPLY, actor, req, on)
    _not_future("submitted_on", on, "送审日期")
    _not_before("submitted_on", on, _clock_start(req), "送审日期不能早于答复期限起算日")
    reply = ReplyNotice.objects.get(request=req)
    _no_blanks(reply)  # reviewers decide on the words the applicant will read
    check_released_files(req, reply.outcome)  # … and on the documents that go with them
    chain = office_chain()
    _someone_for_every_step(req, chain, actor)
    before = _review_snapshot(reply)
    reply.review_round += 1
    reply.review_chain = steps_to_json(chain)
    reply.review_step = 0
    reply.review_status = ReplyReviewStatus.PENDING
    reply.submitted_by, reply.submitted_on = actor, on
    reply.signed_by, reply.signed_on = None, None
    reply.full_clean()
    reply.save()
    after = _review_snapshot(reply) | {"chain": reply.review_chain, "note": note.strip()}
    record_event(actor=actor, verb=AuditVerb.INFOREQUEST_REPLY_SUBMIT, obj=req, before=before, after=after)
    _request_review(req, reply)
    return reply


def _decision_date(reply: ReplyNotice, on: dt.date) -> None:
    _not_future("decided_on", on, "审核日期")
    assert reply.submitted_on is not None
    _not_before(
        "decided_on", on, reply.submitted_on, f"审核日期不能早于送审日期（{reply.submitted_on:%Y-%m-%d}）"
    )
    last = reply.reviews.filter(round=reply.review_round).order_by("-decided_on").first()
    if last is not None:
        _not_before(
            "decided_on",
            on,
            last.decided_on,
            f"审核日期不能早于上一步的审核日期（{last.decided_on:%Y-%m-%d}）",
        )


def _decide(
    actor: Any, req: InfoRequest, action: Action, decision: str, opinion: str, on: dt.date
) -> tuple[ReplyNotice, StepSpec, bool, dict[str, Any]]:
    """The checks and the ReplyReview row shared by approving and returning; the caller moves the draft."""
    _allow(action, actor, req, on)
    reply = ReplyNotice.objects.get(request=req)
    if decision == ReplyReviewDecision.RETURNED and not opinion:
        raise _invalid("reason", "退回须填写理由")
    _decision_date(reply, on)
    step = current_step(reply)
    assert step is not None and reply.review_step is not None
    signing = reply.review_step == len(round_chain(reply)) - 1
    before = _review_snapshot(reply)
    ReplyReview.objects.create(
        reply=reply,
        round=reply.review_round,
        position=reply.review_step + 1,
        step_name=step.name,
        is_signing=signing,
        reviewer=actor,
        decision=decision,
        opinion=opinion,
        decided_on=on,
    )
    return reply, step, signing, before


@transaction.atomic
def reply_review_approve(
    *, actor: Any, request: InfoRequest, opinion: str = "", decided_on: dt.date | None = None
) -> ReplyNotice:
    """The pending step agrees; at the last step the actor signs (签发) and the reply may be issued."""
    on = decided_on or _today()
    req = _lock(request)
    opinion = (opinion or "").strip()
    reply, step, signing, before = _decide(
        actor, req, Action.REVIEW_REPLY, ReplyReviewDecision.APPROVED, opinion, on
    )
    if signing:
        reply.review_status, reply.review_step = ReplyReviewStatus.SIGNED, None
        reply.signed_by, reply.signed_on = actor, on
    else:
        reply.review_step = (reply.review_step or 0) + 1
    reply.full_clean()
    reply.save()
    verb = AuditVerb.INFOREQUEST_REPLY_SIGN if signing else AuditVerb.INFOREQUEST_REPLY_APPROVE
    after = _review_snapshot(reply) | {"step": step.name, "opinion": opinion}
    record_event(actor=actor, verb=verb, obj=req, before=before, after=after)
    if not signing:
        _request_review(req, reply)
    return reply


@transaction.atomic
def reply_review_return(
    *, actor: Any, request: InfoRequest, reason: str, decided_on: dt.date | None = None
) -> ReplyNotice:
    """The pending step returns the draft to its drafter with a reason; it must be sent again (a new round)."""
    on = decided_on or _today()
    req = _lock(request)
    reason = (reason or "").strip()
    reply, step, _signing, before = _decide(
        actor, req, Action.RETURN_REPLY, ReplyReviewDecision.RETURNED, reason, on
    )
    reply.review_status, reply.review_step = ReplyReviewStatus.RETURNED, None
    reply.full_clean()
    reply.save()
    after = _review_snapshot(reply) | {"step": step.name, "reason": reason}
    record_event(actor=actor, verb=AuditVerb.INFOREQUEST_REPLY_RETURN, obj=req, before=before, after=after)
    _notify(
        "inforequest.draft_returned",
        req,
        reason=reason,
        to_user_id=reply.drafted_by_id or reply.submitted_by_id,
        step_label=step.name,
    )
    return reply


@transaction.atomic
def review_chain_set(*, actor: Any, steps: Sequence[StepSpec]) -> list[ReplyReviewStep]:
    """Replace the office's chain (the 公开办负责人, or the administrator in the admin). Drafts already under
    review keep the chain they were sent with; the next submission takes the new one."""
    if not (can(actor, Permission.REPLY_CHAIN_EDIT) or getattr(actor, "is_superuser", False)):
        raise PermissionDenied("只有公开办负责人可以修改答复审核流程")
    clean = [StepSpec(s.name.strip(), s.role, bool(s.own_department)) for s in steps]
    errors = chain_errors(clean)
    if errors:
        raise ValidationError(errors)
    old = list(ReplyReviewStep.objects.select_for_update().order_by("position"))
    before = {"steps": steps_to_json(StepSpec(s.name, s.role, s.own_department) for s in old)}
    # Rows are kept in their order and renumbered from 1 (a row keeps its id: the admin links to it).
    ReplyReviewStep.objects.filter(pk__in=[s.pk for s in old[len(clean) :]]).delete()
    rows = []
    for position, step in enumerate(clean, 1):
        row = old[position - 1] if position <= len(old) else ReplyReviewStep()
        row.position, row.name, row.role, row.own_department = (
            position,
            step.name,
            step.role,
            step.own_department,
        )
        row.updated_by, row.updated_at = actor, timezone.now()
        row.save()
        rows.append(row)
    record_event(
        actor=actor,
        verb=AuditVerb.REPLY_CHAIN_SET,
        obj=current_organisation(),
        before=before,
        after={"steps": steps_to_json(clean)},
    )
    return rows
