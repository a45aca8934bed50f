"""Every write of the mailbox: a letter arrives (from the portal), is answered, completed and maybe published."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.identity import IdentityError, validate_phone
from gongkai.core.services import model_snapshot, record_event
from gongkai.engagement.models import Letter, LetterStatus
from gongkai.org.access import Permission, require

_REF_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"


_NOT_HANDLER = "只有公开办工作人员、公开办负责人或主管主任可以办理区长信箱来信"


def _snapshot(letter: Letter) -> dict[str, Any]:
    # Contact details stay out of the audit trail's before/after: the trail is read more widely than the letter.
    return model_snapshot(
        letter, fields=("status", "replied_on", "completed_on", "is_public", "published_on")
    )


def _new_reference() -> str:
    return f"XX{timezone.localdate():%Y%m%d}-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(5))


@transaction.atomic
def letter_submit(
    *,
    subject: str,
    body: str,
    anonymous: bool,
    name: str = "",
    phone: str = "",
    email: str = "",
    ip: str | None = None,
) -> Letter:
    """A letter from the portal (no signed-in actor). Anonymous letters carry no contact details at all."""
    subject, body = subject.strip(), body.strip()
    errors: dict[str, str] = {}
    if len(subject) < 2:
        errors["subject"] = "请填写标题"
    if len(body) < 2:
        errors["body"] = "请填写信件内容"
    if anonymous:
        name = phone = email = ""
    else:
        name, email = name.strip(), email.strip()
        if not name:
            errors["name"] = "实名来信请填写姓名；不愿留名请选择匿名"
        if phone.strip():
            try:
                phone = validate_phone(phone)
            except IdentityError as exc:
                errors["phone"] = str(exc)
        elif not email:
            errors["phone"] = "实名来信请至少留下电话或电子邮箱，以便答复"
    if errors:
        raise ValidationError(errors)
    reference = _new_reference()
    while Letter.objects.filter(reference=reference).exists():
        reference = _new_reference()
    letter = Letter(
        reference=reference,
        subject=subject,
        body=body,
        anonymous=anonymous,
        name=name,
        phone=phone,
        email=email,
        received_on=timezone.localdate(),
    )
    letter.full_clean()
    letter.save()
    record_event(actor=None, verb=AuditVerb.LETTER_SUBMIT, obj=letter, after=_snapshot(letter), ip=ip)
    return letter


@transaction.atomic
def letter_reply(*, actor: Any, letter: Letter, reply: str, replied_on: dt.date | None = None) -> Letter:
    require(actor, Permission.LETTER_HANDLE, _NOT_HANDLER)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": "请填写答复内容"})
    replied_on = replied_on or timezone.localdate()
    if replied_on < letter.received_on or replied_on > timezone.localdate():
        raise ValidationError({"replied_on": "答复日期应在收信日期与今天之间"})
    before = _snapshot(letter)
    letter.reply, letter.replied_on, letter.replied_by = reply, replied_on, actor
    if letter.status == LetterStatus.NEW:
        letter.status = LetterStatus.REPLIED
    letter.save()
    record_event(actor=actor, verb=AuditVerb.LETTER_REPLY, obj=letter, before=before, after=_snapshot(letter))
    return letter


@transaction.atomic
def letter_complete(*, actor: Any, letter: Letter, completed_on: dt.date | None = None) -> Letter:
    """办结: the letter has been answered and nothing is left to do."""
    require(actor, Permission.LETTER_HANDLE, _NOT_HANDLER)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status == LetterStatus.COMPLETED:
        raise ValidationError("该来信已办结")
    if not letter.reply:
        raise ValidationError("请先答复来信，再标记办结")
    completed_on = completed_on or timezone.localdate()
    if (letter.replied_on and completed_on < letter.replied_on) or completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "办结日期应在答复日期与今天之间"})
    before = _snapshot(letter)
    letter.status, letter.completed_on, letter.completed_by = LetterStatus.COMPLETED, completed_on, actor
    letter.save()
    record_event(
        actor=actor, verb=AuditVerb.LETTER_COMPLETE, obj=letter, before=before, after=_snapshot(letter)
    )
    return letter


@transaction.atomic
def letter_publish(*, actor: Any, letter: Letter, public_subject: str, public_body: str) -> Letter:
    """Show the letter and its reply on the portal, in the wording the office chose (no sender, ever)."""
    require(actor, Permission.LETTER_HANDLE, _NOT_HANDLER)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if not letter.reply:
        raise ValidationError("只有已答复的来信可以公开")
    public_subject, public_body = public_subject.strip(), public_body.strip()
    if not public_subject or not public_body:
        raise ValidationError("请填写公开的标题和来信内容（删去个人信息）")
    before = _snapshot(letter)
    letter.is_public, letter.public_subject, letter.public_body = True, public_subject, public_body
    letter.published_on = letter.published_on or timezone.localdate()
    letter.save()
    record_event(
        actor=actor, verb=AuditVerb.LETTER_PUBLISH, obj=letter, before=before, after=_snapshot(letter)
    )
    return letter


@transaction.atomic
def letter_unpublish(*, actor: Any, letter: Letter) -> Letter:
    require(actor, Permission.LETTER_HANDLE, _NOT_HANDLER)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    before = _snapshot(letter)
    letter.is_public, letter.published_on = False, None
    letter.save()
    record_event(
        actor=actor, verb=AuditVerb.LETTER_UNPUBLISH, obj=letter, before=before, after=_snapshot(letter)
    )
    return letter


def letter_contact_viewed(*, actor: Any, letter: Letter) -> None:
    """Personal data shown to staff: the view itself goes into the audit trail."""
    require(actor, Permission.LETTER_HANDLE, _NOT_HANDLER)
    record_event(actor=actor, verb=AuditVerb.LETTER_CONTACT_VIEWED, obj=letter)
