"""Records without a state change: views of personal data, recomputed due dates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.services import record_event
from gongkai.inforequests import selectors
from gongkai.inforequests.models import (
    CLOCK_STATUSES,
    InfoRequest,
)
from gongkai.inforequests.permissions import sees_personal_data
from gongkai.inforequests.services._common import (
    PERSONAL_FIELDS,
    _require,
)
from gongkai.workdays import CalendarUnknown


@transaction.atomic
def inforequest_view_personal_data(*, actor: Any, request: InfoRequest, ip: str | None = None) -> None:
    """Record that ``actor`` was shown the applicant's unmasked personal data."""
    _require(sees_personal_data(actor, request), "您无权查看申请人的个人信息")
    present = [f for f in PERSONAL_FIELDS if getattr(request, f)]
    record_event(
        actor=actor,
        verb=AuditVerb.INFOREQUEST_VIEW_PERSONAL_DATA,
        obj=request,
        after={"fields": present},
        ip=ip,
    )


@transaction.atomic
def inforequest_recompute_due(*, actor: Any, requests: Iterable[InfoRequest] | None = None) -> int:
    """Recompute the cached due dates (e.g. after a year's 放假安排 was entered); returns how many changed."""
    from gongkai.core.selectors import calendar_from_db

    cal = calendar_from_db()  # the cache may still hold the calendar from before the change
    qs = requests if requests is not None else InfoRequest.objects.filter(status__in=CLOCK_STATUSES)
    changed = 0
    for req in qs:
        old = req.due_on
        try:
            clock = selectors.clock_for(req, cal=cal)
            new = clock.due if clock is not None else None
        except CalendarUnknown:
            new = None
        if new != old:
            InfoRequest.objects.filter(pk=req.pk).update(due_on=new)
            record_event(
                actor=actor,
                verb=AuditVerb.INFOREQUEST_RECOMPUTE_DUE,
                obj=req,
                before={"due_on": old},
                after={"due_on": new},
            )
            changed += 1
    return changed


@transaction.atomic
def correction_file_viewed(*, actor: Any, file: Any, ip: str | None = None) -> None:
    """Record that ``actor`` opened a file the applicant sent with an online 补正 (personal data)."""
    request = file.submission.request
    _require(sees_personal_data(actor, request), "您无权查看该申请人的补正材料")
    record_event(
        actor=actor,
        verb=AuditVerb.INFOREQUEST_CORRECTION_FILE_VIEW,
        obj=request,
        after={"file": file.pk},
        ip=ip,
    )
