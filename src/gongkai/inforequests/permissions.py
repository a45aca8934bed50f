"""Who may act on which disclosure request: ``org.access`` permissions, scoped to the case.

- The 公开办 (clerk, office head: ``REQUEST_OFFICE``) registers, assigns, answers and sees every case
  with its personal data.
- A department's staff and head (``REQUEST_HANDLE``) handle the cases assigned to their department and
  the cases they are the handler of: 补正, consultations, fees, extension requests, reply drafts. The
  handler and the department head see the applicant's personal data; other staff see it masked.
- A department head (``REQUEST_ASSIGN``) assigns within their own department.
- Only the office head approves an extension (Art. 33 ¶2: 政府信息公开工作机构负责人).
- The supervising director and the auditor read everything, masked, and change nothing.
- The reply's review chain (``inforequests.review``): ``REPLY_REVIEW`` is held on the case by who may
  decide the step awaiting a decision — the step's role (of the case's 科室 if the step says so), neither
  the person who sent the draft nor anyone who decided another step of the same round.

``case_permissions`` is what ``workflow.allowed`` takes as the actor's roles on the case.
"""

from __future__ import annotations

from typing import Any

from gongkai.inforequests.review import steps_from_json
from gongkai.org.access import Permission, can
from gongkai.org.selectors import user_department, user_roles

__all__ = ["can_view", "case_permissions", "in_case_department", "may_decide_step", "sees_personal_data"]


def in_case_department(user: Any, request: Any) -> bool:
    dept = user_department(user)
    return dept is not None and request.department_id is not None and dept.pk == request.department_id


def _is_handler(user: Any, request: Any) -> bool:
    return request.handler_id is not None and request.handler_id == getattr(user, "pk", None)


def case_permissions(user: Any, request: Any) -> frozenset[Permission]:
    """The ``org.access`` permissions ``user`` holds on this case (none outside their scope)."""
    if can(user, Permission.REQUEST_OFFICE):  # the 公开办 acts on every case
        held = {Permission.REQUEST_OFFICE, Permission.REQUEST_HANDLE, Permission.REQUEST_ASSIGN}
    else:
        own = in_case_department(user, request)
        held = set()
        if can(user, Permission.REQUEST_HANDLE) and (own or _is_handler(user, request)):
            held.add(Permission.REQUEST_HANDLE)
        if can(user, Permission.REQUEST_ASSIGN) and own:
            held.add(Permission.REQUEST_ASSIGN)
    if can(user, Permission.REQUEST_APPROVE_EXTENSION):
        held.add(Permission.REQUEST_APPROVE_EXTENSION)
    if may_decide_step(user, request):
        held.add(Permission.REPLY_REVIEW)
    return frozenset(held)


def may_decide_step(user: Any, request: Any) -> bool:
    """Whether ``user`` may decide the step of the case's reply that awaits a decision (the one rule)."""
    from gongkai.inforequests.models import ReplyNotice, ReplyReviewStatus

    if not can(user, Permission.REPLY_REVIEW):
        return False
    reply = ReplyNotice.objects.filter(request_id=request.pk).first()
    if reply is None or reply.review_status != ReplyReviewStatus.PENDING or reply.review_step is None:
        return False
    chain = steps_from_json(reply.review_chain)
    if reply.review_step >= len(chain):
        return False
    step = chain[reply.review_step]
    if step.role not in {r.value for r in user_roles(user)}:
        return False
    if step.own_department and not in_case_department(user, request):
        return False
    if user.pk == reply.submitted_by_id:
        return False
    return not reply.reviews.filter(round=reply.review_round, reviewer_id=user.pk).exists()


def can_view(user: Any, request: Any) -> bool:
    if can(user, Permission.SEE_ALL_DEPARTMENTS):
        return True
    held = case_permissions(user, request)
    return Permission.REQUEST_HANDLE in held or Permission.REPLY_REVIEW in held


def sees_personal_data(user: Any, request: Any) -> bool:
    """The handler, the case department's head, clerks and the office head."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can(user, Permission.REQUEST_OFFICE) or _is_handler(user, request):
        return True
    return can(user, Permission.DEPARTMENT_PERSONAL_DATA) and in_case_department(user, request)
