"""Workbench forms of the mailbox."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from gongkai.engagement.models import LetterStatus


class LetterFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *LetterStatus.choices])
    year = forms.IntegerField(label="收信年度", required=False, min_value=2000, max_value=2100)


class ReplyForm(forms.Form):
    reply = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 8}), max_length=5000)
    replied_on = forms.DateField(
        label="答复日期", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


class CompleteForm(forms.Form):
    completed_on = forms.DateField(
        label="办结日期", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


class PublishForm(forms.Form):
    public_subject = forms.CharField(label="公开标题", max_length=100)
    public_body = forms.CharField(
        label="公开的来信内容",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text="将在门户上与答复一同显示；请删去姓名、电话、住址、身份证号等个人信息。来信人信息不会公开。",
    )
