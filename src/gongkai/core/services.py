"""Every write of the core app: audit events, the outbox and the working-day calendar table."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
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


def enqueue_message(*, kind: str, payload: Mapping[str, Any]) -> OutboxMessage:
    """Queue a side effect in the caller's transaction: it is delivered only if the change commits."""
    return OutboxMessage.objects.create(kind=kind, payload=_json_safe(payload) or {})


@dataclass
class DrainResult:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def drain_outbox(
    handlers: Mapping[str, Callable[[dict[str, Any]], None]],
    *,
    limit: int = 100,
    max_attempts: int = 10,
    claim_for: dt.timedelta = dt.timedelta(minutes=5),
) -> DrainResult:
    """Deliver pending messages whose kind has a handler, oldest first.

    Delivery is at least once: a handler must tolerate a repeat (e.g. a crash after sending but
    before ``sent_at`` is stored). A message is claimed before its handler runs so that two
    concurrent drainers do not both deliver it; no transaction is held open during delivery,
    which matters for SQLite where that would block every writer.
    """
    result = DrainResult()
    now = timezone.now()
    pending = (
        OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=max_attempts, kind__in=list(handlers))
        .filter(models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now))
        .values_list("pk", flat=True)[:limit]
    )
    for pk in list(pending):
        now = timezone.now()
        claimed = (
            OutboxMessage.objects.filter(pk=pk, sent_at__isnull=True)
            .filter(models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now))
            .update(claimed_until=now + claim_for)
        )
        if not claimed:
            continue
        message = OutboxMessage.objects.get(pk=pk)
        try:
            handlers[message.kind](message.payload)
        except Exception as exc:
            logger.warning("outbox message %s (%s) failed: %s", pk, message.kind, exc)
            OutboxMessage.objects.filter(pk=pk).update(
                attempts=models.F("attempts") + 1,
                last_error=f"{type(exc).__name__}: {exc}",
                claimed_until=None,
            )
            result.failed.append(pk)
        else:
            OutboxMessage.objects.filter(pk=pk).update(
                attempts=models.F("attempts") + 1, sent_at=timezone.now(), last_error="", claimed_until=None
            )
            result.sent.append(pk)
    return result


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
