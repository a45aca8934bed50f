"""Staff sign-in: the password step, the second factor, logout, the idle timeout and password changes.

Each step is a service that writes its audit row (``account.*`` verbs) in the transaction that changes
the counters (``org.throttle``) or the account. What a user still owes before any page opens —
verifying their second factor, choosing their own password, enrolling a device — is ``pending_step``,
which ``org.middleware.StaffAccountMiddleware`` enforces on every request.

Passwords are never logged: a failure records the name tried, the address and the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.net import client_ip
from gongkai.core.services import record_event
from gongkai.org import second_factor, throttle
from gongkai.org.access import SECOND_FACTOR_PERMISSIONS, Permission, require, roles_with

# A staff session ends after this long without a request (the portal's own sessions are not touched).
IDLE_TIMEOUT = dt.timedelta(minutes=30)
# The last-activity stamp is rewritten at most this often, so that reading pages is not a database
# write per request; a session may therefore end up to this much before the full idle time.
ACTIVITY_RESOLUTION = dt.timedelta(minutes=1)
LAST_ACTIVITY = "gongkai_last_activity"

SECOND_FACTOR_ROLES = roles_with(*SECOND_FACTOR_PERMISSIONS)

WRONG_CREDENTIALS = "用户名或密码不正确，请重新输入。"
WRONG_CODE = "验证码不正确或已过期，请查看验证器中的最新 6 位数字后重新输入。"


def too_soon(until: dt.datetime) -> str:
    """django-otp's back-off after a wrong code, in words."""
    return f"验证码输入过于频繁，请于 {timezone.localtime(until):%H:%M:%S} 后再试。"


def requires_second_factor(user: Any) -> bool:
    """Whether ``user`` must sign in with a second factor: a role in ``SECOND_FACTOR_ROLES`` (see
    ``org.access.SECOND_FACTOR_PERMISSIONS``), or a superuser, who can grant any role."""
    from gongkai.org.selectors import user_roles

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user_roles(user) & SECOND_FACTOR_ROLES)


def demo_exempt(user: Any) -> bool:
    """A `gongkai demo` account outside production: no first-login password change, no enrolment."""
    return bool(getattr(user, "demo_account", False)) and not getattr(settings, "PRODUCTION", False)


def pending_step(user: Any) -> str | None:
    """What the signed-in ``user`` must do before anything else: ``"verify"`` (their second factor),
    ``"password"`` (choose their own) or ``"enrol"`` (set up a second factor); None when nothing."""
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        has_device = True
    else:
        has_device = second_factor.confirmed_device(user) is not None
        if has_device:
            return "verify"
    exempt = demo_exempt(user)
    if user.password_change_required and not exempt:
        return "password"
    if not has_device and not exempt and requires_second_factor(user):
        return "enrol"
    return None


@dataclass(frozen=True)
class Outcome:
    """What a sign-in step came to: a user signed in (maybe still owing a step), or a message why not."""

    user: Any = None
    message: str = ""


def _known_user(username: str) -> Any:
    model = get_user_model()
    return model.objects.filter(**{f"{model.USERNAME_FIELD}__iexact": username.strip()}).first()


def _record_lock(lock: throttle.Lock, user: Any, address: str) -> None:
    record_event(
        actor=None,
        verb=AuditVerb.ACCOUNT_LOCKED,
        obj=user if lock.scope == throttle.Scope.ACCOUNT else None,
        after={"scope": lock.scope, "key": lock.key, "until": lock.until},
        ip=address,
    )


@transaction.atomic
def _reserve(*, username: str, address: str, now: dt.datetime) -> Outcome | None:
    """Count this attempt in advance, or refuse it (audited) when the name or the address is locked."""
    reservation = throttle.reserve(username, address, now=now)
    if reservation.lock is None:
        return None
    user = _known_user(username)
    if reservation.new_lock:
        _record_lock(reservation.lock, user, address)
    after = {"username": username[:150], "reason": "locked"}
    record_event(actor=None, verb=AuditVerb.ACCOUNT_LOGIN_FAILED, obj=user, after=after, ip=address)
    return Outcome(message=reservation.lock.message)


@transaction.atomic
def _failed(*, username: str, address: str, reason: str, now: dt.datetime) -> Outcome:
    failure = throttle.fail(username, address, now=now)
    user = _known_user(username)
    after = {"username": username[:150], "reason": reason, "failures": failure.account_failures}
    record_event(actor=None, verb=AuditVerb.ACCOUNT_LOGIN_FAILED, obj=user, after=after, ip=address)
    for lock in failure.new_locks:
        _record_lock(lock, user, address)
    if failure.lock is not None:
        return Outcome(message=failure.lock.message)
    left = throttle.ACCOUNT_LIMIT - failure.account_failures
    message = WRONG_CREDENTIALS if reason == "password" else WRONG_CODE
    if left <= 3:
        minutes = int(throttle.LOCK_DURATION.total_seconds() // 60)
        message += f"再失败 {left} 次，该账号将被锁定 {minutes} 分钟。"
    return Outcome(message=message)


def _start_session(request: HttpRequest, user: Any) -> None:
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[LAST_ACTIVITY] = timezone.now().timestamp()
    request.session.set_expiry(int((IDLE_TIMEOUT + ACTIVITY_RESOLUTION).total_seconds()))


def sign_in(*, request: HttpRequest, username: str, password: str) -> Outcome:
    """The password step. On success the session is signed in; ``pending_step`` says what remains."""
    address, now = client_ip(request), timezone.now()
    refused = _reserve(username=username, address=address, now=now)
    if refused is not None:
        return refused
    user = auth.authenticate(request, username=username, password=password)
    if user is None:
        return _failed(username=username, address=address, reason="password", now=now)
    device = second_factor.confirmed_device(user)
    with transaction.atomic():
        if device is None:
            # Signed in for good: the advance count of this attempt and any earlier typos are cleared.
            throttle.clear_account(username)
        else:
            # The code is still owed: earlier failures stand until it is verified.
            throttle.take_back(username)
        if device is not None:
            step = "待验证"
        elif requires_second_factor(user) and not demo_exempt(user):
            step = "待绑定"
        else:
            step = "无需"
        record_event(
            actor=user, verb=AuditVerb.ACCOUNT_LOGIN, obj=user, after={"second_factor": step}, ip=address
        )
    _start_session(request, user)
    return Outcome(user=user)


def verify_second_factor(*, request: HttpRequest, token: str) -> Outcome:
    """The code step, for a session signed in with a password whose user has a device."""
    user = request.user
    device = second_factor.confirmed_device(user)
    if device is None:
        return Outcome(message="您尚未绑定二次验证设备。")
    address, now = client_ip(request), timezone.now()
    refused = _reserve(username=user.get_username(), address=address, now=now)
    if refused is not None:
        sign_out(request=request, reason="locked")
        return refused
    waiting = second_factor.throttled_until(device)
    if waiting is not None:
        return Outcome(message=too_soon(waiting))
    if not second_factor.verify(request, device, token):
        outcome = _failed(username=user.get_username(), address=address, reason="second_factor", now=now)
        if throttle.current_lock(throttle.Scope.ACCOUNT, throttle.account_key(user.get_username())):
            sign_out(request=request, reason="locked")
        return outcome
    with transaction.atomic():
        throttle.clear_account(user.get_username())
        record_event(actor=user, verb=AuditVerb.ACCOUNT_OTP_VERIFIED, obj=user, ip=address)
    return Outcome(user=user)


def sign_out(*, request: HttpRequest, reason: str = "user") -> None:
    """End the session, recording who left and why (``user``, ``idle`` or ``locked``)."""
    user = request.user
    if getattr(user, "is_authenticated", False):
        verb = AuditVerb.ACCOUNT_IDLE_LOGOUT if reason == "idle" else AuditVerb.ACCOUNT_LOGOUT
        with transaction.atomic():
            record_event(actor=user, verb=verb, obj=user, after={"reason": reason}, ip=client_ip(request))
    auth.logout(request)


def idle_expired(request: HttpRequest) -> bool:
    """Whether this staff session has been idle too long; otherwise the request counts as activity."""
    now = timezone.now().timestamp()
    last = request.session.get(LAST_ACTIVITY)
    if isinstance(last, int | float) and now - last > IDLE_TIMEOUT.total_seconds():
        return True
    if not isinstance(last, int | float) or now - last >= ACTIVITY_RESOLUTION.total_seconds():
        request.session[LAST_ACTIVITY] = now
        request.session.set_expiry(int((IDLE_TIMEOUT + ACTIVITY_RESOLUTION).total_seconds()))
    return False


@transaction.atomic
def password_change(*, actor: Any, new_password: str, request: HttpRequest | None = None) -> None:
    """The signed-in person chooses their own password (validated by the caller's form)."""
    user = get_user_model().objects.select_for_update().get(pk=actor.pk)
    was_required = user.password_change_required
    user.set_password(new_password)
    user.password_change_required = False
    user.save(update_fields=["password", "password_change_required"])
    record_event(
        actor=actor,
        verb=AuditVerb.ACCOUNT_PASSWORD_CHANGE,
        obj=user,
        after={"first_login": was_required},
        ip=client_ip(request) if request is not None else None,
    )
    if request is not None:
        auth.update_session_auth_hash(request, user)
        actor.password_change_required = False


@transaction.atomic
def password_reset_completed(*, user: Any, request: HttpRequest | None = None) -> None:
    """The person set a new password through the e-mailed link (Django's reset form saved it)."""
    get_user_model().objects.filter(pk=user.pk).update(password_change_required=False)
    record_event(
        actor=user,
        verb=AuditVerb.ACCOUNT_PASSWORD_RESET,
        obj=user,
        ip=client_ip(request) if request is not None else None,
    )


@transaction.atomic
def account_unlock(*, actor: Any, user: Any) -> int:
    """Lift the login lock on ``user``'s name (the 公开办负责人; ``actor=None`` from the server's shell).

    Returns how many failures were cleared. The name's address blocks stay: they are the attacker's.
    """
    if actor is not None:
        require(actor, Permission.ACCOUNT_MANAGE, "只有公开办负责人可以解除账号锁定")
    lock = throttle.current_lock(throttle.Scope.ACCOUNT, throttle.account_key(user.get_username()))
    cleared = throttle.clear_account(user.get_username())
    record_event(
        actor=actor,
        verb=AuditVerb.ACCOUNT_UNLOCK,
        obj=user,
        before={"failures": cleared, "locked_until": lock.until if lock else None},
    )
    return cleared


@transaction.atomic
def demo_accounts_mark(*, actor: Any, users: list[Any]) -> None:
    """`gongkai demo`: its accounts skip the first-login password change and the enrolment (the printed
    password stays theirs to change), outside production only (``demo_exempt``)."""
    for user in users:
        get_user_model().objects.filter(pk=user.pk).update(demo_account=True)
        record_event(actor=actor, verb=AuditVerb.ACCOUNT_DEMO_EXEMPT, obj=user)
