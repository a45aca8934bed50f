"""Who on the staff is told: a case's handler, else its 科室, else the 公开办; reviewers; approvers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from gongkai.inforequests.models import InfoRequest
from gongkai.org.access import Permission, roles_with

__all__ = ["case_staff", "department_staff", "holders", "users"]


def _active() -> QuerySet[Any]:
    return get_user_model().objects.filter(is_active=True)


def users(ids: Iterable[Any]) -> list[Any]:
    """The active users among ``ids`` (ids that are not numbers, or of deleted users, are skipped)."""
    wanted = {int(i) for i in ids if str(i).isdigit()}
    return list(_active().filter(pk__in=wanted).order_by("pk")) if wanted else []


def holders(permission: Permission, *, department_id: int | None = None) -> list[Any]:
    """Active staff whose role holds ``permission``, of one 科室 if given."""
    qs = _active().filter(groups__name__in=[r.value for r in roles_with(permission)])
    if department_id is not None:
        qs = qs.filter(staff_profile__department_id=department_id)
    return list(qs.distinct().order_by("pk"))


def department_staff(department_id: int | None) -> list[Any]:
    """Everyone of one 科室 (for a letter forwarded to it); the 公开办 when the 科室 has nobody."""
    if department_id is not None:
        found = list(_active().filter(staff_profile__department_id=department_id).order_by("pk"))
        if found:
            return found
    return holders(Permission.REQUEST_OFFICE)


def case_staff(req: InfoRequest) -> list[Any]:
    """Whoever answers for a case now: its handler; unassigned, the 科室's handlers; else the 公开办."""
    if req.handler_id is not None:
        handler = _active().filter(pk=req.handler_id).first()
        if handler is not None:
            return [handler]
    if req.department_id is not None:
        found = holders(Permission.REQUEST_HANDLE, department_id=req.department_id)
        if found:
            return found
    return holders(Permission.REQUEST_OFFICE)
