"""Forms of the delivery pages; they only parse input, the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from gongkai.core.widgets import DateInput, Form


class PostSentForm(Form):
    sent_on = forms.DateField(label="寄出日期", widget=DateInput(), initial=timezone.localdate)
    tracking_number = forms.CharField(
        label="挂号或快递单号", max_length=60, required=False, help_text="用于查询投递情况；平信可不填"
    )
