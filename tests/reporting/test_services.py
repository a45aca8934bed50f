"""The report record's workflow: roles, the draft → 报送 → published lifecycle, locks and audit events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEvent
from gongkai.reporting import selectors, services
from gongkai.reporting.models import AnnualReportRecord, ReportStatus
from ledger_fixtures import LedgerMaker

D = dt.date


@pytest.fixture
def year_2022(ledger: LedgerMaker) -> LedgerMaker:
    ledger.request(received_on=D(2022, 3, 1), closed_on=D(2022, 3, 20), outcome="granted")
    ledger.request(received_on=D(2022, 12, 20))
    ledger.publication(published_on=D(2022, 4, 1), key_area=True)
    return ledger


# Section 五 is the office's own text: a draft without it cannot be submitted (A8).
PROBLEMS = "一是依申请公开答复文书格式不够统一。改进措施：制定答复文书模板，由公开办统一审核后印发各科室。"


def _draft(staff: dict[str, Any], year: int = 2022) -> AnnualReportRecord:
    services.report_draft_refresh(actor=staff["clerk"], year=year)
    services.report_update_text(actor=staff["clerk"], year=year, problems=PROBLEMS)
    return services.report_draft_refresh(actor=staff["clerk"], year=year)


def test_draft_is_the_live_roll_up_with_cached_findings(
    staff: dict[str, Any], year_2022: LedgerMaker
) -> None:
    record = _draft(staff)
    assert record.status == ReportStatus.DRAFT and record.frozen_json is None
    assert record.checked_at is not None
    assert all(f["severity"] != "error" for f in record.findings)
    state = selectors.report_state(2022)
    assert state.report.requests["new_received"]["total"] == 2
    assert state.report.sections["overview"].startswith("1. 2022年政府信息公开专栏全年主动公开政府信息1条。")
    # The draft follows the ledger as it changes.
    year_2022.request(received_on=D(2022, 6, 1))
    assert selectors.report_state(2022).report.requests["new_received"]["total"] == 3
    assert AuditEvent.objects.filter(verb="report.create", object_id=str(record.pk)).count() == 1


@pytest.mark.parametrize("who", ["staff", "head", "director", "auditor"])
def test_only_the_office_drafts(staff: dict[str, Any], year_2022: LedgerMaker, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.report_draft_refresh(actor=staff[who], year=2022)
    assert not AnnualReportRecord.objects.exists()


def test_text_edits_replace_paragraphs_and_return_them_to_drafting(
    staff: dict[str, Any], year_2022: LedgerMaker
) -> None:
    _draft(staff)
    services.report_update_text(
        actor=staff["clerk"],
        year=2022,
        paragraphs={"proactive": "2. 全年主动公开政府信息1条，另发布通知公告若干。"},
        overview_extra="3. 加强制度建设。\n平台建设稳步推进。",
        problems="一是人手紧缺。",
        other="无。",
    )
    record = AnnualReportRecord.objects.get(year=2022)
    assert record.overview_overrides == {"proactive": "全年主动公开政府信息1条，另发布通知公告若干。"}
    overview = selectors.report_state(2022).report.sections["overview"].splitlines()
    assert overview[0] == "1. 全年主动公开政府信息1条，另发布通知公告若干。"
    assert overview[2:] == ["3. 加强制度建设。", "4. 平台建设稳步推进。"]
    drafted = selectors.report_state(2022).paragraphs[1].text
    # Clearing a paragraph, or saving the drafted text unchanged, hands it back to the ledger.
    services.report_update_text(
        actor=staff["clerk"], year=2022, paragraphs={"proactive": "", "requests": drafted}
    )
    record.refresh_from_db()
    assert record.overview_overrides == {}
    event = AuditEvent.objects.filter(verb="report.update_text").first()
    assert event is not None and event.actor == staff["clerk"]
    assert "overview_overrides" in event.before and "overview_overrides" in event.after


def test_2021_format_drafts_the_fee_sentence_until_staff_write_six(
    staff: dict[str, Any], year_2022: LedgerMaker
) -> None:
    req = year_2022.request(received_on=D(2022, 5, 1), closed_on=D(2022, 6, 1), outcome="granted")
    year_2022.fee(req, amount_yuan="300.00", paid_on=D(2022, 5, 20))
    _draft(staff)
    state = selectors.report_state(2022)
    assert state.other_drafted
    assert (
        state.report.sections["other"]
        == "依据《政府信息公开信息处理费管理办法》规定，2022年本机关实际收取信息处理费共计300元。"
    )
    assert not [f for f in state.findings if f.rule == "A14"]
    services.report_update_text(actor=staff["clerk"], year=2022, other="本年度无其他需要报告的事项。")
    state = selectors.report_state(2022)
    assert not state.other_drafted
    assert [f.rule for f in state.findings if f.rule == "A14"] == ["A14"]
    services.report_update_text(actor=staff["clerk"], year=2022, redraft_other=True)
    assert selectors.report_state(2022).other_drafted


def test_submit_and_publish_roles_and_lock(staff: dict[str, Any], year_2022: LedgerMaker) -> None:
    _draft(staff)
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=staff["clerk"], year=2022)
    record = services.report_submit(actor=staff["officehead"], year=2022)
    assert record.status == ReportStatus.SUBMITTED and record.submitted_by == staff["officehead"]
    frozen = record.frozen_json
    assert frozen["tables"]["requests"]["new_received"]["total"] == 2
    with pytest.raises(ValidationError):
        services.report_update_text(actor=staff["clerk"], year=2022, problems="改一改")
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=staff["clerk"], year=2022, published_on=D(2023, 1, 20))
    with pytest.raises(ValidationError, match="早于报告年度结束"):
        services.report_publish(actor=staff["director"], year=2022, published_on=D(2022, 12, 31))
    record = services.report_publish(actor=staff["director"], year=2022, published_on=D(2023, 1, 20))
    assert record.status == ReportStatus.PUBLISHED and record.published_on == D(2023, 1, 20)
    assert record.frozen_json["published_on"] == "2023-01-20"
    assert record.frozen_json["tables"] == frozen["tables"]

    # Published: every write is refused and the stored report no longer follows the ledger.
    for call in (
        lambda: services.report_update_text(actor=staff["clerk"], year=2022, problems="x"),
        lambda: services.report_draft_refresh(actor=staff["clerk"], year=2022),
        lambda: services.report_submit(actor=staff["officehead"], year=2022),
        lambda: services.report_reopen(actor=staff["officehead"], year=2022, reason="x"),
        lambda: services.report_publish(actor=staff["officehead"], year=2022, published_on=D(2023, 1, 21)),
    ):
        with pytest.raises(ValidationError):
            call()
    year_2022.request(received_on=D(2022, 7, 1), closed_on=D(2022, 7, 2), outcome="partial")
    state = selectors.report_state(2022)
    assert state.report.requests["new_received"]["total"] == 2
    assert (
        selectors.report_for_export(2022).to_dict() == AnnualReportRecord.objects.get(year=2022).frozen_json
    )
    # A16: the case records no longer agree with the published Table 三, and the page says where.
    cells = {(f.row, f.column) for f in state.reconciliation}
    assert ("new_received", "total") in cells and ("partial", "natural_person") in cells
    assert all(f.rule == "A16" and f.severity == "error" for f in state.reconciliation)
    verbs = list(
        AuditEvent.objects.filter(object_type="reporting.annualreportrecord").values_list("verb", flat=True)
    )
    assert sorted(verbs) == [
        "report.create",
        "report.publish",
        "report.refresh",
        "report.submit",
        "report.update_text",
    ]


def test_reopen_returns_a_submission_to_draft(staff: dict[str, Any], year_2022: LedgerMaker) -> None:
    _draft(staff)
    services.report_submit(actor=staff["officehead"], year=2022)
    with pytest.raises(ValidationError):
        services.report_reopen(actor=staff["officehead"], year=2022, reason=" ")
    record = services.report_reopen(actor=staff["officehead"], year=2022, reason="主管部门要求补充第五部分")
    assert record.status == ReportStatus.DRAFT and record.frozen_json is None
    services.report_update_text(actor=staff["clerk"], year=2022, problems="一是……")


def test_an_error_finding_blocks_submission(staff: dict[str, Any], year_2022: LedgerMaker) -> None:
    # A case closed with an outcome the statutory table has no row for cannot be counted: 一+二 ≠ 三+四.
    year_2022.request(received_on=D(2022, 3, 1), closed_on=D(2022, 3, 5), outcome="withdrawn_by_mistake")
    _draft(staff)
    state = selectors.report_state(2022)
    assert state.figures is not None and state.figures.closed_without_outcome == 1
    assert any(f.rule == "A1" for f in state.findings)
    with pytest.raises(ValidationError, match="错误级问题"):
        services.report_submit(actor=staff["officehead"], year=2022)
    assert AnnualReportRecord.objects.get(year=2022).status == ReportStatus.DRAFT


def test_unfinished_year_cannot_be_submitted(staff: dict[str, Any], ledger: LedgerMaker) -> None:
    from django.utils import timezone

    year = timezone.localdate().year
    services.report_draft_refresh(actor=staff["clerk"], year=year)
    with pytest.raises(ValidationError, match="尚未结束"):
        services.report_submit(actor=staff["officehead"], year=year)
    with pytest.raises(ValidationError):
        services.report_draft_refresh(actor=staff["clerk"], year=year + 1)


def test_previous_years_report_feeds_the_continuity_rules(staff: dict[str, Any], ledger: LedgerMaker) -> None:
    ledger.request(received_on=D(2021, 12, 20))  # open at the end of 2021
    _draft(staff, 2021)
    services.report_submit(actor=staff["officehead"], year=2021)
    services.report_publish(actor=staff["officehead"], year=2021, published_on=D(2022, 1, 25))
    # A case received in 2021 that was keyed in only after the 2021 report went out: 2022 carries over 2.
    ledger.request(received_on=D(2021, 11, 2))
    state = selectors.report_state(2022)
    a5 = [f for f in state.findings if f.rule == "A5"]
    assert a5 and a5[0].expected == 1 and a5[0].actual == 2
