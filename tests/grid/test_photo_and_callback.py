"""The photo that leaves the office carries no EXIF GPS (the stored copy and the webhook's), and the
receivers' status callback: signed like our webhooks, refused when forged, stale or malformed."""

from __future__ import annotations

import base64
import json
import time
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from gongkai.core.files import private_storage
from gongkai.delivery.channels import sign
from gongkai.grid.models import Forwarding, ReportStatus
from gongkai.grid.services import forward_key
from grid.conftest import GRID_KEY, Receiver, gps_jpeg, gps_of
from grid.helpers import drain, file_report

pytestmark = pytest.mark.django_db


def test_no_copy_of_the_photo_that_leaves_the_office_has_exif_gps(
    receivers: tuple[Receiver, Receiver],
) -> None:
    original = gps_jpeg()
    assert gps_of(original)[2] == (39.0, 54.0, 15.2)  # the test photo does carry a position
    report = file_report(photo=original)
    with private_storage().open(report.storage_name, "rb") as fh:
        stored = fh.read()
    assert stored[:3] == b"\xff\xd8\xff" and gps_of(stored) == {}
    assert b"Exif" not in stored and b"GongkaiTestCam" not in stored
    drain()
    for receiver in receivers:
        (hit,) = receiver.hits
        sent = base64.b64decode(hit.body["photo"]["base64"])
        assert gps_of(sent) == {} and b"Exif" not in sent
        assert hit.body["location"] is None  # no place was confirmed, so none is sent
    assert report.latitude is None


def test_a_confirmed_location_travels_as_its_own_field(receivers: tuple[Receiver, Receiver]) -> None:
    file_report(latitude=Decimal("39.904222"), longitude=Decimal("116.407222"), location_confirmed=True)
    drain()
    body = receivers[0].hits[0].body
    assert body["location"] == {"latitude": "39.904222", "longitude": "116.407222", "datum": "WGS-84"}
    assert body["contact"] == {"name": "张三", "phone": "13912345678"}
    assert body["status_callback"].endswith("/grid/callback/grid/")


def _post(client: Client, receiver: str, payload: dict[str, Any], key: str, ts: int | None = None) -> Any:
    body = json.dumps(payload).encode()
    stamp = str(ts if ts is not None else int(time.time()))
    return client.post(
        f"/grid/callback/{receiver}/",
        data=body,
        content_type="application/json",
        headers={"X-Gongkai-Timestamp": stamp, "X-Gongkai-Signature": sign(key.encode(), stamp, body)},
    )


def test_signed_status_callbacks_move_the_report(receivers: tuple[Receiver, Receiver]) -> None:
    report = file_report()
    drain()
    key = forward_key(report.pk, "grid")
    client = Client(enforce_csrf_checks=True)
    ok = _post(client, "grid", {"idempotency_key": key, "status": "processing", "note": "已派单"}, GRID_KEY)
    assert ok.status_code == 200 and ok.json() == {"ok": True}
    report.refresh_from_db()
    assert report.status == ReportStatus.PROCESSING and report.status_note == "已派单"
    done = {"idempotency_key": key, "status": "resolved", "note": "地砖已修复", "id": "WG-1"}
    assert _post(client, "grid", done, GRID_KEY).status_code == 200
    late = {"idempotency_key": key, "status": "processing"}
    assert _post(client, "grid", late, GRID_KEY).status_code == 200  # a late, out-of-order update
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED and report.status_note == "地砖已修复"
    fwd = Forwarding.objects.get(key=key)
    assert fwd.receiver_status == "processing" and fwd.status_at is not None


def test_forged_stale_or_malformed_callbacks_are_refused(receivers: tuple[Receiver, Receiver]) -> None:
    report = file_report()
    key = forward_key(report.pk, "grid")
    client = Client()
    payload = {"idempotency_key": key, "status": "resolved"}
    forged = _post(client, "grid", payload, "not-the-key")
    assert forged.status_code == 403 and "签名无效" in forged.json()["error"]
    stale = _post(client, "grid", payload, GRID_KEY, ts=int(time.time()) - 3600)
    assert stale.status_code == 403
    wrong_receiver = _post(client, "96010", payload, GRID_KEY)  # signed with the other receiver's key
    assert wrong_receiver.status_code == 403
    bad = _post(client, "grid", {"idempotency_key": key, "status": "done"}, GRID_KEY)
    assert bad.status_code == 400 and "无法识别的办理状态" in bad.json()["error"]
    unknown = _post(
        client, "grid", {"idempotency_key": "grid:report:999:forward:grid", "status": "resolved"}, GRID_KEY
    )
    assert unknown.status_code == 400 and "没有这条转送记录" in unknown.json()["error"]
    assert _post(client, "nowhere", payload, GRID_KEY).status_code == 404
    assert client.get("/grid/callback/grid/").status_code == 405
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED


def test_callback_of_an_unconfigured_receiver_is_refused() -> None:
    response = _post(Client(), "grid", {"status": "resolved"}, GRID_KEY)
    assert response.status_code == 503 and "未在本系统配置" in response.json()["error"]
