"""Helpers shared by the publication service modules: who may do what, the guards, locking, the audit
snapshot and the outbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.core.services import enqueue_message, model_snapshot
from gongkai.org.models import Department
from gongkai.org.roles import Role
from gongkai.org.selectors import has_role, sees_all_departments, user_department
from gongkai.publications.models import Publication

# Who may do what; the views' role_required lists mirror these sets.
DRAFT_ROLES = frozenset({Role.CLERK, Role.DEPT_STAFF, Role.DEPT_HEAD, Role.OFFICE_HEAD})
RECORD_ROLES = DRAFT_ROLES  # channel posts, interpretations, Table 二 facts
ARCHIVE_ROLES = frozenset({Role.CLERK, Role.OFFICE_HEAD})
WITHDRAW_ROLES = frozenset({Role.DIRECTOR, Role.OFFICE_HEAD})
REPEAL_ROLES = frozenset({Role.CLERK, Role.DIRECTOR, Role.OFFICE_HEAD})
REGISTER_ROLES = frozenset({Role.CLERK, Role.OFFICE_HEAD})
REVIEW_ROLES = frozenset({Role.DEPT_HEAD, Role.DIRECTOR})

EDITABLE_FIELDS = (
    "title",
    "body",
    "category",
    "doc_kind",
    "key_area",
    "department",
    "doc_number",
    "formed_on",
)


class ActionRefused(PermissionDenied):
    """A service refused an action (role, separation of duties, state); the message says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def today() -> dt.date:
    """The statutory date now: the local date in Asia/Shanghai (settings.TIME_ZONE), whatever is active."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


# --- guards --------------------------------------------------------------------------------------


def _require_role(actor: Any, roles: Iterable[Role], doing: str) -> None:
    roles = tuple(roles)
    if not has_role(actor, *roles):
        labels = "、".join(sorted(r.label for r in roles))
        raise ActionRefused(f"只有{labels}可以{doing}")


def _require_department(actor: Any, department: Department | None) -> None:
    # Department staff act for their own 科室 only; office-wide roles for any.
    if department is None or sees_all_departments(actor):
        return
    own = user_department(actor)
    if own is None or own.pk != department.pk:
        raise ActionRefused(f"您只能为本科室（{own or '未分配科室'}）录入，不能为{department}录入")


def _not_in_future(value: dt.date | None, label: str) -> None:
    if value is not None and value > today():
        raise ValidationError({label: f"日期 {value.isoformat()} 晚于今天，请核对"})


def _locked(publication: Publication) -> Publication:
    # Serialises concurrent reviewers on PostgreSQL; SQLite takes the write lock at BEGIN (IMMEDIATE).
    return Publication.objects.select_for_update().select_related("department").get(pk=publication.pk)


def _sync(target: Publication, source: Publication) -> None:
    # The caller's instance reflects the stored state after the service.
    for f in Publication._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


def _snapshot(pub: Publication) -> dict[str, Any]:
    return model_snapshot(pub, fields=(*EDITABLE_FIELDS, "status", "review_round", "published_on"))


def _users_with_role(role: Role, department: Department | None = None) -> list[int]:
    qs = get_user_model().objects.filter(groups__name=role.value, is_active=True)
    if department is not None:
        qs = qs.filter(staff_profile__department=department)
    return sorted(qs.values_list("pk", flat=True).distinct())


def _notify(kind: str, pub: Publication, recipients: list[int], **extra: Any) -> None:
    enqueue_message(
        kind=kind, payload={"publication": pub.pk, "title": pub.title, "recipients": recipients, **extra}
    )
