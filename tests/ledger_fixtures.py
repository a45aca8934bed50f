"""Hand-made ledgers for roll-up tests: rows written straight to the tables, with exactly the dates and
outcomes a test needs. The roll-up only reads, so going around the services here tests the queries,
not the workflows (those have their own tests, and the demo ledger goes through the services).
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.core.choices import OrganisationKind
from gongkai.org.models import Department, Organisation

_serial = itertools.count(1)


class LedgerMaker:
    """Creates one organisation with a department and a drafter, then any ledger row on demand."""

    def __init__(self, *, name: str = "测试街道办事处", kind: str = OrganisationKind.SUBDISTRICT) -> None:
        self.organisation = Organisation.objects.create(name=name, kind=kind)
        self.department = Department.objects.create(organisation=self.organisation, name="党政办公室")
        self.user = get_user_model().objects.create_user(
            f"drafter{next(_serial)}", password="x-Long-enough-1"
        )

    # -- 依申请公开 and appeals ---------------------------------------------------------------------
    def request(
        self,
        *,
        received_on: dt.date | None,
        closed_on: dt.date | None = None,
        outcome: str | None = None,
        applicant_type: str = "natural_person",
        status: str | None = None,
    ) -> Any:
        from gongkai.inforequests.models import InfoRequest, RequestStatus

        if closed_on is not None and outcome is None:
            outcome = "granted"
        if status is None:
            if received_on is None:
                status = RequestStatus.AWAITING_CONFIRMATION
            elif closed_on is None:
                status = RequestStatus.OPEN
            elif outcome in ("other.no_correction", "other.unpaid_fee"):
                status = RequestStatus.CLOSED  # 视为放弃: closed without a reply
            else:
                status = RequestStatus.ANSWERED
        n = next(_serial)
        return InfoRequest.objects.create(
            reference=f"测依申〔{(received_on or dt.date(2020, 1, 1)).year}〕{n}号",
            channel="in_person",
            submitted_on=received_on or dt.date(2020, 1, 1),
            received_on=received_on,
            applicant_type=applicant_type,
            applicant_name=f"申请人{n}",
            description="测试申请",
            department=self.department,
            status=status,
            outcome=outcome,
            closed_on=closed_on,
        )

    def appeal(
        self, *, kind: str, filed_on: dt.date, result: str = "pending", decided_on: dt.date | None = None
    ) -> Any:
        from gongkai.appeals.models import Appeal

        return Appeal.objects.create(
            kind=kind, appellant="复议申请人", filed_on=filed_on, result=result, decided_on=decided_on
        )

    def fee(self, request: Any, *, amount_yuan: str, paid_on: dt.date | None, waived: bool = False) -> Any:
        from gongkai.inforequests.models import Fee

        return Fee.objects.create(
            request=request,
            method="per_page",
            quantity=60,
            amount_yuan=Decimal(amount_yuan),
            notified_on=paid_on or request.received_on,
            paid_on=paid_on,
            waived=waived,
        )

    # -- 主动公开 ---------------------------------------------------------------------------------------
    def publication(
        self,
        *,
        published_on: dt.date | None,
        formed_on: dt.date | None = None,
        category: str = "art20_15",
        doc_kind: str = "",
        key_area: bool = False,
        withdrawn_on: dt.date | None = None,
        repealed_on: dt.date | None = None,
    ) -> Any:
        from gongkai.publications.models import Publication

        if withdrawn_on is not None:
            status = "withdrawn"
        elif published_on is not None:
            status = "published"
        else:
            status = "draft"
        return Publication.objects.create(
            title=f"信息{next(_serial)}",
            category=category,
            doc_kind=doc_kind,
            key_area=key_area,
            department=self.department,
            formed_on=formed_on or published_on or dt.date(2020, 1, 1),
            status=status,
            drafter=self.user,
            published_on=published_on,
            withdrawn_on=withdrawn_on,
            withdrawn_reason="测试" if withdrawn_on else "",
            repealed_on=repealed_on,
        )

    def post(self, *, channel: str, posted_on: dt.date) -> Any:
        from gongkai.publications.models import ChannelPost

        return ChannelPost.objects.create(channel=channel, title="推送", posted_on=posted_on)

    # -- responsiveness (issue 13) ---------------------------------------------------------------------
    def hot_topic(self, *, channel: str, responded_on: dt.date) -> Any:
        from gongkai.responsiveness.models import HotTopicResponse

        return HotTopicResponse.objects.create(subject="热点", source="media", response="回应", channel=channel,
                                               responded_on=responded_on, department=self.department)  # fmt: skip

    def supervision(self, *, assigned_on: dt.date, completed_on: dt.date | None) -> Any:
        from gongkai.responsiveness.models import SupervisionTask

        return SupervisionTask.objects.create(issuer="government", title="督办", assigned_on=assigned_on,
                                              deadline=assigned_on + dt.timedelta(days=30),
                                              completed_on=completed_on, department=self.department)  # fmt: skip

    def interpretation(self, *, policy: Any, published_on: dt.date) -> Any:
        from gongkai.publications.models import PolicyInterpretation

        return PolicyInterpretation.objects.create(title="解读", policy=policy, published_on=published_on)

    def transfer(self, *, on: dt.date, recipient: str, copies: int = 1) -> Any:
        from gongkai.publications.models import ArchiveTransfer

        return ArchiveTransfer.objects.create(transferred_on=on, recipient=recipient, copies=copies)

    def matter(self, *, kind: str, established_on: dt.date, abolished_on: dt.date | None = None) -> Any:
        from gongkai.publications.models import ServiceMatter

        return ServiceMatter.objects.create(
            kind=kind,
            name=f"事项{next(_serial)}",
            department=self.department,
            established_on=established_on,
            abolished_on=abolished_on,
        )

    def decision(self, *, kind: str, decided_on: dt.date, count: int = 1) -> Any:
        from gongkai.publications.models import AdministrativeDecision

        return AdministrativeDecision.objects.create(
            kind=kind, department=self.department, decided_on=decided_on, count=count
        )

    def procurement(self, *, on: dt.date, amount_wan: str) -> Any:
        from gongkai.publications.models import ProcurementProject

        return ProcurementProject.objects.create(
            name=f"项目{next(_serial)}",
            department=self.department,
            contracted_on=on,
            amount_wan=Decimal(amount_wan),
        )

    def fee_collection(self, *, on: dt.date, amount_wan: str) -> Any:
        from gongkai.publications.models import FeeCollection

        return FeeCollection.objects.create(
            department=self.department, collected_on=on, amount_wan=Decimal(amount_wan)
        )
