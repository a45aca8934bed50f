"""The 微网格 on a 375 px phone, in a real browser: a resident votes with the SMS code the gateway
received (a local receiver started here, fed by `gongkai tick`), and comments on a consultation, which
appears once the clerk has approved it. Screenshots of the new portal pages go to $GONGKAI_E2E_SCREENSHOTS
(docs/screenshots/ when taking them for the repository)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from delivery.conftest import SMS_KEY, SmsGateway
from gongkai import cli
from gongkai.core.choices import OrganisationKind
from gongkai.org.roles import Role
from gongkai.org.services import organisation_set, staff_create
from gongkai.participation import consultations, directory, services
from gongkai.participation.models import Comment, CommentStatus, PollVote, ServicePoint, TrafficNotice
from participation.media_samples import mp3
from staff_auth import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-Long-enough-7"
PHONE = "13912345678"
COMMENT = "建议在东花市北里公园东侧设置遛犬区，早晚分时段开放。"
PHONE_VIEWPORT = {"width": 375, "height": 740}


@pytest.fixture
def ledger(db: None) -> dict[str, Any]:
    organisation_set(actor=None, name="东花市街道办事处", kind=OrganisationKind.SUBDISTRICT)
    clerk = staff_create(
        actor=None, username="clerk", password=PASSWORD, full_name="王公开", roles=[Role.CLERK]
    )
    now = timezone.now()
    poll = services.poll_save(
        actor=clerk, title="东花市北里小区停车方案", description="请选择您支持的方案。",
        opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=3),
        options=["划线停车", "错时停车", "维持现状"], is_published=True,
    )  # fmt: skip
    consultation = consultations.consultation_save(
        actor=clerk, title="东花市街道文明养犬公约（征求意见稿）",
        draft_text="第一条 为营造文明和谐的社区环境，制定本公约。\n第二条 遛犬应当束犬链，及时清理犬只粪便。",
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=7), is_published=True,
    )  # fmt: skip
    for name, cat, svc, lon, lat in [
        ("东花市北里社区服务站", "社区服务站", "老年卡办理\n居住证明", "116.4281", "39.8935"),
        ("广渠门外便民菜站", "便民菜站", "蔬菜零售", "116.4362", "39.8952"),
        ("东花市街道政务服务中心", "政务服务", "社保\n医保\n残疾人服务", "116.4318", "39.8971"),
    ]:
        directory.service_point_save(
            actor=clerk,
            point=ServicePoint(name=name, category=cat, address="东花市北里", hours="工作日 9:00-17:00",
                               services=svc, phone="010-67112233", longitude=Decimal(lon), latitude=Decimal(lat)),
        )  # fmt: skip
    today = timezone.localdate()
    directory.traffic_notice_save(
        actor=clerk,
        notice=TrafficNotice(road="东花市北里东街", period="每日 7:00-9:00 由北向南单向通行", detour="经广渠门内大街绕行",
                             starts_on=today - dt.timedelta(days=2), ends_on=today + dt.timedelta(days=20)),
    )  # fmt: skip
    course = directory.course_save(
        actor=clerk, title="垃圾分类小课堂", description="社区讲师讲解。", is_published=True
    )
    directory.lesson_add(actor=clerk, course=course, title="第一课 厨余垃圾", kind="audio",
                         upload=SimpleUploadedFile("第一课.mp3", mp3()))  # fmt: skip
    return {"clerk": clerk, "poll": poll, "consultation": consultation, "course": course}


@contextmanager
def phone(browser: Any, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="zh-CN", viewport=PHONE_VIEWPORT, is_mobile=True)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _shot(page: Page, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"portal-{name}-375.png"), full_page=True)


def test_a_resident_votes_with_the_sms_code(
    browser: Any, live_server: Any, ledger: dict[str, Any], settings: Any, screenshots: Path, capsys: Any
) -> None:
    gateway = SmsGateway()
    settings.GONGKAI_SMS_URL, settings.GONGKAI_SMS_KEY = gateway.url, SMS_KEY
    try:
        with phone(browser, live_server.url) as page:
            page.goto("/")
            page.get_by_role("link", name="投票：东花市北里小区停车方案").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("东花市北里小区停车方案")
            page.get_by_label("错时停车").check()
            page.get_by_label("手机号码").fill(PHONE)
            page.get_by_role("button", name="获取短信验证码").click()
            expect(page.get_by_text("验证码已发送到您的手机")).to_be_visible()
            _shot(page, screenshots, "poll")
            assert cli.main(["tick"]) == 0  # the outbox hands the SMS to the gateway
            (hit,) = gateway.hits
            assert hit.signature_ok and hit.body["to"] == PHONE
            code = re.search(r"验证码为 (\d{6})", hit.body["text"]).group(1)  # type: ignore[union-attr]
            expect(page.get_by_label("错时停车")).to_be_checked()
            page.get_by_label("短信验证码").fill(code)
            page.get_by_role("button", name="投票").click()
            expect(page.get_by_text("投票成功")).to_be_visible()
            page.goto("/polls/")
            _shot(page, screenshots, "polls")
            for path, name in [("/services/", "service-points"), ("/traffic/", "traffic"), ("/classroom/", "classroom"),
                               (f"/classroom/{ledger['course'].pk}/", "course")]:  # fmt: skip
                page.goto(path)
                _shot(page, screenshots, name)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        gateway.close()
    (vote,) = PollVote.objects.all()
    assert vote.option.label == "错时停车"


def test_a_resident_comments_and_the_comment_shows_after_moderation(
    browser: Any, live_server: Any, ledger: dict[str, Any], screenshots: Path
) -> None:
    url = f"/consultations/{ledger['consultation'].pk}/"
    with phone(browser, live_server.url) as page:
        page.goto("/consultations/")
        page.get_by_role("link", name="东花市街道文明养犬公约（征求意见稿）").click()
        page.get_by_label("您的意见").fill(COMMENT)
        page.get_by_role("button", name="提交意见").click()
        expect(page.get_by_text("您的意见已提交，经工作人员审核后公开")).to_be_visible()
        expect(page.get_by_text(COMMENT)).to_have_count(0)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto("/accounts/login/?next=/workbench/participation/")
        browser_sign_in(page, get_user_model().objects.get(username="clerk"), PASSWORD)
        page.goto("/workbench/participation/")
        page.get_by_role("link", name="审核").first.click()
        expect(page.get_by_label("公开的意见内容")).to_have_value(COMMENT)
        page.get_by_role("button", name="公开", exact=True).click()
        expect(page.get_by_text("意见已审核")).to_be_visible()
    finally:
        context.close()
    with phone(browser, live_server.url) as page:
        page.goto(url)
        expect(page.get_by_text(COMMENT)).to_be_visible()
        _shot(page, screenshots, "consultation")
    assert Comment.objects.get().status == CommentStatus.APPROVED
