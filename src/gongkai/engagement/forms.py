"""Workbench forms of the mailbox (dates through the shared ISO date widget the browser's picker reads)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from gongkai.core.widgets import DateInput, Form
from gongkai.engagement.models import LetterStatus
from gongkai.engagement.selectors import OVERDUE
from gongkai.org.models import Department
from gongkai.workdays import CalendarUnknown, add_workdays

# A 科室 usually has five working days to answer a 转办; staff change the date when a letter needs more.
FORWARD_WORKDAYS = 5


class LetterFilterForm(Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *LetterStatus.choices, (OVERDUE, "转办逾期")]
    )
    year = forms.IntegerField(label="收信年度", required=False, min_value=2000, max_value=2100)


class ReplyForm(Form):
    reply = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 8}), max_length=5000)
    replied_on = forms.DateField(label="答复日期", initial=timezone.localdate, widget=DateInput())


class CompleteForm(Form):
    completed_on = forms.DateField(label="办结日期", initial=timezone.localdate, widget=DateInput())


class PublishForm(Form):
    """The public text, edited apart from the letter: it starts from the masked suggestion, never the letter."""

    public_subject = forms.CharField(label="公开标题", max_length=100)
    public_body = forms.CharField(
        label="公开的来信内容",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text="将在门户上与答复一同显示；已按检查结果把个人信息替换为 ***，请通读后修改。来信人信息不会公开。",
    )
    public_reply = forms.CharField(
        label="公开的答复内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    confirmed = forms.BooleanField(
        label="已核对：标出的姓名、住址不是个人信息（身份证号、电话等号码不能以此放行）", required=False
    )


def _default_due() -> dt.date:
    from gongkai.core.selectors import get_calendar

    today = timezone.localdate()
    try:
        return add_workdays(get_calendar(), today, FORWARD_WORKDAYS)
    except CalendarUnknown:
        return today + dt.timedelta(days=7)


class ForwardForm(Form):
    department = forms.ModelChoiceField(
        label="承办科室", queryset=Department.objects.none(), empty_label="请选择科室"
    )
    due_on = forms.DateField(label="回复期限", widget=DateInput())
    instructions = forms.CharField(
        label="转办意见", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(active=True)
        if not self.is_bound:
            self.fields["due_on"].initial = _default_due


class AnswerForm(Form):
    answer = forms.CharField(
        label="科室办理意见",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text="写明核查和处理情况；公开办据此答复来信人。",
    )
