"""Issue 12, point 3: the 30-minute idle timeout of staff sessions, the first-login password change (the
demo excepted), and password reset by e-mail only where mail is configured."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.models import AuditEvent, User
from gongkai.org.accounts import demo_accounts_mark
from gongkai.org.roles import Role
from org.signin import PASSWORD, login, page_text
from staff_auth import settle, sign_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
NEW_PASSWORD = "a-New-passphrase-9"


# -- idle timeout ----------------------------------------------------------------------------------


def test_a_staff_session_ends_after_thirty_idle_minutes(make_account: Callable[..., Any]) -> None:
    user = make_account(Role.DIRECTOR)
    with time_machine.travel(START, tick=False) as clock:
        client = sign_in(Client(), user)
        assert client.get("/workbench/").status_code == 200
        for _ in range(3):  # busy for an hour and a half: never idle for 30 minutes
            clock.shift(dt.timedelta(minutes=29))
            assert client.get("/workbench/").status_code == 200
        clock.shift(dt.timedelta(minutes=30, seconds=1))
        response = client.get("/workbench/publications/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fworkbench%2Fpublications%2F"
        assert "_auth_user_id" not in client.session
        page = page_text(client.get(response["Location"]))
        assert "您已超过 30 分钟未操作，为保护账号已自动退出" in page
    event = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_IDLE_LOGOUT)
    assert event.actor == user and event.after == {"reason": "idle"}


def test_the_session_cookie_expires_with_the_idle_time_not_after_two_weeks(
    make_account: Callable[..., Any],
) -> None:
    user = make_account(Role.AUDITOR)
    settle(user)
    client = Client()
    login(client, user.username)
    assert client.session.get_expiry_age() == 31 * 60  # 30 minutes and the stamp's one-minute resolution
    assert client.cookies["sessionid"]["max-age"] == 31 * 60


def test_an_htmx_request_after_the_timeout_sends_the_whole_page_to_login(
    make_account: Callable[..., Any],
) -> None:
    user = make_account(Role.CLERK)
    with time_machine.travel(START, tick=False) as clock:
        client = sign_in(Client(), user)
        client.get("/workbench/")
        clock.shift(dt.timedelta(minutes=30, seconds=30))
        response = client.get("/workbench/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/accounts/login/")


def test_the_portal_s_anonymous_sessions_keep_their_own_rules(client: Client) -> None:
    # An applicant's session (tracking access) is not a staff session: no idle stamp, Django's default age.
    session = client.session
    session["probe"] = 1
    session.save()
    client.get("/")
    assert "gongkai_last_activity" not in client.session
    assert client.session.get_expiry_age() == 1_209_600


# -- first-login password change -------------------------------------------------------------------


def test_a_new_account_must_choose_its_own_password_first(make_account: Callable[..., Any]) -> None:
    user = make_account(Role.DIRECTOR)
    assert user.password_change_required
    client = Client()
    response = login(client, user.username)
    assert response["Location"].startswith("/accounts/password/")
    assert (
        client.get("/workbench/requests/")["Location"]
        == "/accounts/password/?next=%2Fworkbench%2Frequests%2F"
    )
    page = page_text(client.get("/accounts/password/"))
    assert "请先设置只有您自己知道的新密码" in page
    same = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert "新密码不能与原密码相同" in page_text(same)
    wrong_old = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "旧密码" in page_text(wrong_old) and wrong_old.status_code == 200
    done = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    # Changed, still signed in; a director must then enrol a second factor.
    assert done.status_code == 302 and done["Location"].startswith("/accounts/otp/setup/")
    user.refresh_from_db()
    assert not user.password_change_required and user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_PASSWORD_CHANGE)
    assert event.actor == user and event.after == {"first_login": True}


def test_an_administrator_s_new_password_must_be_changed_too(make_account: Callable[..., Any]) -> None:
    admin = User.objects.create_superuser("root", password=PASSWORD)
    desk = sign_in(Client(), admin)
    user = make_account(Role.AUDITOR)
    settle(user)
    response = desk.post(
        f"/admin/core/user/{user.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302, page_text(response)[:2000]
    user.refresh_from_db()
    assert user.password_change_required
    event = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_PASSWORD_SET)
    assert event.actor == admin and event.object_id == str(user.pk)
    assert login(Client(), user.username, NEW_PASSWORD)["Location"].startswith("/accounts/password/")


def test_an_account_added_in_the_admin_must_change_its_password(make_account: Callable[..., Any]) -> None:
    admin = User.objects.create_superuser("root", password=PASSWORD)
    desk = sign_in(Client(), admin)
    response = desk.post(
        "/admin/core/user/add/",
        {
            "username": "newcomer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, page_text(response)[:2000]
    assert User.objects.get(username="newcomer").password_change_required


# -- the demo ------------------------------------------------------------------------------------


def test_demo_accounts_skip_the_password_change_and_enrolment_outside_production(
    settings: Any, make_account: Callable[..., Any]
) -> None:
    director = make_account(Role.DIRECTOR, username="director")
    demo_accounts_mark(actor=None, users=[director])
    client = Client()
    assert login(client, "director")["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200
    assert AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_DEMO_EXEMPT, object_id=str(director.pk)).exists()
    settings.PRODUCTION = True  # the same database served for real: the exemption is void
    assert client.get("/workbench/")["Location"].startswith("/accounts/password/")


# -- password reset --------------------------------------------------------------------------------


def test_without_mail_there_is_no_reset_link_and_the_reset_page_says_whom_to_ask(client: Client) -> None:
    page = page_text(client.get("/accounts/login/"))
    assert "/accounts/password/reset/" not in page and "忘记密码请联系公开办负责人" in page
    for url in (
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/x/y/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "未配置电子邮件" in page_text(response) and "请联系公开办负责人" in page_text(response)
    assert client.post("/accounts/password/reset/", {"email": "a@example.cn"}).status_code == 200
    assert mail.outbox == []


def test_with_mail_configured_a_reset_link_arrives_and_works(
    settings: Any, client: Client, make_account: Callable[..., Any]
) -> None:
    settings.EMAIL_CONFIGURED = True
    user = make_account(Role.AUDITOR, username="zhaomin")
    User.objects.filter(pk=user.pk).update(email="zhaomin@example.cn")
    assert "/accounts/password/reset/" in page_text(client.get("/accounts/login/"))
    sent = client.post("/accounts/password/reset/", {"email": "zhaomin@example.cn"})
    assert sent.status_code == 302
    assert len(mail.outbox) == 1 and "重设密码" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link[1], follow=True)
    assert "设置新密码" in page_text(form_page)
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.password_change_required
    assert AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_PASSWORD_RESET).actor == user
