"""Forms of the sign-in pages: the password step, the second-factor code, the person's own password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm


class LoginForm(forms.Form):
    # The check itself is org.accounts.sign_in (throttled, audited), not a form's clean().
    username = forms.CharField(
        label="用户名",
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
        error_messages={"required": "请填写用户名"},
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "请填写密码"},
    )


class CodeForm(forms.Form):
    token = forms.RegexField(
        label="6 位验证码",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
        error_messages={"required": "请填写验证码", "invalid": "验证码是验证器中显示的 6 位数字"},
    )


class OwnPasswordForm(PasswordChangeForm):
    """Django's password change, refusing to keep the password someone else chose (or the demo's)."""

    def clean_new_password1(self) -> Any:
        new = self.cleaned_data.get("new_password1")
        if new and self.user.check_password(new):
            raise forms.ValidationError("新密码不能与原密码相同")
        return new
