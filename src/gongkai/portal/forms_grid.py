"""The 随手拍 form (phone first) and the lookup of one's own report by number and 查询码."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from gongkai.core.files import JPEG, PNG, CleanUpload, UploadRejected, validate_file
from gongkai.grid.models import Category
from gongkai.portal.forms import HoneypotMixin
from gongkai.portal.tracking import normalise_tracking

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = (JPEG, PNG)


class PhotoField(forms.FileField):
    """One photo, JPEG or PNG, checked and re-encoded by ``core.files`` (the EXIF, GPS included, is gone)."""

    widget = forms.ClearableFileInput(
        attrs={"accept": "image/jpeg,image/png,.jpg,.jpeg,.png", "capture": "environment"}
    )

    def clean(self, data: Any, initial: Any = None) -> CleanUpload | None:
        if not data:
            if self.required:
                raise ValidationError("请拍摄或选择一张现场照片")
            return None
        try:
            return validate_file(data, accept=PHOTO_TYPES, cap=PHOTO_MAX_BYTES)
        except UploadRejected as exc:
            raise ValidationError(str(exc)) from None


_COORD = {"inputmode": "decimal", "autocomplete": "off"}


class ReportForm(HoneypotMixin):
    photo = PhotoField(label="现场照片", help_text="JPG 或 PNG，不超过 10 MB；照片中的拍摄位置等信息会被删除")
    category = forms.ChoiceField(label="问题类别", choices=[("", "请选择"), *Category.choices])
    place = forms.CharField(label="地点", max_length=200, help_text="如“××路与××街交叉口东北角”")
    description = forms.CharField(label="问题描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    latitude = forms.DecimalField(
        label="纬度", required=False, max_digits=9, decimal_places=6, widget=forms.TextInput(attrs=_COORD),
        error_messages={"invalid": "纬度应为数字，如 39.904200"},
    )  # fmt: skip
    longitude = forms.DecimalField(
        label="经度", required=False, max_digits=9, decimal_places=6, widget=forms.TextInput(attrs=_COORD),
        error_messages={"invalid": "经度应为数字，如 116.407400"},
    )  # fmt: skip
    location_confirmed = forms.BooleanField(label="我已核对，上述位置就是问题所在位置", required=False)
    name = forms.CharField(label="联系人", max_length=50, required=False)
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


class ReportLookupForm(forms.Form):
    number = forms.CharField(
        label="受理编号",
        max_length=30,
        error_messages={"required": "请填写受理编号（提交随手拍后显示，如 SP20240506-ACDEFG）"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    code = forms.CharField(
        label="查询码",
        max_length=30,
        error_messages={"required": "请填写查询码"},
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_number(self) -> str:
        return normalise_tracking(self.cleaned_data["number"])
