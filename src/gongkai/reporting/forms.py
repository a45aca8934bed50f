"""Forms of the reporting app: start a draft, edit its text, publish, take a submission back."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.reporting.models import ReportVariant

_TEXTAREA = {"rows": 6, "cols": 100}


class NewReportForm(forms.Form):
    year = forms.IntegerField(label=_("报告年度"), min_value=2019)

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("不能起草尚未开始的年度的报告"))
        return year


class ReportTextForm(forms.Form):
    proactive = forms.CharField(
        label=_("一、总体情况 第 1 段（主动公开）"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text=_("按台账自动生成；修改后以您的文字为准，清空则恢复自动生成"),
    )
    requests = forms.CharField(
        label=_("一、总体情况 第 2 段（依申请公开、复议诉讼）"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text=_("按台账自动生成；修改后以您的文字为准，清空则恢复自动生成"),
    )
    overview_extra = forms.CharField(
        label=_("一、总体情况 其他段落"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 100}),
        help_text=_("每行一段，自动编号（制度建设、平台建设、监督保障等）"),
    )
    problems = forms.CharField(
        label=_("五、存在的主要问题及改进情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 100}),
    )
    other = forms.CharField(
        label=_("六、其他需要报告的事项"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )
    redraft_other = forms.BooleanField(
        label=_("六 恢复自动生成（2021 版格式：信息处理费收取情况）"), required=False
    )
    variant = forms.ChoiceField(label=_("格式版本"), choices=ReportVariant.choices)
    split_other_services = forms.BooleanField(
        label=_("表二“其他对外管理服务事项”分列行政检查、行政确认（2019 版）"), required=False
    )


class PublishForm(forms.Form):
    published_on = forms.DateField(
        label=_("发布日期"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("退回修改的理由"), widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))
