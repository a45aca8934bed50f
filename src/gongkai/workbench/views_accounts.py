"""The sign-in pages (``accounts/``): login, the second-factor code, enrolment, the person's own password,
logout, and password reset by e-mail where mail is configured.

The rules live in ``org.accounts`` (throttling, audit, what is still owed) and ``org.second_factor``;
these views only show them. URL names: login, logout, otp_verify, otp_setup, password_change,
password_reset, password_reset_done, password_reset_confirm, password_reset_complete.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongkai.org import accounts, second_factor
from gongkai.org.middleware import STEP_PAGES
from gongkai.workbench.forms_accounts import CodeForm, LoginForm, OwnPasswordForm


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return str(settings.LOGIN_REDIRECT_URL)


def _onward(request: HttpRequest) -> HttpResponse:
    """Where a finished step leads: the next step still owed, else the page the person asked for."""
    step = accounts.pending_step(request.user)
    target = _next_url(request)
    if step is not None:
        return redirect(f"{reverse(STEP_PAGES[step])}?{urlencode({'next': target})}")
    return redirect(target)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        outcome = accounts.sign_in(
            request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if outcome.user is not None:
            return _onward(request)
        error = outcome.message
    context = {
        "form": form,
        "error": error,
        "next": _next_url(request) if (request.POST.get("next") or request.GET.get("next")) else "",
        "email_configured": settings.EMAIL_CONFIGURED,
    }
    return render(request, "registration/login.html", context, status=200)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    accounts.sign_out(request=request)
    return redirect("login")


@sensitive_post_parameters("token")
@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if second_factor.confirmed_device(request.user) is None:
        return _onward(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = accounts.verify_second_factor(request=request, token=form.cleaned_data["token"])
        if outcome.user is not None:
            return _onward(request)
        if not request.user.is_authenticated:  # the account was locked and the session ended
            messages.error(request, outcome.message)
            return redirect("login")
        form.add_error("token", outcome.message)
    return render(request, "workbench/otp_verify.html", {"form": form, "next": _next_url(request)})


@sensitive_post_parameters("token")
@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    device = second_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        waiting = second_factor.throttled_until(device)
        if waiting is not None:
            form.add_error("token", accounts.too_soon(waiting))
        elif second_factor.enrol_confirm(actor=request.user, device=device, token=token, request=request):
            messages.success(request, "二次验证已启用：以后登录时，输入密码后还需输入验证器中的 6 位验证码。")
            return _onward(request)
        else:
            form.add_error("token", accounts.WRONG_CODE)
    context: dict[str, Any] = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": second_factor.qr_svg(device),
        "secret": second_factor.secret_text(device),
        "enrolled": second_factor.confirmed_device(request.user) is not None,
        "required": accounts.requires_second_factor(request.user),
    }
    return render(request, "workbench/otp_setup.html", context)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.password_change(
            actor=request.user, new_password=form.cleaned_data["new_password1"], request=request
        )
        messages.success(request, "密码已修改。")
        return _onward(request)
    context = {"form": form, "next": _next_url(request), "forced": request.user.password_change_required}
    return render(request, "workbench/password_change.html", context)


# -- password reset by e-mail ------------------------------------------------------------------------
# Django's own views send the message at once through the configured SMTP server rather than through the
# outbox: the link is a one-time credential that should not sit in a database table, and the person is
# waiting for it.


def _reset_unavailable(request: HttpRequest) -> HttpResponse:
    return render(request, "workbench/password_reset_unavailable.html")


def _when_mail(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.EMAIL_CONFIGURED:
            return _reset_unavailable(request)
        return view(request, *args, **kwargs)

    return wrapped


class _ResetConfirm(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            accounts.password_reset_completed(user=form.user, request=self.request)
        return response


# The templates are the workbench's own: django.contrib.admin's registration/ templates come first.
password_reset = _when_mail(
    auth_views.PasswordResetView.as_view(
        template_name="workbench/password_reset_form.html",
        email_template_name="workbench/password_reset_email.txt",
        subject_template_name="workbench/password_reset_subject.txt",
    )
)
password_reset_done = _when_mail(
    auth_views.PasswordResetDoneView.as_view(template_name="workbench/password_reset_done.html")
)
password_reset_confirm = _when_mail(
    _ResetConfirm.as_view(template_name="workbench/password_reset_confirm.html")
)
password_reset_complete = _when_mail(
    auth_views.PasswordResetCompleteView.as_view(template_name="workbench/password_reset_complete.html")
)
