"""The receivers' status callback: ``POST /grid/callback/<receiver>/``, a JSON body signed with that
receiver's key exactly as we sign what we send (``X-Gongkai-Timestamp``, ``X-Gongkai-Signature``).

Why a callback and not polling: the receivers know when a case moves, so the report changes when it
happens; we hold no schedule that calls two outside systems for every open report; and the signature
with a five-minute timestamp window makes a forged or replayed update fail. The body::

    {"idempotency_key": "grid:report:7:forward:grid", "id": "WG-123", "status": "resolved", "note": "…"}

``status`` is one of ``processing``, ``resolved``, ``rejected``. Answers are JSON: 200 ``{"ok": true}``;
400 for a body or status we cannot use, 403 for a bad signature or stale timestamp, 404 for an unknown
receiver, 503 when the receiver is not configured here.
"""

from __future__ import annotations

import hmac
import json
import time

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gongkai.delivery.channels import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from gongkai.grid import services
from gongkai.grid.models import Receiver
from gongkai.grid.receivers import ReceiverConfigError, receiver_config

MAX_SKEW_SECONDS = 300
MAX_BODY = 64 * 1024


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"ok": False, "error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _signed(request: HttpRequest, key: bytes) -> bool:
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
        return False
    return hmac.compare_digest(sign(key, timestamp, request.body), signature)


@csrf_exempt  # a machine's signed POST, not a browser form: the HMAC is the proof of origin
@require_POST
def status_callback(request: HttpRequest, receiver: str) -> JsonResponse:
    if receiver not in Receiver.values:
        return _error("未知的接收平台", 404)
    try:
        config = receiver_config(Receiver(receiver))
    except ReceiverConfigError as exc:
        return _error(str(exc), 503)
    if config is None:
        return _error("该接收平台未在本系统配置", 503)
    if len(request.body) > MAX_BODY:
        return _error("请求内容过大", 400)
    if not _signed(request, config.key):
        return _error("签名无效或时间戳已过期", 403)
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _error("请求内容不是有效的 JSON", 400)
    if not isinstance(data, dict):
        return _error("请求内容应为 JSON 对象", 400)
    try:
        services.receiver_status(
            actor=None,
            receiver=receiver,
            key=str(data.get("idempotency_key") or ""),
            status=str(data.get("status") or ""),
            note=str(data.get("note") or ""),
            receiver_ref=str(data.get("id") or ""),
        )
    except ValidationError as exc:
        return _error("；".join(exc.messages), 400)
    return JsonResponse({"ok": True})
