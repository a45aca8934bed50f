"""The online classroom (upload through the workbench, HTML5 players, byte ranges), the service points
(filters, the SVG plan placed from coordinates) and the 微循环交通 notices shown while current."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.participation import directory
from gongkai.participation.models import Lesson, ServicePoint, TrafficNotice
from participation.media_samples import mp3, mp4
from staff_auth import sign_in

pytestmark = pytest.mark.django_db


def _course(office: Any) -> Any:
    return directory.course_save(
        actor=office.clerk, title="垃圾分类小课堂", description="三节课", is_published=True
    )


def test_a_lesson_uploaded_in_the_workbench_plays_on_the_portal_with_ranges(office: Any) -> None:
    course = _course(office)
    staff = sign_in(Client(), office.clerk)
    video = mp4()
    answer = staff.post(
        f"/workbench/participation/courses/{course.pk}/lessons/",
        {"title": "第一课 厨余垃圾", "kind": "video", "file": SimpleUploadedFile("第一课.mp4", video)},
    )
    assert answer.status_code == 302, answer.content.decode()
    lesson = Lesson.objects.get()
    assert lesson.content_type == "video/mp4" and AuditEvent.objects.filter(verb="lesson.add").exists()
    page = Client().get(f"/classroom/{course.pk}/").content.decode()
    src = f"/classroom/lessons/{lesson.pk}/file/"
    assert f'<video controls preload="metadata" playsinline src="{src}"' in page
    assert "http" not in re.sub(r'href="http[^"]*"', "", page.split("<main", 1)[1]).split("</main>")[0]
    assert "垃圾分类小课堂" in Client().get("/classroom/").content.decode()
    whole = Client().get(src)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == video  # type: ignore[attr-defined]
    assert whole["Accept-Ranges"] == "bytes"
    part = Client().get(src, HTTP_RANGE="bytes=8-15")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 8-15/{len(video)}"
    assert b"".join(part.streaming_content) == video[8:16]  # type: ignore[attr-defined]
    tail = Client().get(src, HTTP_RANGE="bytes=-4")
    assert b"".join(tail.streaming_content) == video[-4:]  # type: ignore[attr-defined]
    assert Client().get(src, HTTP_RANGE=f"bytes={len(video)}-").status_code == 416


def test_a_bad_lesson_file_is_refused_with_the_reason(office: Any) -> None:
    course = _course(office)
    staff = sign_in(Client(), office.clerk)
    answer = staff.post(
        f"/workbench/participation/courses/{course.pk}/lessons/",
        {
            "title": "第二课",
            "kind": "audio",
            "file": SimpleUploadedFile("第二课.mp3", b"<html>not audio</html>"),
        },
    )
    assert answer.status_code == 400 and "内容不是" in answer.content.decode()
    wrong_kind = staff.post(
        f"/workbench/participation/courses/{course.pk}/lessons/",
        {"title": "第二课", "kind": "video", "file": SimpleUploadedFile("第二课.mp3", mp3())},
    )
    assert wrong_kind.status_code == 400 and "只接受 MP4" in wrong_kind.content.decode()
    assert not Lesson.objects.exists()


def test_an_unpublished_course_is_not_served(office: Any) -> None:
    course = directory.course_save(actor=office.clerk, title="草稿课程", description="", is_published=False)
    lesson = directory.lesson_add(
        actor=office.clerk,
        course=course,
        title="音频",
        kind="audio",
        upload=SimpleUploadedFile("a.mp3", mp3()),
    )
    assert Client().get(f"/classroom/{course.pk}/").status_code == 404
    assert Client().get(f"/classroom/lessons/{lesson.pk}/file/").status_code == 404


def _point(office: Any, name: str, category: str, services: str, lon: str, lat: str) -> ServicePoint:
    point = ServicePoint(
        name=name, category=category, address="东花市北里", hours="周一至周五 9:00-17:00", services=services,
        phone="010-67112233", longitude=Decimal(lon), latitude=Decimal(lat),
    )  # fmt: skip
    return directory.service_point_save(actor=office.clerk, point=point)


def test_service_points_are_filtered_and_placed_on_the_plan_from_their_coordinates(office: Any) -> None:
    _point(office, "社区服务站（西）", "社区服务站", "老年卡办理\n居住证明", "116.420000", "39.890000")
    _point(office, "便民菜站（东）", "便民菜站", "蔬菜零售", "116.440000", "39.900000")
    page = Client().get("/services/").content.decode()
    assert "<svg" in page and "tile" not in page
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', page)
    names = re.findall(r"<strong>\d+\. ([^<]+)</strong>", page)
    placed = {name: (float(x), float(y)) for name, (x, y) in zip(names, circles, strict=True)}
    (wx, wy), (ex, ey) = placed["社区服务站（西）"], placed["便民菜站（东）"]
    assert ex > wx and ey < wy  # east is right, north is up
    filtered = Client().get("/services/", {"service": "老年卡"}).content.decode()
    assert "社区服务站（西）" in filtered and "便民菜站（东）" not in filtered
    by_category = Client().get("/services/", {"category": "便民菜站"}).content.decode()
    assert "便民菜站（东）" in by_category and "社区服务站（西）" not in by_category


def test_coordinates_out_of_china_are_refused(office: Any) -> None:
    with pytest.raises(ValidationError, match="填反"):
        _point(office, "填反的网点", "社区服务站", "咨询", "39.890000", "116.420000")
    with pytest.raises(PermissionDenied):
        directory.service_point_save(actor=office.drafter, point=ServicePoint(name="x"))


def test_traffic_notices_show_only_while_current(office: Any) -> None:
    today = timezone.localdate()
    for road, start, end in [
        ("东花市北里东街", today - dt.timedelta(days=2), today + dt.timedelta(days=5)),
        ("已结束的路段", today - dt.timedelta(days=30), today - dt.timedelta(days=1)),
        ("尚未开始的路段", today + dt.timedelta(days=1), today + dt.timedelta(days=9)),
    ]:
        notice = TrafficNotice(
            road=road,
            period="每日 7:00-9:00 单向通行",
            detour="经广渠门内大街绕行",
            starts_on=start,
            ends_on=end,
        )
        directory.traffic_notice_save(actor=office.clerk, notice=notice)
    page = Client().get("/traffic/").content.decode()
    assert "东花市北里东街" in page and "已结束的路段" not in page and "尚未开始的路段" not in page
    assert "东花市北里东街" in Client().get("/").content.decode()
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        directory.traffic_notice_save(
            actor=office.clerk,
            notice=TrafficNotice(
                road="x", period="x", detour="x", starts_on=today, ends_on=today - dt.timedelta(days=1)
            ),
        )


def test_the_workbench_pages_save_through_the_services(office: Any) -> None:
    staff = sign_in(Client(), office.clerk)
    assert staff.get("/workbench/participation/").status_code == 200
    answer = staff.post(
        "/workbench/participation/points/new/",
        {"name": "东花市街道政务服务中心", "category": "政务服务", "address": "东花市北里20号", "hours": "工作日",
         "services": "社保\n医保", "phone": "", "longitude": "116.43", "latitude": "39.895", "is_published": "on"},
    )  # fmt: skip
    assert answer.status_code == 302
    assert AuditEvent.objects.filter(verb="service_point.save").count() == 1
    bad = staff.post(
        "/workbench/participation/traffic/new/",
        {"road": "x", "period": "x", "detour": "x", "starts_on": "2026-05-02", "ends_on": "2026-05-01"},
    )
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in bad.content.decode()
    now = timezone.localtime()
    poll = staff.post(
        "/workbench/participation/polls/new/",
        {"title": "测试投票", "opens_at": f"{now:%Y-%m-%dT%H:%M}", "closes_at": f"{now + dt.timedelta(days=1):%Y-%m-%dT%H:%M}",
         "options": "甲\n乙", "is_published": "on"},
    )  # fmt: skip
    assert poll.status_code == 302
    assert sign_in(Client(), office.auditor).get("/workbench/participation/").status_code == 403
