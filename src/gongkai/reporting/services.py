"""Every write of the reporting app: draft, edit, submit (报送), publish. Each with an actor and an audit row.

Roles: the disclosure clerk and the disclosure-office head draft and edit; only the office head submits
the report to the 主管部门 (or takes a submitted report back); the office head or the supervising
director publishes it. A submitted report is frozen (its canonical JSON stored), so the version the
主管部门 received is the version published; a published year refuses every change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.annual_report.checks.base import ERROR
from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.services import record_event
from gongkai.org.access import Permission, can
from gongkai.reporting import compose, selectors
from gongkai.reporting.models import AnnualReportRecord, ReportStatus, ReportVariant

_TEXT_FIELDS = ("overview_overrides", "overview_extra", "problems", "other")
_SETTING_FIELDS = ("variant", "split_other_services")


# Who is named in the refusal, in the order the office says it.
_WHO = {
    Permission.REPORT_EDIT: "公开办工作人员或公开办负责人",
    Permission.REPORT_SUBMIT: "公开办负责人",
    Permission.REPORT_PUBLISH: "公开办负责人或主管主任",
}


def _require(actor: Any, permission: Permission, what: str) -> None:
    if not can(actor, permission):
        raise PermissionDenied(f"只有{_WHO[permission]}可以{what}")


def _lock(year: int) -> AnnualReportRecord:
    record = AnnualReportRecord.objects.select_for_update().filter(year=year).first()
    if record is None:
        raise ValidationError(f"{year} 年度报告尚未起草")
    return record


def _require_draft(record: AnnualReportRecord, what: str) -> None:
    if record.status == ReportStatus.PUBLISHED:
        raise ValidationError(f"{record.year} 年度报告已发布，不能再{what}")
    if record.status != ReportStatus.DRAFT:
        raise ValidationError(f"{record.year} 年度报告已报送，需先退回修改才能{what}")


def _check(record: AnnualReportRecord) -> selectors.ReportState:
    """Run the rule catalogue on the record's report and cache the findings on the record."""
    state = selectors.report_state(record.year, record=record)
    record.findings = [f.to_dict() for f in state.findings]
    record.checked_at = timezone.now()
    return state


def _summary(record: AnnualReportRecord) -> dict[str, Any]:
    errors, warnings = selectors.status_counts(record.findings)
    return {"year": record.year, "status": record.status, "errors": errors, "warnings": warnings}


@transaction.atomic
def report_draft_refresh(*, actor: Any, year: int) -> AnnualReportRecord:
    """Start the year's draft (first call) or re-run the checks on it against the ledger as it stands."""
    _require(actor, Permission.REPORT_EDIT, "起草年度报告")
    if year < 2019 or year > timezone.localdate().year:
        raise ValidationError(f"不能起草 {year} 年度报告：年度应在 2019 年至今年之间")
    record = AnnualReportRecord.objects.select_for_update().filter(year=year).first()
    created = record is None
    if record is None:
        record = AnnualReportRecord(year=year)
        record.save()
    else:
        _require_draft(record, "更新")
    _check(record)
    record.save()
    record_event(
        actor=actor,
        verb=AuditVerb.REPORT_CREATE if created else AuditVerb.REPORT_REFRESH,
        obj=record,
        after=_summary(record),
    )
    return record


@transaction.atomic
def report_update_text(
    *,
    actor: Any,
    year: int,
    paragraphs: dict[str, str | None] | None = None,
    overview_extra: str | None = None,
    problems: str | None = None,
    other: str | None = None,
    redraft_other: bool = False,
    variant: str | None = None,
    split_other_services: bool | None = None,
) -> AnnualReportRecord:
    """Staff's text of a draft. ``paragraphs`` maps a drafted paragraph of 一 to its replacement; an
    empty or ``None`` replacement (or the drafted text itself) returns the paragraph to drafting.
    ``redraft_other`` gives 六 back to drafting; ``other`` replaces it. Unchanged arguments are ``None``."""
    _require(actor, Permission.REPORT_EDIT, "修改年度报告")
    record = _lock(year)
    _require_draft(record, "修改")
    before = {k: getattr(record, k) for k in (*_TEXT_FIELDS, *_SETTING_FIELDS)}
    if variant is not None:
        if variant not in ReportVariant.values:
            raise ValidationError(f"未知的格式版本 {variant}")
        record.variant = variant
    if split_other_services is not None:
        record.split_other_services = split_other_services
    if paragraphs:
        unknown = set(paragraphs) - set(compose.DRAFTED_PARAGRAPHS)
        if unknown:
            raise ValidationError(f"未知的段落 {', '.join(sorted(unknown))}")
        state = selectors.report_state(year, record=record)
        drafted = compose.draft_paragraphs(state.figures) if state.figures is not None else {}
        overrides = dict(record.overview_overrides or {})
        for key, text in paragraphs.items():
            text = compose.strip_number(text or "")
            # Text identical to the draft is not a replacement: the paragraph keeps following the ledger.
            if not text or text == drafted.get(key):
                overrides.pop(key, None)
            else:
                typed = compose.typed_figure_errors(text, state.figures) if state.figures is not None else []
                if typed:
                    raise ValidationError("；".join(typed))
                overrides[key] = text
        record.overview_overrides = overrides
    if overview_extra is not None:
        record.overview_extra = overview_extra.strip()
    if problems is not None:
        record.problems = problems.strip()
    if redraft_other:
        record.other = None
    elif other is not None:
        record.other = other.strip()
    _check(record)
    record.save()
    after = {k: getattr(record, k) for k in (*_TEXT_FIELDS, *_SETTING_FIELDS)}
    changed = [k for k in after if after[k] != before[k]]
    record_event(
        actor=actor,
        verb=AuditVerb.REPORT_UPDATE_TEXT,
        obj=record,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed} | _summary(record),
    )
    return record


@transaction.atomic
def report_submit(*, actor: Any, year: int) -> AnnualReportRecord:
    """报送: freeze the draft as the version the 主管部门 receives. Refused while an error-level finding stands."""
    _require(actor, Permission.REPORT_SUBMIT, "报送年度报告")
    record = _lock(year)
    _require_draft(record, "报送")
    if year >= timezone.localdate().year:
        raise ValidationError(f"{year} 年尚未结束，不能报送本年度报告")
    state = _check(record)
    errors = [f for f in state.findings if f.severity == ERROR]
    if errors:
        raise ValidationError(
            [f"报告存在 {len(errors)} 个错误级问题，不能报送："]
            + [f"{f.rule} {f.message}" for f in errors[:5]]
        )
    record.frozen_json = state.report.to_dict()
    record.status = ReportStatus.SUBMITTED
    record.submitted_at = timezone.now()
    record.submitted_by = actor
    record.save()
    record_event(actor=actor, verb=AuditVerb.REPORT_SUBMIT, obj=record, after=_summary(record))
    return record


@transaction.atomic
def report_reopen(*, actor: Any, year: int, reason: str) -> AnnualReportRecord:
    """Take a submitted report back to draft (e.g. the 主管部门 asked for corrections)."""
    _require(actor, Permission.REPORT_SUBMIT, "退回年度报告")
    record = _lock(year)
    if record.status != ReportStatus.SUBMITTED:
        raise ValidationError(f"{year} 年度报告不是已报送状态，不能退回")
    if not reason.strip():
        raise ValidationError("请说明退回修改的理由")
    record.status = ReportStatus.DRAFT
    record.frozen_json = None
    record.submitted_at = None
    record.submitted_by = None
    _check(record)
    record.save()
    record_event(
        actor=actor,
        verb=AuditVerb.REPORT_REOPEN,
        obj=record,
        before={"status": ReportStatus.SUBMITTED},
        after=_summary(record) | {"reason": reason.strip()},
    )
    return record


@transaction.atomic
def report_publish(*, actor: Any, year: int, published_on: dt.date | None = None) -> AnnualReportRecord:
    """Publish the submitted version as it was frozen; the year is locked from then on."""
    _require(actor, Permission.REPORT_PUBLISH, "发布年度报告")
    record = _lock(year)
    if record.status == ReportStatus.PUBLISHED:
        raise ValidationError(f"{year} 年度报告已于 {record.published_on} 发布")
    if record.status != ReportStatus.SUBMITTED:
        raise ValidationError(f"{year} 年度报告须先由公开办负责人报送，才能发布")
    today = timezone.localdate()
    published_on = published_on or today
    if published_on <= dt.date(year, 12, 31):
        raise ValidationError(
            f"发布日期 {published_on} 早于报告年度结束，{year} 年度报告最早于 {year + 1} 年 1 月 1 日发布"
        )
    if published_on > today:
        raise ValidationError(f"发布日期 {published_on} 晚于今天，请在发布当天记录")
    frozen = dict(record.frozen_json or {})
    frozen["published_on"] = published_on.isoformat()
    record.frozen_json = frozen
    record.status = ReportStatus.PUBLISHED
    record.published_on = published_on
    record.published_by = actor
    _check(record)
    record.save()
    record_event(
        actor=actor,
        verb=AuditVerb.REPORT_PUBLISH,
        obj=record,
        after=_summary(record) | {"published_on": published_on},
    )
    return record
