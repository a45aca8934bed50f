"""主动公开: items under Art. 20 with their two-level confidentiality review, channel posts, policy
interpretations, archive transfers and the Table 二 facts (service matters, decisions, fees, procurement).

Field names are a contract with the reporting roll-up (``reporting``): keep them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.choices import Art20Category, PostChannel


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_HEAD = "pending_head", _("待科室负责人审核")
    PENDING_DIRECTOR = "pending_director", _("待主管主任审核")
    PUBLISHED = "published", _("已公开")
    WITHDRAWN = "withdrawn", _("已撤回")


class DocKind(models.TextChoices):
    """Table 二 第二十条第（一）项 rows; only meaningful for category art20_1."""

    NONE = "", _("其他信息")
    RULES = "rules", _("规章")
    NORMATIVE_DOCUMENTS = "normative_documents", _("规范性文件")


class ReviewLevel(models.IntegerChoices):
    HEAD = 1, _("科室负责人审核")
    DIRECTOR = 2, _("主管主任审核")


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("同意公开")
    REJECTED = "rejected", _("退回")


class InterpretationForm(models.TextChoices):
    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    AUDIO_VIDEO = "audio_video", _("音视频")
    INTERVIEW = "interview", _("访谈")
    OTHER = "other", _("其他")


class MatterKind(models.TextChoices):
    """The 事项 catalogue of Table 二 第二十条第（五）（六）（八）项."""

    LICENSING = "licensing", _("行政许可")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    PENALTY = "penalty", _("行政处罚")
    ENFORCEMENT = "enforcement", _("行政强制")
    FEE_ITEM = "fee_item", _("行政事业性收费")


class DecisionKind(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    PENALTY = "penalty", _("行政处罚")
    ENFORCEMENT = "enforcement", _("行政强制")


# Where a publication is, and who may act next: the states a reviewer sees in the queue.
PENDING_STATUSES = (PublicationStatus.PENDING_HEAD, PublicationStatus.PENDING_DIRECTOR)
UNPUBLISHED_STATUSES = (PublicationStatus.DRAFT, *PENDING_STATUSES)
EVER_PUBLISHED_STATUSES = (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)


class Publication(models.Model):
    """One item of proactively disclosed information, from draft through the two-level review."""

    Status = PublicationStatus

    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文或摘要"), blank=True)
    category = models.CharField(_("公开类别"), max_length=16, choices=Art20Category.choices)
    doc_kind = models.CharField(
        _("文件类型"),
        max_length=32,
        choices=DocKind.choices,
        blank=True,
        default=DocKind.NONE,
        help_text=_("仅第二十条第（一）项：规章或规范性文件"),
    )
    key_area = models.BooleanField(_("重点领域"), default=False)
    department = models.ForeignKey(
        "org.Department", verbose_name=_("科室"), on_delete=models.PROTECT, related_name="publications"
    )
    doc_number = models.CharField(
        _("文号"), max_length=100, blank=True, help_text=_("如：东花市发〔2019〕3号")
    )
    formed_on = models.DateField(_("形成或者变更日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        related_name="drafted_publications",
    )
    # Each submission opens a new review round; a rejection closes it, so reviews are unique per round.
    review_round = models.PositiveIntegerField(_("审核轮次"), default=0)
    submitted_at = models.DateTimeField(_("最近提交审核时间"), null=True, blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    repealed_reason = models.TextField(_("废止说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("主动公开信息")
        verbose_name_plural = _("主动公开信息")
        ordering = ("-formed_on", "-id")
        indexes = (
            # Table 二 第二十条第（一）项: made (formed_on), published (published_on), repealed.
            models.Index(fields=("category", "doc_kind", "formed_on"), name="pub_cat_kind_formed"),
            models.Index(fields=("category", "doc_kind", "published_on"), name="pub_cat_kind_published"),
            # Section 一: items and key-area items published in the year.
            models.Index(fields=("published_on", "key_area"), name="pub_published_key"),
            models.Index(fields=("status", "formed_on"), name="pub_status_formed"),
            models.Index(fields=("department", "status"), name="pub_dept_status"),
            models.Index(fields=("drafter", "status"), name="pub_drafter_status"),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(doc_kind="") | Q(category=Art20Category.ART20_1), name="pub_doc_kind_only_art20_1"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EVER_PUBLISHED_STATUSES, published_on__isnull=False)
                | Q(status__in=UNPUBLISHED_STATUSES, published_on__isnull=True),
                name="pub_published_on_iff_published",
            ),
            models.CheckConstraint(
                condition=Q(status=PublicationStatus.WITHDRAWN, withdrawn_on__isnull=False)
                | (~Q(status=PublicationStatus.WITHDRAWN) & Q(withdrawn_on__isnull=True)),
                name="pub_withdrawn_on_iff_withdrawn",
            ),
            # 2021 Table 二 counts 废止 for 规章 and 规范性文件 only, and only what was in force.
            models.CheckConstraint(
                condition=Q(repealed_on__isnull=True)
                | Q(
                    doc_kind__in=(DocKind.RULES, DocKind.NORMATIVE_DOCUMENTS),
                    status__in=EVER_PUBLISHED_STATUSES,
                ),
                name="pub_repeal_only_published_documents",
            ),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def is_repealable(self) -> bool:
        return self.doc_kind in (DocKind.RULES, DocKind.NORMATIVE_DOCUMENTS)

    @property
    def is_pending_head(self) -> bool:
        """Awaiting the first review level (科室负责人); ``PENDING_DIRECTOR`` is the second."""
        return self.status == PublicationStatus.PENDING_HEAD


class PublicationReview(models.Model):
    """One reviewer's decision at one level of one review round (the signature on the 审核表)."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("主动公开信息"), on_delete=models.PROTECT, related_name="reviews"
    )
    round = models.PositiveIntegerField(_("审核轮次"))
    level = models.PositiveSmallIntegerField(_("审核层级"), choices=ReviewLevel.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("审核结论"), max_length=16, choices=ReviewDecision.choices)
    comment = models.TextField(_("审核意见"), blank=True)
    decided_at = models.DateTimeField(_("审核时间"), default=timezone.now)

    class Meta:
        verbose_name = _("保密审查记录")
        verbose_name_plural = _("保密审查记录")
        ordering = ("publication", "round", "level")
        constraints = (
            models.UniqueConstraint(
                fields=("publication", "round", "level"), name="pub_review_once_per_level"
            ),
        )

    def __str__(self) -> str:
        return f"{self.publication} · {self.get_level_display()} · {self.get_decision_display()}"

    @property
    def is_approved(self) -> bool:
        return self.decision == ReviewDecision.APPROVED


class PublicationAttachment(models.Model):
    """A file that belongs to a publication (the signed document as PDF, a form, a table).

    Attachments are part of what the two reviewers approve: they are added or removed only while the
    item is a draft (or together with a paper-reviewed registration), never after publication. The
    bytes live in private storage (``core.files``) and are served by views that check the item's state.
    """

    publication = models.ForeignKey(
        Publication, verbose_name=_("主动公开信息"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("附件名称"), max_length=200)
    storage_name = models.CharField(_("存储位置"), max_length=200, unique=True)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("原文件名"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ("publication", "id")

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return self.storage_name.rsplit(".", 1)[-1]

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def download_name(self) -> str:
        """The title plus the real extension, so a download opens in the right program."""
        return f"{self.title}.{self.extension}"


class ChannelPost(models.Model):
    """A post on the website, Weibo or WeChat; it may stand without a publication item."""

    channel = models.CharField(_("发布渠道"), max_length=16, choices=PostChannel.choices)
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("对应主动公开信息"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channel_posts",
    )
    title = models.CharField(_("标题"), max_length=300)
    posted_on = models.DateField(_("发布日期"))
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("科室"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channel_posts",
    )
    url = models.URLField(_("链接"), blank=True)

    class Meta:
        verbose_name = _("渠道发布")
        verbose_name_plural = _("渠道发布")
        ordering = ("-posted_on", "-id")
        indexes = (models.Index(fields=("channel", "posted_on"), name="pub_post_channel_posted"),)

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.title}"


class PolicyInterpretation(models.Model):
    """A 政策解读 of a published policy document."""

    title = models.CharField(_("标题"), max_length=300)
    policy = models.ForeignKey(
        Publication, verbose_name=_("所解读的政策"), on_delete=models.PROTECT, related_name="interpretations"
    )
    published_on = models.DateField(_("发布日期"))
    form = models.CharField(
        _("解读形式"), max_length=16, choices=InterpretationForm.choices, default=InterpretationForm.TEXT
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("科室"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_interpretations",
    )

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")
        ordering = ("-published_on", "-id")
        indexes = (models.Index(fields=("published_on",), name="pub_interp_published"),)

    def __str__(self) -> str:
        return self.title


class ArchiveTransfer(models.Model):
    """A monthly hand-over of paper copies of published items to an archive or another organ."""

    transferred_on = models.DateField(_("移送日期"))
    recipient = models.CharField(_("接收机关"), max_length=100, help_text=_("如：东城区档案局（馆）"))
    copies = models.PositiveIntegerField(_("纸质文本份数"), validators=[MinValueValidator(1)])
    items = models.ManyToManyField(Publication, verbose_name=_("移送信息"), related_name="archive_transfers")
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("档案移送")
        verbose_name_plural = _("档案移送")
        ordering = ("-transferred_on", "-id")
        indexes = (models.Index(fields=("transferred_on",), name="pub_archive_transferred"),)
        constraints = (
            models.CheckConstraint(condition=Q(copies__gte=1), name="pub_archive_copies_positive"),
        )

    def __str__(self) -> str:
        return f"{self.transferred_on} 移送{self.recipient}"


class ServiceMatter(models.Model):
    """One item of the 事项 catalogue (a licensing matter, a fee item …) with its life span."""

    kind = models.CharField(_("事项类别"), max_length=16, choices=MatterKind.choices)
    name = models.CharField(_("事项名称"), max_length=200)
    department = models.ForeignKey(
        "org.Department", verbose_name=_("科室"), on_delete=models.PROTECT, related_name="service_matters"
    )
    established_on = models.DateField(_("设立日期"))
    abolished_on = models.DateField(_("取消日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ("kind", "name", "id")
        indexes = (
            models.Index(fields=("kind", "established_on"), name="pub_matter_kind_established"),
            models.Index(fields=("kind", "abolished_on"), name="pub_matter_kind_abolished"),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True) | Q(abolished_on__gte=models.F("established_on")),
                name="pub_matter_abolished_after_established",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"


class AdministrativeDecision(models.Model):
    """处理决定: one entry counts ``count`` decisions of one kind made on one day by one department."""

    kind = models.CharField(_("决定类别"), max_length=16, choices=DecisionKind.choices)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("科室"),
        on_delete=models.PROTECT,
        related_name="administrative_decisions",
    )
    decided_on = models.DateField(_("决定日期"))
    count = models.PositiveIntegerField(_("决定数量"), default=1, validators=[MinValueValidator(1)])
    description = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("处理决定")
        verbose_name_plural = _("处理决定")
        ordering = ("-decided_on", "-id")
        indexes = (models.Index(fields=("kind", "decided_on"), name="pub_decision_kind_decided"),)
        constraints = (models.CheckConstraint(condition=Q(count__gte=1), name="pub_decision_count_positive"),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.count} 件（{self.decided_on}）"


class FeeCollection(models.Model):
    """行政事业性收费 collected (2021 Table 二: 本年收费金额（万元）)."""

    department = models.ForeignKey(
        "org.Department", verbose_name=_("科室"), on_delete=models.PROTECT, related_name="fee_collections"
    )
    collected_on = models.DateField(_("收费日期"))
    amount_wan = models.DecimalField(_("金额（万元）"), max_digits=14, decimal_places=4)
    description = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("收费")
        verbose_name_plural = _("收费")
        ordering = ("-collected_on", "-id")
        indexes = (models.Index(fields=("collected_on",), name="pub_fee_collected"),)
        constraints = (models.CheckConstraint(condition=Q(amount_wan__gte=0), name="pub_fee_amount_nonneg"),)

    def __str__(self) -> str:
        return f"{self.collected_on} {self.amount_wan} 万元"


class ProcurementProject(models.Model):
    """政府集中采购 project (2019 Table 二 第二十条第（九）项)."""

    name = models.CharField(_("项目名称"), max_length=200)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("科室"),
        on_delete=models.PROTECT,
        related_name="procurement_projects",
    )
    contracted_on = models.DateField(_("签约日期"))
    amount_wan = models.DecimalField(_("金额（万元）"), max_digits=14, decimal_places=4)

    class Meta:
        verbose_name = _("政府集中采购项目")
        verbose_name_plural = _("政府集中采购项目")
        ordering = ("-contracted_on", "-id")
        indexes = (models.Index(fields=("contracted_on",), name="pub_procurement_contracted"),)
        constraints = (
            models.CheckConstraint(condition=Q(amount_wan__gte=0), name="pub_procurement_amount_nonneg"),
        )

    def __str__(self) -> str:
        return self.name
