"""factory_boy factories for the ledger of requests and appeals (shared with the reporting tests and demo).

They write rows directly, bypassing the services, so a test or a generated ledger can state any
historical fact: ``InfoRequestFactory(received_on=…, closed_on=…, applicant_type=…, outcome=…)``.
A given ``outcome`` makes the case answered (closed on its received day unless ``closed_on`` is
given); no ``received_on`` makes it an online application awaiting confirmation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from gongkai.appeals.models import Appeal
from gongkai.core.choices import AppealKind, AppealResult, ApplicantType, Outcome, RequestChannel
from gongkai.inforequests.models import CLOCK_STATUSES, InfoRequest, RequestStatus

__all__ = ["AppealFactory", "InfoRequestFactory"]

LAPSED = {Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_UNPAID_FEE}


def _status(o: Any) -> str:
    if o.outcome:
        return RequestStatus.CLOSED if o.outcome in LAPSED else RequestStatus.ANSWERED
    if o.received_on is None:
        return RequestStatus.AWAITING_CONFIRMATION
    return RequestStatus.OPEN


class InfoRequestFactory(DjangoModelFactory):
    class Meta:
        model = InfoRequest
        skip_postgeneration_save = True

    received_on: Any = dt.date(2019, 5, 6)
    submitted_on = factory.LazyAttribute(lambda o: o.received_on or dt.date(2019, 5, 6))
    channel = factory.LazyAttribute(
        lambda o: RequestChannel.IN_PERSON if o.received_on else RequestChannel.ONLINE
    )
    reference = factory.LazyAttributeSequence(
        lambda o, n: f"测试依申〔{(o.received_on or o.submitted_on).year}〕{n + 1}号"
    )
    applicant_type = ApplicantType.NATURAL_PERSON
    applicant_name = factory.Sequence(lambda n: f"申请人{n + 1}")
    applicant_id_number = "110101199001011234"
    applicant_phone = "13812345678"
    applicant_address = "北京市东城区东花市北里20号楼3单元"
    description = "东花市街道2019年老旧小区综合整治项目的批复文件"
    outcome: Any = None
    closed_on = factory.LazyAttribute(lambda o: o.received_on if o.outcome else None)
    status = factory.LazyAttribute(_status)

    @factory.post_generation
    def refresh_due(obj: InfoRequest, create: bool, extracted: Any, **kwargs: Any) -> None:
        """``refresh_due=True`` caches the due date from the calendar table, as the services would."""
        if not (create and extracted and obj.status in CLOCK_STATUSES):
            return
        from gongkai.inforequests.selectors import clock_for
        from gongkai.workdays import CalendarUnknown

        try:
            clock = clock_for(obj)
        except CalendarUnknown:
            return
        InfoRequest.objects.filter(pk=obj.pk).update(due_on=clock.due if clock else None)
        obj.due_on = clock.due if clock else None


class AppealFactory(DjangoModelFactory):
    class Meta:
        model = Appeal

    kind = AppealKind.REVIEW
    request = None
    appellant = factory.Sequence(lambda n: f"复议申请人{n + 1}")
    case_number = factory.Sequence(lambda n: f"东政复字〔2019〕{n + 1}号")
    filed_on = dt.date(2019, 7, 1)
    result = AppealResult.PENDING
    decided_on = factory.LazyAttribute(
        lambda o: None if o.result == AppealResult.PENDING else o.filed_on + dt.timedelta(days=60)
    )
