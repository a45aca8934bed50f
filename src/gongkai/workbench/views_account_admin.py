"""账号安全: the 公开办负责人 sees every account's login lock and second factor, lifts a lock and resets a
lost device (``org.accounts.account_unlock``, ``org.second_factor.reset``; both audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.org import accounts, second_factor
from gongkai.org.access import Permission, permission_required
from gongkai.org.selectors import account_overview
from gongkai.org.throttle import ACCOUNT_LIMIT, LOCK_DURATION


@permission_required(Permission.ACCOUNT_MANAGE)
def account_list(request: HttpRequest) -> HttpResponse:
    context = {
        "rows": account_overview(),
        "limit": ACCOUNT_LIMIT,
        "lock_minutes": int(LOCK_DURATION.total_seconds() // 60),
    }
    return render(request, "workbench/accounts.html", context)


@permission_required(Permission.ACCOUNT_MANAGE)
@require_POST
def account_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    accounts.account_unlock(actor=request.user, user=user)
    messages.success(request, f"已解除 {user.get_full_name() or user.get_username()} 的登录锁定。")
    return redirect("account_security")


@permission_required(Permission.ACCOUNT_MANAGE)
@require_POST
def account_otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    removed = second_factor.reset(actor=request.user, user=user)
    name = user.get_full_name() or user.get_username()
    if removed:
        messages.success(request, f"已重置 {name} 的二次验证设备：其下次登录时须重新绑定验证器。")
    else:
        messages.info(request, f"{name} 尚未绑定二次验证设备，无需重置。")
    return redirect("account_security")
