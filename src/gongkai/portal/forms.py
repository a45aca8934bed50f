"""Public forms: search, catalogue filters, the Art. 29 application, the status lookup and the mailbox letter.

Every public form carries a honeypot field (``homepage``): hidden from people by CSS and from assistive
technology by aria-hidden, so only a robot fills it in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from gongkai.core.choices import ApplicantType, Art20Category
from gongkai.core.identity import IdentityError, validate_phone, validate_resident_id, validate_uscc
from gongkai.inforequests.models import ProvisionForm
from gongkai.portal import tracking
from gongkai.portal.uploads import MAX_FILES, CleanUpload, UploadRejected, validate_upload

HONEYPOT = "homepage"


class HoneypotMixin(forms.Form):
    homepage = forms.CharField(
        label="请勿填写此项",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

    def visible_fields(self) -> list[Any]:
        return [f for f in super().visible_fields() if f.name != HONEYPOT]


def _year_choices(years: list[int]) -> list[tuple[str, str]]:
    return [("", "全部年度"), *[(str(y), f"{y} 年") for y in years]]


class CatalogueFilterForm(forms.Form):
    category = forms.ChoiceField(label="公开类别", required=False)
    department = forms.TypedChoiceField(label="发布科室", required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label="公开年度", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, departments: list[Any], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "全部类别"), *Art20Category.choices]
        self.fields["department"].choices = [("", "全部科室"), *[(str(d.pk), d.name) for d in departments]]
        self.fields["year"].choices = _year_choices(years)


class SearchForm(CatalogueFilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    field_order = ("q", "category", "department", "year")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScanField(forms.FileField):
    """Up to ``MAX_FILES`` identity scans (or 补正 materials), each checked by ``uploads.validate_upload``."""

    widget = MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"})
    missing = "请上传身份证明材料的扫描件或照片"

    def clean(self, data: Any, initial: Any = None) -> list[CleanUpload]:
        files: list[UploadedFile] = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.missing)
            return []
        if len(files) > MAX_FILES:
            raise ValidationError(f"最多上传 {MAX_FILES} 个文件")
        cleaned, errors = [], []
        for f in files:
            try:
                cleaned.append(validate_upload(f))
            except UploadRejected as exc:
                errors.append(str(exc))
        if errors:
            raise ValidationError(errors)
        return cleaned


ORGANISATION_TYPES = [t for t in ApplicantType if t != ApplicantType.NATURAL_PERSON]
ID_RESIDENT = "resident_id"
ID_OTHER = "other"


class ApplicationForm(HoneypotMixin):
    """《政府信息公开条例》第二十九条: who applies and how to reach them, what is sought, in what form."""

    applicant_type = forms.ChoiceField(
        label="申请人类型", choices=ApplicantType.choices, initial=ApplicantType.NATURAL_PERSON
    )
    name = forms.CharField(label="姓名或机构名称", max_length=100)
    id_kind = forms.ChoiceField(
        label="身份证明类型",
        choices=[
            (ID_RESIDENT, "居民身份证（含港澳台居民居住证）"),
            (ID_OTHER, "其他有效身份证件（护照、通行证等）"),
        ],
        initial=ID_RESIDENT,
        required=False,
        help_text="自然人填写；法人或其他组织填写统一社会信用代码",
    )
    id_number = forms.CharField(
        label="证件号码或统一社会信用代码",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_person = forms.CharField(
        label="联系人", max_length=50, required=False, help_text="法人或其他组织填写"
    )
    phone = forms.CharField(
        label="联系电话", max_length=30, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    email = forms.EmailField(
        label="电子邮箱", required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    address = forms.CharField(
        label="通信地址",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    description = forms.CharField(
        label="所需政府信息的名称、文号或者便于查询的其他特征性描述",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    form_of_provision = forms.ChoiceField(label="获取信息的方式", choices=ProvisionForm.choices)
    scans = ScanField(
        label="身份证明材料",
        help_text="JPG、PNG 图片或 PDF 文件，最多 3 个，每个不超过 5 MB",
    )
    pledge = forms.BooleanField(label="本人承诺所填信息真实有效", required=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("applicant_type")
        number = data.get("id_number", "")
        if kind and number:
            try:
                if kind != ApplicantType.NATURAL_PERSON:
                    data["id_number"] = validate_uscc(number)
                elif data.get("id_kind") != ID_OTHER:
                    data["id_number"] = validate_resident_id(number)
                else:
                    data["id_number"] = number.strip().upper()
            except IdentityError as exc:
                self.add_error("id_number", str(exc))
        if data.get("phone"):
            try:
                data["phone"] = validate_phone(data["phone"])
            except IdentityError as exc:
                self.add_error("phone", str(exc))
        provision = data.get("form_of_provision")
        if provision == ProvisionForm.EMAIL and not data.get("email"):
            self.add_error("email", "选择以电子邮件获取信息时，请填写电子邮箱")
        if provision in (ProvisionForm.PAPER, ProvisionForm.MEDIUM) and not data.get("address", "").strip():
            self.add_error("address", "选择纸质文本或存储介质时，请填写通信地址")
        return data


class StatusLookupForm(forms.Form):
    tracking_number = forms.CharField(
        label="查询号",
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    secret = forms.CharField(
        label="查询码",
        max_length=30,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_tracking_number(self) -> str:
        return tracking.normalise_tracking(self.cleaned_data["tracking_number"])


class LetterForm(HoneypotMixin):
    subject = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(label="来信内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    anonymous = forms.BooleanField(
        label="匿名来信（不留姓名和联系方式；可凭信件编号和查询码查看答复）", required=False
    )
    name = forms.CharField(label="姓名", max_length=50, required=False)
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="电子邮箱", required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class CorrectionForm(forms.Form):
    """The applicant's 补正 (Art. 30): what the notice asked for, in words, with supporting files."""

    text = forms.CharField(
        label="补正内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请按补正通知逐项说明，例如所需信息的名称、文号、年份或其他特征性描述",
    )
    files = ScanField(
        label="补正材料",
        required=False,
        help_text="如需提交材料：JPG、PNG 图片或 PDF 文件，最多 3 个，每个不超过 5 MB",
    )


class LetterLookupForm(forms.Form):
    """A letter writer's own letter: its number and the 查询码 shown once after writing."""

    reference = forms.CharField(
        label="信件编号",
        max_length=30,
        error_messages={"required": "请填写信件编号（提交来信后显示，如 XX20240506-ACDEF）"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    code = forms.CharField(
        label="查询码",
        max_length=30,
        error_messages={"required": "请填写查询码"},
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_reference(self) -> str:
        return tracking.normalise_tracking(self.cleaned_data["reference"])
