"""考核排名: the office's method (indicator weights) and the quarters the office head published (frozen)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RankingMethod(models.Model):
    """The weights the office head set for this office; absent until first changed (the default applies)."""

    organisation = models.OneToOneField(
        "org.Organisation", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="ranking_method"
    )
    weights = models.JSONField(_("指标权重"), default=dict)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考核方法")
        verbose_name_plural = _("考核方法")

    def __str__(self) -> str:
        return f"{self.organisation} 考核方法"


class PublishedQuarter(models.Model):
    """A quarter's ranking as the office head published it internally: scores, method and the records behind
    each score, stored so later edits to records never move it."""

    organisation = models.ForeignKey(
        "org.Organisation", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(_("排名快照"))

    class Meta:
        verbose_name = _("已发布的季度排名")
        verbose_name_plural = _("已发布的季度排名")
        ordering = ("year", "quarter")
        constraints = [
            models.UniqueConstraint(fields=("organisation", "year", "quarter"), name="ranking_quarter_once"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="ranking_quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度考核排名"
