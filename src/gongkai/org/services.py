"""Writes of the org app (each with an actor and an audit row)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.services import record_event
from gongkai.org.models import Department, Organisation, StaffProfile
from gongkai.org.roles import Role
from gongkai.org.selectors import current_organisation


def ensure_role_groups() -> None:
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@transaction.atomic
def organisation_set(*, actor: Any, name: str, kind: str, **fields: Any) -> Organisation:
    org = current_organisation()
    before = None
    if org is None:
        org = Organisation(name=name, kind=kind, **fields)
    else:
        before = {"name": org.name, "kind": org.kind}
        org.name, org.kind = name, kind
        for k, v in fields.items():
            setattr(org, k, v)
    org.full_clean()
    org.save()
    record_event(
        actor=actor,
        verb=AuditVerb.ORGANISATION_SET,
        obj=org,
        before=before,
        after={"name": name, "kind": kind},
    )
    return org


@transaction.atomic
def department_create(
    *, actor: Any, organisation: Organisation, name: str, sort_order: int = 0
) -> Department:
    dept = Department(organisation=organisation, name=name, sort_order=sort_order)
    dept.full_clean()
    dept.save()
    record_event(actor=actor, verb=AuditVerb.DEPARTMENT_CREATE, obj=dept, after={"name": name})
    return dept


@transaction.atomic
def staff_create(
    *,
    actor: Any,
    username: str,
    password: str,
    full_name: str,
    roles: list[Role],
    department: Department | None = None,
    title: str = "",
) -> Any:
    ensure_role_groups()
    user = get_user_model().objects.create_user(username=username, password=password, first_name=full_name)
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    StaffProfile.objects.create(user=user, department=department, title=title)
    record_event(
        actor=actor,
        verb=AuditVerb.STAFF_CREATE,
        obj=user,
        after={"username": username, "roles": [r.value for r in roles], "department": str(department or "")},
    )
    return user
