"""Properties of the rule catalogue over generated consistent reports (tests/annual_report/report_strategies.py)."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_strategies import consistent_report_pairs, consistent_reports

from gongkai.annual_report.checks import check_report
from gongkai.annual_report.formats import APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_KEYS
from gongkai.annual_report.model import AnnualReport

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def count(report: AnnualReport, table: str, row: str, column: str) -> int:
    value = report.cell(table, row, column)
    assert isinstance(value, int)
    return value


@PROPERTY
@given(consistent_reports())
def test_a_consistent_report_has_no_finding_at_all(report: AnnualReport) -> None:
    assert [f.message for f in check_report(report)] == []


@PROPERTY
@given(consistent_reports())
def test_generated_reports_round_trip_through_json(report: AnnualReport) -> None:
    assert AnnualReport.from_json(report.to_json()) == report


@PROPERTY
@given(consistent_reports(), st.data())
def test_changing_one_table_cell_is_an_error_on_its_row_or_column(
    report: AnnualReport, data: st.DataObject
) -> None:
    fmt = report.report_format
    table = data.draw(st.sampled_from(["requests", "appeals"]))
    if table == "requests":
        row = data.draw(st.sampled_from([r.key for r in fmt.request_rows]))
        column = data.draw(st.sampled_from([c.key for c in fmt.request_columns]))
    else:
        row = data.draw(st.sampled_from([g.key for g in APPEAL_GROUPS]))
        column = data.draw(st.sampled_from([c.key for c in APPEAL_COLUMNS]))
    before = count(report, table, row, column)
    delta = data.draw(st.integers(-50, 50).filter(lambda d: d != 0))
    if before + delta < 0:
        delta = -delta
    changed = copy.deepcopy(report)
    changed.table(table)[row][column] = before + delta

    errors = [f for f in check_report(changed) if f.severity == "error"]
    assert errors, f"{table}.{row}.{column} {before} → {before + delta} went unnoticed"
    assert any(f.table == table and (f.row == row or f.column == column) for f in errors), [
        f.message for f in errors
    ]


@PROPERTY
@given(consistent_report_pairs())
def test_consecutive_consistent_reports_pass_the_cross_year_rules(
    pair: tuple[AnnualReport, AnnualReport],
) -> None:
    previous, current = pair
    assert [f.message for f in check_report(current, previous=previous)] == []


@PROPERTY
@given(consistent_report_pairs(), st.sampled_from(APPLICANT_KEYS), st.integers(1, 20))
def test_a_break_in_carry_over_is_a_warning_on_that_column(
    pair: tuple[AnnualReport, AnnualReport], column: str, delta: int
) -> None:
    previous, current = pair
    # Add ``delta`` to 上年结转 and to 结转下年度: this year still balances, but does not follow last year.
    for row in ("carried_over", "carried_forward"):
        for col in (column, "total"):
            current.requests[row][col] = count(current, "requests", row, col) + delta
    findings = check_report(current, previous=previous)
    assert [f.severity for f in findings if f.severity == "error"] == []
    # (Section 一 may restate the changed 结转 figures too; that A7 warning is right and not the point here.)
    assert {(f.rule, f.row, f.column) for f in findings if f.rule != "A7"} == {
        ("A5", "carried_over", column),
        ("A5", "carried_over", "total"),
    }


_NARRATIVE_CLAIMS = {
    # phrase template -> the Table 三 row whose 总计 it restates
    "办结政府信息公开申请{}件": "total",
    "上年结转政府信息公开申请{}件": "carried_over",
    "结转下年度继续办理{}件": "carried_forward",
    "予以公开{}件": "granted",
}


@PROPERTY
@given(consistent_reports(), st.sampled_from(sorted(_NARRATIVE_CLAIMS)), st.integers(1, 30))
def test_a_wrong_figure_in_section_one_is_a_warning_on_the_restated_cell(
    report: AnnualReport, template: str, delta: int
) -> None:
    row = _NARRATIVE_CLAIMS[template]
    wrong = count(report, "requests", row, "total") + delta
    report.sections["overview"] += "\n政府信息公开申请办理方面，" + template.format(wrong) + "。"
    findings = check_report(report)
    assert [(f.rule, f.severity, f.row, f.column, f.actual) for f in findings] == [
        ("A7", "warning", row, "total", wrong)
    ]
