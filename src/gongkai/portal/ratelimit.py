"""Per-IP and per-contact rate limits for the public forms, counted in the database.

The database, not the process-local cache, keeps the counts so that every app process (and a restart)
sees the same numbers. Keys are stored as keyed hashes: a counter row never holds a phone number or an
IP address in a form anyone could read back. Windows are fixed (e.g. this hour); a refused request
says in words when to try again.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

# Re-exported: the portal's views take the visitor's address from here.
from gongkai.core.net import client_ip as client_ip
from gongkai.portal.models import RateLimitCounter


@dataclass(frozen=True)
class Limit:
    scope: str
    max_hits: int
    window_seconds: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        if minutes >= 120:
            return _("提交过于频繁，请 %(h)d 小时后再试。") % {"h": math.ceil(minutes / 60)}
        return _("提交过于频繁，请 %(m)d 分钟后再试。") % {"m": minutes}


APPLICATION_PER_IP = Limit("application.ip", 5, 3600)
APPLICATION_PER_CONTACT = Limit("application.contact", 5, 86400)
LETTER_PER_IP = Limit("letter.ip", 5, 3600)
LETTER_PER_CONTACT = Limit("letter.contact", 3, 86400)
# Wrong secrets: few per tracking number, a few more per address (someone may follow several cases).
LOOKUP_FAIL_PER_IP = Limit("lookup.ip", 10, 900)
LOOKUP_FAIL_PER_CASE = Limit("lookup.case", 5, 900)


def contact_key(*values: str) -> str:
    """One key for a person's contact details: digits of a phone, or a lower-cased e-mail address."""
    for value in values:
        value = (value or "").strip().lower()
        if not value:
            continue
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits if "@" not in value and digits else value
    return ""


def _digest(scope: str, key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{scope}\0{key}".encode(), hashlib.sha256).hexdigest()


def _window(limit: Limit, now: datetime) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % limit.window_seconds, tz=now.tzinfo)


def _decision(limit: Limit, count: int, window: datetime, now: datetime) -> Decision:
    if count < limit.max_hits:
        return Decision(True)
    reset = window + timedelta(seconds=limit.window_seconds)
    return Decision(False, max(1, int((reset - now).total_seconds())))


def check(limit: Limit, key: str) -> Decision:
    """Whether ``key`` may act now, without counting."""
    now = timezone.now()
    window = _window(limit, now)
    row = RateLimitCounter.objects.filter(
        scope=limit.scope, key_digest=_digest(limit.scope, key), window_start=window
    ).first()
    return _decision(limit, row.count if row else 0, window, now)


def hit(limit: Limit, key: str) -> Decision:
    """Count one attempt of ``key``; the decision says whether it was within the limit."""
    now = timezone.now()
    window = _window(limit, now)
    digest = _digest(limit.scope, key)
    with transaction.atomic():
        RateLimitCounter.objects.filter(
            scope=limit.scope, window_start__lt=window - timedelta(seconds=limit.window_seconds)
        ).delete()
        updated = RateLimitCounter.objects.filter(
            scope=limit.scope, key_digest=digest, window_start=window
        ).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateLimitCounter.objects.create(
                        scope=limit.scope, key_digest=digest, window_start=window, count=1
                    )
            except IntegrityError:  # a concurrent request created it first
                RateLimitCounter.objects.filter(
                    scope=limit.scope, key_digest=digest, window_start=window
                ).update(count=F("count") + 1)
        count = RateLimitCounter.objects.get(scope=limit.scope, key_digest=digest, window_start=window).count
    return _decision(limit, count - 1, window, now)


def first_refusal(*pairs: tuple[Limit, str]) -> Decision | None:
    """Check several (limit, key) pairs without counting; the first refusal, if any. Empty keys are skipped."""
    for limit, key in pairs:
        if key:
            decision = check(limit, key)
            if not decision.allowed:
                return decision
    return None


def count_all(*pairs: tuple[Limit, str]) -> None:
    for limit, key in pairs:
        if key:
            hit(limit, key)
