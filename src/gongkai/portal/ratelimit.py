"""Per-address and per-contact rate limits for the public forms, counted in the database, before the work.

The database, not the process-local cache, keeps the counts so that every app process (and a restart)
sees the same numbers. A request is counted when it arrives, before the form is read or an upload
checked, in one statement (``INSERT … ON CONFLICT DO UPDATE … RETURNING``) that SQLite and PostgreSQL
both run atomically: thirty requests at once get the counts 1 to 30, so exactly ``max_hits`` of them go
through, and a submission that then fails (a bad scan, a wrong field) has still used its turn. Keys are
stored as keyed hashes: a counter row never holds a phone number or an address in a form anyone could
read back. An IPv6 address counts by its /64 network, which one subscriber holds whole. Windows are fixed
(e.g. this hour); a refused request says in words when to try again.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
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

    @property
    def search_message(self) -> str:
        return _("检索过于频繁，请 %(m)d 分钟后再试。") % {"m": max(1, math.ceil(self.retry_after / 60))}


APPLICATION_PER_IP = Limit("application.ip", 5, 3600)
APPLICATION_PER_CONTACT = Limit("application.contact", 5, 86400)
LETTER_PER_IP = Limit("letter.ip", 5, 3600)
LETTER_PER_CONTACT = Limit("letter.contact", 3, 86400)
# An online 补正 is sent once per case; the limits stop someone with the secret from hammering the upload.
CORRECTION_PER_IP = Limit("correction.ip", 10, 3600)
CORRECTION_PER_CASE = Limit("correction.case", 5, 3600)
# Wrong secrets, counted per address and per (tracking number, address): a guesser is stopped without
# locking the case, so the applicant, from any other address, still gets in with the right secret. A
# secret has 12 characters of 25 (about 2**55); at ten guesses per address per quarter hour, no number of
# addresses finds one in a lifetime.
LOOKUP_FAIL_PER_IP = Limit("lookup.ip", 10, 900)
LOOKUP_FAIL_PER_CASE = Limit("lookup.case_ip", 5, 900)
# Searches: generous for a person paging through results, a ceiling for a script.
SEARCH_PER_IP = Limit("search.ip", 60, 60)


def contact_key(*values: str) -> str:
    """One key for a person's contact details: digits of a phone, or a lower-cased e-mail address."""
    for value in values:
        value = (value or "").strip().lower()
        if not value:
            continue
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits if "@" not in value and digits else value
    return ""


def address_key(ip: str) -> str:
    """The key an address is limited under: itself, or for IPv6 its /64 network."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def case_address_key(tracking_number: str, ip: str) -> str:
    return f"{tracking_number}\0{address_key(ip)}"


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


def hit(limit: Limit, key: str) -> Decision:
    """Count one attempt of ``key`` now; the decision says whether it was within the limit."""
    now = timezone.now()
    window = _window(limit, now)
    # Counters of windows that have passed are of no use; the index on window_start makes this cheap.
    RateLimitCounter.objects.filter(
        scope=limit.scope, window_start__lt=window - timedelta(seconds=limit.window_seconds)
    ).delete()
    count = _increment(limit.scope, _digest(limit.scope, key), window)
    return _decision(limit, count - 1, window, now)


def _increment(scope: str, digest: str, window: datetime) -> int:
    """Add one to the counter, creating it at 1, and return the new count: one atomic statement."""
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    count = connection.ops.quote_name("count")
    sql = (
        f"INSERT INTO {table} (scope, key_digest, window_start, {count}) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT (scope, key_digest, window_start) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"RETURNING {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [scope, digest, connection.ops.adapt_datetimefield_value(window)])
        (value,) = cursor.fetchone()
    return int(value)


def refund(limit: Limit, key: str) -> None:
    """Give back the attempt ``hit`` counted (a lookup that turned out right is no failed guess)."""
    now = timezone.now()
    RateLimitCounter.objects.filter(
        scope=limit.scope, key_digest=_digest(limit.scope, key), window_start=_window(limit, now), count__gt=0
    ).update(count=F("count") - 1)


def hit_all(*pairs: tuple[Limit, str]) -> Decision | None:
    """Count the attempt under each (limit, key) in turn; the first refusal, if any (the pairs after it
    are not counted: an address over its limit cannot use up someone's contact). Empty keys are skipped."""
    for limit, key in pairs:
        if key:
            decision = hit(limit, key)
            if not decision.allowed:
                return decision
    return None
