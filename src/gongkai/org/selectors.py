"""Reads of the org app: the organisation, a user's roles and department."""

from __future__ import annotations

from typing import Any

from gongkai.org.models import Department, Organisation
from gongkai.org.roles import Role


class OrganisationMissing(LookupError):
    def __init__(self) -> None:
        super().__init__("尚未设置本机关信息：请在管理后台“机关”中录入，或运行 gongkai demo")


def current_organisation() -> Organisation | None:
    """The organisation this installation serves (the first one entered), or None before it is set up."""
    return Organisation.objects.order_by("id").first()


def organisation_name() -> str:
    """The name of the current organisation, or "" before it is set up."""
    org = current_organisation()
    return org.name if org is not None else ""


def mailbox_name() -> str:
    """What the public mailbox is called here (区长信箱, 主任信箱 …; ``Organisation.mailbox_title``)."""
    org = current_organisation()
    return org.mailbox_title if org is not None else "信箱"


def get_organisation() -> Organisation:
    """The current organisation; raises ``OrganisationMissing`` (a message staff can act on) if none."""
    org = current_organisation()
    if org is None:
        raise OrganisationMissing()
    return org


def user_roles(user: Any) -> frozenset[Role]:
    """The roles of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_gongkai_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(r for r in Role if r.value in names)
        user._gongkai_roles = cached
    return cached


def user_department(user: Any) -> Department | None:
    profile = getattr(user, "staff_profile", None) if getattr(user, "is_authenticated", False) else None
    return profile.department if profile else None
