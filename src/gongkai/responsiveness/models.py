"""The responsiveness ledgers. Section 一 of the annual report counts them (``reporting.queries``):
responses by ``responded_on`` (those given on 政务微博/微信 separately) and 督查督办 tasks by
``completed_on``; the 五方联席会 is the office's own record of its quarterly meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.choices import JointMeetingParty, ResponseChannel, ResponseSource, SupervisionIssuer


class HotTopicResponse(models.Model):
    """回应公众关注热点或重大舆情: one matter and the office's response to it."""

    subject = models.CharField(_("事项"), max_length=300)
    source = models.CharField(_("来源"), max_length=16, choices=ResponseSource.choices)
    response = models.TextField(_("回应内容"))
    channel = models.CharField(_("回应渠道"), max_length=16, choices=ResponseChannel.choices)
    responded_on = models.DateField(_("回应日期"))
    department = models.ForeignKey(
        "org.Department", verbose_name=_("责任科室"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("热点回应")
        verbose_name_plural = _("热点回应")
        ordering = ("-responded_on", "-id")
        # The roll-up counts a year's responses and, of those, the 微博/微信 ones: one index range scan.
        indexes = [models.Index(fields=["responded_on", "channel"], name="resp_hot_topic_day_channel")]

    def __str__(self) -> str:
        return self.subject


class SupervisionTask(models.Model):
    """区委区政府督查督办: a task set by the district, answered by a 科室 before its deadline."""

    issuer = models.CharField(_("交办单位"), max_length=16, choices=SupervisionIssuer.choices)
    reference = models.CharField(_("督办编号"), max_length=60, blank=True)
    title = models.CharField(_("督办事项"), max_length=300)
    detail = models.TextField(_("工作要求"), blank=True)
    assigned_on = models.DateField(_("交办日期"))
    deadline = models.DateField(_("办结时限"))
    department = models.ForeignKey(
        "org.Department", verbose_name=_("承办科室"), on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(_("办结日期"), null=True, blank=True)
    evidence = models.TextField(_("办结情况及佐证"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("督查督办事项")
        verbose_name_plural = _("督查督办事项")
        ordering = ("deadline", "id")
        indexes = [
            models.Index(fields=["completed_on"], name="resp_supervision_done"),
            models.Index(fields=["deadline"], name="resp_supervision_deadline"),
        ]

    def __str__(self) -> str:
        return self.title


class SupervisionProgress(models.Model):
    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="progress")
    noted_on = models.DateField(_("进展日期"))
    note = models.TextField(_("进展情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("noted_on", "id")


class SupervisionEvidence(models.Model):
    """A file that proves a task done (报告、照片、台账), checked by ``core.files`` and kept in private storage."""

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="evidence_files")
    storage_name = models.CharField(max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)


class JointMeeting(models.Model):
    """五方联席会 (业委会、物业、社区、街道办事处、派出所), at least once a quarter."""

    held_on = models.DateField(_("会议日期"), db_index=True)
    place = models.CharField(_("会议地点"), max_length=200, blank=True)
    # party value (JointMeetingParty) -> who attended for it; a party that sent nobody is absent.
    attendance = models.JSONField(_("出席情况"), default=dict)
    minutes = models.TextField(_("会议纪要"))
    resolutions = models.TextField(_("议定事项"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("五方联席会")
        verbose_name_plural = _("五方联席会")
        ordering = ("-held_on", "-id")

    def __str__(self) -> str:
        return f"{self.held_on:%Y年%-m月%-d日}五方联席会"

    def parties(self) -> list[tuple[str, str]]:
        """(party label, who attended or 未出席) in the seed's order."""
        return [
            (str(label), self.attendance.get(value, "") or "未出席")
            for value, label in JointMeetingParty.choices
        ]


class MeetingFollowUp(models.Model):
    """A task the meeting resolved on, with its owner and deadline."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="follow_ups")
    task = models.CharField(_("落实事项"), max_length=300)
    owner = models.CharField(_("责任方"), max_length=100)
    deadline = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_note = models.TextField(_("完成情况"), blank=True)

    class Meta:
        ordering = ("deadline", "id")
