"""Models of the public portal: editable pages, the ID scans of online applications, rate-limit counters."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Page(models.Model):
    """A page the office writes itself: the 政府信息公开指南 and the disclosure rules (制度)."""

    GUIDE = "guide"
    RULES = "rules"
    SLUGS = ((GUIDE, _("政府信息公开指南")), (RULES, _("政府信息公开制度")))

    slug = models.SlugField(_("页面"), max_length=40, unique=True, choices=SLUGS)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(
        _("正文"),
        help_text=_("纯文本：空一行分段；以“一、”“（一）”等开头的段落显示为小标题。不接受网页代码。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("公开专栏页面")
        verbose_name_plural = _("公开专栏页面")
        ordering = ("slug",)

    def __str__(self) -> str:
        return self.title


class ApplicationScan(models.Model):
    """An identity-document scan uploaded with an online application; stored privately (see uploads)."""

    request = models.ForeignKey(
        "inforequests.InfoRequest",
        verbose_name=_("政府信息公开申请"),
        on_delete=models.CASCADE,
        related_name="portal_scans",
    )
    storage_name = models.CharField(_("存储位置"), max_length=200, unique=True)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("原文件名"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("身份证明材料")
        verbose_name_plural = _("身份证明材料")
        ordering = ("request", "id")

    def __str__(self) -> str:
        return f"{self.request} · {self.original_name or self.storage_name}"

    @property
    def extension(self) -> str:
        return self.storage_name.rsplit(".", 1)[-1]


class RateLimitCounter(models.Model):
    """Hits of one key (a hashed IP address, contact or tracking number) in one fixed time window."""

    scope = models.CharField(max_length=40)
    key_digest = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("频率限制计数")
        verbose_name_plural = _("频率限制计数")
        constraints = (
            models.UniqueConstraint(
                fields=("scope", "key_digest", "window_start"), name="portal_rate_unique"
            ),
        )
        indexes = (models.Index(fields=("window_start",), name="portal_rate_window"),)

    def __str__(self) -> str:
        return f"{self.scope} {self.key_digest[:8]} {self.count}"
