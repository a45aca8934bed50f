"""Reads: the Art. 26 deadline on the seeded calendar, overdue lists, review queues and list filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongkai.core.models import User
from gongkai.org.models import Department
from gongkai.org.roles import Role
from gongkai.publications import selectors, services
from gongkai.publications.models import PublicationStatus
from gongkai.workdays import Calendar, CalendarUnknown

from .factories import (
    AdministrativeDecisionFactory,
    FeeCollectionFactory,
    ProcurementProjectFactory,
    PublicationFactory,
    ServiceMatterFactory,
    staff,
)

pytestmark = pytest.mark.django_db

# 2019 National Day: 1–7 October off, Sunday 29 September and Saturday 12 October worked (调休).
FORMED = dt.date(2019, 9, 20)
DEADLINE = dt.date(2019, 10, 23)


def test_art26_deadline_counts_20_working_days_over_national_day(calendar_db: Calendar) -> None:
    # Day by day: 9/23–27 (5), Sun 9/29 调休 (6), 9/30 (7), 10/8–11 (11), Sat 10/12 调休 (12),
    # 10/14–18 (17), 10/21–23 (20).
    assert selectors.art26_deadline(FORMED) == DEADLINE
    # Across the year end: 元旦 off, and the 20th working day is Sunday 19 January 2020, a 调休 day.
    assert selectors.art26_deadline(dt.date(2019, 12, 20)) == dt.date(2020, 1, 19)


def test_art26_status_of_unpublished_and_published_items(calendar_db: Calendar) -> None:
    pub = PublicationFactory(formed_on=FORMED)
    on_time = selectors.art26_status(pub, today=dt.date(2019, 10, 21))
    assert (on_time.deadline, on_time.overdue, on_time.workdays_left) == (DEADLINE, False, 2)
    assert on_time.message == "2019-10-23 前公开（剩 2 个工作日）"
    assert selectors.art26_status(pub, today=DEADLINE).overdue is False
    overdue = selectors.art26_status(pub, today=dt.date(2019, 10, 24))
    assert overdue.overdue and overdue.message == "已超过公开期限（2019-10-23）"

    late = PublicationFactory(formed_on=FORMED, published=True, published_on=dt.date(2019, 10, 24))
    timely = PublicationFactory(formed_on=FORMED, published=True, published_on=DEADLINE)
    assert selectors.art26_status(late, today=dt.date(2020, 1, 1)).late is True
    assert selectors.art26_status(timely, today=dt.date(2020, 1, 1)).late is False


def test_an_unknown_year_is_a_message_not_a_crash(calendar_db: Calendar) -> None:
    assert 2031 not in calendar_db.known_years
    pub = PublicationFactory(formed_on=dt.date(2031, 3, 2))
    with pytest.raises(CalendarUnknown):
        selectors.art26_deadline(pub.formed_on)
    status = selectors.art26_status(pub, today=dt.date(2031, 3, 5))
    assert (status.deadline, status.unknown_year) == (None, 2031)
    assert status.message == "请录入 2031 年放假安排"
    report = selectors.overdue_publications(today=dt.date(2031, 6, 1))
    assert report.items == [] and report.unknown_years == [2031]


def test_overdue_lists_unpublished_past_deadline_and_published_late(calendar_db: Calendar) -> None:
    overdue = PublicationFactory(formed_on=FORMED, title="逾期未公开")
    PublicationFactory(formed_on=dt.date(2019, 10, 1), title="尚在期限内")
    pending = PublicationFactory(
        formed_on=FORMED, title="待审逾期", status=PublicationStatus.PENDING_DIRECTOR
    )
    late = PublicationFactory(
        formed_on=FORMED, published=True, published_on=dt.date(2019, 10, 24), title="逾期公开"
    )
    PublicationFactory(formed_on=FORMED, published=True, published_on=DEADLINE, title="按时公开")
    late_withdrawn = PublicationFactory(
        formed_on=FORMED,
        title="逾期公开后撤回",
        status=PublicationStatus.WITHDRAWN,
        review_round=1,
        published_on=dt.date(2019, 11, 1),
        withdrawn_on=dt.date(2019, 12, 1),
    )
    PublicationFactory(formed_on=dt.date(2018, 1, 2), published=True, published_on=dt.date(2018, 6, 1))

    report = selectors.overdue_publications(today=dt.date(2019, 10, 24), year=2019)
    assert [(i.publication.title, i.deadline) for i in report.unpublished] == [
        ("逾期未公开", DEADLINE),
        ("待审逾期", DEADLINE),
    ]
    assert {i.publication for i in report.unpublished} == {overdue, pending}
    assert [i.publication for i in report.late] == [late, late_withdrawn]
    assert report.unknown_years == []
    # On the deadline itself nothing is overdue yet.
    assert selectors.overdue_publications(today=DEADLINE, include_late=False).items == []
    # The 2018 item published late belongs to 2018's list.
    assert [i.publication.formed_on.year for i in selectors.overdue_publications(year=2018).late] == [2018]


def test_review_queue_per_reviewer(dept: Department, other_dept: Department) -> None:
    head = staff(Role.DEPT_HEAD, department=dept)
    other_head = staff(Role.DEPT_HEAD, department=other_dept)
    director = staff(Role.DIRECTOR)
    both = staff(Role.DEPT_HEAD, Role.DIRECTOR, department=dept)
    mine_l1 = PublicationFactory(department=dept, status=PublicationStatus.PENDING_HEAD, review_round=1)
    theirs_l1 = PublicationFactory(
        department=other_dept, status=PublicationStatus.PENDING_HEAD, review_round=1
    )
    level2 = PublicationFactory(department=dept, status=PublicationStatus.PENDING_HEAD, review_round=1)
    services.publication_approve(actor=head, publication=level2)
    signed_by_both = PublicationFactory(
        department=dept, status=PublicationStatus.PENDING_HEAD, review_round=1
    )
    services.publication_approve(actor=both, publication=signed_by_both)
    own_draft = PublicationFactory(
        department=dept, drafter=both, status=PublicationStatus.PENDING_HEAD, review_round=1
    )
    PublicationFactory(department=dept)  # a draft is in nobody's queue

    assert set(selectors.review_queue(head)) == {mine_l1, own_draft}
    assert set(selectors.review_queue(other_head)) == {theirs_l1}
    assert set(selectors.review_queue(director)) == {level2, signed_by_both}
    # ``both`` signed level 1 of one item (so not its level 2) and drafted another.
    assert set(selectors.review_queue(both)) == {mine_l1, level2}
    assert set(selectors.review_queue(staff(Role.AUDITOR))) == set()
    # The queue and the services agree on who may decide.
    for user in (head, other_head, director, both):
        for pub in selectors.review_queue(user):
            assert services.may_review(user, pub)


def test_list_filters_and_department_scope(dept: Department, other_dept: Department) -> None:
    a = PublicationFactory(
        department=dept,
        title="2019年街道财政预算",
        category="art20_7",
        key_area=True,
        formed_on=dt.date(2019, 2, 1),
    )
    b = PublicationFactory(
        department=dept,
        normative=True,
        title="环境卫生管理办法",
        doc_number="东花市发〔2019〕7号",
        published=True,
        formed_on=dt.date(2018, 12, 20),
        published_on=dt.date(2019, 1, 4),
    )
    c = PublicationFactory(department=other_dept, title="城管执法公示", formed_on=dt.date(2020, 3, 1))
    d = PublicationFactory(department=other_dept, title="已公开的城管信息", published=True)
    clerk = staff(Role.CLERK)

    def titles(user: User, **filters: object) -> set[str]:
        return {p.title for p in selectors.publication_list(user=user, **filters)}

    assert titles(clerk) == {a.title, b.title, c.title, d.title}
    assert titles(clerk, category="art20_7") == {a.title}
    assert titles(clerk, key_area=True) == {a.title}
    assert titles(clerk, year=2019) == {a.title, b.title, d.title}  # b was formed in 2018, published in 2019
    assert titles(clerk, text="7号") == {b.title}
    assert titles(clerk, doc_kind="normative_documents") == {b.title}
    assert titles(clerk, status="published", department=other_dept) == {d.title}
    # Department staff see their department's items and published ones, not other departments' drafts.
    staffer = staff(Role.DEPT_STAFF, department=dept)
    assert titles(staffer) == {a.title, b.title, d.title}


def test_my_drafts_are_the_drafters_own(dept: Department) -> None:
    mine = PublicationFactory(department=dept)
    PublicationFactory(department=dept, drafter=mine.drafter, published=True)
    PublicationFactory(department=dept)
    assert [(p, p.returned_reason) for p in selectors.my_drafts(mine.drafter)] == [(mine, None)]


def test_facts_summary_of_a_year(dept: Department) -> None:
    ServiceMatterFactory(department=dept, established_on=dt.date(2017, 1, 1))
    ServiceMatterFactory(
        department=dept, established_on=dt.date(2018, 5, 1), abolished_on=dt.date(2019, 3, 1)
    )
    ServiceMatterFactory(department=dept, established_on=dt.date(2019, 7, 1))
    ServiceMatterFactory(
        department=dept, established_on=dt.date(2016, 7, 1), abolished_on=dt.date(2018, 12, 31)
    )
    ServiceMatterFactory(department=dept, kind="fee_item", established_on=dt.date(2015, 1, 1))
    AdministrativeDecisionFactory(department=dept, kind="penalty", count=3)
    AdministrativeDecisionFactory(department=dept, kind="penalty", count=2, decided_on=dt.date(2019, 12, 31))
    AdministrativeDecisionFactory(department=dept, kind="penalty", decided_on=dt.date(2020, 1, 1))
    FeeCollectionFactory(department=dept, amount_wan=Decimal("1.2345"))
    FeeCollectionFactory(department=dept, amount_wan=Decimal("0.0005"))
    ProcurementProjectFactory(department=dept, amount_wan=Decimal("184.8083"))
    ProcurementProjectFactory(department=dept, contracted_on=dt.date(2018, 12, 31))

    facts = selectors.facts_summary(2019)
    assert facts.matters["licensing"] == {"previous": 2, "added": 1, "removed": 1}
    assert facts.matters["fee_item"] == {"previous": 1, "added": 0, "removed": 0}
    assert facts.decisions == {"penalty": 5}
    assert facts.fee_amount_wan == Decimal("1.2350")
    assert (facts.procurement_projects, facts.procurement_amount_wan) == (1, Decimal("184.8083"))
