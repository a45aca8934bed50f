"""随手拍 on the portal: file with a photo, see the number and 查询码 once, follow the status; Chinese
errors for bad input; submissions rate-limited before the photo is read; the photo checked inside an
upload slot."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.core.upload_slots import upload_slot
from gongkai.grid.models import Report, ReportStatus
from gongkai.grid.services import forward_key, receiver_status
from grid.conftest import gps_jpeg

pytestmark = pytest.mark.django_db

FORM = {
    "category": "parking",
    "place": "广渠门内大街 12 号门前",
    "description": "机动车长期占用盲道",
    "name": "",
    "phone": "",
}


def _file(client: Client, photo: bytes | None = None, **overrides: Any) -> Any:
    data: dict[str, Any] = {**FORM, **overrides}
    if photo is not None:
        data["photo"] = SimpleUploadedFile("现场.jpg", photo, "image/jpeg")
    return client.post("/grid/", data)


def test_file_a_report_and_follow_its_status() -> None:
    client = Client()
    form = client.get("/grid/")
    assert form.status_code == 200 and "geolocation=(self)" in form["Permissions-Policy"]
    assert 'capture="environment"' in form.content.decode()
    done = _file(client, gps_jpeg(), latitude="39.8900", longitude="116.4300", location_confirmed="on")
    assert done.status_code == 200, done.content.decode()
    page = done.content.decode()
    number = re.search(r'id="report-number">([^<]+)<', page).group(1)  # type: ignore[union-attr]
    code = re.search(r'id="query-code">([^<]+)<', page).group(1)  # type: ignore[union-attr]
    assert done["Cache-Control"] == "no-store"
    report = Report.objects.get(tracking_number=number)
    assert str(report.latitude) == "39.890000" and report.storage_name

    status = client.post("/grid/status/", {"number": number.lower(), "code": code})
    assert status.status_code == 200 and "已收到，正在转送处理部门" in status.content.decode()
    receiver_status(
        actor=None, receiver="grid", key=forward_key(report.pk, "grid"), status="resolved", note="已清理"
    )
    status = client.post("/grid/status/", {"number": number, "code": code})
    assert "已办结" in status.content.decode() and "已清理" in status.content.decode()
    wrong = client.post("/grid/status/", {"number": number, "code": "AAAA-AAAA-AAAA"})
    assert wrong.status_code == 403 and "受理编号或查询码不正确" in wrong.content.decode()


@pytest.mark.parametrize(
    ("photo", "overrides", "message"),
    [
        (None, {}, "请拍摄或选择一张现场照片"),
        (b"GIF89a not a jpeg", {}, "内容不是 JPG、PNG 文件"),
        ("ok", {"category": ""}, "这个字段是必填项"),
        ("ok", {"place": "x"}, "请填写问题所在地点"),
        ("ok", {"latitude": "39.9", "longitude": "116.4"}, "请确认位置无误后再提交"),
        ("ok", {"latitude": "39.9"}, "位置需同时填写纬度和经度"),
        ("ok", {"latitude": "91", "longitude": "116.4", "location_confirmed": "on"}, "位置坐标超出范围"),
        ("ok", {"latitude": "北纬39度"}, "纬度应为数字"),
        ("ok", {"phone": "12345"}, "电话"),
    ],
)
def test_bad_input_gets_a_chinese_error(photo: Any, overrides: dict[str, str], message: str) -> None:
    data = gps_jpeg() if photo == "ok" else photo
    response = _file(Client(), data, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_submissions_are_rate_limited_before_the_photo_is_read() -> None:
    client = Client()
    for _ in range(6):
        assert _file(client, gps_jpeg()).status_code == 200
    refused = _file(client, gps_jpeg())
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    assert refused["Retry-After"]
    assert Report.objects.count() == 6


def test_the_photo_is_checked_inside_an_upload_slot(settings: Any) -> None:
    settings.GONGKAI_UPLOAD_SLOTS = 1
    settings.GONGKAI_UPLOAD_WAIT_SECONDS = 0.2
    with upload_slot():  # another request is checking its photo
        busy = _file(Client(), gps_jpeg())
    assert busy.status_code == 503 and busy["Retry-After"]
    assert not Report.objects.exists()
    assert _file(Client(), gps_jpeg()).status_code == 200


def test_the_home_page_links_to_grid() -> None:
    page = Client().get("/").content.decode()
    assert 'href="/grid/"' in page and 'href="/grid/status/"' in page
    assert Report.objects.count() == 0 and ReportStatus.RECEIVED
