"""Workbench forms for keying in a year's 放假安排 from the State Council notice.

They check the shape of each row; the year-level rules (dates inside the year, shifts on weekends,
no day keyed twice) are ``calendar_rules`` and are applied by ``services.enter_calendar_year``.
"""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.core import calendar_rules
from gongkai.core.widgets import DateInput


class NoticeForm(forms.Form):
    notice_title = forms.CharField(
        label="通知标题",
        max_length=200,
        required=False,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知",
    )
    notice_url = forms.URLField(label="通知网址", required=False, assume_scheme="https")
    notice_text = forms.CharField(
        label="通知正文（可选，留存备查）", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class RangeForm(forms.Form):
    # The empty choice keeps an untouched blank row unchanged, so the formset skips it.
    kind = forms.ChoiceField(
        label="类型",
        choices=[("", "—"), (calendar_rules.HOLIDAY, "放假"), (calendar_rules.WORKDAY_SHIFT, "调休上班")],
    )
    name = forms.CharField(label="节日", max_length=100)
    first_day = forms.DateField(label="开始日期", widget=DateInput())
    last_day = forms.DateField(label="结束日期", widget=DateInput(), required=False, help_text="单日可不填")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first_day") and not data.get("last_day"):
            data["last_day"] = data["first_day"]
        return data


def range_formset(*, blank_rows: int) -> type[forms.BaseFormSet]:
    """Rows for the notice's ranges, with ``blank_rows`` empty rows to key in new ones."""
    return forms.formset_factory(RangeForm, extra=blank_rows, can_delete=True, max_num=60, validate_max=True)
