"""The workbench menu offers each role only the pages it may open, and the login page is the workbench's own."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from gongkai.org.roles import Role
from gongkai.org.services import department_create, organisation_set, staff_create
from staff_auth import sign_in


@pytest.fixture
def office(db: None) -> Any:
    org = organisation_set(actor=None, name="东花市街道办事处", kind="subdistrict")
    return department_create(actor=None, organisation=org, name="党政办公室")


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_menu_link_opens_for_its_role(office: Any, role: Role) -> None:
    user = staff_create(
        actor=None,
        username=f"u-{role.value}",
        password="x-Secret-123",
        full_name="测试",
        roles=[role],
        department=office,
    )
    client = Client()
    sign_in(client, user)
    page = client.get("/workbench/")
    assert page.status_code == 200
    nav = re.search(r'<nav aria-label="主导航">(.*?)</nav>', page.content.decode(), re.S)
    assert nav is not None
    links = re.findall(r'href="([^"]+)"', nav.group(1))
    assert "/workbench/" in links
    for link in links:
        assert client.get(link).status_code == 200, (role, link)


def test_review_queue_link_only_for_reviewers(office: Any) -> None:
    staff = staff_create(
        actor=None,
        username="staff",
        password="x-Secret-123",
        full_name="科员",
        roles=[Role.DEPT_STAFF],
        department=office,
    )
    head = staff_create(
        actor=None,
        username="head",
        password="x-Secret-123",
        full_name="科长",
        roles=[Role.DEPT_HEAD],
        department=office,
    )
    client = Client()
    sign_in(client, staff)
    assert "审核</a>" not in client.get("/workbench/").content.decode()
    sign_in(client, head)
    assert "审核</a>" in client.get("/workbench/").content.decode()


def test_login_page_uses_the_workbench_layout(db: None) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert "workbench.css" in page and 'name="csrfmiddlewaretoken"' in page and "登录政务公开工作台" in page
