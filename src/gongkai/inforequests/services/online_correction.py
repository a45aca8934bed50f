"""补正 sent by the applicant through the portal (Art. 30).

No staff actor: the applicant is anonymous to the system, and the portal view has already checked the
tracking number and secret. As with the online application itself (``portal.services.application_submit``)
the audit row has no actor and carries the visitor's address. The 补正 is received the day it is sent,
and the 20-working-day reply clock starts again from that day, exactly as when staff record a 补正 that
came on paper (``correction.end_correction``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.files import CleanUpload, private_storage, store_upload
from gongkai.core.services import record_event
from gongkai.inforequests import selectors
from gongkai.inforequests.models import CorrectionFile, CorrectionSubmission, InfoRequest
from gongkai.inforequests.services._common import (
    _correction,
    _invalid,
    _lock,
    _notify,
    _refresh_due,
    _snapshot,
    _today,
)
from gongkai.inforequests.services.correction import end_correction

MAX_CORRECTION_CHARS = 5000
MAX_CORRECTION_FILES = 3
# The outbox kind another part of the system delivers to the handler.
CORRECTION_SUBMITTED = "inforequest.correction_submitted"


def _check_input(text: str, files: Sequence[CleanUpload]) -> str:
    text = text.strip()
    if not text:
        raise _invalid("text", "请填写补正内容：按补正通知逐项说明")
    if len(text) > MAX_CORRECTION_CHARS:
        raise _invalid("text", f"补正内容不能超过 {MAX_CORRECTION_CHARS} 字（当前 {len(text)} 字）")
    if len(files) > MAX_CORRECTION_FILES:
        raise _invalid("files", f"最多上传 {MAX_CORRECTION_FILES} 个文件")
    return text


def _refuse_if_not_due(req: InfoRequest) -> None:
    refusal = selectors.online_correction_refusal(req, _today())
    if refusal is not None:
        raise ValidationError(refusal)


def _record(
    req: InfoRequest, text: str, files: Sequence[CleanUpload], stored: list[str], ip: str | None
) -> None:
    pause = _correction(req)
    assert pause is not None  # online_correction_refusal found it open
    before = _snapshot(req)
    received_on = _today()
    submission = CorrectionSubmission.objects.create(request=req, text=text, received_on=received_on)
    for upload, name in zip(files, stored, strict=True):
        CorrectionFile.objects.create(
            submission=submission,
            storage_name=name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            original_name=upload.original_name[:100],
        )
    end_correction(req, pause, received_on)
    req.full_clean()
    _refresh_due(req)
    req.save()
    # The text may name people: the log keeps its length and the files' digests, not the words.
    after = _snapshot(req) | {"chars": len(text), "files": [u.sha256 for u in files]}
    record_event(
        actor=None, verb=AuditVerb.INFOREQUEST_ONLINE_CORRECTION, obj=req, before=before, after=after, ip=ip
    )
    _notify(CORRECTION_SUBMITTED, req, handler_id=req.handler_id)


def inforequest_submit_correction(
    *, request: InfoRequest, text: str, files: Sequence[CleanUpload] = (), ip: str | None = None
) -> CorrectionSubmission:
    """Store the applicant's 补正 (text and checked files) on the case, end the 补正 wait and restart the
    reply clock from today. Refused, with a message for the applicant, once the 补正 period has passed,
    when no 补正 is awaited, or when one was already sent (the clock restarts once)."""
    text = _check_input(text, files)
    _refuse_if_not_due(request)  # before writing any file; checked again under the lock below
    stored = [store_upload(upload, folder="corrections") for upload in files]
    try:
        with transaction.atomic():
            req = _lock(request)
            _refuse_if_not_due(req)
            _record(req, text, files, stored, ip)
    except BaseException:
        # Nothing half-written: the files of a 补正 that was not stored go too.
        storage = private_storage()
        for name in stored:
            storage.delete(name)
        raise
    return CorrectionSubmission.objects.get(request=request)
