"""The reply (Art. 36): drafts, the issued 告知书, and the editable templates.

A draft goes through the office's review chain (``services.review``) before the 公开办 may send it out:
``inforequest_answer`` issues the signed text, never a text of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.choices import Outcome
from gongkai.core.services import model_snapshot, record_event
from gongkai.inforequests import selectors
from gongkai.inforequests.models import (
    InfoRequest,
    ReplyNotice,
    ReplyReviewStatus,
    ReplyTemplate,
    RequestStatus,
)
from gongkai.inforequests.notice_text import cn_date, fill, template_blanks, unknown_placeholders
from gongkai.inforequests.services._common import (
    LAPSE_OUTCOMES,
    _allow,
    _clock_start,
    _invalid,
    _lock,
    _not_before,
    _not_future,
    _notify,
    _save,
    _snapshot,
)
from gongkai.inforequests.services.released import check_released_files
from gongkai.inforequests.workflow import Action
from gongkai.org.access import Permission, require


def template_values(req: InfoRequest) -> dict[str, str]:
    """The values of the 告知书 template placeholders for one case."""
    from gongkai.org.selectors import organisation_name

    org = organisation_name()
    return {
        "申请人": req.applicant_name,
        "案号": req.reference,
        "收到申请日期": cn_date(req.received_on),
        "申请内容": req.description,
        "机关名称": org,
    }


def _check_outcome(outcome: str) -> None:
    if outcome not in Outcome.values:
        raise _invalid("outcome", "请选择办理结果")
    if outcome in LAPSE_OUTCOMES:
        raise _invalid("outcome", "逾期不补正、逾期未缴费请使用相应的“视为放弃”操作")


def _no_blanks(reply: ReplyNotice) -> None:
    """A 告知书 is not issued with a template slot still empty: say which field and paragraph."""
    errors: dict[str, list[str]] = {}
    for field, label, text in (
        ("title", "告知书标题", reply.title),
        ("notice_body", "答复内容", reply.body),
        ("legal_basis", "法律依据", reply.legal_basis),
    ):
        messages = [blank.message(label) for blank in template_blanks(text)]
        if messages:
            errors[field] = messages
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def inforequest_draft_reply(
    *,
    actor: Any,
    request: InfoRequest,
    outcome: str,
    notice_body: str = "",
    legal_basis: str | None = None,
    title: str | None = None,
) -> ReplyNotice:
    """Draft (or redraft) the 告知书; an empty body starts from the outcome's template."""
    req = _lock(request)
    _allow(Action.DRAFT_REPLY, actor, req)
    _check_outcome(outcome)
    template = selectors.reply_template_for(outcome)
    values = template_values(req)
    reply = ReplyNotice.objects.filter(request=req).first() or ReplyNotice(request=req)
    before = model_snapshot(reply) if reply.pk else None
    reply.outcome = outcome
    reply.title = (title or "").strip() or template.title
    reply.body = notice_body.strip() or fill(template.body, values)
    reply.legal_basis = template.legal_basis if legal_basis is None else legal_basis.strip()
    reply.drafted_by = actor
    reply.drafted_at = timezone.now()
    # A changed text is not what the reviewers agreed to: the approvals (and a signature) lapse and the
    # draft must be sent again, which opens a new round. The decisions stay on record.
    changed = before is None or any(before[k] != getattr(reply, k) for k in _TEXT_FIELDS)
    restarted = changed and lapse_review(reply)
    reply.full_clean()
    reply.save()
    record_event(
        actor=actor,
        verb=AuditVerb.INFOREQUEST_DRAFT_REPLY,
        obj=req,
        before=before,
        after=model_snapshot(reply) | {"review_restarted": restarted},
    )
    return reply


_TEXT_FIELDS = ("outcome", "title", "body", "legal_basis")


def lapse_review(reply: ReplyNotice) -> bool:
    """Send a reply under review, or signed, back to 未送审 (the caller saves it); True if it was.

    What reviewers agreed to is the text *and* what goes with it (the released documents, the form they
    are given in): when either changes, their approvals and the signature no longer cover the reply."""
    if reply.review_status not in (ReplyReviewStatus.PENDING, ReplyReviewStatus.SIGNED):
        return False
    reply.review_status, reply.review_step = ReplyReviewStatus.DRAFT, None
    reply.signed_by, reply.signed_on = None, None
    return True


def _same_as_signed(reply: ReplyNotice, given: dict[str, str | None]) -> None:
    """A caller that names the text must name the signed one: what goes out is what was signed."""
    stored = {"outcome": reply.outcome, "title": reply.title, "notice_body": reply.body}
    stored["legal_basis"] = reply.legal_basis
    for field, value in given.items():
        if value is None or (field == "title" and not value.strip()):
            continue
        if value.strip() != stored[field].strip():
            raise _invalid(field, "与签发的稿件不一致：告知书按签发稿发出；如需修改，请修改答复并重新送审")


@transaction.atomic
def inforequest_answer(
    *,
    actor: Any,
    request: InfoRequest,
    issued_on: dt.date,
    outcome: str | None = None,
    notice_body: str | None = None,
    legal_basis: str | None = None,
    title: str | None = None,
) -> ReplyNotice:
    """Send the signed 告知书 out: the case is answered on ``issued_on`` (its year counts it in Table 三).

    Only a reply signed at the end of the review chain goes out (``workflow``); the text is the signed
    one, and a caller that passes ``outcome``/``notice_body``/``legal_basis``/``title`` must pass it as
    signed.
    """
    req = _lock(request)
    _allow(Action.ISSUE_REPLY, actor, req, issued_on)
    reply = ReplyNotice.objects.get(request=req)
    given = {"outcome": outcome, "title": title, "notice_body": notice_body, "legal_basis": legal_basis}
    _same_as_signed(reply, given)
    _check_outcome(reply.outcome)
    _not_future("issued_on", issued_on, "答复日期")
    _not_before("issued_on", issued_on, _clock_start(req), "答复日期不能早于答复期限起算日")
    assert reply.signed_on is not None
    _not_before(
        "issued_on", issued_on, reply.signed_on, f"答复日期不能早于签发日期（{reply.signed_on:%Y-%m-%d}）"
    )
    before = _snapshot(req)
    _no_blanks(reply)
    check_released_files(req, reply.outcome)
    reply.issued_on, reply.issued_by = issued_on, actor
    reply.full_clean()
    reply.save()
    due = req.due_on
    outcome = reply.outcome
    req.outcome, req.closed_on, req.status = outcome, issued_on, RequestStatus.ANSWERED
    late = due is not None and issued_on > due
    _save(req, actor=actor, verb=AuditVerb.INFOREQUEST_ANSWER, before=before, reply_id=reply.pk, late=late)
    _notify("inforequest.reply_issued", req, outcome=outcome, issued_on=issued_on)
    return reply


@transaction.atomic
def reply_template_update(
    *, actor: Any, template: ReplyTemplate, title: str, body: str, legal_basis: str
) -> ReplyTemplate:
    require(actor, Permission.REQUEST_OFFICE, "只有公开办工作人员可以修改告知书模板")
    unknown = unknown_placeholders(f"{title}{body}{legal_basis}")
    if unknown:
        known = "、".join("{" + k + "}" for k in ("申请人", "案号", "收到申请日期", "申请内容", "机关名称"))
        raise _invalid("body", f"无法识别的占位符：{'、'.join(unknown)}（可用：{known}）")
    if not title.strip() or not body.strip():
        raise _invalid("body", "标题和答复内容不能为空")
    row = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
    before = model_snapshot(row)
    row.title, row.body, row.legal_basis = title.strip(), body.strip(), legal_basis.strip()
    row.updated_by, row.updated_at = actor, timezone.now()
    row.full_clean()
    row.save()
    record_event(
        actor=actor,
        verb=AuditVerb.INFOREQUEST_TEMPLATE_UPDATE,
        obj=row,
        before=before,
        after=model_snapshot(row),
    )
    return row
