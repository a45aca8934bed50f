"""Workbench form for the portal's own pages; the service validates again and decides."""

from __future__ import annotations

from django import forms

from gongkai.portal.models import Page


class PageForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=Page._meta.get_field("body").help_text,
    )
