"""Reads of 随手拍: a citizen's own report by number and 查询码, the staff list and a report's forwarding
state (the outbox message behind each forwarding: waiting, retrying, dead-lettered or delivered)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db.models import QuerySet

from gongkai.core.models import OutboxMessage
from gongkai.core.tracking_codes import check_secret, normalise_reference
from gongkai.grid.models import Forwarding, Report, ReportStatus

__all__ = [
    "STATUS_FOR_CITIZEN",
    "ForwardingRow",
    "forwarding_rows",
    "forwarding_summary",
    "report_by_code",
    "staff_reports",
]

# What the citizen's status page says of each status (no staff or receiver's internals named).
STATUS_FOR_CITIZEN = {
    ReportStatus.RECEIVED: "已收到，正在转送处理部门",
    ReportStatus.FORWARDED: "已转送区网格化管理平台和 96010 热线，等待处理",
    ReportStatus.PROCESSING: "处理部门正在处理",
    ReportStatus.RESOLVED: "已办结",
    ReportStatus.REJECTED: "处理部门不予受理",
}


def report_by_code(number: str, code: str) -> Report | None:
    """The report with this number if ``code`` is its 查询码; else None. An unknown number and a wrong code
    take the same path and, padded, the same time."""
    started = time.monotonic()
    ref = normalise_reference(number)
    report = Report.objects.filter(tracking_number=ref).first() if ref else None
    ok = check_secret(code, report.query_code_hash if report else None)
    if not ok:
        time.sleep(max(0.0, 0.2 - (time.monotonic() - started)))
    return report if ok else None


def staff_reports(status: str = "") -> QuerySet[Report]:
    qs = Report.objects.prefetch_related("forwardings").order_by("-submitted_at", "-id")
    return qs.filter(status=status) if status else qs


@dataclass(frozen=True)
class ForwardingRow:
    forwarding: Forwarding
    state: str  # 已送达 / 等待发送 / 发送失败，等待重试 / 多次失败，已转入死信
    tone: str  # "", "warn" or "danger"
    message: OutboxMessage | None


def _state(message: OutboxMessage | None) -> tuple[str, str]:
    if message is None:
        return "无发送记录", "warn"
    if message.sent_at is not None:
        return "已送达", ""
    if message.dead_at is not None:
        return "多次失败，已转入死信", "danger"
    if message.attempts:
        return f"发送失败 {message.attempts} 次，等待重试", "warn"
    return "等待发送", ""


def forwarding_rows(report: Report) -> list[ForwardingRow]:
    forwardings = list(report.forwardings.all())
    messages = OutboxMessage.objects.in_bulk([f.key for f in forwardings], field_name="idempotency_key")
    rows = []
    for fwd in forwardings:
        message = messages.get(fwd.key)
        state, tone = _state(message)
        rows.append(ForwardingRow(fwd, state, tone, message))
    return rows


def forwarding_summary(report: Report) -> str:
    """One line for the staff list: how many receivers have the report."""
    forwardings = list(report.forwardings.all())
    done = sum(1 for f in forwardings if f.acknowledged_at is not None)
    return f"{done}/{len(forwardings)} 已接收"
