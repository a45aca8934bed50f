"""The documents a disclosing reply carries (``inforequests.released`` has the rule): uploaded and removed
while the reply is drafted, by whoever may draft it, and frozen once the 告知书 is issued."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.files import CleanUpload, private_storage, stored_upload
from gongkai.core.services import record_event
from gongkai.inforequests.models import InfoRequest, ProvisionForm, ReleasedFile, ReplyNotice
from gongkai.inforequests.released import MAX_RELEASED_FILES, effective_form, released_file_problem
from gongkai.inforequests.services._common import _allow, _invalid, _lock, _save, _snapshot
from gongkai.inforequests.workflow import Action

_FROZEN = "答复告知书已签发，答复提供的文件不能再增删"


def _may_change(actor: Any, req: InfoRequest) -> None:
    if req.is_finished:
        raise ValidationError(_FROZEN)
    # The files are part of the reply: whoever may draft it (handler, department, 公开办) manages them.
    _allow(Action.DRAFT_REPLY, actor, req)


def _reply_changed(req: InfoRequest) -> bool:
    """The reply's documents changed: a review under way or a signature lapses (``replies.lapse_review``)."""
    from gongkai.inforequests.services.replies import lapse_review

    reply = ReplyNotice.objects.filter(request=req).first()
    if reply is None or not lapse_review(reply):
        return False
    reply.save(update_fields=["review_status", "review_step", "signed_by", "signed_on"])
    return True


def check_released_files(req: InfoRequest, outcome: str) -> None:
    """Refuse to issue a reply of ``outcome`` whose files do not fit it (``released.released_file_problem``).

    Called by ``inforequest_answer`` under its row lock, before anything is written.
    """
    flags = list(ReleasedFile.objects.filter(request=req).values_list("redacted", flat=True))
    problem = released_file_problem(outcome, effective_form(req.provided_as, req.form_of_provision), flags)
    if problem is not None:
        raise _invalid("outcome", problem)


def _store_row(
    *, actor: Any, req: InfoRequest, upload: CleanUpload, title: str, redacted: bool
) -> ReleasedFile:
    with stored_upload(upload, folder="released") as storage_name, transaction.atomic():
        row = ReleasedFile(
            request=req,
            title=title[:200],
            redacted=redacted,
            storage_name=storage_name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            original_name=upload.original_name[:100],
            uploaded_by=actor,
        )
        row.full_clean()
        row.save()
        record_event(
            actor=actor,
            verb=AuditVerb.INFOREQUEST_RELEASED_FILE_ADD,
            obj=req,
            after={
                "file": row.pk,
                "title": row.title,
                "redacted": redacted,
                "sha256": row.sha256,
                "review_restarted": _reply_changed(req),
            },
        )
    return row


@transaction.atomic
def released_file_add(
    *, actor: Any, request: InfoRequest, upload: CleanUpload, title: str = "", redacted: bool = False
) -> ReleasedFile:
    """Add a checked document (``released.validate_released_file``) to the reply being drafted."""
    req = _lock(request)
    _may_change(actor, req)
    title = (title or "").strip() or upload.original_name.rsplit(".", 1)[0].strip()
    if not title:
        raise _invalid("title", "请填写文件名称")
    if ReleasedFile.objects.filter(request=req).count() >= MAX_RELEASED_FILES:
        raise ValidationError(f"每件申请最多上传 {MAX_RELEASED_FILES} 份答复文件")
    return _store_row(actor=actor, req=req, upload=upload, title=title, redacted=redacted)


@transaction.atomic
def released_file_remove(*, actor: Any, file: ReleasedFile) -> None:
    """Take a document off the reply being drafted; its bytes go once the removal has committed."""
    req = _lock(file.request)
    _may_change(actor, req)
    storage_name = file.storage_name
    record_event(
        actor=actor,
        verb=AuditVerb.INFOREQUEST_RELEASED_FILE_REMOVE,
        obj=req,
        before={"file": file.pk, "title": file.title, "redacted": file.redacted, "sha256": file.sha256},
        after={"review_restarted": _reply_changed(req)},
    )
    file.delete()
    # Files cannot roll back with the database: delete only after the commit (an orphan at worst).
    transaction.on_commit(lambda: private_storage().delete(storage_name))


@transaction.atomic
def inforequest_set_provision(*, actor: Any, request: InfoRequest, provided_as: str) -> InfoRequest:
    """Art. 40: the office decides the form the information is provided in ("" = as the applicant asked)."""
    req = _lock(request)
    _may_change(actor, req)
    if provided_as and provided_as not in ProvisionForm.values:
        raise _invalid("provided_as", "请选择提供信息的形式")
    before = _snapshot(req)
    changed = req.provided_as != provided_as
    req.provided_as = provided_as
    restarted = changed and _reply_changed(req)
    _save(
        req, actor=actor, verb=AuditVerb.INFOREQUEST_SET_PROVISION, before=before, review_restarted=restarted
    )
    return req
