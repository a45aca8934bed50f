"""Edits made in the Django admin go through the services: each save writes an audit row with its verb
and the admin user as the actor (DESIGN.md "Writes go through services")."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.choices import OrganisationKind
from gongkai.core.models import AuditEvent, User
from gongkai.org.models import Department, Organisation, StaffProfile
from gongkai.org.roles import Role
from gongkai.org.services import department_create, ensure_role_groups, organisation_set
from gongkai.portal.models import Page
from staff_auth import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_superuser("admin", password="x-Long-enough-1")


@pytest.fixture
def admin_client(client: Client, admin_user: User) -> Client:
    sign_in(client, admin_user)
    return client


@pytest.fixture
def org() -> Organisation:
    return organisation_set(actor=None, name="某街道办事处", kind=OrganisationKind.SUBDISTRICT)


@pytest.fixture
def dept(org: Organisation) -> Department:
    return department_create(actor=None, organisation=org, name="党政办公室")


def post(client: Client, model: str, pk: int | None, data: dict[str, Any], app: str = "org") -> None:
    url = reverse(f"admin:{app}_{model}_change", args=[pk]) if pk else reverse(f"admin:{app}_{model}_add")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def last_event(verb: AuditVerb) -> AuditEvent:
    return AuditEvent.objects.filter(verb=verb).latest("id")


def test_organisation_change_is_audited(admin_client: Client, admin_user: User, org: Organisation) -> None:
    data = {"name": "某某街道办事处", "kind": OrganisationKind.SUBDISTRICT, "parent_name": "某区人民政府"}
    post(admin_client, "organisation", org.pk, {**data, "address": "", "phone": ""})
    event = last_event(AuditVerb.ORGANISATION_SET)
    assert event.actor == admin_user
    assert event.before == {"name": "某街道办事处", "kind": "subdistrict", "mailbox_name": ""}
    org.refresh_from_db()
    assert (org.name, org.parent_name) == ("某某街道办事处", "某区人民政府")


def test_a_second_organisation_cannot_be_added(admin_client: Client, org: Organisation) -> None:
    assert admin_client.get(reverse("admin:org_organisation_add")).status_code == 403


def test_department_add_and_change_are_audited(
    admin_client: Client, admin_user: User, org: Organisation, dept: Department
) -> None:
    post(admin_client, "department", None, {"organisation": org.pk, "name": "城市管理科", "sort_order": 2})
    created = Department.objects.get(name="城市管理科")
    assert not created.active
    assert last_event(AuditVerb.DEPARTMENT_CREATE).actor == admin_user

    post(
        admin_client,
        "department",
        dept.pk,
        {"organisation": org.pk, "name": "综合办公室", "sort_order": 5, "active": "on"},
    )
    event = last_event(AuditVerb.DEPARTMENT_UPDATE)
    assert event.actor == admin_user
    assert event.object_id == str(dept.pk)
    assert event.before == {
        "organisation": "某街道办事处",
        "name": "党政办公室",
        "sort_order": 0,
        "active": True,
    }
    assert event.after == {
        "organisation": "某街道办事处",
        "name": "综合办公室",
        "sort_order": 5,
        "active": True,
    }


def test_department_change_refuses_a_duplicate_name(
    admin_client: Client, org: Organisation, dept: Department
) -> None:
    department_create(actor=None, organisation=org, name="城市管理科")
    response = admin_client.post(
        reverse("admin:org_department_change", args=[dept.pk]),
        {"organisation": org.pk, "name": "城市管理科", "sort_order": 0},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not AuditEvent.objects.filter(verb=AuditVerb.DEPARTMENT_UPDATE).exists()


def test_staff_profile_add_and_change_are_audited(
    admin_client: Client, admin_user: User, org: Organisation, dept: Department
) -> None:
    clerk = User.objects.create_user("clerk", password="x-Long-enough-1")
    post(admin_client, "staffprofile", None, {"user": clerk.pk, "department": "", "title": "科员"})
    profile = StaffProfile.objects.get(user=clerk)
    assert last_event(AuditVerb.STAFF_PROFILE_CREATE).actor == admin_user

    post(admin_client, "staffprofile", profile.pk, {"department": dept.pk, "title": "副科长"})
    event = last_event(AuditVerb.STAFF_PROFILE_UPDATE)
    assert event.actor == admin_user
    assert event.before == {"department": "", "title": "科员"}
    assert event.after == {"department": "党政办公室", "title": "副科长"}
    profile.refresh_from_db()
    assert (profile.department, profile.title) == (dept, "副科长")


def test_portal_page_change_is_audited(admin_client: Client, admin_user: User) -> None:
    ensure_role_groups()
    admin_user.groups.add(Group.objects.get(name=Role.CLERK.value))  # page_update: 公开办 only
    Page.objects.update_or_create(slug=Page.GUIDE, defaults={"title": "政府信息公开指南", "body": "旧的正文"})
    page = Page.objects.get(slug=Page.GUIDE)
    post(
        admin_client, "page", page.pk, {"title": "政府信息公开指南（修订）", "body": "新的正文"}, app="portal"
    )
    event = last_event(AuditVerb.PORTAL_PAGE_UPDATE)
    assert event.actor == admin_user
    assert event.before == {"title": "政府信息公开指南", "body": "旧的正文"}
    page.refresh_from_db()
    assert page.body == "新的正文"


def test_portal_page_is_read_only_to_a_superuser_without_the_office_role(admin_client: Client) -> None:
    Page.objects.update_or_create(slug=Page.GUIDE, defaults={"title": "政府信息公开指南", "body": "旧的正文"})
    page = Page.objects.get(slug=Page.GUIDE)
    admin_client.post(reverse("admin:portal_page_change", args=[page.pk]), {"title": "改", "body": "改"})
    page.refresh_from_db()
    assert page.body == "旧的正文"
    assert not AuditEvent.objects.filter(verb=AuditVerb.PORTAL_PAGE_UPDATE).exists()
