"""Writes the portal makes on behalf of an anonymous visitor.

The online application itself is created by ``inforequests.services.inforequest_register`` (channel
online, no actor: it waits for staff to confirm receipt, Art. 31); the portal adds the tracking number,
the hash of the secret and the identity scans, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.choices import RequestChannel
from gongkai.core.services import record_event
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.services import inforequest_register
from gongkai.portal import tracking
from gongkai.portal.models import ApplicationScan
from gongkai.portal.uploads import CleanUpload, private_storage, store_upload


@dataclass(frozen=True)
class Submission:
    request: InfoRequest
    tracking_number: str
    secret: str  # shown once, never stored


def application_submit(
    *,
    applicant_type: str,
    name: str,
    id_number: str,
    phone: str,
    description: str,
    form_of_provision: str,
    scans: list[CleanUpload],
    email: str = "",
    address: str = "",
    contact_person: str = "",
    ip: str | None = None,
) -> Submission:
    """File an Art. 29 application from the portal; returns the tracking number and the one-time secret."""
    # Files first, then the rows that name them (core.orphans): a crash in between leaves files without
    # rows, which `gongkai tick` removes, never a row without its file.
    stored: list[str] = []
    try:
        for scan in scans:
            stored.append(store_upload(scan))
        with transaction.atomic():
            number = tracking.new_tracking_number()
            while InfoRequest.objects.filter(reference=number).exists():
                number = tracking.new_tracking_number()
            secret = tracking.new_secret()
            applicant = name.strip()
            if contact_person.strip():
                applicant = f"{applicant}（联系人：{contact_person.strip()}）"
            req = inforequest_register(
                actor=None,
                channel=RequestChannel.ONLINE,
                submitted_on=timezone.localdate(),
                applicant_type=applicant_type,
                applicant_name=applicant[:100],
                applicant_id_number=id_number,
                applicant_phone=phone,
                applicant_address=address,
                applicant_email=email,
                description=description,
                form_of_provision=form_of_provision,
                reference=number,
                portal_secret_hash=tracking.hash_secret(secret),
            )
            for scan, storage_name in zip(scans, stored, strict=True):
                ApplicationScan.objects.create(
                    request=req,
                    storage_name=storage_name,
                    content_type=scan.content_type,
                    size=scan.size,
                    sha256=scan.sha256,
                    original_name=scan.original_name[:100],
                )
            record_event(
                actor=None,
                verb=AuditVerb.PORTAL_APPLICATION_SUBMIT,
                obj=req,
                after={"scans": len(scans)},
                ip=ip,
            )
    except BaseException:
        # Nothing half-written: the scans of an application that was not stored go too.
        storage = private_storage()
        for name_ in stored:
            storage.delete(name_)
        raise
    return Submission(request=req, tracking_number=number, secret=secret)


def application_status_viewed(*, request: InfoRequest, ip: str | None) -> None:
    """The applicant opened their case with the secret: recorded like any other view of the case."""
    record_event(actor=None, verb=AuditVerb.PORTAL_STATUS_VIEW, obj=request, ip=ip)


def scan_viewed(*, actor: Any, scan: ApplicationScan) -> None:
    record_event(
        actor=actor, verb=AuditVerb.INFOREQUEST_ID_SCAN_VIEW, obj=scan.request, after={"scan": scan.pk}
    )


def released_file_downloaded(*, request: InfoRequest, file_pk: int, ip: str | None) -> None:
    """The applicant downloaded a document of the reply (after entering the secret)."""
    record_event(
        actor=None, verb=AuditVerb.PORTAL_RELEASED_FILE_DOWNLOAD, obj=request, after={"file": file_pk}, ip=ip
    )
