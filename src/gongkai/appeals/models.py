"""行政复议 and 行政诉讼 brought against the office's disclosure work (Table 四 of the annual report)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.choices import AppealKind, AppealResult


class Appeal(models.Model):
    kind = models.CharField(_("类型"), max_length=30, choices=AppealKind.choices)
    request = models.ForeignKey(
        "inforequests.InfoRequest",
        verbose_name=_("关联申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    appellant = models.CharField(_("申请人或原告"), max_length=100)
    case_number = models.CharField(_("案号"), max_length=100, blank=True)
    authority = models.CharField(_("复议机关或受理法院"), max_length=100, blank=True)
    filed_on = models.DateField(_("申请或立案日期"), db_index=True)
    result = models.CharField(
        _("结果"), max_length=20, choices=AppealResult.choices, default=AppealResult.PENDING
    )
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("行政复议或诉讼")
        verbose_name_plural = _("行政复议或诉讼")
        ordering = ("-filed_on", "-id")
        constraints = (
            models.CheckConstraint(
                name="appeal_decided_iff_result",
                condition=(Q(result=AppealResult.PENDING) & Q(decided_on__isnull=True))
                | (~Q(result=AppealResult.PENDING) & Q(decided_on__isnull=False)),
            ),
            models.CheckConstraint(
                name="appeal_decided_after_filed",
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("filed_on")),
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.appellant}"

    @property
    def is_pending(self) -> bool:
        """尚未审结: no decision yet."""
        return self.result == AppealResult.PENDING
