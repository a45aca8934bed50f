"""Reads of the reporting app: the report of a year as staff see it, its findings and its deadline.

A draft is the ledger read in two steps, ``queries`` (the figures) then ``compose`` (figures and the
staff's record → the report); a submitted or published report is its frozen JSON, checked against the
case records by A16 like every other rule, in the engine's catalogue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongkai.annual_report.checks import Finding, check_report
from gongkai.annual_report.checks.base import ERROR, WARNING
from gongkai.annual_report.formats import get_format
from gongkai.annual_report.model import AnnualReport, TableData
from gongkai.reporting import compose, queries
from gongkai.reporting.models import AnnualReportRecord, ReportStatus


def get_record(year: int) -> AnnualReportRecord | None:
    return AnnualReportRecord.objects.filter(year=year).first()


def list_records() -> list[AnnualReportRecord]:
    return list(AnnualReportRecord.objects.order_by("-year"))


def build_annual_report(year: int, *, format: str | None = None, variant: str | None = None) -> AnnualReport:
    """The annual report of ``year`` as the ledger stands now, with the sections staff wrote."""
    return _draft(year, get_record(year), format_id=format, variant=variant)[1]


def _draft(
    year: int, record: AnnualReportRecord | None, *, format_id: str | None = None, variant: str | None = None
) -> tuple[queries.LedgerFigures, AnnualReport]:
    """The live draft: the ledger's figures in the record's layout (defaults when there is no record)."""
    variant = variant or (record.variant if record is not None else "national")
    fmt = compose.resolve_format(year, format_id, variant)
    split = record.split_other_services if record is not None else True
    figures = queries.ledger_figures(year, fmt, split_other_services=split)
    return figures, compose.compose_report(figures, fmt, record)


@dataclass
class ReportState:
    """Everything the report page shows about one year."""

    year: int
    record: AnnualReportRecord | None
    report: AnnualReport
    figures: queries.LedgerFigures | None  # None for a frozen (submitted or published) report
    paragraphs: list[compose.Paragraph] = field(default_factory=list)
    other_drafted: bool = False
    findings: list[Finding] = field(default_factory=list)

    @property
    def reconciliation(self) -> list[Finding]:
        """A16's findings: a frozen report's Table 三 against the case records as they stand now."""
        return [f for f in self.findings if f.rule == "A16"]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)


def report_state(year: int, *, record: AnnualReportRecord | None = None) -> ReportState:
    """The report of ``year``: frozen if submitted or published, otherwise the live roll-up of the ledger."""
    record = record if record is not None else get_record(year)
    if record is not None and record.frozen_json is not None:
        report = AnnualReport.from_dict(record.frozen_json)
        fmt = get_format(report.format, report.variant)
        state = ReportState(year, record, report, None)
        state.findings = findings_for(
            report,
            record=record,
            fees_paid_yuan=queries.fees_paid(year) if fmt.id == "2021" else None,
            ledger_requests=queries.requests_table(year, fmt)[0],
        )
        return state
    figures, report = _draft(year, record)
    state = ReportState(year, record, report, figures)
    state.paragraphs = compose.overview_paragraphs(figures, record)
    state.other_drafted = compose.other_section(figures, record)[1]
    state.findings = findings_for(
        report, record=record, fees_paid_yuan=figures.fees_paid_yuan if report.format == "2021" else None
    )
    return state


def report_for_export(year: int) -> AnnualReport:
    """What `gongkai report` and the downloads give: the frozen report, or the live draft."""
    record = get_record(year)
    if record is not None and record.frozen_json is not None:
        return AnnualReport.from_dict(record.frozen_json)
    return _draft(year, record)[1]


def previous_report(year: int) -> AnnualReport | None:
    """Last year's report for the continuity rules (A5, A6): its frozen version, else its live draft."""
    record = get_record(year - 1)
    if record is None:
        return None
    if record.frozen_json is not None:
        return AnnualReport.from_dict(record.frozen_json)
    return _draft(year - 1, record)[1]


def findings_for(
    report: AnnualReport,
    *,
    record: AnnualReportRecord | None,
    fees_paid_yuan: Decimal | None,
    ledger_requests: TableData | None = None,
) -> list[Finding]:
    from gongkai.org.selectors import get_organisation

    return check_report(
        report,
        previous=previous_report(report.year),
        published_on=record.published_on if record is not None else None,
        org_kind=get_organisation().report_kind,
        fees_charged_yuan=fees_paid_yuan,
        ledger_requests=ledger_requests,
    )


@dataclass(frozen=True)
class Deadline:
    year: int
    due: dt.date
    days_left: int  # negative: overdue by that many days
    status: str  # ReportStatus value, or "" when the year has no record yet
    status_label: str

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


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
    warnings = sum(1 for f in findings if f.get("severity") == WARNING)
    return errors, warnings
