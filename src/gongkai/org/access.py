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
    # A step of the reply's review chain (审核、签发): which step is the office's chain's business
    # (inforequests.review); on a case it is held only by who may decide the step awaiting a decision.
    REPLY_REVIEW = "reply_review"
    REPLY_CHAIN_EDIT = "reply_chain_edit"  # configure the office's review chain (公开办负责人)
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
    # the mailbox (区长信箱 / 主任信箱 …)
    LETTER_VIEW = "letter_view"
    LETTER_HANDLE = "letter_handle"
    LETTER_FORWARD = "letter_forward"  # 转办 a letter to a 科室, or recall it
    LETTER_DEPARTMENT_ANSWER = "letter_department_answer"  # answer a letter 转办 to one's own 科室
    # 随手拍: the reports from the portal and their forwarding (read; the contact is revealed with a log)
    GRID_VIEW = "grid_view"
    GRID_CONTACT = "grid_contact"
    # 微网格互动: polls, consultations, classroom, service points, traffic notices; comment moderation
    PARTICIPATION_MANAGE = "participation_manage"
    COMMENT_MODERATE = "comment_moderate"
    # 热点回应、督查督办、五方联席会 (gongkai.responsiveness)
    RESPONSIVENESS_VIEW = "responsiveness_view"
    RESPONSIVENESS_RECORD = "responsiveness_record"  # a 科室's staff only for their own 科室
    JOINT_MEETING_RECORD = "joint_meeting_record"  # 五方联席会: the 街道's meeting, kept by the 公开办
    # 消息送达: the dead-letter list and its retry, the letters to post
    DELIVERY_MANAGE = "delivery_manage"
    # portal pages (公开指南, 公开制度)
    PAGE_EDIT = "page_edit"
    # 年度报告
    REPORT_WATCH = "report_watch"  # the deadline panel
    REPORT_EDIT = "report_edit"
    REPORT_SUBMIT = "report_submit"
    REPORT_PUBLISH = "report_publish"
    # 考核排名: see the quarterly department ranking; set its weights and publish a quarter
    RANKING_VIEW = "ranking_view"
    RANKING_EDIT = "ranking_edit"
    # staff accounts: lift a login lock, reset a lost second factor (org.accounts)
    ACCOUNT_MANAGE = "account_manage"


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
    Permission.REPLY_REVIEW: _DRAFTERS | {Role.DIRECTOR},  # every role but the read-only auditor
    Permission.REPLY_CHAIN_EDIT: frozenset({Role.OFFICE_HEAD}),
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
    Permission.LETTER_FORWARD: _LETTER_HANDLERS,
    Permission.LETTER_DEPARTMENT_ANSWER: _DEPARTMENTS,
    Permission.GRID_VIEW: _LETTER_HANDLERS | {Role.AUDITOR},
    Permission.GRID_CONTACT: _LETTER_HANDLERS,
    Permission.RESPONSIVENESS_VIEW: STAFF_ROLES,
    Permission.RESPONSIVENESS_RECORD: _DRAFTERS,
    Permission.JOINT_MEETING_RECORD: _OFFICE,
    Permission.DELIVERY_MANAGE: _OFFICE,
    Permission.PARTICIPATION_MANAGE: _OFFICE,
    Permission.COMMENT_MODERATE: _OFFICE,
    Permission.PAGE_EDIT: _OFFICE,
    Permission.REPORT_WATCH: _OFFICE | {Role.DIRECTOR, Role.AUDITOR},
    Permission.REPORT_EDIT: _OFFICE,
    Permission.REPORT_SUBMIT: frozenset({Role.OFFICE_HEAD}),
    Permission.REPORT_PUBLISH: frozenset({Role.OFFICE_HEAD, Role.DIRECTOR}),
    Permission.ACCOUNT_MANAGE: frozenset({Role.OFFICE_HEAD}),
    Permission.RANKING_VIEW: _OFFICE | {Role.DIRECTOR, Role.AUDITOR},
    Permission.RANKING_EDIT: frozenset({Role.OFFICE_HEAD}),
}

# Who must sign in with a second factor (TOTP): whoever approves, signs or sees personal data, because a
# guessed or phished password alone must not publish an item, sign a reply in the office's name or show
# an applicant's ID number. The rule is this set of permissions; the roles follow from GRANTS, so a
# permission granted to a new role brings the requirement with it (org.accounts.requires_second_factor).
SECOND_FACTOR_PERMISSIONS: frozenset[Permission] = frozenset(
    {
        # approve
        Permission.PUBLICATION_REVIEW,
        Permission.PUBLICATION_REVIEW_FIRST,
        Permission.PUBLICATION_REVIEW_SECOND,
        Permission.REQUEST_APPROVE_EXTENSION,
        Permission.ACCOUNT_MANAGE,
        # sign: replies go out under the office's name; the annual report is submitted and published
        Permission.REQUEST_OFFICE,
        Permission.REPORT_SUBMIT,
        Permission.REPORT_PUBLISH,
        # see personal data: every case (REQUEST_OFFICE), one's own cases as their handler
        # (inforequests.permissions.sees_personal_data), the department's cases, letter writers' contacts
        Permission.REQUEST_HANDLE,
        Permission.DEPARTMENT_PERSONAL_DATA,
        Permission.LETTER_HANDLE,
        Permission.GRID_CONTACT,
        # a 科室 answering a letter 转办 to it reads the letter as written, the writer's words included
        Permission.LETTER_DEPARTMENT_ANSWER,
    }
)


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
