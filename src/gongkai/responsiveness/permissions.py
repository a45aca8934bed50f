"""Who may record what in the responsiveness ledgers (``org.access`` permissions, scoped to a 科室).

Everyone on the staff reads them (``RESPONSIVENESS_VIEW``). ``RESPONSIVENESS_RECORD`` holders write: the
公开办 for every 科室, a 科室's staff and head only for their own 科室 (a response it gave, a 督办 task it
carries); the 五方联席会 is the 街道's meeting, recorded by the 公开办 (``JOINT_MEETING_RECORD``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongkai.org.access import Permission, can
from gongkai.org.models import Department
from gongkai.org.selectors import user_department


def departments_for(user: Any) -> QuerySet[Department]:
    """The 科室 ``user`` may record for: every active one for office-wide roles, else their own."""
    qs = Department.objects.filter(active=True)
    if not can(user, Permission.RESPONSIVENESS_RECORD):
        return qs.none()
    if can(user, Permission.SEE_ALL_DEPARTMENTS):
        return qs
    own = user_department(user)
    return qs.filter(pk=own.pk) if own is not None else qs.none()


def can_record_for(user: Any, department: Department) -> bool:
    return departments_for(user).filter(pk=department.pk).exists()
