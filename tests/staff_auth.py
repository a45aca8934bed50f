"""Signing staff in from tests the way the workbench demands (org.accounts, org.middleware).

Most roles must sign in with a second factor, and every new account must first choose its own password.
``sign_in(client, user)`` does in a test what the person would have done before: chosen their own
password (``settle``), enrolled an authenticator (a confirmed TOTP device) and entered its code — the
session it leaves is the one ``org.accounts`` leaves after those steps: signed in, verified by that
device. ``browser_sign_in`` goes through the real pages, typing a code computed from the device's secret.
The middleware is not bent for tests: a session that skips these steps is sent to them, as in production.
"""

from __future__ import annotations

import time
from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.org.accounts import requires_second_factor


def enrol_device(user: Any) -> TOTPDevice:
    """``user``'s confirmed authenticator, enrolled now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the authenticator shows (at ``at``, default now) — a step the device has not used yet,
    so that two sign-ins within one 30-second step both pass the replay check."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    if at is None and totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step  # the next step: within the tolerance
    return f"{totp.token():0{device.digits}d}"


def settle(user: Any) -> TOTPDevice | None:
    """The steps a person takes at first sign-in, done: their own password chosen, and an authenticator
    enrolled where their role requires one. Returns the device, if any."""
    type(user).objects.filter(pk=user.pk).update(password_change_required=False)
    user.password_change_required = False
    if requires_second_factor(user):
        return enrol_device(user)
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def sign_in(client: Any, user: Any) -> Any:
    """``client`` signed in as ``user`` with every sign-in step done (``force_login`` plus the device)."""
    device = settle(user)
    client.force_login(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def browser_sign_in(page: Any, user: Any, password: str, *, base_url: str = "") -> None:
    """Through the login page and, where the user has a device, the code page (Playwright)."""
    device = settle(user)
    if "/accounts/login/" not in page.url:
        page.goto(base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(user.get_username())
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    if device is not None:
        page.wait_for_url("**/accounts/otp/**")
        page.get_by_label("6 位验证码").fill(totp_code(device))
        page.get_by_role("button", name="验证").click()
