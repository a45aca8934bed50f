"""Workbench form for the portal's own pages; the service validates again and decides."""

from __future__ import annotations

from django import forms


class PageForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="纯文本：每行一段；以“一、”“（一）”等开头的短行显示为小标题。不接受网页代码。",
    )
