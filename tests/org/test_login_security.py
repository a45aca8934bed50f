"""Issue 12, point 3: login throttling per account and per address, the lockout and its unlock by the
公开办负责人, and the audit rows of signing in and out (org.throttle, org.accounts)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.models import AuditEvent
from gongkai.org import accounts, throttle
from gongkai.org.models import LoginThrottle
from gongkai.org.roles import Role
from org import concurrent_logins
from org.signin import PASSWORD, login, page_text
from staff_auth import settle, sign_in

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # 17:00 in Shanghai
LOCKED = "该账号连续登录失败次数过多，已暂时锁定"


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def auditor(make_account: Callable[..., Any]) -> Any:
    # A role without a second factor: the password alone signs in, so each test sees the lock itself.
    user = make_account(Role.AUDITOR, username="zhaomin")
    settle(user)
    return user


def verbs(*wanted: AuditVerb) -> list[str]:
    return list(AuditEvent.objects.filter(verb__in=wanted).order_by("id").values_list("verb", flat=True))


def test_ten_failures_lock_the_account_and_the_right_password_is_then_refused(
    clock: Any, auditor: Any
) -> None:
    client = Client()
    for attempt in range(1, 10):
        response = login(client, "zhaomin", "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码不正确" in page_text(response), attempt
    assert "再失败 1 次，该账号将被锁定 15 分钟" in page_text(response)
    tenth = login(client, "zhaomin", "wrong-password")
    assert LOCKED in page_text(tenth) and "将于 17:15 自动解锁" in page_text(tenth)
    eleventh = login(client, "zhaomin", PASSWORD)
    assert eleventh.status_code == 200
    assert LOCKED in page_text(eleventh) and "请联系公开办负责人" in page_text(eleventh)
    assert "_auth_user_id" not in client.session
    assert verbs(AuditVerb.ACCOUNT_LOCKED) == [AuditVerb.ACCOUNT_LOCKED]
    refused = AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_LOGIN_FAILED).latest("id")
    assert refused.after == {"username": "zhaomin", "reason": "locked"}
    assert not AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_LOGIN).exists()


def test_the_lock_lifts_by_itself_after_fifteen_minutes(clock: Any, auditor: Any) -> None:
    client = Client()
    for _ in range(10):
        login(client, "zhaomin", "wrong-password")
    clock.shift(dt.timedelta(minutes=14))
    assert LOCKED in page_text(login(client, "zhaomin", PASSWORD))
    clock.shift(dt.timedelta(minutes=1, seconds=1))
    response = login(client, "zhaomin", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/workbench/"


def test_failures_far_apart_do_not_add_up(clock: Any, auditor: Any) -> None:
    client = Client()
    for _ in range(9):
        login(client, "zhaomin", "wrong-password")
    clock.shift(dt.timedelta(minutes=16))
    assert "已暂时锁定" not in page_text(login(client, "zhaomin", "wrong-password"))
    assert LoginThrottle.objects.get(scope="account", key="zhaomin").failures == 1


def test_a_success_clears_the_count(clock: Any, auditor: Any) -> None:
    client = Client()
    for _ in range(9):
        login(client, "zhaomin", "wrong-password")
    assert login(client, "zhaomin", PASSWORD).status_code == 302
    assert LoginThrottle.objects.get(scope="account", key="zhaomin").failures == 0


def test_an_unknown_name_is_answered_exactly_like_a_real_one(clock: Any, auditor: Any) -> None:
    real, unknown = Client(), Client()
    for _ in range(10):
        real_page = page_text(login(real, "zhaomin", "wrong-password"))
        unknown_page = page_text(login(unknown, "nobody-here", "wrong-password"))
    assert LOCKED in real_page

    def same(page: str, name: str) -> str:  # the CSRF tokens differ per session
        return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", page.replace(name, ""))

    assert same(real_page, "zhaomin") == same(unknown_page, "nobody-here")


def test_an_unknown_name_costs_the_same_password_hashing(
    monkeypatch: pytest.MonkeyPatch, auditor: Any
) -> None:
    calls: list[str] = []
    original = MD5PasswordHasher.encode

    def counting(self: Any, password: str, salt: str) -> str:
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    login(Client(), "zhaomin", "wrong-password")
    known = len(calls)
    calls.clear()
    login(Client(), "nobody-here", "wrong-password")
    assert known == len(calls) == 1


def test_names_are_counted_case_insensitively(clock: Any, auditor: Any) -> None:
    client = Client()
    for i in range(10):
        login(client, "ZhaoMin" if i % 2 else "zhaomin", "wrong-password")
    assert LOCKED in page_text(login(client, "zhaomin", PASSWORD))


# -- the unlock ------------------------------------------------------------------------------------


def lock(username: str) -> None:
    client = Client()
    for _ in range(10):
        login(client, username, "wrong-password")


def test_the_office_head_unlocks_from_the_workbench_and_it_is_audited(
    clock: Any, auditor: Any, make_account: Callable[..., Any]
) -> None:
    lock("zhaomin")
    head = make_account(Role.OFFICE_HEAD, username="chenfang")
    desk = sign_in(Client(), head)
    listing = page_text(desk.get("/workbench/accounts/"))
    assert "账号安全" in listing and "锁定至 03-02 17:15" in listing
    response = desk.post(f"/workbench/accounts/{auditor.pk}/unlock/")
    assert response.status_code == 302
    assert "已解除" in page_text(desk.get("/workbench/accounts/"))
    event = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_UNLOCK)
    assert event.actor == head and event.object_id == str(auditor.pk)
    assert event.before == {"failures": 10, "locked_until": "2026-03-02T09:15:00Z"}
    assert login(Client(), "zhaomin", PASSWORD).status_code == 302


def test_only_the_office_head_may_unlock(auditor: Any, make_account: Callable[..., Any]) -> None:
    lock("zhaomin")
    for role in (Role.CLERK, Role.DIRECTOR, Role.AUDITOR):
        with pytest.raises(PermissionDenied, match="只有公开办负责人可以解除账号锁定"):
            accounts.account_unlock(actor=make_account(role), user=auditor)
    assert throttle.current_lock("account", "zhaomin") is not None
    assert not AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_UNLOCK).exists()


def test_the_server_command_unlocks_a_locked_office_head(
    make_account: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    head = make_account(Role.OFFICE_HEAD, username="chenfang")
    lock("chenfang")
    call_command("unlock_account", "chenfang")
    assert "已解除 chenfang 的登录锁定" in capsys.readouterr().out
    assert throttle.current_lock("account", "chenfang") is None
    event = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_UNLOCK)
    assert event.actor is None and event.object_id == str(head.pk)


def test_relocking_after_an_unlock_takes_ten_new_failures(clock: Any, auditor: Any) -> None:
    lock("zhaomin")
    accounts.account_unlock(actor=None, user=auditor)
    client = Client()
    for _ in range(9):
        login(client, "zhaomin", "wrong-password")
    assert login(client, "zhaomin", PASSWORD).status_code == 302


# -- per address -----------------------------------------------------------------------------------


def test_an_address_is_blocked_after_thirty_failures_whatever_names_it_tries(
    clock: Any, auditor: Any
) -> None:
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(throttle.ADDRESS_LIMIT):
        login(sprayer, f"guess{i % 5}", "123456")  # five names, six tries each: no account reaches ten
    blocked = login(sprayer, "zhaomin", PASSWORD)
    assert "您所在网络地址的登录失败次数过多" in page_text(blocked) and "17:15" in page_text(blocked)
    assert "_auth_user_id" not in sprayer.session
    # The account itself is not locked: its owner, elsewhere, signs in.
    assert login(Client(REMOTE_ADDR="198.51.100.2"), "zhaomin", PASSWORD).status_code == 302
    locked = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_LOCKED)
    assert locked.after["scope"] == "address" and locked.ip == "203.0.113.7"


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(
    settings: Any, clock: Any, auditor: Any
) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client(REMOTE_ADDR="127.0.0.1")
    login(client, "zhaomin", "wrong", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9")
    assert LoginThrottle.objects.filter(scope="address", key="203.0.113.9", failures=1).exists()


# -- concurrency -----------------------------------------------------------------------------------


def test_when_ten_attempts_are_still_being_checked_the_eleventh_sets_the_lock_and_is_audited(
    clock: Any, auditor: Any
) -> None:
    for _ in range(throttle.ACCOUNT_LIMIT):  # ten attempts counted in advance, none answered yet
        assert throttle.reserve("zhaomin", "192.0.2.1", now=timezone.now()).lock is None
    refused = login(Client(), "zhaomin", PASSWORD)
    assert LOCKED in page_text(refused)
    locked = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_LOCKED)
    assert locked.object_id == str(auditor.pk) and locked.after["until"] == "2026-03-02T09:15:00Z"
    assert not verbs(AuditVerb.ACCOUNT_LOGIN)


def _expect_concurrency_held(outcome: dict[str, Any]) -> None:
    assert outcome["errors"] == []
    assert outcome["failures"] == throttle.ACCOUNT_LIMIT and outcome["locked"]
    assert outcome["checked"] == throttle.ACCOUNT_LIMIT  # the other attempts were refused unchecked
    assert outcome["failed_rows"] == concurrent_logins.ATTEMPTS
    assert outcome["locked_rows"] == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_are_each_counted_and_no_more_than_ten_are_checked_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("in-process threads need PostgreSQL; the SQLite run is the file-database test below")
    concurrent_logins.make_target()
    _expect_concurrency_held(concurrent_logins.hammer())


def test_concurrent_failures_are_each_counted_and_no_more_than_ten_are_checked_sqlite(tmp_path: Path) -> None:
    # A separate process on a file database: the in-memory test database cannot hold concurrent writers.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, concurrent_logins.__file__, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    _expect_concurrency_held(json.loads(result.stdout.strip().splitlines()[-1]))


# -- the audit log ---------------------------------------------------------------------------------


def test_sign_in_failure_logout_and_password_change_are_audited_without_passwords(auditor: Any) -> None:
    client = Client(REMOTE_ADDR="198.51.100.20")
    login(client, "zhaomin", "secret-guess-1")
    login(client, "zhaomin", PASSWORD)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-New-passphrase-9",
            "new_password2": "a-New-passphrase-9",
        },
    )
    assert response.status_code == 302
    client.post("/accounts/logout/")
    assert verbs(
        AuditVerb.ACCOUNT_LOGIN_FAILED,
        AuditVerb.ACCOUNT_LOGIN,
        AuditVerb.ACCOUNT_PASSWORD_CHANGE,
        AuditVerb.ACCOUNT_LOGOUT,
    ) == [
        AuditVerb.ACCOUNT_LOGIN_FAILED,
        AuditVerb.ACCOUNT_LOGIN,
        AuditVerb.ACCOUNT_PASSWORD_CHANGE,
        AuditVerb.ACCOUNT_LOGOUT,
    ]
    rows = list(AuditEvent.objects.filter(verb__startswith="account."))
    assert all(r.ip == "198.51.100.20" for r in rows)
    failed = next(r for r in rows if r.verb == AuditVerb.ACCOUNT_LOGIN_FAILED)
    assert failed.after == {"username": "zhaomin", "reason": "password", "failures": 1}
    assert failed.object_id == str(auditor.pk) and failed.actor is None
    signed_in = next(r for r in rows if r.verb == AuditVerb.ACCOUNT_LOGIN)
    assert signed_in.actor == auditor and signed_in.after == {"second_factor": "无需"}
    dumped = " ".join(f"{r.before} {r.after} {r.object_repr}" for r in rows)
    for secret in ("secret-guess-1", PASSWORD, "a-New-passphrase-9"):
        assert secret not in dumped
    assert AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_LOGOUT).after == {"reason": "user"}


def test_logout_needs_a_post(auditor: Any) -> None:
    client = sign_in(Client(), auditor)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session


def test_a_lock_message_names_the_date_when_it_is_not_today() -> None:
    until = timezone.now() + dt.timedelta(days=1)
    assert "年" in throttle.Lock("account", "x", until).message
