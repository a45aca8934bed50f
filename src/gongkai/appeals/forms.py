"""Forms of the appeals pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.choices import AppealKind, AppealResult
from gongkai.core.widgets import DateInput, Form
from gongkai.inforequests.models import InfoRequest


class RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference}（{obj.applicant_name}）"


class AppealForm(Form):
    kind = forms.ChoiceField(label=_("类型"), choices=AppealKind.choices, widget=forms.RadioSelect)
    request = RequestChoiceField(
        label=_("关联申请"),
        queryset=InfoRequest.objects.order_by("-received_on", "-id"),
        required=False,
        help_text=_("被申请复议或被诉的政府信息公开申请"),
    )
    appellant = forms.CharField(label=_("申请人或原告"), max_length=100)
    case_number = forms.CharField(label=_("案号"), max_length=100, required=False)
    authority = forms.CharField(label=_("复议机关或受理法院"), max_length=100, required=False)
    filed_on = forms.DateField(label=_("申请或立案日期"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(Form):
    result = forms.ChoiceField(
        label=_("结果"),
        choices=[(v, label) for v, label in AppealResult.choices if v != AppealResult.PENDING],
    )
    decided_on = forms.DateField(label=_("审结日期"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), required=False)


class AppealFilterForm(Form):
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", "全部"), *AppealKind.choices])
    result = forms.ChoiceField(label=_("结果"), required=False, choices=[("", "全部"), *AppealResult.choices])
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
