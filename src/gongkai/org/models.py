"""The organisation, its departments (科室) and the staff profile that places a user in one."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.choices import OrganisationKind


def default_mailbox_name(kind: str, name: str = "") -> str:
    """The mailbox's usual name: a government's is its head's (区长 / 县长 / 市长信箱), a 乡镇's the
    乡长's or 镇长's, a 街道办事处's or a department's the 主任's (a 局 has a 局长)."""
    if kind == OrganisationKind.GOVERNMENT:
        for level in ("县", "市", "区", "州", "旗"):
            if name.removesuffix("人民政府").endswith(level):
                return f"{level}长信箱"
        return "区长信箱"
    if kind == OrganisationKind.TOWNSHIP:
        return "乡长信箱" if name.removesuffix("人民政府").endswith("乡") else "镇长信箱"
    if kind == OrganisationKind.DEPARTMENT and name.endswith("局"):
        return "局长信箱"
    return "主任信箱"


class Organisation(models.Model):
    """The office running this deployment (one row). Its kind sets the annual-report deadline (Art. 49)."""

    name = models.CharField(_("机关名称"), max_length=100)
    kind = models.CharField(_("机关类型"), max_length=20, choices=OrganisationKind.choices)
    parent_name = models.CharField(_("上级机关"), max_length=100, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    mailbox_name = models.CharField(
        _("信箱名称"),
        max_length=20,
        blank=True,
        help_text=_("门户和工作台上来信栏目的名称，如“区长信箱”“主任信箱”“书记信箱”；留空则按机关类型确定"),
    )

    class Meta:
        verbose_name = _("机关")
        verbose_name_plural = _("机关")

    def __str__(self) -> str:
        return self.name

    @property
    def report_kind(self) -> str:
        """'government' for a 本级政府 report (3月31日), else 'department' (1月31日); see statute.md §0."""
        return "government" if self.kind == OrganisationKind.GOVERNMENT else "department"

    @property
    def mailbox_title(self) -> str:
        """What the public mailbox is called: the name set here, else the usual one for the organisation."""
        return self.mailbox_name.strip() or default_mailbox_name(self.kind, self.name)

    @property
    def mailbox_addressee(self) -> str:
        """Whom a letter is written to (区长 of 区长信箱), or "" when the mailbox is not named for a person."""
        title = self.mailbox_title
        person = title.removesuffix("信箱")
        return person if person != title and person.endswith(("长", "主任", "书记")) else ""

    def report_deadline(self, report_year: int) -> dt.date:
        month = 3 if self.kind == OrganisationKind.GOVERNMENT else 1
        day = 31
        return dt.date(report_year + 1, month, day)


class Department(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(_("科室名称"), max_length=100)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("科室")
        verbose_name_plural = _("科室")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="org_department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("科室"),
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()}（{self.department or '公开办'}）"


class LoginThrottle(models.Model):
    """Failed sign-ins of one account name or one network address (org.throttle explains the rules).

    Kept in the database, not a process cache, so that every gunicorn worker and a restart see the same
    count. The key is the account name as typed (also one that does not exist, so that a lock says
    nothing about which names are real) or the address.
    """

    class Scope(models.TextChoices):
        ACCOUNT = "account", _("账号")
        ADDRESS = "address", _("网络地址")

    scope = models.CharField(_("范围"), max_length=10, choices=Scope.choices)
    key = models.CharField(_("账号或地址"), max_length=150)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败计数")
        verbose_name_plural = _("登录失败计数")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="org_login_throttle_unique")]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.key}：{self.failures}"
