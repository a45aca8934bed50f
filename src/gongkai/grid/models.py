"""随手拍 reports and their forwarding to the receivers (区网格化管理平台, 96010 热线).

A report keeps its photo only as the copy re-encoded by Pillow (``core.files``), which carries no EXIF at
all: the place the citizen confirmed is kept in its own fields, never in the picture. Each receiver gets
one ``Forwarding`` row whose ``key`` is the outbox message's idempotency key: the receiver's answer (its
id) and the statuses it later reports are stored there.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    ROAD = "road", _("道路设施")
    SANITATION = "sanitation", _("环境卫生")
    GREENERY = "greenery", _("园林绿化")
    PARKING = "parking", _("违章停车")
    CONSTRUCTION = "construction", _("违法建设")
    PUBLIC_FACILITY = "facility", _("公共设施损坏")
    NOISE = "noise", _("噪声扰民")
    OTHER = "other", _("其他")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("已收到，待转送")
    FORWARDED = "forwarded", _("已转送处理部门")
    PROCESSING = "processing", _("处理中")
    RESOLVED = "resolved", _("已办结")
    REJECTED = "rejected", _("不予受理")


class Receiver(models.TextChoices):
    GRID = "grid", _("区网格化管理平台")
    HOTLINE = "96010", _("96010 热线")


class Report(models.Model):
    Status = ReportStatus

    tracking_number = models.CharField(_("受理编号"), max_length=30, unique=True)
    # The citizen's 查询码, salted and hashed (core.tracking_codes); shown once, never stored in clear.
    query_code_hash = models.CharField(_("查询码（散列）"), max_length=128, editable=False)
    category = models.CharField(_("问题类别"), max_length=20, choices=Category.choices)
    place = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("问题描述"))
    # WGS-84, as the citizen confirmed it (typed, from the browser, or from the photo on their own device).
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    storage_name = models.CharField(_("照片（存储名）"), max_length=200, blank=True)
    photo_type = models.CharField(_("照片类型"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    status_note = models.CharField(_("办理情况"), max_length=300, blank=True)
    status_at = models.DateTimeField(_("状态更新时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("随手拍")
        verbose_name_plural = _("随手拍")
        ordering = ("-submitted_at", "-id")

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.get_category_display()}"

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Forwarding(models.Model):
    """One report sent to one receiver: what it answered and what it later said of the case."""

    report = models.ForeignKey(
        Report, verbose_name=_("随手拍"), on_delete=models.CASCADE, related_name="forwardings"
    )
    receiver = models.CharField(_("接收平台"), max_length=10, choices=Receiver.choices)
    key = models.CharField(_("幂等键"), max_length=200, unique=True)
    receiver_ref = models.CharField(_("对方受理号"), max_length=100, blank=True)
    acknowledged_at = models.DateTimeField(_("对方确认接收时间"), null=True, blank=True)
    receiver_status = models.CharField(
        _("对方办理状态"), max_length=16, choices=ReportStatus.choices, blank=True
    )
    receiver_note = models.CharField(_("对方说明"), max_length=300, blank=True)
    status_at = models.DateTimeField(_("状态回传时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("随手拍转送")
        verbose_name_plural = _("随手拍转送")
        ordering = ("report", "receiver")
        constraints = (models.UniqueConstraint(fields=("report", "receiver"), name="grid_forwarding_once"),)

    def __str__(self) -> str:
        return f"{self.report.tracking_number} → {self.get_receiver_display()}"
