"""The outbox handlers that forward a report: one signed JSON webhook per report and receiver.

The body carries the report, the place the citizen confirmed and the photo as the office keeps it (the
Pillow re-encoding, which has no EXIF: no GPS position leaves the office inside a picture). It is signed
like the SMS webhook (``delivery.channels.sign``: ``X-Gongkai-Timestamp`` and ``X-Gongkai-Signature`` =
``sha256=`` HMAC over ``timestamp + "." + body``) and carries the message's idempotency key as
``Idempotency-Key``, so a repeat after a crash (sent, not yet marked sent) is recognisable and the receiver
answers it with the id it gave the first time. A non-2xx answer or no answer raises: the outbox retries
with backoff and dead-letters after the last attempt (``core.services.drain_outbox``). The receiver's
answer ``{"id": "…"}`` is stored on the report's forwarding.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.urls import reverse

from gongkai.core.files import private_storage
from gongkai.core.models import OutboxMessage
from gongkai.core.services import PermanentFailure
from gongkai.delivery.channels import signed_request
from gongkai.delivery.send import ChannelHandler
from gongkai.grid import services
from gongkai.grid.models import Receiver, Report
from gongkai.grid.receivers import ReceiverConfig, ReceiverConfigError, receiver_config, setting_names

__all__ = ["HANDLERS", "payload_for", "post_report"]


def _photo(report: Report) -> dict[str, str] | None:
    if not report.storage_name:
        return None
    with private_storage().open(report.storage_name, "rb") as fh:
        data = fh.read()
    return {"content_type": report.photo_type, "base64": base64.b64encode(data).decode("ascii")}


def payload_for(report: Report, key: str, receiver: str) -> dict[str, Any]:
    """The JSON the receiver gets (also what a test decodes to look for EXIF in the photo)."""
    site = getattr(settings, "GONGKAI_SITE_URL", "")
    location = (
        {"latitude": str(report.latitude), "longitude": str(report.longitude), "datum": "WGS-84"}
        if report.has_location
        else None
    )
    contact = {"name": report.name, "phone": report.phone} if (report.name or report.phone) else None
    return {
        "idempotency_key": key,
        "tracking_number": report.tracking_number,
        "category": report.category,
        "category_label": report.get_category_display(),
        "place": report.place,
        "description": report.description,
        "location": location,
        "submitted_at": report.submitted_at.isoformat(),
        "contact": contact,
        "photo": _photo(report),
        "status_callback": f"{site}{reverse('grid_callback', args=[receiver])}",
    }


def post_report(body: bytes, *, key: str, config: ReceiverConfig) -> str:
    """POST the signed body; the receiver's id from its 2xx JSON answer ("" when it sent none)."""
    request = signed_request(config.url, body, idempotency_key=key, signing_key=config.key)
    label = config.receiver.label
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:
            status, answer = response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        if exc.code in (400, 401, 403, 422):
            # Refused as malformed or unsigned: the same body will be refused again until someone acts.
            raise PermanentFailure(f"{label}拒收（HTTP {exc.code}），请核对接口地址和密钥后重新发送") from exc
        raise ConnectionError(f"{label}返回 HTTP {exc.code}") from exc
    if not 200 <= status < 300:
        raise ConnectionError(f"{label}返回 HTTP {status}")
    try:
        data = json.loads(answer.decode("utf-8")) if answer.strip() else {}
    except (UnicodeDecodeError, ValueError):
        data = {}
    ref = data.get("id") if isinstance(data, dict) else None
    return str(ref) if ref is not None else ""


def _forward(receiver: Receiver) -> Any:
    def deliver(message: OutboxMessage) -> str:
        config = receiver_config(receiver)
        if config is None:  # only called when configured; a race with the environment
            raise ConnectionError(f"{receiver.label}接口未配置")
        report = Report.objects.filter(pk=message.payload.get("report_id")).first()
        if report is None:
            return "随手拍已不存在，未转送"
        key = message.idempotency_key
        body = json.dumps(payload_for(report, key, receiver.value), ensure_ascii=False).encode("utf-8")
        ref = post_report(body, key=key, config=config)
        services.forward_acknowledged(actor=None, key=key, receiver_ref=ref)
        return f"已转送{receiver.label}" + (f"，对方受理号 {ref}" if ref else "")

    return deliver


def _unavailable(receiver: Receiver) -> Any:
    def why() -> str | None:
        try:
            config = receiver_config(receiver)
        except ReceiverConfigError as exc:
            return str(exc)
        if config is None:
            url_name, key_name = setting_names(receiver)
            return f"未配置{receiver.label}接口（请设置 {url_name} 和 {key_name}），随手拍保留待转送"
        return None

    return why


HANDLERS: dict[str, ChannelHandler] = {
    services.forward_kind(r.value): ChannelHandler(f"随手拍转送{r.label}", _forward(r), _unavailable(r))
    for r in Receiver
}
