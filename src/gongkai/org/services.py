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
        before = {"name": org.name, "kind": org.kind, "mailbox_name": org.mailbox_name}
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
        after={"name": name, "kind": kind, "mailbox_name": org.mailbox_name},
    )
    return org


@transaction.atomic
def department_create(
    *, actor: Any, organisation: Organisation, name: str, sort_order: int = 0, active: bool = True
) -> Department:
    dept = Department(organisation=organisation, name=name, sort_order=sort_order, active=active)
    dept.full_clean()
    dept.save()
    record_event(actor=actor, verb=AuditVerb.DEPARTMENT_CREATE, obj=dept, after={"name": name})
    return dept


def _department_fields(dept: Department) -> dict[str, Any]:
    return {
        "organisation": str(dept.organisation),
        "name": dept.name,
        "sort_order": dept.sort_order,
        "active": dept.active,
    }


@transaction.atomic
def department_update(
    *,
    actor: Any,
    department: Department,
    name: str,
    sort_order: int,
    active: bool,
    organisation: Organisation | None = None,
) -> Department:
    """Rename, reorder, retire or move a 科室 (its records keep pointing at it; a retired one takes no new ones)."""
    dept = Department.objects.select_for_update().get(pk=department.pk)
    before = _department_fields(dept)
    dept.name, dept.sort_order, dept.active = name.strip(), sort_order, active
    if organisation is not None:
        dept.organisation = organisation
    dept.full_clean()
    dept.save()
    record_event(
        actor=actor, verb=AuditVerb.DEPARTMENT_UPDATE, obj=dept, before=before, after=_department_fields(dept)
    )
    return dept


def _profile_fields(profile: StaffProfile) -> dict[str, Any]:
    return {"department": str(profile.department or ""), "title": profile.title}


@transaction.atomic
def staff_profile_create(
    *, actor: Any, user: Any, department: Department | None, title: str = ""
) -> StaffProfile:
    """Place an existing account in a 科室 (``staff_create`` does this for a new account)."""
    profile = StaffProfile(user=user, department=department, title=title.strip())
    profile.full_clean()
    profile.save()
    record_event(
        actor=actor, verb=AuditVerb.STAFF_PROFILE_CREATE, obj=profile, after=_profile_fields(profile)
    )
    return profile


@transaction.atomic
def staff_profile_update(
    *, actor: Any, profile: StaffProfile, department: Department | None, title: str
) -> StaffProfile:
    """Move a member of staff to another 科室 (or to the 公开办: no department) or change their 职务."""
    # Only the profile row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # department join (a profile in the 公开办 has none).
    current = (
        StaffProfile.objects.select_for_update(of=("self",)).select_related("department").get(pk=profile.pk)
    )
    before = _profile_fields(current)
    current.department, current.title = department, title.strip()
    current.full_clean()
    current.save()
    record_event(
        actor=actor,
        verb=AuditVerb.STAFF_PROFILE_UPDATE,
        obj=current,
        before=before,
        after=_profile_fields(current),
    )
    return current


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
    # Someone else chose this password: its owner chooses their own at first sign-in.
    user = get_user_model().objects.create_user(
        username=username, password=password, first_name=full_name, password_change_required=True
    )
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    StaffProfile.objects.create(user=user, department=department, title=title)
    record_event(
        actor=actor,
        verb=AuditVerb.STAFF_CREATE,
        obj=user,
        after={"username": username, "roles": [r.value for r in roles], "department": str(department or "")},
    )
    return user
