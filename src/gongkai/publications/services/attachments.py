"""Attachments of a publication: added and removed only on a draft and only by its drafter, because
they go through the review together with the text."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.files import CleanUpload, private_storage, stored_upload
from gongkai.core.services import record_event
from gongkai.publications.attachments import MAX_ATTACHMENTS
from gongkai.publications.models import Publication, PublicationAttachment, PublicationStatus
from gongkai.publications.services._common import ActionRefused, _locked


def _may_change_attachments(actor: Any, pub: Publication) -> None:
    if pub.drafter_id != actor.pk:
        raise ActionRefused("只有起草人可以增删附件")
    if pub.status != PublicationStatus.DRAFT:
        raise ActionRefused(
            f"该信息当前状态为「{pub.get_status_display()}」，附件随正文一并审核，只有草稿可以增删附件"
        )


def _attach(*, actor: Any, pub: Publication, upload: CleanUpload, title: str) -> PublicationAttachment:
    title = (title or "").strip() or upload.original_name.rsplit(".", 1)[0].strip()
    if not title:
        raise ValidationError({"title": "请填写附件名称"})
    if pub.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(f"每条信息最多 {MAX_ATTACHMENTS} 个附件")
    with stored_upload(upload, folder="attachments") as storage_name, transaction.atomic():
        att = PublicationAttachment(
            publication=pub,
            title=title[:200],
            storage_name=storage_name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            original_name=upload.original_name[:100],
            uploaded_by=actor,
        )
        att.full_clean()
        att.save()
        record_event(
            actor=actor,
            verb=AuditVerb.PUBLICATION_ATTACHMENT_ADD,
            obj=pub,
            after={"attachment": att.pk, "title": att.title, "sha256": att.sha256, "size": att.size},
        )
    return att


@transaction.atomic
def attachment_add(
    *, actor: Any, publication: Publication, upload: CleanUpload, title: str = ""
) -> PublicationAttachment:
    """Attach a checked file (``publications.attachments.validate_attachment``) to a draft."""
    pub = _locked(publication)
    _may_change_attachments(actor, pub)
    return _attach(actor=actor, pub=pub, upload=upload, title=title)


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: PublicationAttachment) -> None:
    """Remove an attachment from a draft; the file is deleted once the removal has committed."""
    pub = _locked(attachment.publication)
    _may_change_attachments(actor, pub)
    storage_name = attachment.storage_name
    record_event(
        actor=actor,
        verb=AuditVerb.PUBLICATION_ATTACHMENT_REMOVE,
        obj=pub,
        before={"attachment": attachment.pk, "title": attachment.title, "sha256": attachment.sha256},
    )
    attachment.delete()
    # The file lives outside the database, so it cannot roll back with it: it goes only after the commit
    # (a crash in between leaves an orphan file, never a row pointing at a missing one). Not the outbox.
    transaction.on_commit(lambda: private_storage().delete(storage_name))
