"""Every write of the mailbox: a letter arrives (from the portal), may be 转办 to a 科室 and answered there,
is replied to, completed and maybe published in a text the office edited apart from the letter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.identity import IdentityError, validate_phone
from gongkai.core.personal_data import describe, find_personal_data
from gongkai.core.services import enqueue_message, model_snapshot, record_event
from gongkai.core.tracking_codes import hash_secret, new_secret, random_code
from gongkai.engagement.models import Forwarding, Letter, LetterStatus
from gongkai.engagement.permissions import in_forwarded_department
from gongkai.org.access import Permission, require
from gongkai.org.models import Department

_NOT_HANDLER = "只有公开办工作人员、公开办负责人或主管主任可以办理信箱来信"
_NOT_FORWARDER = "只有公开办工作人员、公开办负责人或主管主任可以转办来信"
_NOT_DEPARTMENT = "只有科室工作人员或科室负责人可以回复转办的来信"


def _snapshot(letter: Letter) -> dict[str, Any]:
    # Contact details stay out of the audit trail's before/after: the trail is read more widely than the letter.
    return model_snapshot(
        letter, fields=("status", "replied_on", "completed_on", "is_public", "published_on")
    )


def _new_reference() -> str:
    return f"XX{timezone.localdate():%Y%m%d}-{random_code(5)}"


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
    """A letter from the portal (no signed-in actor). Anonymous letters carry no contact details at all.

    The returned letter carries its 查询码 in clear (``letter.query_code``) for the writer, this once; only
    its hash is stored."""
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
    query_code = new_secret()
    letter = Letter(
        reference=reference,
        query_code_hash=hash_secret(query_code),
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
    letter.query_code = query_code
    return letter


@transaction.atomic
def letter_reply(*, actor: Any, letter: Letter, reply: str, replied_on: dt.date | None = None) -> Letter:
    """The office's answer to the writer. The first answer goes to the outbox as ``letter.replied`` (the
    writer is told); later corrections do not tell them again."""
    require(actor, Permission.LETTER_HANDLE, _NOT_HANDLER)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status == LetterStatus.FORWARDED:
        names = "、".join(f.department.name for f in _open_forwardings(letter))
        raise ValidationError(f"该来信已转办{names}，尚未回复：请等科室回复，或撤回转办后再答复")
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": "请填写答复内容"})
    replied_on = replied_on or timezone.localdate()
    if replied_on < letter.received_on or replied_on > timezone.localdate():
        raise ValidationError({"replied_on": "答复日期应在收信日期与今天之间"})
    before = _snapshot(letter)
    first = letter.status == LetterStatus.NEW
    letter.reply, letter.replied_on, letter.replied_by = reply, replied_on, actor
    if first:
        letter.status = LetterStatus.REPLIED
    letter.save()
    record_event(actor=actor, verb=AuditVerb.LETTER_REPLY, obj=letter, before=before, after=_snapshot(letter))
    if first:
        enqueue_message(
            kind="letter.replied", payload={"letter_id": letter.pk, "letter_reference": letter.reference}
        )
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


class PersonalDataFound(ValidationError):
    """The public text still carries personal data; ``lines`` say what and where."""

    def __init__(self, message: str, lines: list[str]) -> None:
        super().__init__(message + "；".join(lines))
        self.lines = lines


_PUBLIC_FIELDS = (
    ("public_subject", "公开标题"),
    ("public_body", "公开的来信内容"),
    ("public_reply", "公开的答复内容"),
)


def public_text_findings(letter: Letter, texts: dict[str, str]) -> dict[str, list[Any]]:
    """The personal data in each public field (by field name), the letter's own name and contacts included."""
    known = (letter.name, letter.phone, letter.email)
    return {name: find_personal_data(texts.get(name, ""), known=known) for name, _ in _PUBLIC_FIELDS}


def _check_public_text(letter: Letter, texts: dict[str, str], *, confirmed: bool) -> list[str]:
    """Refuse while the text carries personal data found by structure (ID and phone numbers …), whatever
    staff say; names and addresses found by position also refuse unless staff confirmed they are not
    personal data. Returns the confirmed lines, for the audit row."""
    found = public_text_findings(letter, texts)
    lines = {True: [], False: []}  # certain -> lines
    for name, label in _PUBLIC_FIELDS:
        for span in found[name]:
            lines[span.certain] += describe(label, texts[name], [span])
    if lines[True]:
        raise PersonalDataFound("公开内容中仍有个人信息，请删改后再公开：", lines[True] + lines[False])
    if lines[False] and not confirmed:
        raise PersonalDataFound(
            "公开内容中可能有姓名或住址，请删改；如核对后确认不是个人信息，请勾选“已核对”后再公开：",
            lines[False],
        )
    return lines[False]


@transaction.atomic
def letter_publish(
    *,
    actor: Any,
    letter: Letter,
    public_subject: str,
    public_body: str,
    public_reply: str | None = None,
    confirmed: bool = False,
) -> Letter:
    """Show the letter and its reply on the portal in the text the office edited (no sender, ever).

    ``public_reply`` defaults to the reply as written; every public field is checked for personal data
    (``_check_public_text``) and ``confirmed`` is staff's word that the names and addresses marked are not
    personal data."""
    require(actor, Permission.LETTER_HANDLE, _NOT_HANDLER)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if not letter.reply:
        raise ValidationError("只有已答复的来信可以公开")
    texts = {
        "public_subject": public_subject.strip(),
        "public_body": public_body.strip(),
        "public_reply": (letter.reply if public_reply is None else public_reply).strip(),
    }
    if not all(texts.values()):
        raise ValidationError("请填写公开的标题、来信内容和答复内容（删去个人信息）")
    confirmed_lines = _check_public_text(letter, texts, confirmed=confirmed)
    before = _snapshot(letter)
    letter.is_public = True
    letter.public_subject, letter.public_body = texts["public_subject"], texts["public_body"]
    letter.public_reply = texts["public_reply"]
    letter.published_on = letter.published_on or timezone.localdate()
    letter.save()
    after = _snapshot(letter) | ({"confirmed_not_personal": confirmed_lines} if confirmed_lines else {})
    record_event(actor=actor, verb=AuditVerb.LETTER_PUBLISH, obj=letter, before=before, after=after)
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


def letter_status_viewed(*, letter: Letter, ip: str | None = None) -> None:
    """The writer looked their letter up on the portal with its number and 查询码."""
    record_event(actor=None, verb=AuditVerb.LETTER_STATUS_VIEWED, obj=letter, ip=ip)


# -- 转办 ------------------------------------------------------------------------------------------------


def _open_forwardings(letter: Letter) -> list[Forwarding]:
    return list(
        letter.forwardings.filter(answered_at__isnull=True, recalled_at__isnull=True).select_related(
            "department"
        )
    )


def _settle_status(letter: Letter) -> None:
    """A letter is 转办中 while a 科室 still owes an answer, else back with the office (待答复)."""
    if letter.status in (LetterStatus.NEW, LetterStatus.FORWARDED):
        letter.status = LetterStatus.FORWARDED if _open_forwardings(letter) else LetterStatus.NEW
        letter.save(update_fields=["status"])


def _forwarding_snapshot(forwarding: Forwarding) -> dict[str, Any]:
    return {
        "forwarding_id": forwarding.pk,
        "department": forwarding.department.name,
        "due_on": forwarding.due_on,
        "state": forwarding.state,
    }


@transaction.atomic
def letter_forward(
    *, actor: Any, letter: Letter, department: Department, due_on: dt.date, instructions: str = ""
) -> Forwarding:
    """转办: hand the letter to a 科室, which answers by ``due_on``; the office replies to the writer after."""
    require(actor, Permission.LETTER_FORWARD, _NOT_FORWARDER)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status not in (LetterStatus.NEW, LetterStatus.FORWARDED):
        raise ValidationError("该来信已答复，不再转办")
    if not department.active:
        raise ValidationError({"department": f"{department.name}已停用，不能接收转办"})
    if any(f.department_id == department.pk for f in _open_forwardings(letter)):
        raise ValidationError({"department": f"该来信已转办{department.name}，尚未回复"})
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": "回复期限不能早于今天"})
    if due_on > today + dt.timedelta(days=90):
        raise ValidationError({"due_on": "回复期限不能晚于三个月之后"})
    before = _snapshot(letter)
    forwarding = Forwarding.objects.create(
        letter=letter,
        department=department,
        due_on=due_on,
        instructions=instructions.strip(),
        forwarded_by=actor,
    )
    _settle_status(letter)
    record_event(
        actor=actor, verb=AuditVerb.LETTER_FORWARD, obj=letter, before=before,
        after=_snapshot(letter) | _forwarding_snapshot(forwarding),
    )  # fmt: skip
    enqueue_message(
        kind="letter.forwarded",
        payload={
            "letter_id": letter.pk,
            "letter_reference": letter.reference,
            "department_id": department.pk,
            "due_on": due_on,
        },
    )
    return forwarding


def _locked_forwarding(forwarding: Forwarding) -> Forwarding:
    # The letter first, then its forwarding: the order letter_forward takes, so no two writers deadlock.
    Letter.objects.select_for_update().get(pk=forwarding.letter_id)
    return Forwarding.objects.select_for_update().select_related("letter", "department").get(pk=forwarding.pk)


def _refuse_closed(forwarding: Forwarding) -> None:
    if forwarding.recalled_at is not None:
        raise ValidationError("该转办已撤回")
    if forwarding.answered_at is not None:
        raise ValidationError("该转办已回复")


@transaction.atomic
def letter_forward_answer(*, actor: Any, forwarding: Forwarding, answer: str) -> Forwarding:
    """The 科室's answer to a letter 转办 to it; the letter goes back to the office for the reply."""
    require(actor, Permission.LETTER_DEPARTMENT_ANSWER, _NOT_DEPARTMENT)
    forwarding = _locked_forwarding(forwarding)
    if not in_forwarded_department(actor, forwarding):
        raise PermissionDenied(f"该来信转办给了{forwarding.department.name}，您所在的科室不能回复")
    _refuse_closed(forwarding)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": "请填写科室办理意见"})
    letter = forwarding.letter
    before = _snapshot(letter)
    forwarding.answer, forwarding.answered_at, forwarding.answered_by = answer, timezone.now(), actor
    forwarding.save()
    _settle_status(letter)
    record_event(
        actor=actor, verb=AuditVerb.LETTER_FORWARD_ANSWER, obj=letter, before=before,
        after=_snapshot(letter) | _forwarding_snapshot(forwarding),
    )  # fmt: skip
    return forwarding


@transaction.atomic
def letter_forward_recall(*, actor: Any, forwarding: Forwarding) -> Forwarding:
    """Take a 转办 back (the wrong 科室, or the office answers itself); the 科室 no longer sees the letter."""
    require(actor, Permission.LETTER_FORWARD, _NOT_FORWARDER)
    forwarding = _locked_forwarding(forwarding)
    _refuse_closed(forwarding)
    letter = forwarding.letter
    before = _snapshot(letter)
    forwarding.recalled_at = timezone.now()
    forwarding.save()
    _settle_status(letter)
    record_event(
        actor=actor, verb=AuditVerb.LETTER_FORWARD_RECALL, obj=letter, before=before,
        after=_snapshot(letter) | _forwarding_snapshot(forwarding),
    )  # fmt: skip
    return forwarding
