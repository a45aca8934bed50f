"""Helpers shared by the publication service modules: who may do what, the guards, locking, the audit
snapshot and the outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.filters import statutory_today
from gongkai.core.services import enqueue_message, model_snapshot
from gongkai.org.access import GRANTS, Permission, can, require
from gongkai.org.models import Department
from gongkai.org.roles import Role
from gongkai.org.selectors import user_department
from gongkai.publications.models import Publication

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


today = statutory_today  # the statutory date (Asia/Shanghai), as every service of this app reads it


# --- guards --------------------------------------------------------------------------------------


def _require(actor: Any, permission: Permission, doing: str) -> None:
    # "只有<the roles holding the permission>可以<doing>"; the roles are org.access.GRANTS'.
    holders = "、".join(sorted(r.label for r in GRANTS[permission]))
    require(actor, permission, f"只有{holders}可以{doing}", error=ActionRefused)


def _require_department(actor: Any, department: Department | None) -> None:
    # Department staff act for their own 科室 only; office-wide roles for any.
    if department is None or can(actor, Permission.SEE_ALL_DEPARTMENTS):
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
