"""Who may do what: the one permission idiom of the workbench.

Every permission is a member of ``Permission``; ``GRANTS`` (data, in this one place) says which staff
roles hold it. Services call ``require(actor, Permission.X, message)``; views are guarded by
``permission_required(Permission.X)`` (or ``staff_required`` for any staff page); templates and dashboard
panels ask ``can(user, Permission.X)``. Record-scoped rules (a department sees its own cases, the
handler of a case) are built on these in the app that owns the record, e.g. ``inforequests.permissions``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from gongkai.org.roles import OFFICE_WIDE_ROLES, STAFF_ROLES, Role
from gongkai.org.selectors import user_roles

View = Callable[..., HttpResponse]


class Permission(StrEnum):
    WORKBENCH = "workbench"  # open the workbench's read pages
    SEE_ALL_DEPARTMENTS = "see_all_departments"  # every department's records, not only one's own
    CALENDAR_EDIT = "calendar_edit"  # key in a year's 放假安排
    # 依申请公开 (the case-scoped rules are in inforequests.permissions and inforequests.workflow)
    REQUEST_OFFICE = "request_office"  # register, confirm, sign replies, templates (the 公开办)
    REQUEST_HANDLE = "request_handle"  # 补正, consultations, fees, extension requests, reply drafts
    REQUEST_ASSIGN = "request_assign"  # assign a case (a department head within their department)
    REQUEST_APPROVE_EXTENSION = "request_approve_extension"  # Art. 33 ¶2: 公开办负责人
    DEPARTMENT_PERSONAL_DATA = "department_personal_data"  # applicants' data on the department's cases
    APPEAL_RECORD = "appeal_record"  # 行政复议 / 行政诉讼 records
    # 主动公开
    PUBLICATION_DRAFT = "publication_draft"
    PUBLICATION_RECORD = "publication_record"  # channel posts, interpretations, Table 二 facts
    PUBLICATION_ARCHIVE = "publication_archive"
    PUBLICATION_WITHDRAW = "publication_withdraw"
    PUBLICATION_REPEAL = "publication_repeal"
    PUBLICATION_REGISTER = "publication_register"  # paper review forms
    PUBLICATION_REVIEW = "publication_review"  # the two-level confidentiality review, either level
    PUBLICATION_REVIEW_FIRST = "publication_review_first"  # level 1: 科室负责人, for their department
    PUBLICATION_REVIEW_SECOND = "publication_review_second"  # level 2: 主管主任
    # 区长信箱
    LETTER_VIEW = "letter_view"
    LETTER_HANDLE = "letter_handle"
    # 消息送达: the dead-letter list and its retry, the letters to post
    DELIVERY_MANAGE = "delivery_manage"
    # portal pages (公开指南, 公开制度)
    PAGE_EDIT = "page_edit"
    # 年度报告
    REPORT_WATCH = "report_watch"  # the deadline panel
    REPORT_EDIT = "report_edit"
    REPORT_SUBMIT = "report_submit"
    REPORT_PUBLISH = "report_publish"


_OFFICE = frozenset({Role.CLERK, Role.OFFICE_HEAD})
_DEPARTMENTS = frozenset({Role.DEPT_STAFF, Role.DEPT_HEAD})
_DRAFTERS = _OFFICE | _DEPARTMENTS
_LETTER_HANDLERS = _OFFICE | {Role.DIRECTOR}

# The role -> permission table, as data: which roles hold each permission.
GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.WORKBENCH: STAFF_ROLES,
    Permission.SEE_ALL_DEPARTMENTS: OFFICE_WIDE_ROLES,
    Permission.CALENDAR_EDIT: _OFFICE,
    Permission.REQUEST_OFFICE: _OFFICE,
    Permission.REQUEST_HANDLE: _OFFICE | _DEPARTMENTS,
    Permission.REQUEST_ASSIGN: _OFFICE | {Role.DEPT_HEAD},
    Permission.REQUEST_APPROVE_EXTENSION: frozenset({Role.OFFICE_HEAD}),
    Permission.DEPARTMENT_PERSONAL_DATA: frozenset({Role.DEPT_HEAD}),
    Permission.APPEAL_RECORD: _OFFICE,
    Permission.PUBLICATION_DRAFT: _DRAFTERS,
    Permission.PUBLICATION_RECORD: _DRAFTERS,
    Permission.PUBLICATION_ARCHIVE: _OFFICE,
    Permission.PUBLICATION_WITHDRAW: frozenset({Role.DIRECTOR, Role.OFFICE_HEAD}),
    Permission.PUBLICATION_REPEAL: _OFFICE | {Role.DIRECTOR},
    Permission.PUBLICATION_REGISTER: _OFFICE,
    Permission.PUBLICATION_REVIEW: frozenset({Role.DEPT_HEAD, Role.DIRECTOR}),
    Permission.PUBLICATION_REVIEW_FIRST: frozenset({Role.DEPT_HEAD}),
    Permission.PUBLICATION_REVIEW_SECOND: frozenset({Role.DIRECTOR}),
    Permission.LETTER_VIEW: _LETTER_HANDLERS | {Role.AUDITOR},
    Permission.LETTER_HANDLE: _LETTER_HANDLERS,
    Permission.DELIVERY_MANAGE: _OFFICE,
    Permission.PAGE_EDIT: _OFFICE,
    Permission.REPORT_WATCH: _OFFICE | {Role.DIRECTOR, Role.AUDITOR},
    Permission.REPORT_EDIT: _OFFICE,
    Permission.REPORT_SUBMIT: frozenset({Role.OFFICE_HEAD}),
    Permission.REPORT_PUBLISH: frozenset({Role.OFFICE_HEAD, Role.DIRECTOR}),
}


def roles_with(*permissions: Permission) -> frozenset[Role]:
    """The roles holding at least one of ``permissions``."""
    return frozenset().union(*(GRANTS[p] for p in permissions))


def permissions_of(roles: Iterable[Role]) -> frozenset[Permission]:
    held = frozenset(roles)
    return frozenset(p for p, granted in GRANTS.items() if granted & held)


def can(user: Any, permission: Permission) -> bool:
    """Whether ``user`` (signed in, with a staff role) holds ``permission``."""
    return bool(user_roles(user) & GRANTS[permission])


def require(
    user: Any, permission: Permission, message: str, *, error: type[PermissionDenied] = PermissionDenied
) -> None:
    """Refuse with ``error(message)`` (``PermissionDenied`` or a subclass) unless ``user`` holds ``permission``."""
    if not can(user, permission):
        raise error(message)


def permission_required(*permissions: Permission) -> Callable[[View], View]:
    """View guard: login (redirect), then at least one of ``permissions`` (403 otherwise).

    The guarded view carries ``required_roles`` so the navigation and the staff-URL test can read it.
    """
    allowed = roles_with(*permissions) if permissions else GRANTS[Permission.WORKBENCH]

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not (user_roles(request.user) & allowed):
                raise PermissionDenied("您的角色无权访问此页面")
            return view(request, *args, **kwargs)

        wrapped.required_roles = allowed  # type: ignore[attr-defined]
        wrapped.required_permissions = frozenset(permissions)  # type: ignore[attr-defined]
        return wrapped

    return decorator


# Any staff page: login and any staff role.
staff_required = permission_required(Permission.WORKBENCH)
