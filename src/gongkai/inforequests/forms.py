"""Forms of the inforequests workbench. They only parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.annual_report.formats import OUTCOME_GROUP_BY_KEY, OUTCOME_GROUPS
from gongkai.core.choices import ApplicantType, Outcome, RequestChannel
from gongkai.core.files import CleanUpload, UploadRejected
from gongkai.core.widgets import DateInput, Form
from gongkai.inforequests.clock import MAX_EXTENSION_WORKDAYS
from gongkai.inforequests.models import (
    ANY_OPEN_STATUS,
    FeeMethodChoice,
    PauseKindChoice,
    ProvisionForm,
    RequestStatus,
)
from gongkai.inforequests.receipt import CHANNEL_RULES, ReceiptDateError, received_on_for
from gongkai.inforequests.released import ACCEPT_ATTRIBUTE, HELP_TEXT, validate_released_file
from gongkai.inforequests.selectors import assignable_handlers
from gongkai.org.models import Department
from gongkai.org.roles import Role


def date_field(
    label: str, *, required: bool = True, help_text: str = "", today: bool = True
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        initial=timezone.localdate if today else None,
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        dept = obj.staff_profile.department
        return f"{obj.get_full_name() or obj.username}（{dept.name if dept else '公开办'}）"


def _outcome_choices(*, include_lapses: bool = False) -> list[tuple[str, str]]:
    lapses = {Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_UNPAID_FEE}
    return [("", "——请选择——")] + [
        (o.value, o.label) for o in Outcome if include_lapses or o.value not in lapses
    ]


class IntakeForm(Form):
    channel = forms.ChoiceField(
        label=_("申请方式"),
        choices=RequestChannel.choices,
        widget=forms.RadioSelect,
        initial=RequestChannel.IN_PERSON,
    )
    submitted_on = date_field(
        _("申请人提交日期"), help_text=_("当面递交之日、信件寄出之日（邮戳）或网上、传真提交之日")
    )
    signed_on = date_field(
        _("本机关签收日期"),
        required=False,
        today=False,
        help_text=CHANNEL_RULES[RequestChannel.REGISTERED_POST],
    )
    confirmed_on = date_field(
        _("与申请人确认日期"),
        required=False,
        today=False,
        help_text=_(
            "平常信函、网上、传真申请：与申请人确认收到之日为收到申请之日；尚未确认的留空，登记为“待确认收到”。"
        ),
    )
    receipt_note = forms.CharField(
        label=_("收到凭据"), required=False, max_length=200, help_text=_("如：挂号信签收单号、电话确认记录")
    )
    applicant_type = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantType.choices)
    applicant_name = forms.CharField(label=_("申请人姓名或名称"), max_length=100)
    applicant_id_number = forms.CharField(label=_("身份证件号码"), max_length=40, required=False)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    applicant_address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    applicant_email = forms.EmailField(label=_("电子邮箱"), required=False)
    description = forms.CharField(
        label=_("申请公开的政府信息"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("名称、文号或者便于查询的其他特征性描述（第二十九条）"),
    )
    form_of_provision = forms.ChoiceField(
        label=_("获取信息的方式"), choices=[("", "——未指定——"), *ProvisionForm.choices], required=False
    )
    pieces = forms.IntegerField(
        label=_("件数"),
        min_value=1,
        initial=1,
        help_text=_("按“一事一申请”拆分后的件数，用于按件计收信息处理费"),
    )
    department = forms.ModelChoiceField(
        label=_("承办科室"), queryset=Department.objects.filter(active=True), required=False
    )
    handler = StaffChoiceField(label=_("承办人"), queryset=assignable_handlers(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = assignable_handlers()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        channel, submitted = data.get("channel"), data.get("submitted_on")
        if channel and submitted:
            try:
                data["received_on"] = received_on_for(
                    channel,
                    submitted_on=submitted,
                    signed_on=data.get("signed_on"),
                    confirmed_on=data.get("confirmed_on"),
                )
            except ReceiptDateError as exc:
                self.add_error(exc.field, str(exc))
        return data


class FilterForm(Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": "案号、申请人、内容"})
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", "全部"), (ANY_OPEN_STATUS, "未办结"), *RequestStatus.choices],
    )
    outcome = forms.ChoiceField(
        label=_("办理结果"),
        required=False,
        choices=[
            ("", "全部"),
            # A group selects all its leaves; the leaves that are not a group of their own follow.
            *[(g.key, g.label) for g in OUTCOME_GROUPS],
            *[(o.value, o.label) for o in Outcome if o.value not in OUTCOME_GROUP_BY_KEY],
        ],
    )
    applicant_type = forms.ChoiceField(
        label=_("申请人类型"), required=False, choices=[("", "全部"), *ApplicantType.choices]
    )
    channel = forms.ChoiceField(
        label=_("申请方式"), required=False, choices=[("", "全部"), *RequestChannel.choices]
    )
    department = forms.ModelChoiceField(
        label=_("承办科室"), required=False, queryset=Department.objects.all(), empty_label="全部"
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    mine = forms.BooleanField(label=_("只看我承办的"), required=False)


class ConfirmForm(Form):
    confirmed_on = date_field(
        _("确认日期"), help_text=_("与申请人确认收到之日，即收到申请之日（第三十一条）")
    )


class AssignForm(Form):
    """The handler list offers only staff who can handle a case, of the chosen 科室 when one is chosen
    (re-rendered by ``assign_handlers`` when the 科室 changes); the service checks the same again."""

    department = forms.ModelChoiceField(
        label=_("承办科室"), queryset=Department.objects.filter(active=True), required=False
    )
    handler = StaffChoiceField(label=_("承办人"), queryset=assignable_handlers(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = assignable_handlers(self._chosen_department())
        self.fields["department"].widget.attrs.update(
            {
                "hx-get": reverse("inforequests:assign_handlers"),
                "hx-target": f"#{self['handler'].auto_id}",
                "hx-swap": "outerHTML",
            }
        )

    def _chosen_department(self) -> Department | None:
        key = self.add_prefix("department")
        raw = self.data.get(key) if self.is_bound else self.initial.get("department")
        if isinstance(raw, Department):
            return raw
        if raw in (None, ""):
            return None
        try:
            return Department.objects.filter(pk=int(raw)).first()
        except (TypeError, ValueError):
            return None


class CorrectionRequestForm(Form):
    notified_on = date_field(
        _("补正通知日期"), help_text=_("须在收到申请之日起 7 个工作日内一次性告知（第三十条）")
    )
    items = forms.CharField(
        label=_("需要补正的事项"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("一次性告知，每行一项；申请人在网上查询进度时逐项看到，并可在线提交补正"),
    )
    respond_by = date_field(_("补正期限"), today=False, help_text=_("本机关确定的合理补正期限"))


class CorrectionReceiveForm(Form):
    received_on = date_field(_("收到补正后申请日期"), help_text=_("答复期限自此日重新起算"))


class LapseForm(Form):
    lapsed_on = date_field(_("终止日期"), help_text=_("期限届满后，视为放弃申请之日"))


class PauseStartForm(Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[
            (PauseKindChoice.THIRD_PARTY, PauseKindChoice.THIRD_PARTY.label),
            (PauseKindChoice.ORGAN, PauseKindChoice.ORGAN.label),
        ],
    )
    started_on = date_field(_("征求意见书发出日期"))
    note = forms.CharField(
        label=_("被征求意见方及事项"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PauseEndForm(Form):
    pause = forms.IntegerField(widget=forms.HiddenInput)
    ended_on = date_field(_("收到意见日期"))


class ExtensionRequestForm(Form):
    workdays = forms.IntegerField(
        label=_("延长工作日数"), min_value=1, max_value=MAX_EXTENSION_WORKDAYS, initial=MAX_EXTENSION_WORKDAYS
    )
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionApproveForm(Form):
    workdays = forms.IntegerField(
        label=_("延长工作日数"), min_value=1, max_value=MAX_EXTENSION_WORKDAYS, initial=MAX_EXTENSION_WORKDAYS
    )
    approved_on = date_field(_("批准日期"))
    notified_on = date_field(_("告知申请人日期"), help_text=_("须在原答复期限届满前告知申请人"))
    reason = forms.CharField(label=_("延期理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("审批意见"), required=False)


class ExtensionRefuseForm(Form):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("不予批准的理由"))


class DraftReplyForm(Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=_outcome_choices)
    title = forms.CharField(
        label=_("告知书标题"), required=False, max_length=100, help_text=_("留空则用该办理结果的模板标题")
    )
    notice_body = forms.CharField(
        label=_("答复内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("留空则按该办理结果的告知书模板生成，生成后可修改；送审中或已签发的答复修改后须重新送审"),
    )
    legal_basis = forms.CharField(
        label=_("法律依据"), required=False, max_length=300, help_text=_("留空则用该办理结果的模板依据")
    )


class SubmitReplyForm(Form):
    submitted_on = date_field(_("送审日期"))
    note = forms.CharField(label=_("送审说明"), required=False, max_length=500)


class ReviewApproveForm(Form):
    decided_on = date_field(_("审核日期"))
    opinion = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("可不填")
    )


class ReviewReturnForm(Form):
    decided_on = date_field(_("审核日期"))
    reason = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("必填：退回给拟稿人修改，修改后须重新送审"),
        error_messages={"required": _("退回须填写理由")},
    )


class AnswerForm(Form):
    issued_on = date_field(
        _("答复日期"), help_text=_("告知书落款日期，不早于签发日期；本申请计入该日期所在年度的办理结果")
    )


class ChainStepForm(Form):
    name = forms.CharField(label=_("步骤名称"), max_length=30, required=False)
    role = forms.ChoiceField(label=_("审核人角色"), required=False)
    own_department = forms.BooleanField(label=_("限本案承办科室"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from gongkai.inforequests.review import reviewer_roles

        super().__init__(*args, **kwargs)
        roles = reviewer_roles()
        self.fields["role"].choices = [("", "—")] + [(r.value, r.label) for r in Role if r in roles]


ChainFormSet = forms.formset_factory(ChainStepForm, extra=2, can_delete=True)


class FeeNotifyForm(Form):
    method = forms.ChoiceField(label=_("计收方式"), choices=FeeMethodChoice.choices, widget=forms.RadioSelect)
    quantity = forms.IntegerField(
        label=_("件数或页数"), min_value=1, help_text=_("按件：本申请的件数；按量：提供的页数")
    )
    notified_on = date_field(_("收费通知日期"))


class FeePaidForm(Form):
    paid_on = date_field(_("缴费日期"))


class FeeWaiveForm(Form):
    waived_on = date_field(_("减免日期"))
    reason = forms.CharField(label=_("减免理由"))


class ReplyTemplateForm(Form):
    title = forms.CharField(label=_("告知书标题"), max_length=100)
    body = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 6}))
    legal_basis = forms.CharField(label=_("法律依据"), max_length=300, required=False)


class ReleasedFileForm(Form):
    """A document given to the applicant with a disclosing reply (checked by ``released``)."""

    file = forms.FileField(
        label=_("文件"),
        help_text=HELP_TEXT,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    title = forms.CharField(
        label=_("文件名称"), max_length=200, required=False, help_text=_("留空则使用原文件名")
    )
    redacted = forms.BooleanField(
        label=_("已作删除处理"),
        required=False,
        help_text=_("部分公开时，删除了不应公开内容后提供的文本须勾选（第三十七条）"),
    )

    def clean_file(self) -> CleanUpload:
        try:
            return validate_released_file(self.cleaned_data["file"])
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from None


class ProvisionChoiceForm(Form):
    provided_as = forms.ChoiceField(
        label=_("提供信息的形式"),
        required=False,
        choices=[("", _("按申请人要求的方式")), *ProvisionForm.choices],
        help_text=_("第四十条；以纸质文本、存储介质或当场查阅、抄录方式提供时，可不上传答复文件"),
    )
