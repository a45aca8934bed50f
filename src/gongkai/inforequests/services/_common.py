"""Helpers shared by the service modules: validation, locking, the cached due date, audit and outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.choices import Outcome
from gongkai.core.services import enqueue_message, model_snapshot, record_event
from gongkai.inforequests import selectors, workflow
from gongkai.inforequests.models import (
    CLOCK_STATUSES,
    OPEN_STATUSES,
    ClockPause,
    InfoRequest,
    PauseKindChoice,
    RequestStatus,
)
from gongkai.inforequests.permissions import case_permissions
from gongkai.workdays import Calendar, CalendarUnknown

# Personal data stays out of the audit log's before/after: the log is read by more people than the case.
PERSONAL_FIELDS = ("applicant_id_number", "applicant_phone", "applicant_address", "applicant_email")
_SNAPSHOT_EXCLUDE = {*PERSONAL_FIELDS, "portal_secret_hash"}
# Outcomes that only the lapse services set (the applicant gave the case up; no reply is drafted).
LAPSE_OUTCOMES = frozenset({Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_UNPAID_FEE})


def _snapshot(req: InfoRequest) -> dict[str, Any]:
    names = [f.name for f in InfoRequest._meta.concrete_fields if f.name not in _SNAPSHOT_EXCLUDE]
    return model_snapshot(req, fields=names)


def _today() -> dt.date:
    return timezone.localdate()


def _allow(action: workflow.Action, actor: Any, req: InfoRequest, on: dt.date | None = None) -> None:
    """The one check at the top of a case service: ``workflow`` refuses what its table does not allow.

    ``on`` is the day the action takes effect (a notice's date, an approval's date), today by default.
    """
    exact = workflow.TABLE[action].dates
    facts = selectors.case_facts(req, exact=exact)
    workflow.check(action, facts, case_permissions(actor, req), on or _today())


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _invalid(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]}) if field else ValidationError(message)


def _not_future(field: str, value: dt.date | None, label: str) -> None:
    if value is not None and value > _today():
        raise _invalid(field, f"{label}（{value:%Y-%m-%d}）不能晚于今天")


def _not_before(field: str, value: dt.date, floor: dt.date, message: str) -> None:
    if value < floor:
        raise _invalid(field, message)


def _notify(kind: str, req: InfoRequest, **payload: Any) -> None:
    # Written in the service's own transaction (a transactional outbox): the message exists if and only
    # if the change committed, and a crash right after the commit cannot lose it.
    enqueue_message(kind=kind, payload={"request_id": req.pk, "reference": req.reference, **payload})


def _lock(req: InfoRequest) -> InfoRequest:
    """Re-read the case under a row lock so two concurrent actions cannot both pass the state checks."""
    return InfoRequest.objects.select_for_update().get(pk=req.pk)


def _refresh_due(req: InfoRequest, cal: Calendar | None = None) -> None:
    """Cache the due date while the clock runs; an unknown year leaves it empty (the case page says why)."""
    if req.status not in CLOCK_STATUSES:
        if req.status in OPEN_STATUSES:
            req.due_on = None
        return
    try:
        clock = selectors.clock_for(req, cal=cal)
    except CalendarUnknown:
        req.due_on = None
        return
    req.due_on = clock.due if clock is not None else None


def _save(
    req: InfoRequest, *, actor: Any, verb: AuditVerb, before: dict[str, Any] | None, **extra: Any
) -> None:
    req.full_clean()
    if req.pk is None:
        req.save()  # the clock reads the case's pauses, which need a saved case
    _refresh_due(req)
    req.save()
    after = _snapshot(req) | extra
    record_event(actor=actor, verb=verb, obj=req, before=before, after=after)


CONSULTATION_KINDS = (PauseKindChoice.THIRD_PARTY, PauseKindChoice.ORGAN)


def _clock_start(req: InfoRequest) -> dt.date:
    start = req.corrected_on or req.received_on
    assert start is not None
    return start


def _resume_if_clear(req: InfoRequest) -> None:
    if req.status == RequestStatus.PAUSED and not req.pauses.filter(ended_on__isnull=True).exists():
        req.status = RequestStatus.OPEN


def _correction(req: InfoRequest) -> ClockPause | None:
    return req.pauses.filter(kind=PauseKindChoice.CORRECTION).first()


def _close(req: InfoRequest, *, outcome: str, on: dt.date) -> None:
    req.outcome = outcome
    req.closed_on = on
    req.status = RequestStatus.CLOSED
    req.pauses.filter(ended_on__isnull=True).update(ended_on=on)
