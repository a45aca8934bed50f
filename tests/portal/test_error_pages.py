"""Issue 11, point 7: with DEBUG off every error page is Chinese, in the portal's frame for public URLs and
the workbench's frame for staff URLs, and shows the reason our code raised (never Django's English)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from gongkai.cli import serve_environment
from gongkai.config import errors
from gongkai.org.roles import Role
from gongkai.portal import ratelimit
from publications.factories import staff
from staff_auth import sign_in

PORTAL = '<header class="site">'
WORKBENCH = '<header class="topbar">'
ENGLISH = ("Traceback", "Not Found", "Forbidden", "Bad Request", "Server Error", "Gone", "Too Many")


@pytest.fixture(autouse=True)
def _no_debug(settings: Any) -> None:
    settings.DEBUG = False


def _page(response: Any, status: int, frame: str, *texts: str) -> str:
    assert response.status_code == status
    body = response.content.decode()
    assert frame in body
    for text in texts:
        assert text in body, text
    for word in ENGLISH:
        assert word not in body, word
    assert '<html lang="zh-hans">' in body
    return body


# -- 400 ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "frame"), [("/", PORTAL), ("/workbench/", WORKBENCH)])
def test_400_a_bad_host(client: Client, path: str, frame: str) -> None:
    _page(client.get(path, HTTP_HOST="evil.example"), 400, frame, "请求有误", "无法处理该请求")


# -- 403 ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_403_public_without_a_reason_is_generic(client: Client) -> None:
    response = client.get("/apply/status/WS20260101-ABC123/notice.docx")
    _page(response, 403, PORTAL, "无权访问", "您没有访问此页面的权限。")


@pytest.mark.django_db
def test_403_workbench_shows_the_reason_our_code_gave(client: Client) -> None:
    sign_in(client, staff(Role.DEPT_STAFF))
    _page(client.get("/workbench/calendar/2027/"), 403, WORKBENCH, "无权访问", "您的角色无权访问此页面")


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "frame"), [("/apply/", PORTAL), ("/accounts/login/", WORKBENCH)])
def test_403_csrf_failure_in_chinese(path: str, frame: str) -> None:
    response = Client(enforce_csrf_checks=True).post(path, {})
    _page(response, 403, frame, "无权访问", "页面已过期")
    assert "CSRF verification" not in response.content.decode() and "cookie" not in response.content.decode()


# -- 404 ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "frame"), [("/no-such-page/", PORTAL), ("/workbench/no-such-page/", WORKBENCH)]
)
def test_404_an_unknown_url(client: Client, path: str, frame: str) -> None:
    body = _page(client.get(path), 404, frame, "页面不存在", "您访问的页面不存在或已被移除")
    assert "no-such-page" not in body  # the resolver's details are not shown


@pytest.mark.django_db
def test_404_public_shows_our_reason(client: Client) -> None:
    _page(client.get("/disclosure/999999/"), 404, PORTAL, "页面不存在", "没有这条公开信息")


# -- 410 ------------------------------------------------------------------------------------------------


def test_410_public_withdrawn_item(client: Client, ledger: Any) -> None:
    response = client.get(f"/disclosure/{ledger.items['withdrawn'].pk}/")
    _page(response, 410, PORTAL, "该信息已撤回")


@pytest.mark.django_db
def test_410_and_429_in_the_workbench_frame(rf: RequestFactory, admin_user: Any) -> None:
    # No workbench view answers 410 or 429 today; the shared page is what one would use.
    for status, heading in ((410, "该信息已撤回"), (429, "请求过于频繁")):
        request = rf.get("/workbench/publications/")
        request.user = admin_user
        request.session = {}  # type: ignore[assignment]
        response = errors.error_page(request, status)
        _page(response, status, WORKBENCH, heading)


# -- 429 ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_429_public_form_says_when_to_try_again(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "hit_all", lambda *pairs: ratelimit.Decision(False, 600))
    response = client.post("/apply/", {"phone": "13912345678"})
    _page(response, 429, PORTAL, "提交过于频繁，请 10 分钟后再试。")
    assert response["Retry-After"] == "600"


@pytest.mark.django_db
def test_429_public_shared_page(rf: RequestFactory) -> None:
    _page(errors.error_page(rf.get("/apply/"), 429), 429, PORTAL, "请求过于频繁", "请稍后再试")


# -- 500 ------------------------------------------------------------------------------------------------


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("database exploded: SELECT secret FROM table")


@pytest.mark.django_db
def test_500_public(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.portal import selectors

    monkeypatch.setattr(selectors, "category_counts", _boom)
    response = Client(raise_request_exception=False).get("/")
    body = _page(response, 500, PORTAL, "系统出错", "系统暂时出现错误")
    assert "database exploded" not in body and "RuntimeError" not in body


@pytest.mark.django_db
def test_500_workbench(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.workbench import views

    monkeypatch.setattr(views, "panels_for", _boom)
    client = Client(raise_request_exception=False)
    sign_in(client, staff(Role.CLERK))
    body = _page(client.get("/workbench/"), 500, WORKBENCH, "系统出错")
    assert "database exploded" not in body


def test_500_needs_no_database(rf: RequestFactory) -> None:
    # No django_db mark: any query would fail the test.
    _page(errors.server_error(rf.get("/workbench/x/")), 500, WORKBENCH, "系统出错")
    _page(errors.server_error(rf.get("/apply/")), 500, PORTAL, "系统出错")


# -- which reasons are shown ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_chinese_messages_raised_by_our_code_are_shown() -> None:
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from gongkai.core.models import User
    from gongkai.org.access import Permission
    from gongkai.reporting.services import _require

    with pytest.raises(PermissionDenied) as ours:
        _require(staff(Role.DEPT_STAFF), Permission.REPORT_PUBLISH, "发布年度报告")
    assert errors.safe_reason(ours.value) == "只有公开办负责人或主管主任可以发布年度报告"

    def raised_here(exc: Exception) -> Exception:
        try:
            raise exc
        except Exception as caught:
            return caught

    # Raised outside gongkai (here, in a test), in English, empty or never raised: nothing is shown.
    assert errors.safe_reason(raised_here(PermissionDenied("您无权查看该申请"))) == ""
    assert errors.safe_reason(PermissionDenied("没有抛出过")) == ""
    assert errors.safe_reason(PermissionDenied()) == ""
    with pytest.raises(Http404) as django_s:
        get_object_or_404(User.objects.none(), pk=1)
    assert errors.safe_reason(django_s.value) == ""


# -- gongkai serve --------------------------------------------------------------------------------------


def _settings_under(env: dict[str, str]) -> str:
    code = "from gongkai.config import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"
    full = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DJANGO_"))}
    done = subprocess.run(
        [sys.executable, "-c", code], env={**full, **env}, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_serve_without_debug_turns_debug_off(tmp_path: Path) -> None:
    home = {"GONGKAI_HOME": str(tmp_path), "GONGKAI_DEBUG": "1"}
    env = serve_environment(debug=False, environ=home)
    assert env["GONGKAI_DEBUG"] == "0"
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert serve_environment(debug=False, environ=home)["GONGKAI_SECRET_KEY"] == env["GONGKAI_SECRET_KEY"]
    assert _settings_under({**home, **env}) == "False ['localhost', '127.0.0.1', '[::1]']"


def test_serve_with_debug_keeps_debug_on(tmp_path: Path) -> None:
    home = {"GONGKAI_HOME": str(tmp_path), "GONGKAI_DEBUG": "0"}
    env = serve_environment(debug=True, environ=home)
    assert env == {"GONGKAI_DEBUG": "1"}
    assert _settings_under({**home, **env}).startswith("True ")


def test_serve_keeps_given_hosts_and_key(tmp_path: Path) -> None:
    given = {
        "GONGKAI_HOME": str(tmp_path),
        "GONGKAI_ALLOWED_HOSTS": "gk.example",
        "GONGKAI_SECRET_KEY": "k" * 50,
    }
    assert serve_environment(debug=False, environ=given) == {"GONGKAI_DEBUG": "0"}
    assert not (tmp_path / "secret_key").exists()
