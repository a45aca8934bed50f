"""Staff roles as Django groups. The group name is the stable key; the label is what staff see."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CLERK = "disclosure_clerk"  # 公开办工作人员: intake, registers, drafts notices
    DEPT_STAFF = "department_staff"  # 科室工作人员: drafts publications and replies for their department
    DEPT_HEAD = "department_head"  # 科室负责人: first-level confidentiality review
    DIRECTOR = "supervising_director"  # 主管主任: second-level review
    OFFICE_HEAD = "office_head"  # 公开办负责人: approves extensions, submits the annual report
    AUDITOR = "auditor"  # 只读审计: sees everything, changes nothing

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: "公开办工作人员",
    Role.DEPT_STAFF: "科室工作人员",
    Role.DEPT_HEAD: "科室负责人",
    Role.DIRECTOR: "主管主任",
    Role.OFFICE_HEAD: "公开办负责人",
    Role.AUDITOR: "只读审计",
}

STAFF_ROLES: frozenset[Role] = frozenset(Role)
# Roles that see every department's records, not only their own.
OFFICE_WIDE_ROLES: frozenset[Role] = frozenset({Role.CLERK, Role.DIRECTOR, Role.OFFICE_HEAD, Role.AUDITOR})
