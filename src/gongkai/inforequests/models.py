"""依申请公开: disclosure requests, their clock pauses, extensions, reply notices, fees and notice templates.

Field names are the contract the annual-report roll-up relies on (Table 三 is a GROUP BY
applicant_type, outcome over ``closed_on``; 新收 and 结转 come from ``received_on``/``closed_on``).
Every write goes through ``services``.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.choices import ApplicantType, Outcome, RequestChannel
from gongkai.inforequests.clock import MAX_EXTENSION_WORKDAYS, PAUSE_LABELS, PauseKind
from gongkai.inforequests.fees import FeeMethod
from gongkai.org.roles import Role


class RequestStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("待确认收到")
    OPEN = "open", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    PAUSED = "paused", _("暂停计时")
    ANSWERED = "answered", _("已答复")  # a 告知书 went out
    CLOSED = "closed", _("已终止")  # 视为放弃: no 补正 or no fee in time, no reply due


OPEN_STATUSES = (
    RequestStatus.AWAITING_CONFIRMATION,
    RequestStatus.OPEN,
    RequestStatus.AWAITING_CORRECTION,
    RequestStatus.PAUSED,
)
# The case list's status filter for any of OPEN_STATUSES ("未办结"). Its value is also RequestStatus.OPEN's,
# so the filter takes it to mean every open status, RequestStatus.OPEN included.
ANY_OPEN_STATUS = "open"
# Statuses in which the reply clock runs (a consultation or an unpaid fee only suspends it for a while).
CLOCK_STATUSES = (RequestStatus.OPEN, RequestStatus.PAUSED)
FINISHED_STATUSES = (RequestStatus.ANSWERED, RequestStatus.CLOSED)


class ProvisionForm(models.TextChoices):
    PAPER = "paper", _("纸质文本")
    EMAIL = "email", _("电子邮件")
    MEDIUM = "medium", _("光盘或其他存储介质")
    INSPECTION = "inspection", _("当场查阅、抄录")
    OTHER = "other", _("其他")


class PauseKindChoice(models.TextChoices):
    CORRECTION = PauseKind.CORRECTION.value, PAUSE_LABELS[PauseKind.CORRECTION]
    THIRD_PARTY = PauseKind.THIRD_PARTY.value, PAUSE_LABELS[PauseKind.THIRD_PARTY]
    ORGAN = PauseKind.ORGAN.value, PAUSE_LABELS[PauseKind.ORGAN]
    FEE = PauseKind.FEE.value, PAUSE_LABELS[PauseKind.FEE]


class FeeMethodChoice(models.TextChoices):
    PER_PIECE = FeeMethod.PER_PIECE.value, _("按件计收")
    PER_PAGE = FeeMethod.PER_PAGE.value, _("按量计收")


# "1." "2、" "（一）" "一、" "(3)" at the start of an item: the list numbers the items itself.
_ITEM_NUMBER = re.compile(
    r"^\s*(?:[(（](?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})[)）]|(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})[.．、)）])\s*"
)


def split_items(text: str) -> list[str]:
    """A 补正 notice's text as its items: one per non-empty line, leading numbering dropped."""
    return [item for line in text.splitlines() if (item := _ITEM_NUMBER.sub("", line).strip())]


class InfoRequest(models.Model):
    reference = models.CharField(_("案号"), max_length=60, unique=True)
    channel = models.CharField(_("申请方式"), max_length=20, choices=RequestChannel.choices)
    submitted_on = models.DateField(_("申请人提交日期"))
    received_on = models.DateField(
        _("收到申请之日"), null=True, blank=True, db_index=True, help_text=_("第三十一条；待确认时为空")
    )
    receipt_note = models.CharField(
        _("收到凭据"), max_length=200, blank=True, help_text=_("如：挂号信签收单号、电话确认记录")
    )
    corrected_on = models.DateField(_("收到补正后申请之日"), null=True, blank=True)
    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("申请人姓名或名称"), max_length=100)
    applicant_id_number = models.CharField(_("身份证件号码"), max_length=40, blank=True)
    applicant_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    applicant_address = models.CharField(_("通信地址"), max_length=200, blank=True)
    applicant_email = models.EmailField(_("电子邮箱"), blank=True)
    description = models.TextField(_("申请公开的政府信息"))
    form_of_provision = models.CharField(
        _("获取信息的方式"), max_length=20, choices=ProvisionForm.choices, blank=True
    )
    provided_as = models.CharField(
        _("提供信息的形式"),
        max_length=20,
        choices=ProvisionForm.choices,
        blank=True,
        help_text=_("第四十条：本机关确定的具体提供形式；留空即按申请人要求的获取方式"),
    )
    pieces = models.PositiveIntegerField(
        _("件数"), default=1, validators=[MinValueValidator(1)], help_text=_("按“一事一申请”拆分后的件数")
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("承办科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="info_requests",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_info_requests",
    )
    status = models.CharField(_("状态"), max_length=30, choices=RequestStatus.choices, db_index=True)
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices, null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    portal_secret_hash = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ("-received_on", "-id")
        indexes = (models.Index(fields=("applicant_type", "outcome"), name="inforeq_type_outcome"),)
        constraints = (
            models.CheckConstraint(
                name="inforeq_received_iff_confirmed",
                condition=(Q(status=RequestStatus.AWAITING_CONFIRMATION) & Q(received_on__isnull=True))
                | (~Q(status=RequestStatus.AWAITING_CONFIRMATION) & Q(received_on__isnull=False)),
            ),
            models.CheckConstraint(
                name="inforeq_outcome_iff_finished",
                condition=(
                    Q(status__in=FINISHED_STATUSES) & Q(outcome__isnull=False) & Q(closed_on__isnull=False)
                )
                | (~Q(status__in=FINISHED_STATUSES) & Q(outcome__isnull=True) & Q(closed_on__isnull=True)),
            ),
            models.CheckConstraint(
                name="inforeq_closed_after_received",
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("received_on")),
            ),
            models.CheckConstraint(name="inforeq_pieces_positive", condition=Q(pieces__gte=1)),
        )

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_awaiting_correction(self) -> bool:
        """A 补正 notice went out and the corrected application has not arrived: the clock waits."""
        return self.status == RequestStatus.AWAITING_CORRECTION

    @property
    def is_paused(self) -> bool:
        """A consultation or an unpaid fee suspends the clock for a while."""
        return self.status == RequestStatus.PAUSED

    @property
    def is_closed(self) -> bool:
        """Ended without a reply (视为放弃), as opposed to answered."""
        return self.status == RequestStatus.CLOSED

    @property
    def is_finished(self) -> bool:
        """Answered or closed: nothing more is due."""
        return self.status in FINISHED_STATUSES


class ClockPause(models.Model):
    """A 补正, consultation or fee notice: ``started_on`` the day it went out, ``ended_on`` the day the
    answer arrived (or, for a 补正 or fee that lapsed, the day the case was closed)."""

    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("类型"), max_length=20, choices=PauseKindChoice.choices)
    started_on = models.DateField(_("发出日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    respond_by = models.DateField(
        _("答复截止日"), null=True, blank=True, help_text=_("补正期限、征求意见期限或缴费期限")
    )
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("计时暂停")
        verbose_name_plural = _("计时暂停")
        ordering = ("started_on", "id")
        constraints = (
            models.CheckConstraint(
                name="inforeq_pause_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            ),
            # 一次性告知: one 补正 per application.
            models.UniqueConstraint(
                fields=("request",),
                condition=Q(kind=PauseKindChoice.CORRECTION),
                name="inforeq_one_correction",
            ),
        )

    def __str__(self) -> str:
        return f"{self.request} {self.get_kind_display()} {self.started_on:%Y-%m-%d}"

    @property
    def items(self) -> list[str]:
        """The 补正 notice's items, one a line, without the numbering staff may have typed."""
        return split_items(self.note)


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class Extension(models.Model):
    """延长答复期限 (Art. 33 ¶2): approved by the 公开办负责人 and notified before the base deadline."""

    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="extensions")
    status = models.CharField(
        _("状态"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    workdays = models.PositiveSmallIntegerField(
        _("延长工作日数"), validators=[MinValueValidator(1), MaxValueValidator(MAX_EXTENSION_WORKDAYS)]
    )
    reason = models.TextField(_("延期理由"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    notified_on = models.DateField(_("告知申请人日期"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延长答复期限")
        verbose_name_plural = _("延长答复期限")
        ordering = ("requested_at", "id")
        constraints = (
            models.CheckConstraint(
                name="inforeq_extension_max_20",
                condition=Q(workdays__gte=1) & Q(workdays__lte=MAX_EXTENSION_WORKDAYS),
            ),
            models.CheckConstraint(
                name="inforeq_extension_approved_complete",
                condition=~Q(status=ExtensionStatus.APPROVED)
                | (
                    Q(approved_by__isnull=False) & Q(approved_on__isnull=False) & Q(notified_on__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=("request",),
                condition=Q(status__in=(ExtensionStatus.APPROVED, ExtensionStatus.PENDING)),
                name="inforeq_one_extension",
            ),
        )

    def __str__(self) -> str:
        return f"{self.request} 延长 {self.workdays} 个工作日（{self.get_status_display()}）"


class ReplyReviewStatus(models.TextChoices):
    DRAFT = "draft", _("未送审")
    PENDING = "pending", _("审核中")
    RETURNED = "returned", _("已退回修改")
    SIGNED = "signed", _("已签发")


class ReplyNotice(models.Model):
    """The 告知书: a draft while ``issued_on`` is empty; its DOCX is rendered on demand."""

    request = models.OneToOneField(InfoRequest, on_delete=models.CASCADE, related_name="reply")
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices)
    title = models.CharField(_("告知书标题"), max_length=100)
    body = models.TextField(_("答复内容"))
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("拟稿时间"), default=timezone.now)
    issued_on = models.DateField(_("答复日期"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发出人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The review chain (inforequests.review): the current round's state, its copy of the chain, the step
    # awaiting a decision (0-based) and who sent it; every decision of every round is a ReplyReview row.
    review_status = models.CharField(
        _("审核状态"), max_length=20, choices=ReplyReviewStatus.choices, default=ReplyReviewStatus.DRAFT
    )
    review_round = models.PositiveIntegerField(_("审核轮次"), default=0)
    review_chain = models.JSONField(_("本轮审核流程"), default=list, blank=True)
    review_step = models.PositiveSmallIntegerField(_("待审核步骤"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送审人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_on = models.DateField(_("送审日期"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_on = models.DateField(_("签发日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("答复告知书")
        verbose_name_plural = _("答复告知书")
        constraints = (
            models.CheckConstraint(
                name="inforeq_reply_signed_complete",
                condition=~Q(review_status=ReplyReviewStatus.SIGNED) | Q(signed_on__isnull=False),
            ),
            # Issuing (sending out) needs the signed chain.
            models.CheckConstraint(
                name="inforeq_reply_issued_signed",
                condition=Q(issued_on__isnull=True) | Q(review_status=ReplyReviewStatus.SIGNED),
            ),
        )

    def __str__(self) -> str:
        return f"{self.request} {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.issued_on is None


class Fee(models.Model):
    """信息处理费: one method per application (第三条); the wait for payment pauses the clock."""

    request = models.OneToOneField(InfoRequest, on_delete=models.CASCADE, related_name="fee")
    method = models.CharField(_("计收方式"), max_length=20, choices=FeeMethodChoice.choices)
    quantity = models.PositiveIntegerField(_("件数或页数"), validators=[MinValueValidator(1)])
    earlier_pieces = models.PositiveIntegerField(
        _("本月此前已申请件数"), default=0, help_text=_("按件计收时，同一申请人本自然月此前累计的件数")
    )
    amount_yuan = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    notified_on = models.DateField(_("收费通知日期"))
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    waived = models.BooleanField(_("已减免"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("信息处理费")
        verbose_name_plural = _("信息处理费")

    def __str__(self) -> str:
        return f"{self.request} {self.amount_yuan} 元"

    @property
    def is_per_piece(self) -> bool:
        return self.method == FeeMethodChoice.PER_PIECE


class ReplyTemplate(models.Model):
    """The editable 告知书 text per outcome; placeholders such as {申请人} are filled when drafting."""

    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices, unique=True)
    title = models.CharField(_("告知书标题"), max_length=100)
    body = models.TextField(_("答复内容"))
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("告知书模板")
        verbose_name_plural = _("告知书模板")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}：{self.title}"


class CorrectionSubmission(models.Model):
    """A 补正 the applicant sent through the portal: what they wrote and the day it arrived.

    One per case (the 补正 is asked for once, Art. 30), which the database holds too: a second
    submission cannot restart the clock a second time.
    """

    request = models.OneToOneField(
        InfoRequest, on_delete=models.CASCADE, related_name="correction_submission"
    )
    text = models.TextField(_("补正内容"))
    received_on = models.DateField(_("收到补正之日"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("网上补正")
        verbose_name_plural = _("网上补正")

    def __str__(self) -> str:
        return f"{self.request} 补正 {self.received_on:%Y-%m-%d}"


class StoredFile(models.Model):
    """Bytes checked by ``core.files`` and kept in private storage; served only by views that check."""

    storage_name = models.CharField(_("存储位置"), max_length=200, unique=True)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("原文件名"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def extension(self) -> str:
        return self.storage_name.rsplit(".", 1)[-1]


class CorrectionFile(StoredFile):
    """A file the applicant uploaded with an online 补正 (personal data: shown like the ID scans)."""

    submission = models.ForeignKey(CorrectionSubmission, on_delete=models.CASCADE, related_name="files")

    class Meta:
        verbose_name = _("补正材料")
        verbose_name_plural = _("补正材料")
        ordering = ("submission", "id")

    def __str__(self) -> str:
        return f"{self.submission.request} · {self.original_name or self.storage_name}"


class ReleasedFile(StoredFile):
    """A document given to the applicant with a reply that discloses (予以公开 / 部分公开).

    Added while the reply is being drafted, frozen once the 告知书 is issued; ``redacted`` marks a copy
    from which what may not be disclosed was deleted (区分处理, Art. 37).
    """

    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="released_files")
    title = models.CharField(_("文件名称"), max_length=200)
    redacted = models.BooleanField(
        _("已作删除处理"), default=False, help_text=_("删除了不应公开的内容后提供的文本（第三十七条）")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("答复提供的文件")
        verbose_name_plural = _("答复提供的文件")
        ordering = ("request", "id")

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        """The title, the redaction mark and the real extension, so the applicant sees what they got."""
        mark = "（已作删除处理）" if self.redacted else ""
        return f"{self.title}{mark}.{self.extension}"


class ReplyReviewStep(models.Model):
    """One step of the office's review chain for replies, in ``position`` order (the last one signs)."""

    position = models.PositiveSmallIntegerField(_("顺序"), unique=True)
    name = models.CharField(_("步骤名称"), max_length=30)
    role = models.CharField(_("审核人角色"), max_length=30, choices=[(r.value, r.label) for r in Role])
    own_department = models.BooleanField(
        _("限本案承办科室"), default=False, help_text=_("如：由本案承办科室的科室负责人审核")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("答复审核步骤")
        verbose_name_plural = _("答复审核流程")
        ordering = ("position",)

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class ReplyReviewDecision(models.TextChoices):
    APPROVED = "approved", _("同意")
    RETURNED = "returned", _("退回修改")


class ReplyReview(models.Model):
    """One decision at one step of one review round of a reply (a signature on the 审批表)."""

    reply = models.ForeignKey(ReplyNotice, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveIntegerField(_("审核轮次"))
    position = models.PositiveSmallIntegerField(_("步骤"))  # 1-based, in the round's chain
    step_name = models.CharField(_("步骤名称"), max_length=30)
    is_signing = models.BooleanField(_("签发"), default=False)  # the round's last step
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("审核结论"), max_length=16, choices=ReplyReviewDecision.choices)
    opinion = models.TextField(_("审核意见"), blank=True)
    decided_on = models.DateField(_("审核日期"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("答复审核记录")
        verbose_name_plural = _("答复审核记录")
        ordering = ("reply", "round", "position")
        constraints = (
            models.UniqueConstraint(
                fields=("reply", "round", "position"), name="inforeq_review_once_per_step"
            ),
            models.CheckConstraint(
                name="inforeq_review_return_has_reason",
                condition=~Q(decision=ReplyReviewDecision.RETURNED) | ~Q(opinion=""),
            ),
        )

    def __str__(self) -> str:
        return f"{self.reply.request} 第{self.round}轮 {self.step_name} {self.get_decision_display()}"

    @property
    def is_approved(self) -> bool:
        return self.decision == ReplyReviewDecision.APPROVED
