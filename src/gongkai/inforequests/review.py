"""The review chain of a reply (答复审批): the office's ordered steps and the rules a chain must obey.

Pure: no database. The office's chain is stored as ``ReplyReviewStep`` rows (seeded with
``DEFAULT_CHAIN`` by a data migration, edited by the 公开办负责人 through ``services.review_chain_set``);
a draft sent for review carries a copy of the chain (``ReplyNotice.review_chain``), so changing the
configuration never changes a round already under way. The last step is the signing (签发): only a
signed reply may be issued.

A chain has at least one step — the 告知书 needs a signer — and no two steps for the same role and
scope: one person may decide only one step of a round, so two such steps could never both be decided
in a small office.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from gongkai.org.access import Permission, roles_with
from gongkai.org.roles import Role

__all__ = [
    "DEFAULT_CHAIN",
    "MAX_STEPS",
    "SCOPED_ROLES",
    "StepSpec",
    "chain_errors",
    "reviewer_roles",
    "steps_from_json",
    "steps_to_json",
]

MAX_STEPS = 6
NAME_MAX = 30
# Roles that belong to a 科室, so a step may ask for the one of the case's own 科室.
SCOPED_ROLES: frozenset[Role] = frozenset({Role.DEPT_HEAD, Role.DEPT_STAFF})


@dataclass(frozen=True)
class StepSpec:
    name: str  # shown on the case page and the 审批表, e.g. 科室负责人审核
    role: str  # an ``org.roles.Role`` value
    own_department: bool = False  # only the holder of ``role`` in the case's 承办科室

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def who(self, department: str = "") -> str:
        """Who decides the step, e.g. 城市管理科的科室负责人 or 主管主任."""
        if self.own_department:
            return f"{department}的{self.role_label}" if department else f"承办科室的{self.role_label}"
        return self.role_label


DEFAULT_CHAIN: tuple[StepSpec, ...] = (
    StepSpec("科室负责人审核", Role.DEPT_HEAD.value, own_department=True),
    StepSpec("公开办保密审查和法制审核", Role.OFFICE_HEAD.value),
    StepSpec("主管主任签发", Role.DIRECTOR.value),
)


def reviewer_roles() -> frozenset[Role]:
    """The roles a step may name: those that may decide a step at all (never the read-only auditor)."""
    return roles_with(Permission.REPLY_REVIEW)


def chain_errors(steps: Sequence[StepSpec]) -> list[str]:
    """What is wrong with a chain, in Chinese; empty if it may be saved."""
    errors: list[str] = []
    if not steps:
        errors.append("审核流程至少要有一个步骤：最后一步为签发，告知书须有签发人")
    if len(steps) > MAX_STEPS:
        errors.append(f"审核流程最多 {MAX_STEPS} 个步骤")
    allowed = reviewer_roles()
    seen: dict[tuple[str, bool], str] = {}
    for number, step in enumerate(steps, 1):
        name = step.name.strip()
        where = f"第 {number} 步"
        if not name:
            errors.append(f"{where}：请填写步骤名称")
        elif len(name) > NAME_MAX:
            errors.append(f"{where}：步骤名称不能超过 {NAME_MAX} 个字")
        if step.role not in {r.value for r in allowed}:
            errors.append(f"{where}：请选择审核人角色（只读审计不能审核）")
            continue
        if step.own_department and Role(step.role) not in SCOPED_ROLES:
            errors.append(f"{where}：只有科室负责人、科室工作人员可以限定为本案承办科室")
        key = (step.role, step.own_department)
        if key in seen:
            errors.append(
                f"{where}“{name}”与“{seen[key]}”由同一角色审核：同一人不得审核同一稿的两个步骤，请合并为一步"
            )
        seen.setdefault(key, name)
    return errors


def steps_to_json(steps: Iterable[StepSpec]) -> list[dict[str, Any]]:
    return [asdict(s) for s in steps]


def steps_from_json(data: Iterable[Mapping[str, Any]]) -> list[StepSpec]:
    return [StepSpec(str(d["name"]), str(d["role"]), bool(d.get("own_department"))) for d in data]
