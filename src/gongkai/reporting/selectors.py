"""Reads of the reporting app: the report of a year as staff see it, its findings and its deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongkai.annual_report.checks import Finding, check_report
from gongkai.annual_report.checks.base import ERROR, Cells
from gongkai.annual_report.formats import get_format
from gongkai.annual_report.model import AnnualReport
from gongkai.reporting import narrative, rollup
from gongkai.reporting.figures import LedgerFigures
from gongkai.reporting.models import AnnualReportRecord, ReportStatus

A16_MESSAGE = "表三与案件记录不一致"


def get_record(year: int) -> AnnualReportRecord | None:
    return AnnualReportRecord.objects.filter(year=year).first()


def list_records() -> list[AnnualReportRecord]:
    return list(AnnualReportRecord.objects.order_by("-year"))


@dataclass
class ReportState:
    """Everything the report page shows about one year."""

    year: int
    record: AnnualReportRecord | None
    report: AnnualReport
    figures: LedgerFigures | None  # None for a frozen (submitted or published) report
    paragraphs: list[narrative.Paragraph] = field(default_factory=list)
    other_drafted: bool = False
    findings: list[Finding] = field(default_factory=list)
    reconciliation: list[Finding] = field(default_factory=list)  # A16, frozen reports only

    @property
    def all_findings(self) -> list[Finding]:
        return [*self.findings, *self.reconciliation]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.all_findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.all_findings if f.severity == "warning")


def report_state(year: int, *, record: AnnualReportRecord | None = None) -> ReportState:
    """The report of ``year``: frozen if submitted or published, otherwise the live roll-up of the ledger."""
    record = record if record is not None else get_record(year)
    if record is not None and record.frozen_json is not None:
        report = AnnualReport.from_dict(record.frozen_json)
        fees = (
            rollup._fees_paid(dt.date(year, 1, 1), dt.date(year, 12, 31)) if report.format == "2021" else None
        )
        state = ReportState(year, record, report, None)
        state.findings = findings_for(report, record=record, fees_paid_yuan=fees)
        state.reconciliation = reconcile_requests(report)
        return state
    variant = record.variant if record is not None else "national"
    fmt = rollup.resolve_format(year, None, variant)
    split = record.split_other_services if record is not None else True
    figures = rollup.ledger_figures(year, fmt, split_other_services=split)
    report = rollup.report_from_figures(figures, fmt, record)
    state = ReportState(year, record, report, figures)
    state.paragraphs = rollup.overview_paragraphs(figures, record)
    state.other_drafted = rollup.other_section(figures, record)[1]
    state.findings = findings_for(
        report, record=record, fees_paid_yuan=figures.fees_paid_yuan if fmt.id == "2021" else None
    )
    return state


def report_for_export(year: int) -> AnnualReport:
    """What `gongkai report` and the downloads give: the frozen report, or the live draft."""
    record = get_record(year)
    if record is not None and record.frozen_json is not None:
        return AnnualReport.from_dict(record.frozen_json)
    return rollup.build_annual_report(year)


def previous_report(year: int) -> AnnualReport | None:
    """Last year's report for the continuity rules (A5, A6): its frozen version, else its live draft."""
    record = get_record(year - 1)
    if record is None:
        return None
    if record.frozen_json is not None:
        return AnnualReport.from_dict(record.frozen_json)
    return rollup.build_annual_report(year - 1)


def findings_for(
    report: AnnualReport, *, record: AnnualReportRecord | None, fees_paid_yuan: Decimal | None
) -> list[Finding]:
    from gongkai.org.selectors import get_organisation

    return check_report(
        report,
        previous=previous_report(report.year),
        published_on=record.published_on if record is not None else None,
        org_kind=get_organisation().report_kind,
        fees_charged_yuan=fees_paid_yuan,
    )


def reconcile_requests(report: AnnualReport) -> list[Finding]:
    """A16: Table 三 of a frozen report recomputed from the case records as they stand now."""
    fmt = get_format(report.format, report.variant)
    first, last = dt.date(report.year, 1, 1), dt.date(report.year, 12, 31)
    ledger, _unplaced = rollup._requests_table(fmt, first, last)
    cells = Cells(report, fmt)
    out = []
    for row in fmt.request_rows:
        for col in fmt.request_columns:
            expected = ledger[row.key][col.key]
            actual = report.requests.get(row.key, {}).get(col.key)
            if actual == expected:
                continue
            out.append(
                cells.finding(
                    "A16",
                    ERROR,
                    "requests",
                    row.key,
                    col.key,
                    expected,
                    actual,
                    f"{cells.name('requests', row.key, col.key)}：报告为 {actual if actual is not None else '空白'}，"
                    f"按案件记录重新计算为 {expected}",
                )
            )
    return out


@dataclass(frozen=True)
class Deadline:
    year: int
    due: dt.date
    days_left: int  # negative: overdue by that many days
    status: str  # ReportStatus value, or "" when the year has no record yet
    status_label: str


def report_deadline(year: int, *, today: dt.date | None = None) -> Deadline:
    from gongkai.org.selectors import get_organisation

    today = today or timezone.localdate()
    due = get_organisation().report_deadline(year)
    record = get_record(year)
    status = record.status if record is not None else ""
    label = record.get_status_display() if record is not None else "尚未起草"
    return Deadline(year, due, (due - today).days, status, str(label))


def years_to_watch(*, today: dt.date | None = None) -> list[int]:
    """The report years the dashboard shows: the one due next, and last year's if drafted but unpublished."""
    from gongkai.org.selectors import get_organisation

    today = today or timezone.localdate()
    last_year = today.year - 1
    if today <= get_organisation().report_deadline(last_year):
        return [last_year]
    late = AnnualReportRecord.objects.filter(year=last_year).exclude(status=ReportStatus.PUBLISHED).exists()
    return [last_year, today.year] if late else [today.year]


def default_new_year(*, today: dt.date | None = None) -> int:
    """The year a new draft is most likely for: the latest finished year without a record."""
    today = today or timezone.localdate()
    taken = set(AnnualReportRecord.objects.values_list("year", flat=True))
    year = today.year - 1
    while year in taken and year < today.year:
        year += 1
    return year


def status_counts(findings: list[dict[str, Any]]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.get("severity") == ERROR)
    warnings = sum(1 for f in findings if f.get("severity") == "warning")
    return errors, warnings
