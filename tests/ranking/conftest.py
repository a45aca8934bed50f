"""Fixtures of the ranking tests: two 科室 with hand-made records in 2025 Q2, and staff per role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.org.models import Department
from gongkai.org.roles import Role
from ledger_fixtures import LedgerMaker

Q2_2025 = (2025, 2)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class RankingLedger(LedgerMaker):
    """The ledger maker with a second 科室 and the dates the ranking reads (formed, due, answered)."""

    def __init__(self) -> None:
        super().__init__()
        self.other = Department.objects.create(organisation=self.organisation, name="城市管理办公室")

    def pub(
        self, dept: Department, *, formed_on: dt.date, published_on: dt.date, category: str = "art20_15"
    ) -> Any:
        p = self.publication(published_on=published_on, formed_on=formed_on, category=category)
        type(p).objects.filter(pk=p.pk).update(department=dept)
        p.refresh_from_db()
        return p

    def req(
        self, dept: Department, *, received_on: dt.date, due_on: dt.date, closed_on: dt.date | None
    ) -> Any:
        r = self.request(received_on=received_on, closed_on=closed_on)
        type(r).objects.filter(pk=r.pk).update(department=dept, due_on=due_on)
        r.refresh_from_db()
        return r


@pytest.fixture
def ledger(calendar_db: Any) -> RankingLedger:
    return RankingLedger()


@pytest.fixture
def staff(ledger: RankingLedger) -> dict[str, Any]:
    from gongkai.org.services import staff_create

    people = {
        "clerk": Role.CLERK,
        "staff": Role.DEPT_STAFF,
        "director": Role.DIRECTOR,
        "officehead": Role.OFFICE_HEAD,
        "auditor": Role.AUDITOR,
    }
    return {
        name: staff_create(
            actor=None,
            username=name,
            password="x-Long-enough-1",
            full_name=name,
            roles=[role],
            department=ledger.department if role == Role.DEPT_STAFF else None,
        )
        for name, role in people.items()
    }


def fill(ledger: RankingLedger, n: int = 1) -> None:
    """``n`` rounds of records in 2025 Q2: 党政办 publishes on time and answers late; 城管办 the reverse."""
    d = dt.date
    for _ in range(n):
        # 2025-05-06 is 20 working days after 2025-04-03 (Qingming 4–6 April, Labour Day 1–5 May).
        ledger.pub(ledger.department, formed_on=d(2025, 4, 10), published_on=d(2025, 4, 15))
        ledger.pub(
            ledger.department, formed_on=d(2025, 4, 10), published_on=d(2025, 4, 18), category="art20_2"
        )
        ledger.pub(ledger.other, formed_on=d(2025, 4, 1), published_on=d(2025, 5, 20))  # late
        ledger.pub(ledger.other, formed_on=d(2025, 6, 3), published_on=d(2025, 6, 4))
        # 党政办: due 5 June, answered 10 June (3 working days late: 6, 9, 10 June).
        ledger.req(
            ledger.department, received_on=d(2025, 5, 7), due_on=d(2025, 6, 5), closed_on=d(2025, 6, 10)
        )
        ledger.req(ledger.other, received_on=d(2025, 5, 7), due_on=d(2025, 6, 5), closed_on=d(2025, 6, 5))
