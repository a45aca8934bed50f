"""Workbench pages of 随手拍: the list and a report with its forwarding state; the contact masked until
revealed (and the reveal audited); the photo served to staff only, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongkai.core.models import AuditEvent
from gongkai.org.roles import Role
from gongkai.org.services import staff_create
from grid.conftest import Receiver, gps_of
from grid.helpers import drain, file_report
from staff_auth import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def person(username: str, role: Role) -> Any:
        return staff_create(
            actor=None, username=username, password="x-Long-enough-1", full_name=username, roles=[role]
        )

    return {"clerk": person("clerk", Role.CLERK), "auditor": person("auditor", Role.AUDITOR)}


def _client(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_list_and_detail_show_the_forwarding_state(
    staff: dict[str, Any], receivers: tuple[Receiver, Receiver]
) -> None:
    hotline = receivers[1]
    hotline.fail_with = 503
    report = file_report()
    drain()
    client = _client(staff["clerk"])
    listing = client.get("/workbench/grid/").content.decode()
    assert report.tracking_number in listing and "1/2 已接收" in listing
    detail = client.get(f"/workbench/grid/{report.pk}/").content.decode()
    assert "已送达" in detail and "WG-1" in detail
    assert "发送失败 1 次，等待重试" in detail and "HTTP 503" in detail
    assert "139****5678" in detail and "13912345678" not in detail
    assert "张**" in detail


def test_reveal_and_photo_are_audited(staff: dict[str, Any]) -> None:
    report = file_report()
    client = _client(staff["clerk"])
    revealed = client.get(f"/workbench/grid/{report.pk}/contact/")
    assert "13912345678" in revealed.content.decode() and revealed["Cache-Control"] == "no-store"
    photo = client.get(f"/workbench/grid/{report.pk}/photo/")
    data = b"".join(photo.streaming_content)  # type: ignore[attr-defined]
    assert photo["Content-Type"] == "image/jpeg" and gps_of(data) == {}
    verbs = set(AuditEvent.objects.filter(object_id=str(report.pk)).values_list("verb", flat=True))
    assert {"grid.contact_viewed", "grid.photo_viewed"} <= verbs


def test_the_auditor_reads_but_cannot_reveal_the_contact(staff: dict[str, Any]) -> None:
    report = file_report()
    client = _client(staff["auditor"])
    assert client.get(f"/workbench/grid/{report.pk}/").status_code == 200
    assert client.get(f"/workbench/grid/{report.pk}/contact/").status_code == 403
    assert Client().get("/workbench/grid/").status_code == 302
