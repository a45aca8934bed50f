"""Every write of the core app: audit events, the outbox and the working-day calendar table."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from gongkai import workdays
from gongkai.core import calendar_rules, selectors
from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.calendar_rules import HOLIDAY, WORKDAY_SHIFT, DayRange
from gongkai.core.models import AuditEvent, CalendarRange, CalendarYear, OutboxMessage

logger = logging.getLogger(__name__)

DEFAULT_SEED_YEARS = range(2004, 2027)


# --- audit log ---------------------------------------------------------------------------------


def record_event(
    *,
    actor: Any,
    verb: AuditVerb,
    obj: models.Model | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit event; call it inside the service's transaction so both commit or neither.

    ``actor`` is a user, or ``None`` for the system; an anonymous portal visitor counts as ``None``.
    ``verb`` is a member of ``core.audit_verbs.AuditVerb``; the row stores its value.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id="" if obj is None or obj.pk is None else str(obj.pk),
        object_repr=str(obj)[:200] if obj is not None else "",
        before=_json_safe(before),
        after=_json_safe(after),
        ip=ip,
    )


@transaction.atomic
def user_password_set(*, actor: Any, user: Any) -> None:
    """An administrator has set ``user``'s password (the admin's form saved it in this transaction): they
    must choose their own at their next sign-in (``org.accounts.pending_step``)."""
    type(user).objects.filter(pk=user.pk).update(password_change_required=True)
    record_event(actor=actor, verb=AuditVerb.ACCOUNT_PASSWORD_SET, obj=user)


def model_snapshot(obj: models.Model, *, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` (foreign keys as ids), JSON-ready for before/after."""
    wanted = set(fields) if fields is not None else None
    data = {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if wanted is None or f.name in wanted or f.attname in wanted
    }
    return _json_safe(data) or {}


def _json_safe(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    # Round-trip now so the stored value is what a reader will get back (dates and decimals as strings).
    if data is None:
        return None
    return json.loads(json.dumps(dict(data), cls=DjangoJSONEncoder))


# --- outbox ------------------------------------------------------------------------------------

# A failed attempt waits FIRST_RETRY × 2^(attempts-1), at most MAX_RETRY_DELAY; after MAX_ATTEMPTS the
# message is dead-lettered: twelve attempts span about a day, long enough to outlast a mail server's
# maintenance window without retrying a hopeless message for ever.
FIRST_RETRY = dt.timedelta(minutes=1)
MAX_RETRY_DELAY = dt.timedelta(hours=6)
MAX_ATTEMPTS = 12


class PermanentFailure(Exception):
    """Raised by a handler when retrying cannot help (no address to send to): dead-letter at once."""


def enqueue_message(*, kind: str, payload: Mapping[str, Any], key: str | None = None) -> OutboxMessage:
    """Queue a side effect in the caller's transaction: it is delivered only if the change commits.

    ``key`` names the side effect (e.g. ``inforequest:7:reply_issued:applicant:email``); queueing a key
    that exists returns the existing message unchanged, so repeating an expansion is harmless. Without
    a key the message gets a unique one of its own.
    """
    key = key or f"{kind}:{uuid.uuid4().hex}"
    existing = OutboxMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        # A savepoint: a concurrent insert of the same key must not break the caller's transaction.
        with transaction.atomic():
            return OutboxMessage.objects.create(
                kind=kind, payload=_json_safe(payload) or {}, idempotency_key=key
            )
    except IntegrityError:
        return OutboxMessage.objects.get(idempotency_key=key)


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt (1, 2, 4 … minutes, capped)."""
    factor = 2 ** min(max(attempts - 1, 0), 20)
    return min(FIRST_RETRY * factor, MAX_RETRY_DELAY)


@dataclass(frozen=True)
class DrainOutcome:
    pk: int
    kind: str
    status: str  # "sent", "retry" (failed, will be retried) or "dead" (failed for the last time)
    note: str = ""  # the handler's result, or the error
    next_attempt_at: dt.datetime | None = None


@dataclass
class DrainResult:
    outcomes: list[DrainOutcome] = field(default_factory=list)

    def _with(self, *statuses: str) -> list[int]:
        return [o.pk for o in self.outcomes if o.status in statuses]

    @property
    def sent(self) -> list[int]:
        return self._with("sent")

    @property
    def failed(self) -> list[int]:
        """Every message whose attempt failed in this run, dead-lettered or not."""
        return self._with("retry", "dead")

    @property
    def dead(self) -> list[int]:
        return self._with("dead")


Handler = Callable[[Any], Any]


def _due(now: dt.datetime) -> models.Q:
    return (
        models.Q(sent_at__isnull=True, dead_at__isnull=True)
        & (models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now))
        & (models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))
    )


def _claim(pk: int, claim_for: dt.timedelta) -> bool:
    # One UPDATE decides: of two drainers racing for the row, only one sees it still unclaimed (SQLite
    # serialises writers; PostgreSQL re-checks the WHERE after waiting for the other's row lock).
    now = timezone.now()
    return bool(OutboxMessage.objects.filter(_due(now), pk=pk).update(claimed_until=now + claim_for))


def _run(handler: Handler, message: OutboxMessage) -> str:
    # A handler gets the payload; one that declares ``takes_message`` gets the row (its key and id).
    result = handler(message if getattr(handler, "takes_message", False) else message.payload)
    return str(result)[:300] if isinstance(result, str) else ""


def _deliver_one(handler: Handler, message: OutboxMessage, max_attempts: int) -> DrainOutcome:
    pk = message.pk
    try:
        note = _run(handler, message)
    except Exception as exc:
        logger.warning("outbox message %s (%s) failed: %s", pk, message.kind, exc)
        error = f"{type(exc).__name__}: {exc}" if not isinstance(exc, PermanentFailure) else str(exc)
        attempts = message.attempts + 1
        now = timezone.now()
        dead = isinstance(exc, PermanentFailure) or attempts >= max_attempts
        after = None if dead else now + retry_delay(attempts)
        OutboxMessage.objects.filter(pk=pk).update(
            attempts=models.F("attempts") + 1,
            last_error=error[:2000],
            claimed_until=None,
            next_attempt_at=after,
            dead_at=now if dead else None,
        )
        return DrainOutcome(pk, message.kind, "dead" if dead else "retry", error, after)
    OutboxMessage.objects.filter(pk=pk).update(
        attempts=models.F("attempts") + 1,
        sent_at=timezone.now(),
        last_error="",
        result=note,
        claimed_until=None,
        next_attempt_at=None,
    )
    return DrainOutcome(pk, message.kind, "sent", note)


def drain_outbox(
    handlers: Mapping[str, Handler],
    *,
    limit: int = 100,
    max_attempts: int = MAX_ATTEMPTS,
    claim_for: dt.timedelta = dt.timedelta(minutes=5),
) -> DrainResult:
    """Deliver due messages whose kind has a handler, oldest first, at most ``limit`` of them.

    Messages that handlers queue while running (an event expanded into per-recipient deliveries) are
    delivered in the same run. Delivery is at least once: a handler must tolerate a repeat (a crash
    after sending but before ``sent_at`` is stored), which is what the idempotency key is for. A
    message is claimed before its handler runs so that two concurrent drainers never both deliver it;
    no transaction is held open during delivery, which matters for SQLite where that would block
    every writer.
    """
    result = DrainResult()
    seen: set[int] = set()
    kinds = list(handlers)
    while len(seen) < limit:
        batch = list(
            OutboxMessage.objects.filter(_due(timezone.now()), kind__in=kinds, attempts__lt=max_attempts)
            .exclude(pk__in=seen)
            .order_by("id")
            .values_list("pk", flat=True)[: limit - len(seen)]
        )
        if not batch:
            break
        for pk in batch:
            seen.add(pk)
            if not _claim(pk, claim_for):
                continue
            message = OutboxMessage.objects.get(pk=pk)
            result.outcomes.append(_deliver_one(handlers[message.kind], message, max_attempts))
    return result


@transaction.atomic
def outbox_requeue(message: OutboxMessage) -> OutboxMessage:
    """Give a dead-lettered (or waiting) message a fresh set of attempts, due now.

    The caller is a service that checked who may do this and records the audit event.
    """
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.sent_at is not None:
        raise ValidationError("该消息已发送，不能重新发送")
    locked.attempts = 0
    locked.dead_at = None
    locked.next_attempt_at = None
    locked.claimed_until = None
    locked.save(update_fields=["attempts", "dead_at", "next_attempt_at", "claimed_until"])
    return locked


# --- working-day calendar ----------------------------------------------------------------------


def calendar_year_snapshot(calendar_year: CalendarYear) -> dict[str, Any]:
    ranges = sorted(
        (r.kind, r.name, r.first_day.isoformat(), r.last_day.isoformat()) for r in calendar_year.ranges.all()
    )
    return {
        "year": calendar_year.year,
        "source": calendar_year.source,
        "notice_title": calendar_year.notice_title,
        "notice_url": calendar_year.notice_url,
        "ranges": [list(r) for r in ranges],
    }


def _invalidate_calendar() -> None:
    # Now for this process (and this transaction's readers), and again after commit in case a
    # reader cached the old table in between.
    selectors.invalidate_calendar_cache()
    transaction.on_commit(selectors.invalidate_calendar_cache)


def _range_key(r: DayRange) -> tuple[str, str, dt.date, dt.date]:
    return (r.kind, r.name, r.first_day, r.last_day)


def _replace_ranges(calendar_year: CalendarYear, ranges: Iterable[DayRange]) -> None:
    calendar_year.ranges.all().delete()
    CalendarRange.objects.bulk_create(
        CalendarRange(
            calendar_year=calendar_year, kind=r.kind, name=r.name, first_day=r.first_day, last_day=r.last_day
        )
        for r in sorted(ranges, key=_range_key)
    )


@dataclass
class SeedResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    kept_manual: list[int] = field(default_factory=list)  # keyed by staff: never overwritten
    unsupported: list[int] = field(default_factory=list)  # not in the installed chinesecalendar


def _chinesecalendar_version() -> str:
    try:
        return version("chinesecalendar")
    except PackageNotFoundError:
        return "?"


@transaction.atomic
def seed_calendar(*, years: Iterable[int] = DEFAULT_SEED_YEARS, actor: Any = None) -> SeedResult:
    """Load the years the ``chinesecalendar`` package knows into the calendar table; idempotent.

    A year keyed by staff (source ``manual``) is left alone, so a later package release never
    overrides a correction; a year the package does not know is reported, not guessed.
    """
    result = SeedResult()
    years = sorted(set(years))
    supported = workdays.chinesecalendar_years()
    existing = {cy.year: cy for cy in CalendarYear.objects.filter(year__in=years).prefetch_related("ranges")}
    note = f"由 chinesecalendar {_chinesecalendar_version()} 软件包导入"
    for year in years:
        if year not in supported:
            result.unsupported.append(year)
            continue
        cy = existing.get(year)
        if cy is not None and cy.source == CalendarYear.Source.MANUAL:
            result.kept_manual.append(year)
            continue
        holidays, shifts = workdays.chinesecalendar_days(year)
        wanted = calendar_rules.group_days(HOLIDAY, holidays) + calendar_rules.group_days(
            WORKDAY_SHIFT, shifts
        )
        errors = calendar_rules.year_errors(year, wanted)
        if errors:
            raise ValueError(f"chinesecalendar 的 {year} 年数据不一致：" + "；".join(errors))
        if cy is None:
            cy = CalendarYear.objects.create(
                year=year, source=CalendarYear.Source.CHINESECALENDAR, notice_text=note, entered_by=None
            )
            _replace_ranges(cy, wanted)
            record_event(actor=actor, verb=AuditVerb.CALENDAR_SEED, obj=cy, after=calendar_year_snapshot(cy))
            result.created.append(year)
        elif {_range_key(r.as_day_range()) for r in cy.ranges.all()} == {_range_key(r) for r in wanted}:
            result.unchanged.append(year)
        else:
            before = calendar_year_snapshot(cy)
            _replace_ranges(cy, wanted)
            cy.notice_text = note
            cy.save(update_fields=["notice_text", "updated_at"])
            record_event(
                actor=actor,
                verb=AuditVerb.CALENDAR_SEED,
                obj=cy,
                before=before,
                after=calendar_year_snapshot(cy),
            )
            result.updated.append(year)
    if result.created or result.updated:
        _invalidate_calendar()
    return result


@transaction.atomic
def enter_calendar_year(
    *,
    actor: Any,
    year: int,
    holidays: Iterable[tuple[str, dt.date, dt.date]],
    workday_shifts: Iterable[tuple[str, dt.date, dt.date] | tuple[str, dt.date]],
    notice_title: str = "",
    notice_url: str = "",
    notice_text: str = "",
) -> CalendarYear:
    """Key in (or correct) a year's State Council notice; the year becomes a manual one.

    ``holidays`` are (name, first day, last day) ranges, ``workday_shifts`` are (name, day) or
    (name, first day, last day). Raises ``ValidationError`` naming every problem; nothing is
    written then.
    """
    ranges = [DayRange(HOLIDAY, name, first, last) for name, first, last in holidays]
    for shift in workday_shifts:
        name, first, *rest = shift
        ranges.append(DayRange(WORKDAY_SHIFT, name, first, rest[0] if rest else first))
    errors = calendar_rules.year_errors(year, ranges, require_holiday=True)
    if errors:
        raise ValidationError(errors)
    cy = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = calendar_year_snapshot(cy) if cy is not None else None
    if cy is None:
        cy = CalendarYear(year=year)
    cy.source = CalendarYear.Source.MANUAL
    cy.notice_title = notice_title
    cy.notice_url = notice_url
    cy.notice_text = notice_text
    if actor is not None and getattr(actor, "is_authenticated", False):
        cy.entered_by = actor
    cy.entered_at = timezone.now()
    cy.full_clean(exclude=["entered_by"])
    cy.save()
    _replace_ranges(cy, ranges)
    record_event(
        actor=actor,
        verb=AuditVerb.CALENDAR_ENTER if before is None else AuditVerb.CALENDAR_CHANGE,
        obj=cy,
        before=before,
        after=calendar_year_snapshot(cy),
    )
    _invalidate_calendar()
    return cy
