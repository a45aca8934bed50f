"""The roll-up is a fixed number of aggregate queries, however many records the year holds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.reporting.selectors import build_annual_report
from ledger_fixtures import LedgerMaker

D = dt.date
OUTCOMES = (
    "granted",
    "partial",
    "refused.internal",
    "unavailable.not_held",
    "not_processed.repeated",
    "other.other",
)
APPLICANTS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other")


def _add_records(ledger: LedgerMaker, n: int, year: int) -> None:
    """n records of every kind the report reads, spread over the year and the year before."""
    policy = ledger.publication(published_on=D(year, 1, 3))
    for i in range(n):
        day = D(year - (i % 4 == 0), 1 + i % 12, 1 + i % 27)
        closed = day + dt.timedelta(days=20 + i % 50) if i % 7 else None
        ledger.request(
            received_on=day,
            closed_on=closed,
            outcome=OUTCOMES[i % len(OUTCOMES)] if closed else None,
            applicant_type=APPLICANTS[i % len(APPLICANTS)],
        )
        ledger.appeal(kind=("review", "litigation_direct")[i % 2], filed_on=day)
        ledger.publication(
            published_on=day,
            key_area=i % 3 == 0,
            category="art20_1" if i % 5 == 0 else "art20_15",
            doc_kind="normative_documents" if i % 5 == 0 else "",
        )
        ledger.post(channel=("website", "weibo", "wechat")[i % 3], posted_on=day)
        ledger.interpretation(policy=policy, published_on=D(year, 1 + i % 12, 5))
        ledger.transfer(on=day, recipient=f"接收机关{i % 3}")
        ledger.matter(kind=("licensing", "inspection", "penalty", "fee_item")[i % 4], established_on=day)
        ledger.decision(kind="licensing", decided_on=day, count=1 + i % 3)
        ledger.procurement(on=day, amount_wan="1.2345")
        ledger.fee_collection(on=day, amount_wan="0.5000")
        ledger.hot_topic(channel=("weibo", "website", "wechat", "media")[i % 4], responded_on=day)
        ledger.supervision(assigned_on=day, completed_on=day + dt.timedelta(days=10) if i % 2 else None)


def _count_queries(year: int) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        build_annual_report(year)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("year", [2020, 2022])
def test_query_count_does_not_grow_with_the_ledger(ledger: LedgerMaker, year: int) -> None:
    _add_records(ledger, 10, year)
    small, small_sql = _count_queries(year)
    _add_records(ledger, 290, year)
    large, large_sql = _count_queries(year)
    assert small == large, (small_sql, large_sql)
    assert large <= 18  # 16, and section 一's hot-topic responses and 督查督办 tasks (issue 13)
    # Every ledger read is an aggregate, not a fetch of records to loop over.
    tables = ("inforequests_", "publications_", "appeals_", "responsiveness_")
    ledger_reads = [q for q in large_sql if any(t in q for t in tables)]
    assert ledger_reads and all(("COUNT(" in q or "SUM(" in q) for q in ledger_reads), ledger_reads


def test_the_figures_of_the_big_ledger_add_up(ledger: LedgerMaker) -> None:
    from gongkai.annual_report.checks import check_report

    _add_records(ledger, 300, 2022)
    report = build_annual_report(2022)
    assert report.requests["new_received"]["total"] == 225  # three in four records fall in 2022
    # The figures add up; the sections' text (五 is the office's to write) is not this test's.
    errors = [f for f in check_report(report) if f.severity == "error" and f.table != "sections"]
    assert errors == []
