"""Issue 12, point 3: the TOTP second factor — required of each role that approves, signs or sees personal
data (org.access.SECOND_FACTOR_PERMISSIONS), enrolled in the workbench, verified after the password,
reset by the 公开办负责人 (org.second_factor, org.middleware)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.models import AuditEvent, User
from gongkai.org import second_factor
from gongkai.org.access import GRANTS, SECOND_FACTOR_PERMISSIONS
from gongkai.org.accounts import requires_second_factor
from gongkai.org.roles import Role
from org.signin import login, page_text
from staff_auth import enrol_device, settle, sign_in, totp_code

pytestmark = pytest.mark.django_db

# The specification, written out: who approves, signs or sees applicants' or letter writers' data.
REQUIRED = {
    Role.CLERK: True,  # signs replies, sees every applicant's data, reveals letter writers' contacts
    Role.DEPT_STAFF: True,  # the handler of a case sees its applicant's data
    Role.DEPT_HEAD: True,  # first-level review; the department's cases' personal data
    Role.DIRECTOR: True,  # second-level review; publishes the annual report
    Role.OFFICE_HEAD: True,  # approves extensions, submits the annual report, unlocks accounts
    Role.AUDITOR: False,  # reads everything masked and changes nothing
}


def test_the_rule_covers_every_role_and_follows_the_permission_table() -> None:
    assert set(REQUIRED) == set(Role)
    derived = {role: any(role in GRANTS[p] for p in SECOND_FACTOR_PERMISSIONS) for role in Role}
    assert derived == REQUIRED


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_is_sent_to_enrolment_or_not_as_the_rule_says(
    role: Role, make_account: Callable[..., Any]
) -> None:
    user = make_account(role)
    settle(user)  # the first-login password change is its own test
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    response = login(client, user.username)
    assert response.status_code == 302
    if REQUIRED[role]:
        assert response["Location"].startswith("/accounts/otp/setup/")
        again = client.get("/workbench/")  # nothing else opens before the enrolment
        assert again.status_code == 302 and again["Location"].startswith("/accounts/otp/setup/")
        assert AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_LOGIN).after == {"second_factor": "待绑定"}
    else:
        assert response["Location"] == "/workbench/"
        assert client.get("/workbench/").status_code == 200
        assert AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_LOGIN).after == {"second_factor": "无需"}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_whoever_has_a_device_enters_its_code_after_the_password(
    role: Role, make_account: Callable[..., Any]
) -> None:
    user = make_account(role)
    device = settle(user) or enrol_device(user)  # an auditor may enrol of their own accord
    client = Client()
    response = login(client, user.username)
    assert response["Location"].startswith("/accounts/otp/")
    blocked = client.get("/workbench/requests/")
    assert (
        blocked.status_code == 302 and blocked["Location"] == "/accounts/otp/?next=%2Fworkbench%2Frequests%2F"
    )
    verified = client.post("/accounts/otp/", {"token": totp_code(device), "next": "/workbench/requests/"})
    assert verified.status_code == 302 and verified["Location"] == "/workbench/requests/"
    assert client.get("/workbench/").status_code == 200
    assert AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_OTP_VERIFIED, actor=user).count() == 1


def test_a_superuser_needs_a_second_factor_too() -> None:
    admin = User.objects.create_superuser("root", password="x-Long-enough-1")
    assert requires_second_factor(admin)
    client = Client()
    assert login(client, "root")["Location"].startswith("/accounts/otp/setup/")
    assert client.get("/admin/")["Location"].startswith("/accounts/otp/setup/")


def test_the_admin_login_is_the_workbench_login() -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"


def test_a_wrong_code_is_refused(make_account: Callable[..., Any]) -> None:
    user = make_account(Role.DIRECTOR)
    device = settle(user)
    assert device is not None
    client = Client()
    login(client, user.username)
    right = totp_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/otp/", {"token": wrong})
    assert response.status_code == 200 and "验证码不正确或已过期" in page_text(response)
    assert client.get("/workbench/").status_code == 302
    malformed = client.post("/accounts/otp/", {"token": "12ab56"})
    assert "验证码是验证器中显示的 6 位数字" in page_text(malformed)
    failed = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_LOGIN_FAILED)
    assert failed.after["reason"] == "second_factor" and failed.actor is None


def wait_out_the_back_off(clock: Any, device: TOTPDevice) -> None:
    """django-otp refuses codes for 1, 2, 4 … seconds after each wrong one: wait as a person would."""
    device.refresh_from_db()
    until = second_factor.throttled_until(device)
    if until is not None:
        clock.move_to(until + dt.timedelta(seconds=1))


def test_ten_wrong_codes_lock_the_account_and_end_the_session(make_account: Callable[..., Any]) -> None:
    user = make_account(Role.DIRECTOR)
    device = settle(user)
    assert device is not None
    client = Client()
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        login(client, user.username)
        for _ in range(10):
            wait_out_the_back_off(clock, device)
            response = client.post("/accounts/otp/", {"token": "000000"})
        assert response.status_code == 302 and response["Location"] == "/accounts/login/"
        assert "_auth_user_id" not in client.session
        assert AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_LOCKED).count() == 1
        assert "已暂时锁定" in page_text(login(Client(), user.username))


def test_the_password_alone_does_not_clear_failures_while_the_code_is_owed(
    make_account: Callable[..., Any],
) -> None:
    user = make_account(Role.DIRECTOR)
    settle(user)
    client = Client()
    for _ in range(9):
        login(client, user.username, "wrong")
    login(client, user.username)  # right password, code still owed
    client.post("/accounts/otp/", {"token": "000000"})
    assert client.get("/accounts/otp/").status_code == 302  # locked out: the session is gone


# -- enrolment -------------------------------------------------------------------------------------


def code_for(secret: str) -> str:
    import base64
    import time

    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_enrolment_shows_a_local_qr_code_and_the_secret_and_confirms_with_a_code(
    make_account: Callable[..., Any],
) -> None:
    user = make_account(Role.OFFICE_HEAD)
    settle(user)
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    login(client, user.username)
    page = page_text(client.get("/accounts/otp/setup/"))
    assert "启用二次验证" in page and "<svg" in page and "<?xml" not in page
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = second_factor.secret_text(pending)
    assert secret in page and len(secret.replace(" ", "")) == 32
    wrong = client.post("/accounts/otp/setup/", {"token": "000000"})
    assert "验证码不正确" in page_text(wrong)
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    too_soon = client.post("/accounts/otp/setup/", {"token": code_for(secret)})
    assert "验证码输入过于频繁" in page_text(too_soon)  # django-otp's back-off after the wrong one
    TOTPDevice.objects.filter(pk=pending.pk).update(throttling_failure_timestamp=None)  # a while later
    done = client.post("/accounts/otp/setup/", {"token": code_for(secret)})
    assert done.status_code == 302 and done["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200  # verified by the device just confirmed
    event = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_OTP_ENROL)
    assert event.actor == user and event.after == {"device": "验证器", "replaced": 0}


def test_enrolling_a_new_phone_replaces_the_old_device(make_account: Callable[..., Any]) -> None:
    user = make_account(Role.CLERK)
    client = sign_in(Client(), user)
    old = TOTPDevice.objects.get(user=user, confirmed=True)
    assert "更换二次验证设备" in page_text(client.get("/accounts/otp/setup/"))
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/accounts/otp/setup/", {"token": code_for(second_factor.secret_text(pending))})
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [pending.pk]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_OTP_ENROL).after["replaced"] == 1


def test_the_office_head_resets_a_lost_device_and_the_owner_enrols_again(
    make_account: Callable[..., Any],
) -> None:
    head = make_account(Role.OFFICE_HEAD, username="chenfang")
    clerk = make_account(Role.CLERK, username="wangjing")
    owner = sign_in(Client(), clerk)
    desk = sign_in(Client(), head)
    assert "重置二次验证" in page_text(desk.get("/workbench/accounts/"))
    assert desk.post(f"/workbench/accounts/{clerk.pk}/otp-reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    event = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_OTP_RESET)
    assert event.actor == head and event.object_id == str(clerk.pk) and event.before == {"devices": 1}
    # The owner's open session was verified by the removed device: it is sent to enrol again.
    assert owner.get("/workbench/")["Location"].startswith("/accounts/otp/setup/")


def test_only_the_office_head_resets_devices(make_account: Callable[..., Any]) -> None:
    clerk = make_account(Role.CLERK)
    enrol_device(clerk)
    for role in (Role.CLERK, Role.DIRECTOR, Role.AUDITOR):
        with pytest.raises(PermissionDenied, match="只有公开办负责人可以重置二次验证设备"):
            second_factor.reset(actor=make_account(role), user=clerk)
    assert TOTPDevice.objects.filter(user=clerk).exists()


def test_devices_are_not_editable_in_the_django_admin() -> None:
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
