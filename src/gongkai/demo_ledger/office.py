"""The demo office, modelled on 东花市街道办事处 (东城区, 北京): its 科室 and one person per role.

Every record is created through the org services, with the demo's system actor (``None``) for the
bootstrap and the clerk for what follows, so the audit log of the demo reads like a real office's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai.core.choices import OrganisationKind
from gongkai.org.models import Department, Organisation
from gongkai.org.roles import Role
from gongkai.org.services import department_create, organisation_set, staff_create

DEMO_PASSWORD = "gongkai-demo-2026"
ORGANISATION = "东花市街道办事处"

DEPARTMENTS: tuple[str, ...] = (
    "党政办公室",
    "社区建设办公室",
    "城市管理办公室",
    "民生保障办公室",
    "平安建设办公室",
    "社区服务中心",
)


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    role: Role
    department: str  # "" for an office-wide post without a 科室
    title: str


# The cast: one person per role (the printed logins), then a head and a staff member for each other
# 科室, because the first review level must be a head of the item's own 科室.
CAST: tuple[Person, ...] = (
    Person("clerk", "王静", Role.CLERK, "党政办公室", "政务公开专员"),
    Person("staff", "李明", Role.DEPT_STAFF, "社区建设办公室", "科员"),
    Person("head", "张伟", Role.DEPT_HEAD, "社区建设办公室", "科室负责人"),
    Person("director", "刘洋", Role.DIRECTOR, "", "主管主任"),
    Person("officehead", "陈芳", Role.OFFICE_HEAD, "党政办公室", "公开办负责人"),
    Person("auditor", "赵敏", Role.AUDITOR, "", "纪检监察（只读）"),
)
DEPARTMENT_PEOPLE: tuple[Person, ...] = (
    Person("head_dangzheng", "孙丽", Role.DEPT_HEAD, "党政办公室", "科室负责人"),
    Person("staff_dangzheng", "周强", Role.DEPT_STAFF, "党政办公室", "科员"),
    Person("head_chengguan", "吴刚", Role.DEPT_HEAD, "城市管理办公室", "科室负责人"),
    Person("staff_chengguan", "郑洁", Role.DEPT_STAFF, "城市管理办公室", "科员"),
    Person("head_minsheng", "冯磊", Role.DEPT_HEAD, "民生保障办公室", "科室负责人"),
    Person("staff_minsheng", "何芸", Role.DEPT_STAFF, "民生保障办公室", "科员"),
    Person("head_pingan", "许亮", Role.DEPT_HEAD, "平安建设办公室", "科室负责人"),
    Person("staff_pingan", "韩雪", Role.DEPT_STAFF, "平安建设办公室", "科员"),
    Person("head_fuwu", "曹颖", Role.DEPT_HEAD, "社区服务中心", "科室负责人"),
    Person("staff_fuwu", "邓超", Role.DEPT_STAFF, "社区服务中心", "科员"),
)


@dataclass
class DemoOffice:
    organisation: Organisation
    departments: dict[str, Department]
    users: dict[str, Any] = field(default_factory=dict)  # username -> user

    def user(self, username: str) -> Any:
        return self.users[username]

    @property
    def clerk(self) -> Any:
        return self.users["clerk"]

    @property
    def office_head(self) -> Any:
        return self.users["officehead"]

    @property
    def director(self) -> Any:
        return self.users["director"]

    def head_of(self, department: str) -> Any:
        return next(
            self.users[p.username]
            for p in _everyone()
            if p.role == Role.DEPT_HEAD and p.department == department
        )

    def staff_of(self, department: str) -> Any:
        return next(
            self.users[p.username]
            for p in _everyone()
            if p.role == Role.DEPT_STAFF and p.department == department
        )


def _everyone() -> tuple[Person, ...]:
    return (*CAST, *DEPARTMENT_PEOPLE)


def build_office() -> DemoOffice:
    org = organisation_set(
        actor=None,
        name=ORGANISATION,
        kind=OrganisationKind.SUBDISTRICT,
        parent_name="北京市东城区人民政府",
        address="北京市东城区东花市北里东区",
        phone="010-67123456",
        # The 2019 report (the seed) speaks of 区长信箱 letters, so the demo keeps that name rather than a
        # 街道's usual 主任信箱.
        mailbox_name="区长信箱",
    )
    departments = {
        name: department_create(actor=None, organisation=org, name=name, sort_order=i)
        for i, name in enumerate(DEPARTMENTS, 1)
    }
    office = DemoOffice(org, departments)
    for person in _everyone():
        office.users[person.username] = staff_create(
            actor=None,
            username=person.username,
            password=DEMO_PASSWORD,
            full_name=person.full_name,
            roles=[person.role],
            department=departments[person.department] if person.department else None,
            title=person.title,
        )
    return office


def logins() -> list[tuple[str, str, str, str]]:
    """(username, name, role, 科室) of the printed cast, then the other 科室's people."""
    return [(p.username, p.full_name, p.role.label, p.department or "—") for p in _everyone()]


def usernames() -> list[str]:
    return [p.username for p in _everyone()]
