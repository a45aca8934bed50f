"""The responsiveness ledgers in a real browser: the clerk records a 督办 task that runs late and sees it on
the dashboard, a 科室's staff member completes it with evidence, and the clerk records a 五方联席会 (a form
missing the 街道办事处 comes back with the error) with a follow-up task, and a hot-topic response.

``GONGKAI_E2E_SCREENSHOTS=docs/screenshots`` keeps the pages' screenshots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongkai.core.choices import OrganisationKind
from gongkai.org.roles import Role
from gongkai.org.services import department_create, organisation_set, staff_create
from gongkai.responsiveness.models import HotTopicResponse, JointMeeting, SupervisionTask
from staff_auth import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-Long-enough-7"


@pytest.fixture
def people(db: None) -> dict[str, Any]:
    org = organisation_set(actor=None, name="东花市街道办事处", kind=OrganisationKind.SUBDISTRICT)
    dept = department_create(actor=None, organisation=org, name="城市管理科", sort_order=1)
    return {
        "clerk": staff_create(actor=None, username="clerk", password=PASSWORD, full_name="王公开", roles=[Role.CLERK]),
        "staff": staff_create(
            actor=None, username="staff", password=PASSWORD, full_name="孙科员", roles=[Role.DEPT_STAFF],
            department=dept,
        ),
    }  # fmt: skip


@contextmanager
def signed_in(browser: Any, base_url: str, username: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="zh-CN", viewport={"width": 1100, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/accounts/login/?next=/workbench/")
        browser_sign_in(page, get_user_model().objects.get(username=username), PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
        yield page
    finally:
        context.close()


def _shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"responsiveness-{name}.png"), full_page=True)


def test_supervision_meeting_and_response(browser: Any, live_server: Any, people: dict[str, Any],
                                          screenshots: Path) -> None:  # fmt: skip
    today = timezone.localdate()
    assigned, deadline = today - dt.timedelta(days=30), today - dt.timedelta(days=3)
    with signed_in(browser, live_server.url, "clerk") as page:
        page.get_by_role("link", name="回应督办").first.click()
        page.get_by_role("link", name="督查督办").click()
        page.get_by_role("link", name="登记督办事项").click()
        page.get_by_label("交办单位").select_option(label="区委")
        page.get_by_label("督办事项").fill("背街小巷环境整治")
        page.get_by_label("交办日期").fill(assigned.isoformat())
        page.get_by_label("办结时限").fill(deadline.isoformat())
        page.get_by_label("承办科室").select_option(label="城市管理科")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_text("督办事项已登记。")).to_be_visible()
        expect(page.locator(".badge.danger", has_text="已逾期")).to_be_visible()
        page.goto("/workbench/")
        expect(page.get_by_text("区委督办：背街小巷环境整治（城市管理科）")).to_be_visible()
        expect(page.get_by_text("逾期 3 天")).to_be_visible()
        _shot(page, screenshots, "dashboard")

    with signed_in(browser, live_server.url, "staff") as page:
        page.get_by_text("区委督办：背街小巷环境整治（城市管理科）").click()
        page.get_by_role("button", name="办结").click()
        expect(page.get_by_text("请填写此项").first).to_be_visible()
        page.get_by_label("办结情况及佐证").fill("已完成整治，整改前后照片已报区督查室。")
        page.get_by_role("button", name="办结").click()
        expect(page.get_by_text("督办事项已办结。")).to_be_visible()
        _shot(page, screenshots, "task")
    assert SupervisionTask.objects.get().completed_by == people["staff"]

    with signed_in(browser, live_server.url, "clerk") as page:
        page.goto("/workbench/responsiveness/meetings/new/")
        page.get_by_label("会议日期").fill(today.isoformat())
        page.get_by_label("物业出席人员").fill("物业李经理")
        page.get_by_label("会议纪要").fill("商议小区停车秩序。")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("alert")).to_contain_text("请填写出席的各方人员")
        page.get_by_label("街道办事处出席人员").fill("街道赵主任")
        page.get_by_label("派出所出席人员").fill("社区民警孙警官")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_text("联席会已登记。")).to_be_visible()
        page.get_by_role("link", name=today.isoformat()).click()
        page.get_by_label("落实事项").fill("施划停车位")
        page.get_by_label("责任方").fill("物业")
        page.get_by_label("完成时限").fill((today + dt.timedelta(days=20)).isoformat())
        page.get_by_role("button", name="登记", exact=True).click()
        expect(page.get_by_text("议定事项已登记。")).to_be_visible()
        _shot(page, screenshots, "meeting")

        page.goto("/workbench/responsiveness/responses/new/")
        page.locator("#id_subject").fill("夜间施工噪音扰民")
        page.get_by_label("来源").select_option(label="12345/96010热线")
        page.get_by_label("回应内容").fill("已协调施工单位调整作业时间。")
        page.get_by_label("回应渠道").select_option(label="政务微博")
        page.get_by_label("回应日期").fill(today.isoformat())
        page.get_by_label("责任科室").select_option(label="城市管理科")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_text("微博微信回应事件 1 次")).to_be_visible()
        _shot(page, screenshots, "responses")
    assert JointMeeting.objects.get().follow_ups.count() == 1
    assert HotTopicResponse.objects.get().channel == "weibo"
