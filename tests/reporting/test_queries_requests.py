"""Table 三 and Table 四 from hand-made case records: the contract's roll-up semantics, year by year."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.annual_report.checks import check_report
from gongkai.annual_report.formats import APPLICANT_KEYS
from gongkai.annual_report.model import AnnualReport
from gongkai.reporting.selectors import build_annual_report
from ledger_fixtures import LedgerMaker

D = dt.date


def _row(report: AnnualReport, row: str) -> dict[str, Any]:
    return report.requests[row]


def test_carried_over_and_forward_across_years(ledger: LedgerMaker) -> None:
    ledger.request(received_on=D(2020, 12, 20), closed_on=D(2021, 1, 10), outcome="granted")
    ledger.request(
        received_on=D(2021, 3, 2), closed_on=D(2023, 2, 1), outcome="partial", applicant_type="commercial"
    )
    ledger.request(received_on=D(2021, 12, 31))  # still open
    ledger.request(received_on=None)  # an online application never confirmed: not received at all

    r2020 = build_annual_report(2020)
    assert _row(r2020, "new_received")["total"] == 1
    assert _row(r2020, "carried_over")["total"] == 0
    assert _row(r2020, "total")["total"] == 0
    assert _row(r2020, "carried_forward")["natural_person"] == 1

    r2021 = build_annual_report(2021)
    assert _row(r2021, "carried_over") == {
        **dict.fromkeys(APPLICANT_KEYS, 0),
        "natural_person": 1,
        "total": 1,
    }
    assert _row(r2021, "new_received")["total"] == 2
    assert _row(r2021, "new_received")["commercial"] == 1
    assert _row(r2021, "granted")["total"] == 1
    assert _row(r2021, "total")["total"] == 1
    assert _row(r2021, "carried_forward")["total"] == 2  # closed in 2023, and the one still open

    r2022 = build_annual_report(2022)
    assert _row(r2022, "carried_over")["total"] == 2
    assert _row(r2022, "new_received")["total"] == 0
    assert _row(r2022, "total")["total"] == 0
    assert _row(r2022, "carried_forward")["total"] == 2

    # Closed in a later year: counted under that year's outcome, carried until then.
    r2023 = build_annual_report(2023)
    assert _row(r2023, "carried_over")["total"] == 2
    assert _row(r2023, "partial") == {**dict.fromkeys(APPLICANT_KEYS, 0), "commercial": 1, "total": 1}
    assert _row(r2023, "carried_forward")["total"] == 1

    for report in (r2020, r2021, r2022, r2023):
        balance = [f for f in check_report(report) if f.rule in ("A1", "A2", "A3")]
        assert balance == [], (report.year, balance)


def test_carry_forward_equals_next_years_carry_over(ledger: LedgerMaker) -> None:
    for month in range(1, 13):
        ledger.request(
            received_on=D(2022, month, 15), closed_on=D(2022, month, 15) + dt.timedelta(days=40 + month)
        )
    ledger.request(received_on=D(2022, 12, 30), applicant_type="research")
    r2022, r2023 = build_annual_report(2022), build_annual_report(2023)
    assert r2022.requests["carried_forward"] == r2023.requests["carried_over"]
    assert (
        r2022.requests["carried_forward"]["total"] == 3
    )  # Nov and Dec cases close in 2023, plus the open one
    assert not [f for f in check_report(r2023, previous=r2022) if f.rule == "A5"]


@pytest.mark.parametrize(
    ("year", "format_id", "expected"),
    [
        (2020, "2019", {"other": 3}),
        (2021, "2021", {"other.no_correction": 1, "other.unpaid_fee": 1, "other.other": 1}),
    ],
)
def test_other_processing_collapses_in_the_2019_format(
    ledger: LedgerMaker, year: int, format_id: str, expected: dict[str, int]
) -> None:
    for outcome in ("other.no_correction", "other.unpaid_fee", "other.other"):
        ledger.request(received_on=D(year, 5, 6), closed_on=D(year, 6, 20), outcome=outcome)
    report = build_annual_report(year)
    assert report.format == format_id
    for row, count in expected.items():
        assert report.requests[row]["total"] == count
    assert report.requests["total"]["total"] == 3
    assert not [f for f in check_report(report) if f.severity == "error" and f.rule != "A8"]


def test_every_outcome_leaf_lands_in_its_own_row(ledger: LedgerMaker) -> None:
    from gongkai.core.choices import Outcome

    for i, outcome in enumerate(Outcome.values):
        ledger.request(
            received_on=D(2024, 3, 1),
            closed_on=D(2024, 3, 20),
            outcome=outcome,
            applicant_type=APPLICANT_KEYS[i % len(APPLICANT_KEYS)],
        )
    report = build_annual_report(2024)
    for i, outcome in enumerate(Outcome.values):
        assert report.requests[outcome][APPLICANT_KEYS[i % len(APPLICANT_KEYS)]] == 1
        assert report.requests[outcome]["total"] == 1
    assert report.requests["total"]["total"] == len(Outcome.values) == 21


def test_the_2019_format_can_be_asked_for_a_later_year(ledger: LedgerMaker) -> None:
    ledger.request(received_on=D(2024, 3, 1), closed_on=D(2024, 3, 20), outcome="other.unpaid_fee")
    report = build_annual_report(2024, format="2019")
    assert report.format == "2019"
    assert report.requests["other"]["total"] == 1
    assert "other.unpaid_fee" not in report.requests


def test_appeals_by_result_as_of_december_31(ledger: LedgerMaker) -> None:
    ledger.appeal(kind="review", filed_on=D(2022, 3, 1), result="upheld", decided_on=D(2022, 5, 1))
    ledger.appeal(kind="review", filed_on=D(2022, 11, 1), result="corrected", decided_on=D(2023, 1, 15))
    ledger.appeal(kind="review", filed_on=D(2022, 12, 1))  # still pending
    ledger.appeal(
        kind="litigation_direct", filed_on=D(2022, 6, 1), result="other", decided_on=D(2022, 12, 31)
    )
    ledger.appeal(
        kind="litigation_after_review", filed_on=D(2021, 12, 30), result="upheld", decided_on=D(2022, 2, 1)
    )
    report = build_annual_report(2022)
    assert report.appeals["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 2, "total": 3}
    assert report.appeals["litigation_direct"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 1,
        "pending": 0,
        "total": 1,
    }
    # Filed in 2021: counted in 2021's report only, where it was still pending on 31 December.
    assert report.appeals["litigation_after_review"]["total"] == 0
    assert build_annual_report(2021).appeals["litigation_after_review"]["pending"] == 1
    assert not [f for f in check_report(report) if f.rule == "A4"]
