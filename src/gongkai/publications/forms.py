"""Forms of the publications workbench. They only validate input; the views hand ``cleaned_data`` to services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from gongkai.core.choices import Art20Category
from gongkai.core.files import CleanUpload, UploadRejected
from gongkai.core.widgets import DateInput
from gongkai.org.access import Permission, can
from gongkai.org.models import Department
from gongkai.org.selectors import user_department
from gongkai.publications import attachments as attachment_rules
from gongkai.publications import selectors
from gongkai.publications.models import (
    AdministrativeDecision,
    ArchiveTransfer,
    ChannelPost,
    DocKind,
    FeeCollection,
    PolicyInterpretation,
    ProcurementProject,
    Publication,
    PublicationStatus,
    ServiceMatter,
)


def _field(model: type[Any], name: str, **kwargs: Any) -> forms.Field:
    """The model field's form field (label, choices, max length), with a date picker for dates."""
    formfield = model._meta.get_field(name).formfield(**kwargs)
    if isinstance(formfield, forms.DateField):
        formfield.widget = DateInput()
    if isinstance(formfield, forms.TypedChoiceField) and formfield.required:
        choices = list(formfield.choices)
        if choices and choices[0][0] == "":
            formfield.choices = [("", "请选择"), *choices[1:]]
    return formfield


def departments_for(user: Any) -> QuerySet[Department]:
    """The departments ``user`` may record for: all active ones for office-wide roles, else their own."""
    qs = Department.objects.filter(active=True)
    if can(user, Permission.SEE_ALL_DEPARTMENTS):
        return qs
    own = user_department(user)
    return qs.filter(pk=own.pk) if own is not None else qs.none()


class _DepartmentScoped(forms.Form):
    department_required = True

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        field.queryset = departments_for(user)  # type: ignore[attr-defined]
        field.required = self.department_required
        own = user_department(user)
        if own is not None and not self.is_bound and "department" not in self.initial:
            self.initial["department"] = own.pk


class PublicationForm(_DepartmentScoped):
    title = _field(Publication, "title")
    category = _field(Publication, "category")
    doc_kind = _field(Publication, "doc_kind")
    key_area = _field(Publication, "key_area")
    department = _field(Publication, "department")
    doc_number = _field(Publication, "doc_number")
    formed_on = _field(Publication, "formed_on")
    body = _field(Publication, "body", widget=forms.Textarea(attrs={"rows": 6}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("doc_kind") and data.get("category") != Art20Category.ART20_1:
            self.add_error("doc_kind", "规章、规范性文件只属于第二十条第（一）项，请先选择该类别")
        return data


class CommentForm(forms.Form):
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class RepealForm(forms.Form):
    repealed_on = _field(Publication, "repealed_on", required=True)
    reason = forms.CharField(label="废止说明", required=False)


class FilterForm(forms.Form):
    """The list filters; every field is optional and an invalid value is ignored, not an error page."""

    q = forms.CharField(label="标题或文号", required=False)
    category = forms.ChoiceField(
        label="公开类别", required=False, choices=[("", "全部"), *Art20Category.choices]
    )
    doc_kind = forms.ChoiceField(
        label="文件类型",
        required=False,
        choices=[
            ("", "全部"),
            ("none", "其他信息"),
            (DocKind.RULES, "规章"),
            (DocKind.NORMATIVE_DOCUMENTS, "规范性文件"),
        ],
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *PublicationStatus.choices]
    )
    department = forms.ModelChoiceField(
        label="科室", required=False, queryset=Department.objects.all(), empty_label="全部"
    )
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    key_area = forms.ChoiceField(
        label="重点领域", required=False, choices=[("", "全部"), ("1", "是"), ("0", "否")]
    )
    mine = forms.BooleanField(label="只看我起草的", required=False)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        doc_kind = {"": None, "none": ""}.get(data["doc_kind"], data["doc_kind"])
        return {
            "text": data["q"],
            "category": data["category"],
            "doc_kind": doc_kind,
            "status": data["status"],
            "department": data["department"],
            "year": data["year"],
            "key_area": {"": None, "1": True, "0": False}[data["key_area"]],
            "mine": data["mine"],
        }


class ChannelPostForm(_DepartmentScoped):
    department_required = False

    channel = _field(ChannelPost, "channel")
    title = _field(ChannelPost, "title")
    posted_on = _field(ChannelPost, "posted_on")
    publication = forms.ModelChoiceField(
        label="对应主动公开信息",
        required=False,
        queryset=Publication.objects.none(),
        empty_label="（无，单独发布）",
    )
    department = _field(ChannelPost, "department")
    url = _field(ChannelPost, "url", assume_scheme="https")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["publication"].queryset = selectors.published_policies()  # type: ignore[attr-defined]


class InterpretationForm(_DepartmentScoped):
    department_required = False

    title = _field(PolicyInterpretation, "title")
    policy = forms.ModelChoiceField(label="所解读的政策", queryset=Publication.objects.none())
    published_on = _field(PolicyInterpretation, "published_on")
    form = _field(PolicyInterpretation, "form")
    department = _field(PolicyInterpretation, "department")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["policy"].queryset = selectors.published_policies()  # type: ignore[attr-defined]


class ArchiveTransferForm(forms.Form):
    transferred_on = _field(ArchiveTransfer, "transferred_on")
    recipient = _field(ArchiveTransfer, "recipient")
    copies = _field(ArchiveTransfer, "copies")
    items = forms.ModelMultipleChoiceField(
        label="移送信息",
        required=False,
        queryset=Publication.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="按住 Ctrl 可多选；只列出已公开的信息",
    )
    note = _field(ArchiveTransfer, "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = selectors.archivable_publications()  # type: ignore[attr-defined]
        self.fields["note"].widget.attrs["rows"] = 2


class ServiceMatterForm(_DepartmentScoped):
    kind = _field(ServiceMatter, "kind")
    name = _field(ServiceMatter, "name")
    department = _field(ServiceMatter, "department")
    established_on = _field(ServiceMatter, "established_on")


class AbolishForm(forms.Form):
    abolished_on = _field(ServiceMatter, "abolished_on", required=True)


class DecisionForm(_DepartmentScoped):
    kind = _field(AdministrativeDecision, "kind")
    department = _field(AdministrativeDecision, "department")
    decided_on = _field(AdministrativeDecision, "decided_on")
    count = _field(AdministrativeDecision, "count")
    description = _field(AdministrativeDecision, "description")


class FeeCollectionForm(_DepartmentScoped):
    department = _field(FeeCollection, "department")
    collected_on = _field(FeeCollection, "collected_on")
    amount_wan = _field(FeeCollection, "amount_wan")
    description = _field(FeeCollection, "description")


class ProcurementProjectForm(_DepartmentScoped):
    name = _field(ProcurementProject, "name")
    department = _field(ProcurementProject, "department")
    contracted_on = _field(ProcurementProject, "contracted_on")
    amount_wan = _field(ProcurementProject, "amount_wan")


class AttachmentForm(forms.Form):
    """One file for a draft; the bytes are checked here so the view can say why a file was refused."""

    title = forms.CharField(
        label="附件名称", max_length=200, required=False, help_text="不填则用文件名（不含扩展名）"
    )
    file = forms.FileField(label="文件", help_text=attachment_rules.HELP_TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = attachment_rules.ACCEPT_ATTRIBUTE

    def clean_file(self) -> CleanUpload:
        try:
            return attachment_rules.validate_attachment(self.cleaned_data["file"])
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from None
