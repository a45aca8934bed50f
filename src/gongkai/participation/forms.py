"""Forms of the participation pages: the resident's vote and comment, and the staff's editors."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.participation.models import LessonKind, Poll, ServicePoint, TrafficNotice

_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VoteForm(forms.Form):
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        error_messages={"required": "请填写手机号码"},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text="每个手机号码只能投一票；号码只用于核验，不会公开或保存原号。",
    )
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        error_messages={"required": "请填写短信验证码"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    option = forms.TypedChoiceField(
        label="您的选择", coerce=int, widget=forms.RadioSelect, error_messages={"required": "请选择一个选项"}
    )

    def __init__(self, *args: Any, poll: Poll, sending_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Asking for a code needs only the number; the choice and the code are checked when voting.
        if sending_code:
            self.fields["code"].required = self.fields["option"].required = False
        self.fields["option"].choices = [(o.pk, o.label) for o in poll.options.all()]  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    body = forms.CharField(
        label="您的意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="意见经工作人员审核后公开；请勿填写姓名、电话、身份证号等个人信息。",
    )


class PollForm(forms.Form):
    title = forms.CharField(label="投票主题", max_length=200)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = forms.DateTimeField(label="开始时间", widget=_LOCAL)
    closes_at = forms.DateTimeField(label="截止时间", widget=_LOCAL)
    options = forms.CharField(label="选项（每行一个）", widget=forms.Textarea(attrs={"rows": 4}))
    is_published = forms.BooleanField(label="发布到门户网站", required=False)


class ConsultationForm(forms.Form):
    title = forms.CharField(label="征集主题", max_length=200)
    draft_text = forms.CharField(label="征求意见稿", widget=forms.Textarea(attrs={"rows": 10}))
    opens_at = forms.DateTimeField(label="开始时间", widget=_LOCAL)
    closes_at = forms.DateTimeField(label="截止时间", widget=_LOCAL)
    is_published = forms.BooleanField(label="发布到门户网站", required=False)


class ModerateForm(forms.Form):
    public_body = forms.CharField(
        label="公开的意见内容", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    confirmed = forms.BooleanField(label="已核对：标出的内容不是个人信息", required=False)
    reason = forms.CharField(label="不予公开的理由", max_length=200, required=False)


class FeedbackForm(forms.Form):
    summary = forms.CharField(label="意见采纳情况及理由", widget=forms.Textarea(attrs={"rows": 8}))


class CourseForm(forms.Form):
    title = forms.CharField(label="课程名称", max_length=200)
    description = forms.CharField(label="课程简介", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_published = forms.BooleanField(label="发布到门户网站", required=False)


class LessonForm(forms.Form):
    title = forms.CharField(label="课时名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=LessonKind.choices)
    file = forms.FileField(label="文件", help_text="视频：MP4；音频：MP3、M4A；文档：PDF、DOCX")


class ServicePointForm(forms.ModelForm):
    class Meta:
        model = ServicePoint
        fields = [
            "name",
            "category",
            "address",
            "hours",
            "services",
            "phone",
            "longitude",
            "latitude",
            "is_published",
        ]


class TrafficNoticeForm(forms.ModelForm):
    class Meta:
        model = TrafficNotice
        fields = ["road", "period", "detour", "starts_on", "ends_on", "is_published"]
        widgets = {"starts_on": _DATE, "ends_on": _DATE}
