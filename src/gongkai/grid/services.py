"""Every write of 随手拍: a report arrives from the portal (and is queued for each receiver in the same
transaction), a receiver acknowledges it, a receiver reports a later status; staff reading a photo or a
contact leave an audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.files import CleanUpload, store_upload
from gongkai.core.identity import IdentityError, validate_phone
from gongkai.core.services import enqueue_message, model_snapshot, record_event
from gongkai.core.tracking_codes import hash_secret, new_secret, random_code
from gongkai.grid.models import Category, Forwarding, Receiver, Report, ReportStatus

__all__ = [
    "forward_acknowledged",
    "forward_key",
    "forward_kind",
    "receiver_status",
    "report_contact_viewed",
    "report_photo_viewed",
    "report_status_viewed",
    "report_submit",
]

# Statuses a receiver may report, and the order a report moves through: a late "processing" never
# undoes "resolved".
_RANK = {
    ReportStatus.RECEIVED: 0,
    ReportStatus.FORWARDED: 1,
    ReportStatus.PROCESSING: 2,
    ReportStatus.RESOLVED: 3,
    ReportStatus.REJECTED: 3,
}
RECEIVER_STATUSES = (ReportStatus.PROCESSING, ReportStatus.RESOLVED, ReportStatus.REJECTED)


def forward_kind(receiver: str) -> str:
    return f"grid.forward.{receiver}"


def forward_key(report_id: int, receiver: str) -> str:
    """The idempotency key of one report's forwarding to one receiver (also sent as Idempotency-Key)."""
    return f"grid:report:{report_id}:forward:{receiver}"


def _snapshot(report: Report) -> dict[str, Any]:
    # The contact stays out of the audit trail: the trail is read more widely than the report.
    return model_snapshot(report, fields=("tracking_number", "category", "status", "status_note"))


def _new_tracking_number() -> str:
    return f"SP{timezone.localdate():%Y%m%d}-{random_code(6)}"


def _coordinates(
    latitude: Decimal | None, longitude: Decimal | None, confirmed: bool, errors: dict[str, str]
) -> tuple[Decimal | None, Decimal | None]:
    if latitude is None and longitude is None:
        return None, None
    if latitude is None or longitude is None:
        errors["latitude"] = "位置需同时填写纬度和经度，或都不填"
    elif not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        errors["latitude"] = "位置坐标超出范围：纬度应在 -90 至 90 之间，经度在 -180 至 180 之间"
    elif not confirmed:
        errors["location_confirmed"] = "请确认位置无误后再提交，或清空位置"
    return latitude, longitude


def _validated(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if data["category"] not in Category.values:
        errors["category"] = "请选择问题类别"
    if len(data["place"].strip()) < 2:
        errors["place"] = "请填写问题所在地点，如“××路与××街交叉口”"
    if len(data["description"].strip()) < 5:
        errors["description"] = "请简要描述问题（至少 5 个字）"
    lat, lon = _coordinates(data["latitude"], data["longitude"], data["location_confirmed"], errors)
    phone = data["phone"].strip()
    if phone:
        try:
            phone = validate_phone(phone)
        except IdentityError as exc:
            errors["phone"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return {
        "category": data["category"],
        "place": data["place"].strip(),
        "description": data["description"].strip(),
        "latitude": lat,
        "longitude": lon,
        "name": data["name"].strip(),
        "phone": phone,
    }


def report_submit(
    *,
    category: str,
    place: str,
    description: str,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    location_confirmed: bool = False,
    name: str = "",
    phone: str = "",
    photo: CleanUpload | None = None,
    ip: str | None = None,
) -> Report:
    """A 随手拍 from the portal (no signed-in actor). ``photo`` is the copy ``core.files`` re-encoded (no
    EXIF). The report is queued for every receiver in the same transaction. The returned report carries
    its 查询码 in clear (``report.query_code``), for the citizen, this once."""
    fields = _validated(
        {
            "category": category,
            "place": place,
            "description": description,
            "latitude": latitude,
            "longitude": longitude,
            "location_confirmed": location_confirmed,
            "name": name,
            "phone": phone,
        }
    )
    # Stored before the record exists (core.files.store_upload): a crash leaves an orphan, not a hole.
    storage_name = store_upload(photo, folder="grid") if photo is not None else ""
    query_code = new_secret()
    with transaction.atomic():
        number = _new_tracking_number()
        while Report.objects.filter(tracking_number=number).exists():
            number = _new_tracking_number()
        report = Report.objects.create(
            tracking_number=number,
            query_code_hash=hash_secret(query_code),
            storage_name=storage_name,
            photo_type=photo.content_type if photo is not None else "",
            **fields,
        )
        record_event(
            actor=None, verb=AuditVerb.GRID_REPORT_SUBMIT, obj=report, after=_snapshot(report), ip=ip
        )
        for receiver in Receiver:
            key = forward_key(report.pk, receiver.value)
            Forwarding.objects.create(report=report, receiver=receiver.value, key=key)
            enqueue_message(
                kind=forward_kind(receiver.value),
                key=key,
                payload={"report_id": report.pk, "receiver": receiver.value, "notice": "随手拍转送"},
            )
    report.query_code = query_code  # type: ignore[attr-defined]
    return report


def _advance(report: Report, status: str, note: str, at: dt.datetime) -> None:
    if _RANK[ReportStatus(status)] < _RANK[ReportStatus(report.status)]:
        return
    report.status = status
    if note:
        report.status_note = note[:300]
    report.status_at = at
    report.save(update_fields=["status", "status_note", "status_at"])


@transaction.atomic
def forward_acknowledged(*, actor: Any, key: str, receiver_ref: str) -> Forwarding | None:
    """The receiver took the report and answered with its own id; None when the report is gone. A repeat
    (the same delivery acknowledged twice after a crash) changes nothing and writes no second row."""
    fwd = Forwarding.objects.select_for_update().select_related("report").filter(key=key).first()
    if fwd is None:
        return None
    if fwd.acknowledged_at is not None and fwd.receiver_ref == receiver_ref[:100]:
        return fwd
    before = model_snapshot(fwd, fields=("receiver_ref", "acknowledged_at"))
    now = timezone.now()
    fwd.receiver_ref, fwd.acknowledged_at = receiver_ref[:100], now
    fwd.save(update_fields=["receiver_ref", "acknowledged_at"])
    report = Report.objects.select_for_update().get(pk=fwd.report_id)
    _advance(report, ReportStatus.FORWARDED, "", now)
    after = model_snapshot(fwd, fields=("receiver_ref", "acknowledged_at"))
    record_event(actor=actor, verb=AuditVerb.GRID_FORWARD_ACK, obj=fwd, before=before, after=after)
    return fwd


@transaction.atomic
def receiver_status(
    *, actor: Any, receiver: str, key: str, status: str, note: str = "", receiver_ref: str = ""
) -> Forwarding:
    """A receiver's later status of a report it took (its signed callback). ``ValidationError`` in Chinese
    for an unknown report or status; the same status twice is harmless."""
    if status not in RECEIVER_STATUSES:
        allowed = "、".join(str(s) for s in RECEIVER_STATUSES)
        raise ValidationError(f"无法识别的办理状态“{status}”（可用：{allowed}）")
    fwd = Forwarding.objects.select_for_update().filter(key=key, receiver=receiver).first()
    if fwd is None:
        raise ValidationError("没有这条转送记录：请核对 idempotency_key")
    before = model_snapshot(fwd, fields=("receiver_status", "receiver_note", "receiver_ref"))
    now = timezone.now()
    fwd.receiver_status, fwd.receiver_note, fwd.status_at = status, note.strip()[:300], now
    if receiver_ref and not fwd.receiver_ref:
        fwd.receiver_ref = receiver_ref[:100]
    if fwd.acknowledged_at is None:
        fwd.acknowledged_at = now
    fwd.save()
    report = Report.objects.select_for_update().get(pk=fwd.report_id)
    _advance(report, status, note.strip(), now)
    after = model_snapshot(fwd, fields=("receiver_status", "receiver_note", "receiver_ref"))
    record_event(actor=actor, verb=AuditVerb.GRID_RECEIVER_STATUS, obj=fwd, before=before, after=after)
    return fwd


def report_status_viewed(*, report: Report, ip: str | None) -> None:
    record_event(actor=None, verb=AuditVerb.GRID_STATUS_VIEWED, obj=report, ip=ip)


def report_photo_viewed(*, actor: Any, report: Report) -> None:
    record_event(actor=actor, verb=AuditVerb.GRID_PHOTO_VIEWED, obj=report)


def report_contact_viewed(*, actor: Any, report: Report) -> None:
    record_event(actor=actor, verb=AuditVerb.GRID_CONTACT_VIEWED, obj=report)
