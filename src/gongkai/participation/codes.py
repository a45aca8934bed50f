"""SMS verification codes: six digits, sent through the delivery app's SMS gateway (the outbox kind
``delivery.sms`` with a ``direct_sms`` payload), stored as a keyed hash, valid ten minutes, five wrong
tries at most, one code a minute and five an hour per number (counted in the database)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.identity import IdentityError, validate_phone
from gongkai.core.services import enqueue_message, record_event
from gongkai.participation.models import PhoneCode

VALID_FOR = dt.timedelta(minutes=10)
RESEND_AFTER = dt.timedelta(seconds=60)
PER_HOUR = 5
MAX_ATTEMPTS = 5


def _keyed(*parts: str) -> str:
    message = "\x1f".join(parts).encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), message, hashlib.sha256).hexdigest()


def mobile(value: str) -> str:
    """The 11-digit mobile number in ``value``, or a Chinese ``ValidationError``."""
    try:
        phone = validate_phone(value or "")
    except IdentityError as exc:
        raise ValidationError({"phone": "请填写 11 位手机号码"}) from exc
    if not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        raise ValidationError({"phone": "请填写 11 位手机号码（固定电话收不到短信验证码）"})
    return phone


def phone_digest(phone: str) -> str:
    return _keyed("phone", phone)


def code_hash(digest: str, code: str) -> str:
    return _keyed("code", digest, code)


@transaction.atomic
def issue_code(*, phone: str, purpose: str) -> tuple[PhoneCode, str, str]:
    """A new code for ``phone``: (its row, the normalised number, the code in clear, to be sent and
    forgotten); refuses, in Chinese, when asked for too often."""
    phone = mobile(phone)
    digest, now = phone_digest(phone), timezone.now()
    recent = PhoneCode.objects.select_for_update().filter(
        phone_digest=digest, created_at__gt=now - dt.timedelta(hours=1)
    )
    times = sorted((c.created_at for c in recent), reverse=True)
    if times and now - times[0] < RESEND_AFTER:
        raise ValidationError({"phone": "验证码已发送，请 1 分钟后再重新获取"})
    if len(times) >= PER_HOUR:
        raise ValidationError({"phone": "该号码获取验证码过于频繁，请 1 小时后再试"})
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = PhoneCode.objects.create(
        phone_digest=digest,
        code_hash=code_hash(digest, code),
        purpose=purpose,
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    record_event(actor=None, verb=AuditVerb.PHONE_CODE_SEND, obj=row, after={"purpose": purpose})
    return row, phone, code


@transaction.atomic
def send_code(*, phone: str, purpose: str, text: str) -> PhoneCode:
    """Issue a code and queue the SMS that carries it (``text`` holds ``{code}``) through the gateway."""
    row, phone, code = issue_code(phone=phone, purpose=purpose)
    enqueue_message(
        kind="delivery.sms",
        key=f"participation:code:{row.pk}",
        payload={"audience": "direct_sms", "phone": phone, "text": text.format(code=code)},
    )
    return row


def use_code(*, phone: str, code: str, purpose: str) -> tuple[str, dict[str, str]]:
    """Check and spend a code of ``phone``: (the phone's digest, {}) or ("", the error by field).

    Any unused, unexpired code of the number is good (an SMS may arrive after its successor); a wrong one
    counts against the newest, and five wrong tries stop all of them until a new code is asked for. Call
    inside a transaction and raise the error after it commits: a wrong try must stay counted."""
    phone = mobile(phone)
    digest, now = phone_digest(phone), timezone.now()
    live = PhoneCode.objects.select_for_update().filter(
        phone_digest=digest, purpose=purpose, used_at__isnull=True, expires_at__gt=now
    )
    newest = live.order_by("-created_at", "-pk").first()
    if newest is None:
        return "", {"code": "验证码已过期或未获取，请重新获取验证码"}
    if newest.attempts >= MAX_ATTEMPTS:
        return "", {"code": "验证码错误次数过多，请重新获取验证码"}
    match = live.filter(code_hash=code_hash(digest, (code or "").strip())).first()
    if match is None:
        newest.attempts += 1
        newest.save(update_fields=["attempts"])
        return "", {"code": "验证码不正确"}
    match.used_at = now
    match.save(update_fields=["used_at"])
    return digest, {}
