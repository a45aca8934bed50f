"""Staff of a small office for the inforequests and appeals tests: one person per role, two departments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from gongkai.core.choices import OrganisationKind
from gongkai.org.models import Department
from gongkai.org.roles import Role
from gongkai.org.services import department_create, organisation_set, staff_create

PASSWORD = "x-Long-enough-1"


@dataclass
class Office:
    dept: Department  # 城市管理科: the department the test cases are assigned to
    other_dept: Department
    clerk: Any
    office_head: Any
    director: Any
    auditor: Any
    staff: Any  # department staff of `dept`, the usual handler
    staff2: Any  # another staff member of `dept`, not the handler
    dept_head: Any
    other_staff: Any  # department staff of `other_dept`
    other_head: Any


@pytest.fixture
def office(calendar_db: Any) -> Office:
    org = organisation_set(
        actor=None,
        name="东花市街道办事处",
        kind=OrganisationKind.SUBDISTRICT,
        parent_name="北京市东城区人民政府",
    )
    dept = department_create(actor=None, organisation=org, name="城市管理科")
    other = department_create(actor=None, organisation=org, name="社区建设科")

    def person(username: str, name: str, roles: list[Role], department: Department | None = None) -> Any:
        return staff_create(
            actor=None,
            username=username,
            password=PASSWORD,
            full_name=name,
            roles=roles,
            department=department,
        )

    return Office(
        dept=dept,
        other_dept=other,
        clerk=person("clerk", "王公开", [Role.CLERK]),
        office_head=person("head", "李主任", [Role.OFFICE_HEAD]),
        director=person("director", "赵主任", [Role.DIRECTOR]),
        auditor=person("auditor", "钱审计", [Role.AUDITOR]),
        staff=person("staff", "孙科员", [Role.DEPT_STAFF], dept),
        staff2=person("staff2", "周科员", [Role.DEPT_STAFF], dept),
        dept_head=person("depthead", "吴科长", [Role.DEPT_HEAD], dept),
        other_staff=person("other", "郑科员", [Role.DEPT_STAFF], other),
        other_head=person("otherhead", "冯科长", [Role.DEPT_HEAD], other),
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Nine staff per test: the production hasher would make the suite crawl.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
