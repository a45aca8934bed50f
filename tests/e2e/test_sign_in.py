"""Signing in for the first time in a real browser: the password someone else chose, then one's own, then
an authenticator enrolled from the QR page's secret; next time, the password and a code (issue 12, point 3)."""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.models import AuditEvent
from gongkai.org.roles import Role
from gongkai.org.services import staff_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_PASSWORD = "given-Long-enough-3"
OWN_PASSWORD = "my-Own-passphrase-8"


def authenticator(secret: str, *, step_offset: int = 0) -> str:
    """What an authenticator app shows for the secret typed in from the page."""
    compact = secret.replace(" ", "")
    totp = TOTP(base64.b32decode(compact + "=" * (-len(compact) % 8)))
    totp.time = time.time() + 30 * step_offset
    return f"{totp.token():06d}"


def test_first_sign_in_enrolment_and_the_next_sign_in(
    live_server: Any, browser: Any, screenshots: Path
) -> None:
    staff_create(
        actor=None, username="director", password=FIRST_PASSWORD, full_name="赵主任", roles=[Role.DIRECTOR]
    )
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/workbench/")
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        page.get_by_label("用户名").fill("director")
        page.get_by_label("密码").fill(FIRST_PASSWORD)
        page.get_by_role("button", name="登录").click()

        # 1. The password someone else chose must go first.
        expect(page.get_by_role("heading", level=1)).to_have_text("修改密码")
        expect(page.get_by_role("alert")).to_contain_text("请先设置只有您自己知道的新密码")
        page.get_by_label("旧密码").fill(FIRST_PASSWORD)
        page.get_by_label("新密码", exact=True).fill(OWN_PASSWORD)
        page.get_by_label("新密码确认").fill(OWN_PASSWORD)
        page.get_by_role("button", name="保存新密码").click()

        # 2. A 主管主任 approves: an authenticator must be enrolled before anything else.
        expect(page.get_by_role("heading", level=1)).to_have_text("启用二次验证")
        expect(page.locator("figure.otp-qr svg")).to_be_visible()
        page.screenshot(path=screenshots / "otp-setup.png", full_page=True)
        secret = page.locator("#otp-secret").inner_text()
        page.get_by_label("6 位验证码").fill(authenticator(secret))
        page.get_by_role("button", name="完成绑定").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
        expect(page.get_by_role("status")).to_contain_text("二次验证已启用")

        page.get_by_role("button", name="退出").click()
        expect(page).to_have_url(re.compile(r"/accounts/login/"))

        # 3. Next time: own password, then a wrong code, then the right one (the next step's: the
        #    enrolment used this step's code, and a code is accepted once).
        page.goto("/workbench/requests/")
        page.get_by_label("用户名").fill("director")
        page.get_by_label("密码").fill(OWN_PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("二次验证")
        page.get_by_label("6 位验证码").fill(
            "000000" if authenticator(secret, step_offset=1) != "000000" else "111111"
        )
        page.get_by_role("button", name="验证").click()
        expect(page.get_by_text("验证码不正确或已过期")).to_be_visible()
        time.sleep(1.1)  # django-otp's back-off after a wrong code
        page.get_by_label("6 位验证码").fill(authenticator(secret, step_offset=1))
        page.get_by_role("button", name="验证").click()
        expect(page).to_have_url(re.compile(r"/workbench/requests/$"))
    finally:
        context.close()
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="account.").order_by("id").values_list("verb", flat=True)
    )
    assert verbs == [
        AuditVerb.ACCOUNT_LOGIN,
        AuditVerb.ACCOUNT_PASSWORD_CHANGE,
        AuditVerb.ACCOUNT_OTP_ENROL,
        AuditVerb.ACCOUNT_LOGOUT,
        AuditVerb.ACCOUNT_LOGIN,
        AuditVerb.ACCOUNT_LOGIN_FAILED,
        AuditVerb.ACCOUNT_OTP_VERIFIED,
    ]
