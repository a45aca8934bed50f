"""Forms of the responsiveness pages. They only parse input; the services judge it and say what is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from gongkai.core.choices import JointMeetingParty, ResponseChannel, ResponseSource, SupervisionIssuer
from gongkai.core.files import DOCX, JPEG, PDF, PNG, XLSX, CleanUpload, UploadRejected, validate_file
from gongkai.core.widgets import DateInput
from gongkai.responsiveness.permissions import departments_for

_REQUIRED = {"required": "请填写此项"}
_DATE = {"required": "请填写日期", "invalid": "请填写有效日期（如 2019-06-03）"}
_CHOICE = {"required": "请选择", "invalid_choice": "请从列表中选择"}


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), error_messages=_DATE)


def _choice(label: str, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "请选择"), *choices], error_messages=_CHOICE)


def _text(label: str, *, required: bool = True, long: bool = False, max_length: int = 300) -> forms.CharField:
    if long:
        return forms.CharField(
            label=label, required=required, widget=forms.Textarea(attrs={"rows": 4}), error_messages=_REQUIRED
        )
    return forms.CharField(label=label, required=required, max_length=max_length, error_messages=_REQUIRED)


class _ForDepartment(forms.Form):
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        field.queryset = departments_for(user)  # type: ignore[attr-defined]


class HotTopicForm(_ForDepartment):
    subject = _text("事项")
    source = _choice("来源", ResponseSource.choices)
    response = _text("回应内容", long=True)
    channel = _choice("回应渠道", ResponseChannel.choices)
    responded_on = _date("回应日期")
    department = forms.ModelChoiceField(
        label="责任科室", queryset=None, empty_label="请选择", error_messages=_CHOICE
    )


class SupervisionTaskForm(_ForDepartment):
    issuer = _choice("交办单位", SupervisionIssuer.choices)
    reference = _text("督办编号", required=False, max_length=60)
    title = _text("督办事项")
    detail = _text("工作要求", required=False, long=True)
    assigned_on = _date("交办日期")
    deadline = _date("办结时限")
    department = forms.ModelChoiceField(
        label="承办科室", queryset=None, empty_label="请选择", error_messages=_CHOICE
    )


class ProgressForm(forms.Form):
    noted_on = _date("进展日期")
    note = _text("进展情况", long=True)


EVIDENCE_TYPES = (PDF, JPEG, PNG, DOCX, XLSX)
EVIDENCE_CAP = 20 * 1024 * 1024


class CompleteForm(forms.Form):
    completed_on = _date("办结日期")
    evidence = _text("办结情况及佐证", long=True)
    evidence_file = forms.FileField(
        label="佐证材料（可选）", required=False, help_text="PDF、JPG、PNG、Word 或 Excel，不超过 20 MB"
    )

    def clean_evidence_file(self) -> CleanUpload | None:
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return None
        try:
            return validate_file(upload, accept=EVIDENCE_TYPES, cap=EVIDENCE_CAP)
        except UploadRejected as exc:
            raise ValidationError(str(exc)) from exc


def _party_field(value: str) -> str:
    return f"party_{value}"


class MeetingForm(forms.Form):
    held_on = _date("会议日期")
    place = _text("会议地点", required=False, max_length=200)
    minutes = _text("会议纪要", long=True)
    resolutions = _text("议定事项", required=False, long=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in JointMeetingParty.choices:
            self.fields[_party_field(value)] = forms.CharField(
                label=f"{label}出席人员",
                required=False,
                max_length=200,
                help_text="未出席请留空",
            )
        # The five parties right after the date and place, in the seed's order.
        order = ["held_on", "place", *(_party_field(v) for v in JointMeetingParty.values)]
        self.order_fields(order)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        attendance = {v: data.pop(_party_field(v), "") for v in JointMeetingParty.values}
        return {**data, "attendance": attendance}


class FollowUpForm(forms.Form):
    task = _text("落实事项")
    owner = _text("责任方", max_length=100)
    deadline = _date("完成时限")


class FollowUpDoneForm(forms.Form):
    done_on = _date("完成日期")
    done_note = _text("完成情况", long=True)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal on the fields it names, the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, "；".join(errors))
    else:
        form.add_error(None, "；".join(exc.messages))
