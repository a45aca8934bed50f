"""Who may do what to a disclosure request; the services enforce these, the views only mirror them.

- The 公开办 (clerk, office head) registers, assigns, answers and sees every case with its
  personal data.
- A department's staff and head handle the cases assigned to their department: 补正, consultations,
  fees, extension requests, reply drafts. The handler and the department head see the applicant's
  personal data; other staff of the department see it masked.
- Only the office head approves an extension (Art. 33 ¶2: 政府信息公开工作机构负责人).
- The supervising director and the auditor read everything, masked, and change nothing.
"""

from __future__ import annotations

from typing import Any

from gongkai.org.roles import Role
from gongkai.org.selectors import has_role, sees_all_departments, user_department

__all__ = [
    "DEPT_ROLES",
    "HANDLING_ROLES",
    "OFFICE_ROLES",
    "can_answer",
    "can_approve_extension",
    "can_assign",
    "can_handle",
    "can_intake",
    "can_view",
    "sees_personal_data",
]

OFFICE_ROLES = (Role.CLERK, Role.OFFICE_HEAD)
DEPT_ROLES = (Role.DEPT_STAFF, Role.DEPT_HEAD)
HANDLING_ROLES = (*OFFICE_ROLES, *DEPT_ROLES)


def _authenticated(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def in_case_department(user: Any, request: Any) -> bool:
    dept = user_department(user)
    return dept is not None and request.department_id is not None and dept.pk == request.department_id


def can_intake(user: Any) -> bool:
    return _authenticated(user) and has_role(user, *OFFICE_ROLES)


def can_assign(user: Any, request: Any, department: Any = None) -> bool:
    """The office assigns anywhere; a department head assigns a handler within their own department."""
    if can_intake(user):
        return True
    same_dept = department is None or department.pk == request.department_id
    return has_role(user, Role.DEPT_HEAD) and in_case_department(user, request) and same_dept


def can_handle(user: Any, request: Any) -> bool:
    if not _authenticated(user):
        return False
    if can_intake(user):
        return True
    if request.handler_id is not None and request.handler_id == user.pk and has_role(user, *DEPT_ROLES):
        return True
    return has_role(user, *DEPT_ROLES) and in_case_department(user, request)


def can_view(user: Any, request: Any) -> bool:
    return _authenticated(user) and (sees_all_departments(user) or can_handle(user, request))


def can_answer(user: Any) -> bool:
    return can_intake(user)


def can_approve_extension(user: Any) -> bool:
    return _authenticated(user) and has_role(user, Role.OFFICE_HEAD)


def sees_personal_data(user: Any, request: Any) -> bool:
    """The handler, the case department's head, clerks and the office head."""
    if not _authenticated(user):
        return False
    if can_intake(user):
        return True
    if request.handler_id is not None and request.handler_id == user.pk:
        return True
    return has_role(user, Role.DEPT_HEAD) and in_case_department(user, request)
