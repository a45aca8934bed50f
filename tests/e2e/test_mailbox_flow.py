"""The mailbox in a real browser, from the writer's letter to its publication.

A resident writes to the 主任信箱 of a 街道 (the letter carries an ID and a mobile number) and keeps the
letter number and 查询码; the clerk 转办s it to 城市管理科; the 科室's staff member answers from the
dashboard; the clerk replies, then publishes: the public text starts masked, a phone number typed back in
is marked while typing and refused on submit, and once removed the letter goes out. The resident looks the
letter up with number and code and reads the reply; the portal shows only the public text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from gongkai.core.choices import OrganisationKind
from gongkai.engagement.models import Letter, LetterStatus
from gongkai.org.roles import Role
from gongkai.org.services import department_create, organisation_set, staff_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-Long-enough-7"
ID_NUMBER = "110101198001011232"
BODY = f"我是孙丽华，身份证{ID_NUMBER}，手机13912345678。东花市北里路口的井盖丢了，晚上很危险。"
PUBLIC_BODY = "东花市北里路口的井盖丢了，晚上很危险。"
REPLY = "您好！井盖已由市政部门补装。"


@pytest.fixture
def people(db: None) -> dict[str, Any]:
    org = organisation_set(actor=None, name="东花市街道办事处", kind=OrganisationKind.SUBDISTRICT)
    dept = department_create(actor=None, organisation=org, name="城市管理科", sort_order=1)
    department_create(actor=None, organisation=org, name="社区建设科", sort_order=2)
    return {
        "clerk": staff_create(actor=None, username="clerk", password=PASSWORD, full_name="王公开", roles=[Role.CLERK]),
        "staff": staff_create(
            actor=None, username="staff", password=PASSWORD, full_name="孙科员", roles=[Role.DEPT_STAFF],
            department=dept,
        ),
    }  # fmt: skip


@contextmanager
def signed_in(browser: Any, base_url: str, username: str | None) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        if username:
            page.goto("/accounts/login/?next=/workbench/")
            page.get_by_label("用户名").fill(username)
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
        yield page
    finally:
        context.close()


def test_letter_from_writing_to_publication(browser: Any, live_server: Any, people: dict[str, Any]) -> None:
    with signed_in(browser, live_server.url, None) as page:
        page.goto("/mailbox/write/")
        expect(page.get_by_role("heading", level=1)).to_have_text("给主任写信")
        page.get_by_label("标题").fill("井盖缺失")
        page.get_by_label("来信内容").fill(BODY)
        page.get_by_role("textbox", name="姓名").fill("孙丽华")
        page.get_by_role("textbox", name="联系电话").fill("13912345678")
        page.get_by_role("button", name="提交来信").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("来信已收到")
        reference = page.locator("#letter-reference").inner_text()
        code = page.locator("#query-code").inner_text()
    letter = Letter.objects.get(reference=reference)

    with signed_in(browser, live_server.url, "clerk") as page:
        page.get_by_role("link", name="主任信箱").first.click()
        page.get_by_role("link", name=reference).click()
        page.get_by_label("承办科室").select_option(label="城市管理科")
        page.get_by_label("回复期限").fill((dt.date.today() + dt.timedelta(days=5)).isoformat())
        page.get_by_role("button", name="转办", exact=True).click()
        expect(page.get_by_text("已转办城市管理科")).to_be_visible()

    with signed_in(browser, live_server.url, "staff") as page:
        page.get_by_role("link", name=re.compile(reference)).click()
        page.get_by_label("科室办理意见").fill("已联系市政部门补装井盖。")
        page.get_by_role("button", name="回复公开办").click()
        expect(page.get_by_text("科室办理意见已回复公开办")).to_be_visible()

    with signed_in(browser, live_server.url, "clerk") as page:
        page.goto(f"/workbench/mailbox/{letter.pk}/")
        page.get_by_label("答复内容").fill(REPLY)
        page.get_by_role("button", name="保存答复").click()
        expect(page.get_by_text("答复已保存")).to_be_visible()
        body = page.get_by_label("公开的来信内容")
        expect(body).to_have_value(re.compile(r"^我是\*\*\*，身份证\*\*\*，手机\*\*\*。"))
        body.fill(PUBLIC_BODY + "有事请打13912345678")
        # Marked while typing (htmx), before anything is submitted.
        expect(page.locator('#publish-check mark[title="手机号码"]')).to_have_text("13912345678")
        page.get_by_role("button", name="公开来信与答复").click()
        expect(page.get_by_text("公开内容中仍有个人信息")).to_be_visible()
        page.get_by_label("公开的来信内容").fill(PUBLIC_BODY)
        expect(page.locator("#publish-check mark")).to_have_count(0)
        page.get_by_role("button", name="公开来信与答复").click()
        expect(page.get_by_text("来信与答复已在门户公开")).to_be_visible()

    with signed_in(browser, live_server.url, None) as page:
        page.goto("/mailbox/lookup/")
        page.get_by_label("信件编号").fill(reference)
        page.get_by_label("查询码").fill(code)
        page.get_by_role("button", name="查询").click()
        expect(page.locator("#letter-stage")).to_have_text("已答复")
        expect(page.get_by_text(REPLY)).to_be_visible()
        page.goto(f"/mailbox/{letter.pk}/")
        expect(page.get_by_text(PUBLIC_BODY)).to_be_visible()
        content = page.content()
        assert ID_NUMBER not in content and "13912345678" not in content and "孙丽华" not in content
    letter.refresh_from_db()
    assert letter.status == LetterStatus.REPLIED and letter.is_public and letter.body == BODY
