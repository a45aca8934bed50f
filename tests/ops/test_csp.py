"""Issue 12, point 6: a ``script-src 'self'`` Content-Security-Policy on every page, portal and workbench,
with no inline script left in any template — and the workbench's scripts (htmx, the intake form, the
auto-submitting year filter) still working under it in a real browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import gongkai
from staff_auth import browser_sign_in, sign_in

TEMPLATES = sorted(Path(gongkai.__file__).parent.glob("*/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
PASSWORD = "x-Long-enough-1"


def test_no_template_carries_inline_script_or_event_handlers() -> None:
    assert len(TEMPLATES) > 50
    found = [
        f"{path.relative_to(Path(gongkai.__file__).parent)}: {match.group(0)}"
        for path in TEMPLATES
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, re.compile(r"javascript:", re.IGNORECASE))
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.fixture
def clerk(db: None, django_user_model: Any) -> Any:
    from gongkai.org.roles import Role
    from gongkai.org.services import staff_create

    return staff_create(
        actor=None,
        username="clerk",
        password=PASSWORD,
        full_name="王公开",
        roles=[Role.CLERK],
        department=None,
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/apply/",
        "/workbench/",
        "/workbench/requests/new/",
        "/workbench/publications/facts/",
        "/admin/",
        "/accounts/login/",
    ],
)
def test_every_page_limits_scripts_to_this_origin(
    client: Client, clerk: Any, url: str, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sign_in(client, clerk)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'", csp
    assert directives["object-src"] == "'none'" and directives["default-src"] == "'self'"
    assert "unsafe-eval" not in csp


def test_a_non_html_response_gets_no_page_policy(client: Client, db: None) -> None:
    assert "Content-Security-Policy" not in client.get("/healthz")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_workbench_scripts_run_under_the_policy(browser: Any, live_server: Any, settings: Any) -> None:
    from playwright.sync_api import expect

    from gongkai.core.services import seed_calendar
    from gongkai.org.roles import Role
    from gongkai.org.services import staff_create

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_calendar()
    user = staff_create(
        actor=None,
        username="clerk",
        password=PASSWORD,
        full_name="王公开",
        roles=[Role.CLERK],
        department=None,
    )
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda m: (
            refused.append(m.text) if "Content Security Policy" in m.text or "Refused to" in m.text else None
        ),
    )
    browser_sign_in(page, user, PASSWORD, base_url=live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")

    # inforequests/intake.js: the channel decides which receipt date is asked for.
    page.goto("/workbench/requests/new/")
    page.locator("input[name=channel][value=registered_post]").check()
    expect(page.locator("#field-signed_on")).to_be_visible()
    expect(page.locator("#field-confirmed_on")).to_be_hidden()
    page.locator("input[name=channel][value=online]").check()
    expect(page.locator("#field-signed_on")).to_be_hidden()
    expect(page.locator("#field-confirmed_on")).to_be_visible()

    # htmx: typing in the case list's filter re-renders the results without a page load.
    page.goto("/workbench/requests/")
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        page.locator("input[name=q]").press_sequentially("WS2025")

    # core/behaviours.js: choosing a year submits the filter.
    page.goto("/workbench/publications/facts/")
    with page.expect_navigation():
        page.locator("select[name=year]").select_option("2020")
    expect(page).to_have_url(re.compile(r"year=2020"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("2020 年")

    page.goto("/")
    assert refused == []
    context.close()
