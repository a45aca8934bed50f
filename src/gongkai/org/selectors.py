"""Reads of the org app: the organisation, a user's roles and department."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

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


@dataclass(frozen=True)
class AccountRow:
    user: Any
    roles: list[str]
    locked_until: dt.datetime | None
    failures: int
    has_device: bool
    requires_second_factor: bool


def account_overview() -> list[AccountRow]:
    """Every active account with its login lock, failure count and second-factor state (the 账号安全 page).

    A fixed number of queries whatever the number of accounts.
    """
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gongkai.org.accounts import requires_second_factor
    from gongkai.org.models import LoginThrottle
    from gongkai.org.throttle import account_key

    now = timezone.now()
    throttles = {
        row.key: row
        for row in LoginThrottle.objects.filter(scope=LoginThrottle.Scope.ACCOUNT, failures__gt=0)
        | LoginThrottle.objects.filter(scope=LoginThrottle.Scope.ACCOUNT, locked_until__gt=now)
    }
    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    rows = []
    users = get_user_model().objects.filter(is_active=True).prefetch_related("groups").order_by("username")
    for user in users:
        names = {g.name for g in user.groups.all()}
        roles = [r for r in Role if r.value in names]
        user._gongkai_roles = frozenset(roles)  # what user_roles would query, from the prefetch
        throttle = throttles.get(account_key(user.get_username()))
        lock = throttle.locked_until if throttle is not None else None
        rows.append(
            AccountRow(
                user=user,
                roles=[r.label for r in roles],
                locked_until=lock if lock is not None and lock > now else None,
                failures=throttle.failures if throttle else 0,
                has_device=user.pk in enrolled,
                requires_second_factor=requires_second_factor(user),
            )
        )
    return rows
