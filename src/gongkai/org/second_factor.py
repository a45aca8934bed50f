"""The second factor: one TOTP device (django-otp) per person, enrolled in the workbench.

A person enrols by scanning a QR code (drawn here as inline SVG by ``qrcode``: no outside service sees
the secret) or typing the secret into any authenticator app (RFC 6238: 6 digits, 30 seconds), then
confirming with a code. Enrolment, and an office head's reset of a lost device, are audited services.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

import django_otp
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.net import client_ip
from gongkai.core.services import record_event
from gongkai.org.access import Permission, require

DEVICE_NAME = "验证器"


def confirmed_device(user: Any) -> TOTPDevice | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device ``user`` is enrolling (made on first sight; its secret is not yet in use).

    Creating it is not audited: an unconfirmed secret signs no one in. ``enrol_confirm`` is.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an authenticator app."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` URI of ``device`` as an inline SVG QR code (drawn locally)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    # Inline in the page: drop the XML declaration, which is only valid at the start of a document.
    return svg[svg.index("<svg") :]


def throttled_until(device: TOTPDevice) -> dt.datetime | None:
    """django-otp's own back-off after wrong codes (1, 2, 4 … seconds): when the next code may be tried."""
    allowed, data = device.verify_is_allowed()
    return None if allowed else (data or {}).get("locked_until")


def verify(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Check ``token`` against the confirmed ``device``; on success the session counts as verified."""
    token = (token or "").strip().replace(" ", "")
    matched = django_otp.verify_token(request.user, device.persistent_id, token)
    if matched is None:
        return False
    django_otp.login(request, matched)
    return True


def enrol_confirm(*, actor: Any, device: TOTPDevice, token: str, request: HttpRequest | None = None) -> bool:
    """Confirm ``actor``'s pending ``device`` with a code from it. It replaces any earlier device, and the
    session counts as verified. False (nothing changed) when the code is wrong."""
    token = (token or "").strip().replace(" ", "")
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor, confirmed=False)
        if not locked.verify_token(token):
            return False
        replaced = TOTPDevice.objects.filter(user=actor).exclude(pk=locked.pk).delete()[0]
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        record_event(
            actor=actor,
            verb=AuditVerb.ACCOUNT_OTP_ENROL,
            obj=actor,
            after={"device": locked.name, "replaced": replaced},
            ip=client_ip(request) if request is not None else None,
        )
    if request is not None:
        django_otp.login(request, locked)
    return True


@transaction.atomic
def reset(*, actor: Any, user: Any) -> int:
    """The 公开办负责人 removes ``user``'s devices (a lost phone); at their next sign-in they enrol anew.

    Returns how many devices were removed.
    """
    require(actor, Permission.ACCOUNT_MANAGE, "只有公开办负责人可以重置二次验证设备")
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    record_event(actor=actor, verb=AuditVerb.ACCOUNT_OTP_RESET, obj=user, before={"devices": removed})
    return removed
