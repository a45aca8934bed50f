"""The 微网格's public side: polls (微信投票), consultations (民意征集), the online classroom (网上课堂),
service points (便民服务网点) and 微循环交通 notices.

One vote per person is a database constraint (``poll`` + ``voter_digest`` unique), not a check before an
insert: two requests at once with the same verified mobile number cannot both be stored. Phone numbers
are kept only as keyed digests; a verification code only as a hash.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class Poll(models.Model):
    title = models.CharField("投票主题", max_length=200)
    description = models.TextField("说明", blank=True)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    is_published = models.BooleanField("已发布", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = "投票"

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    def is_closed(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField("选项", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    # HMAC of the verified mobile number: the same person gives the same digest, nobody reads a number back.
    voter_digest = models.CharField(max_length=64)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "voter_digest"], name="one_vote_per_person")]


class PhoneCode(models.Model):
    """A verification code sent by SMS: hashed, expiring, with a count of wrong tries."""

    phone_digest = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    purpose = models.CharField(max_length=40)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)


class Consultation(models.Model):
    title = models.CharField("征集主题", max_length=200)
    draft_text = models.TextField("征求意见稿")
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    is_published = models.BooleanField("已发布", default=False)
    feedback_summary = models.TextField("意见采纳情况", blank=True)
    feedback_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = "民意征集"

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at


class CommentStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已公开"
    REJECTED = "rejected", "审核未通过"


class Comment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField("意见内容")
    # What the portal shows once approved: the moderator's text, personal data removed.
    public_body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    submitted_at = models.DateTimeField(auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField("不予公开的理由", max_length=200, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]


class Course(models.Model):
    title = models.CharField("课程名称", max_length=200)
    description = models.TextField("课程简介", blank=True)
    is_published = models.BooleanField("已发布", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "课程"

    def __str__(self) -> str:
        return self.title


class LessonKind(models.TextChoices):
    VIDEO = "video", "视频"
    AUDIO = "audio", "音频"
    DOCUMENT = "document", "文档"


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField("课时名称", max_length=200)
    kind = models.CharField(max_length=10, choices=LessonKind.choices)
    storage_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    original_name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]


class ServicePoint(models.Model):
    name = models.CharField("网点名称", max_length=200)
    category = models.CharField("类别", max_length=40)
    address = models.CharField("地址", max_length=200)
    hours = models.CharField("服务时间", max_length=200)
    services = models.TextField("服务项目", help_text="每行一项")
    phone = models.CharField("联系电话", max_length=40, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6)
    is_published = models.BooleanField("已发布", default=True)

    class Meta:
        ordering = ["category", "name"]
        verbose_name = "便民服务网点"

    def __str__(self) -> str:
        return self.name

    @property
    def service_list(self) -> list[str]:
        return [s.strip() for s in self.services.splitlines() if s.strip()]


class TrafficNotice(models.Model):
    road = models.CharField("路段", max_length=200)
    period = models.CharField("管制时段", max_length=200)
    detour = models.TextField("绕行路线")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    is_published = models.BooleanField("已发布", default=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = "微循环交通公告"

    def __str__(self) -> str:
        return self.road
