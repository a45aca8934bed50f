"""The annual report of one year as the office works on it: draft → submitted → published.

A draft's tables are never stored: they are the live roll-up of the ledger (``queries``). What staff
write is stored here — replacements for drafted paragraphs of section 一, further paragraphs,
sections 五 and 六 — together with the layout choices. On submission the canonical JSON is frozen,
so the report the 主管部门 received is the one that gets published; a published year is locked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    PUBLISHED = "published", _("已发布")


class ReportVariant(models.TextChoices):
    NATIONAL = "national", _("全国统一格式")
    BEIJING = "beijing", _("北京（采购总金额以万元计，保留四位小数）")


class AnnualReportRecord(models.Model):
    Status = ReportStatus

    year = models.PositiveIntegerField(_("报告年度"), unique=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    variant = models.CharField(
        _("格式版本"), max_length=16, choices=ReportVariant.choices, default=ReportVariant.NATIONAL
    )
    split_other_services = models.BooleanField(
        _("其他对外管理服务事项分列行政检查、行政确认"),
        default=True,
        help_text=_("仅 2019 版格式：表二第二十条第（五）项按行政检查、行政确认分行填报"),
    )
    # Drafted paragraph key ("proactive", "requests") -> staff's replacement text.
    overview_overrides = models.JSONField(_("总体情况修改"), default=dict, blank=True)
    overview_extra = models.TextField(_("总体情况其他段落"), blank=True)
    problems = models.TextField(_("存在的主要问题及改进情况"), blank=True)
    # None: drafted (2021 format: the 信息处理费 sentence); a string, even empty, is staff's text.
    other = models.TextField(_("其他需要报告的事项"), null=True, blank=True)
    findings = models.JSONField(_("检查结果"), default=list, blank=True)
    checked_at = models.DateTimeField(_("检查时间"), null=True, blank=True)
    frozen_json = models.JSONField(_("报送/发布版本"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ("-year",)
        constraints = (
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT, frozen_json__isnull=True)
                | Q(status__in=(ReportStatus.SUBMITTED, ReportStatus.PUBLISHED), frozen_json__isnull=False),
                name="report_frozen_iff_submitted",
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.PUBLISHED, published_on__isnull=False)
                | (~Q(status=ReportStatus.PUBLISHED) & Q(published_on__isnull=True)),
                name="report_published_on_iff_published",
            ),
        )

    def __str__(self) -> str:
        return f"{self.year} 年度政府信息公开工作年度报告"

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    @property
    def is_frozen(self) -> bool:
        return self.frozen_json is not None

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.get("severity") == "error")

    @property
    def warning_count(self) -> int:
        return sum(1 for f in self.findings if f.get("severity") == "warning")
