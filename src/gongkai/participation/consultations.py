"""民意征集: a draft text open for comments; each comment waits for a moderator, who publishes it in a text
checked for personal data (as the mailbox's public letters are) or declines it with a reason; when the
consultation closes the office publishes what it adopted and why (the flow of Consul's legislation
module: draft → comments → moderation → feedback summary)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.personal_data import describe, find_personal_data
from gongkai.core.services import model_snapshot, record_event
from gongkai.org.access import Permission, require
from gongkai.participation.models import Comment, CommentStatus, Consultation
from gongkai.participation.services import NOT_MANAGER, check_period

NOT_MODERATOR = "只有公开办工作人员或公开办负责人可以审核征集意见"
MAX_COMMENT = 2000


@transaction.atomic
def consultation_save(
    *,
    actor: Any,
    title: str,
    draft_text: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    is_published: bool,
    consultation: Consultation | None = None,
) -> Consultation:
    require(actor, Permission.PARTICIPATION_MANAGE, NOT_MANAGER)
    check_period(opens_at, closes_at)
    if not title.strip():
        raise ValidationError({"title": "请填写征集主题"})
    if not draft_text.strip():
        raise ValidationError({"draft_text": "请填写征求意见稿"})
    before = model_snapshot(consultation) if consultation else None
    c = consultation or Consultation(created_by=actor)
    c.title, c.draft_text = title.strip(), draft_text.strip()
    c.opens_at, c.closes_at, c.is_published = opens_at, closes_at, is_published
    c.save()
    record_event(actor=actor, verb=AuditVerb.CONSULTATION_SAVE, obj=c, before=before, after=model_snapshot(c))
    return c


@transaction.atomic
def comment_submit(*, consultation: Consultation, body: str, ip: str | None = None) -> Comment:
    """A resident's comment; nobody sees it on the portal until a moderator approves it."""
    if not consultation.is_open():
        raise ValidationError("该征集不在征集时间内，不能再提交意见")
    body = body.strip()
    if len(body) < 5:
        raise ValidationError({"body": "请填写意见内容（至少 5 个字）"})
    if len(body) > MAX_COMMENT:
        raise ValidationError({"body": f"意见内容不能超过 {MAX_COMMENT} 字"})
    comment = Comment.objects.create(consultation=consultation, body=body)
    # The comment's text stays out of the audit row: it may carry the writer's personal data.
    record_event(
        actor=None, verb=AuditVerb.COMMENT_SUBMIT, obj=comment, after={"status": comment.status}, ip=ip
    )
    return comment


def public_text_lines(text: str) -> tuple[list[str], list[str]]:
    """(certain, uncertain) findings of personal data in ``text``, described in Chinese."""
    lines: dict[bool, list[str]] = {True: [], False: []}
    for span in find_personal_data(text):
        lines[span.certain] += describe("公开的意见内容", text, [span])
    return lines[True], lines[False]


def _pending(comment: Comment) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status != CommentStatus.PENDING:
        raise ValidationError("该意见已审核")
    return comment


@transaction.atomic
def comment_approve(*, actor: Any, comment: Comment, public_body: str, confirmed: bool = False) -> Comment:
    """Publish the comment in ``public_body``: refused while it carries an ID or phone number; a possible
    name or address refuses unless the moderator confirmed it is none."""
    require(actor, Permission.COMMENT_MODERATE, NOT_MODERATOR)
    comment = _pending(comment)
    public_body = public_body.strip()
    if not public_body:
        raise ValidationError({"public_body": "请填写公开的意见内容"})
    certain, uncertain = public_text_lines(public_body)
    if certain:
        raise ValidationError("公开内容中仍有个人信息，请删改后再公开：" + "；".join(certain + uncertain))
    if uncertain and not confirmed:
        raise ValidationError(
            "公开内容中可能有姓名或住址，请删改；如核对后确认不是个人信息，请勾选“已核对”后再公开："
            + "；".join(uncertain)
        )
    before = model_snapshot(comment, fields=("status",))
    comment.status, comment.public_body = CommentStatus.APPROVED, public_body
    comment.moderated_by, comment.moderated_at = actor, timezone.now()
    comment.save()
    after = {"status": comment.status, "confirmed": uncertain}
    record_event(actor=actor, verb=AuditVerb.COMMENT_APPROVE, obj=comment, before=before, after=after)
    return comment


@transaction.atomic
def comment_reject(*, actor: Any, comment: Comment, reason: str) -> Comment:
    require(actor, Permission.COMMENT_MODERATE, NOT_MODERATOR)
    comment = _pending(comment)
    if not reason.strip():
        raise ValidationError({"reason": "请填写不予公开的理由"})
    before = model_snapshot(comment, fields=("status",))
    comment.status, comment.reason = CommentStatus.REJECTED, reason.strip()[:200]
    comment.moderated_by, comment.moderated_at = actor, timezone.now()
    comment.save()
    after = {"status": comment.status, "reason": comment.reason}
    record_event(actor=actor, verb=AuditVerb.COMMENT_REJECT, obj=comment, before=before, after=after)
    return comment


@transaction.atomic
def feedback_publish(*, actor: Any, consultation: Consultation, summary: str) -> Consultation:
    """The published account of what was adopted and why; only once comments are closed."""
    require(actor, Permission.PARTICIPATION_MANAGE, NOT_MANAGER)
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if timezone.now() < c.closes_at:
        raise ValidationError("征集尚未截止，截止后再公布意见采纳情况")
    if not summary.strip():
        raise ValidationError({"summary": "请填写意见采纳情况"})
    if c.comments.filter(status=CommentStatus.PENDING).exists():
        raise ValidationError("还有待审核的意见，请先审核再公布采纳情况")
    certain, _ = public_text_lines(summary)
    if certain:
        raise ValidationError("采纳情况中有个人信息，请删改后再公布：" + "；".join(certain))
    before = model_snapshot(c, fields=("feedback_summary", "feedback_published_at"))
    c.feedback_summary, c.feedback_published_at = summary.strip(), timezone.now()
    c.save()
    after = model_snapshot(c, fields=("feedback_summary", "feedback_published_at"))
    record_event(actor=actor, verb=AuditVerb.CONSULTATION_FEEDBACK, obj=c, before=before, after=after)
    return c
