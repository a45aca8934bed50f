"""Every staff URL, enumerated from the URL conf, requires login and the right role.

Anonymous → redirect to the login page; a user without the view's roles → 403. Each staff view must be
wrapped by ``org.access.permission_required`` / ``staff_required`` (which record the roles they allow), so a new view that forgets the
guard fails here rather than in production.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gongkai.org.roles import Role
from gongkai.org.services import ensure_role_groups
from staff_auth import sign_in

# Public or framework URLs: the portal, login/logout/password pages, the Django admin (its own staff check).
PUBLIC_PREFIXES = ("admin/", "accounts/", "static/", "media/")


@dataclass(frozen=True)
class StaffUrl:
    route: str
    name: str
    view: Any

    @property
    def path(self) -> str:
        # Fill each converter with a value of its type; the guard must answer before any lookup happens.
        def fill(match: re.Match[str]) -> str:
            converter = match.group(1) or "str"
            return {"int": "987654", "uuid": "00000000-0000-0000-0000-000000000000"}.get(converter, "x1")

        return "/" + re.sub(r"<(?:(\w+):)?\w+>", fill, self.route)


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[StaffUrl]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield StaffUrl(prefix + str(p.pattern), p.name or "", p.callback)


def staff_urls() -> list[StaffUrl]:
    out = []
    for url in _walk(get_resolver().url_patterns):
        if url.route.startswith(PUBLIC_PREFIXES):
            continue
        if url.route.startswith("workbench/") or hasattr(url.view, "required_roles"):
            out.append(url)
    return out


STAFF_URLS = staff_urls()


def test_the_url_conf_has_staff_urls() -> None:
    routes = {u.route for u in STAFF_URLS}
    assert "workbench/" in routes
    assert len(STAFF_URLS) >= 10, routes


@pytest.mark.parametrize("url", STAFF_URLS, ids=lambda u: u.route)
def test_staff_view_is_guarded(url: StaffUrl) -> None:
    assert hasattr(url.view, "required_roles"), f"{url.route} 未使用 permission_required 保护"


@pytest.mark.django_db
@pytest.mark.parametrize("url", STAFF_URLS, ids=lambda u: u.route)
def test_anonymous_is_sent_to_login(url: StaffUrl) -> None:
    client = Client()
    for method in ("get", "post"):
        response = getattr(client, method)(url.path)
        assert response.status_code == 302, (method, url.path, response.status_code)
        assert response["Location"].startswith("/accounts/login/"), response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", STAFF_URLS, ids=lambda u: u.route)
def test_wrong_role_is_forbidden(url: StaffUrl, django_user_model: Any) -> None:
    allowed = set(getattr(url.view, "required_roles", ()))
    outsiders = [r for r in Role if r not in allowed]
    ensure_role_groups()
    # A logged-in account without any role, and one holding every role the view does not accept.
    nobody = django_user_model.objects.create_user(username="nobody", password="x-Secret-123")
    users = [nobody]
    if outsiders:
        other = django_user_model.objects.create_user(username="other", password="x-Secret-123")
        other.groups.set(Group.objects.filter(name__in=[r.value for r in outsiders]))
        users.append(other)
    for user in users:
        client = Client()
        sign_in(client, user)
        for method in ("get", "post"):
            response = getattr(client, method)(url.path)
            assert response.status_code == 403, (user.username, method, url.path, response.status_code)
