"""Every write of the responsiveness ledgers, each with its actor and an audit row in one transaction.

Bad input is refused with a ``ValidationError`` in Chinese (keyed by field where there is one); a user
outside the 科室 or without the permission gets ``PermissionDenied``. Dates may be back-dated (the
office keys in what happened) but never lie in the future.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.choices import JointMeetingParty, ResponseChannel, ResponseSource, SupervisionIssuer
from gongkai.core.files import CleanUpload, store_upload
from gongkai.core.filters import statutory_today
from gongkai.core.services import model_snapshot, record_event
from gongkai.org.access import Permission, require
from gongkai.org.models import Department
from gongkai.responsiveness.models import (
    HotTopicResponse,
    JointMeeting,
    MeetingFollowUp,
    SupervisionEvidence,
    SupervisionProgress,
    SupervisionTask,
)
from gongkai.responsiveness.permissions import can_record_for

_NOT_RECORDER = "只有公开办或科室工作人员可以登记"
_NOT_OWN_DEPARTMENT = "只能为本科室登记"
_NOT_MEETING_RECORDER = "只有公开办工作人员或公开办负责人可以登记五方联席会"
# At least the 街道 and one other party: a meeting of the 街道 alone is not a 联席会.
MIN_PARTIES = 2
today = statutory_today


def _require_department(actor: Any, department: Department) -> None:
    require(actor, Permission.RESPONSIVENESS_RECORD, _NOT_RECORDER)
    if not can_record_for(actor, department):
        raise PermissionDenied(_NOT_OWN_DEPARTMENT)


def _not_future(errors: dict[str, str], field: str, value: dt.date, label: str) -> None:
    if value > today():
        errors[field] = f"{label}不能晚于今天"


def _text(errors: dict[str, str], field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = message
    return value


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# -- 热点回应 -------------------------------------------------------------------------------------------


@transaction.atomic
def hot_topic_record(
    *,
    actor: Any,
    subject: str,
    source: str,
    response: str,
    channel: str,
    responded_on: dt.date,
    department: Department,
) -> HotTopicResponse:
    """A hot topic or public-opinion matter and the office's response (section 一 counts it)."""
    _require_department(actor, department)
    errors: dict[str, str] = {}
    subject = _text(errors, "subject", subject, "请填写回应的事项")
    response = _text(errors, "response", response, "请填写回应内容")
    if source not in ResponseSource.values:
        errors["source"] = "请选择来源"
    if channel not in ResponseChannel.values:
        errors["channel"] = "请选择回应渠道"
    _not_future(errors, "responded_on", responded_on, "回应日期")
    _raise(errors)
    row = HotTopicResponse.objects.create(
        subject=subject,
        source=source,
        response=response,
        channel=channel,
        responded_on=responded_on,
        department=department,
        recorded_by=actor,
    )
    record_event(actor=actor, verb=AuditVerb.HOT_TOPIC_RECORD, obj=row, after=model_snapshot(row))
    return row


# -- 督查督办 -------------------------------------------------------------------------------------------


@transaction.atomic
def supervision_task_create(
    *,
    actor: Any,
    issuer: str,
    title: str,
    assigned_on: dt.date,
    deadline: dt.date,
    department: Department,
    detail: str = "",
    reference: str = "",
) -> SupervisionTask:
    _require_department(actor, department)
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, "请填写督办事项")
    if issuer not in SupervisionIssuer.values:
        errors["issuer"] = "请选择交办单位（区委或区政府）"
    _not_future(errors, "assigned_on", assigned_on, "交办日期")
    if deadline < assigned_on:
        errors["deadline"] = "办结时限不能早于交办日期"
    _raise(errors)
    task = SupervisionTask.objects.create(
        issuer=issuer,
        title=title,
        detail=(detail or "").strip(),
        reference=(reference or "").strip(),
        assigned_on=assigned_on,
        deadline=deadline,
        department=department,
        created_by=actor,
    )
    record_event(actor=actor, verb=AuditVerb.SUPERVISION_CREATE, obj=task, after=model_snapshot(task))
    return task


def _locked_open_task(actor: Any, task: SupervisionTask) -> SupervisionTask:
    task = SupervisionTask.objects.select_for_update().get(pk=task.pk)
    _require_department(actor, task.department)
    if task.completed_on is not None:
        raise ValidationError("该督办事项已办结")
    return task


@transaction.atomic
def supervision_progress_add(
    *, actor: Any, task: SupervisionTask, noted_on: dt.date, note: str
) -> SupervisionProgress:
    task = _locked_open_task(actor, task)
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, "请填写进展情况")
    _not_future(errors, "noted_on", noted_on, "进展日期")
    if noted_on < task.assigned_on:
        errors["noted_on"] = "进展日期不能早于交办日期"
    _raise(errors)
    row = SupervisionProgress.objects.create(task=task, noted_on=noted_on, note=note, recorded_by=actor)
    record_event(
        actor=actor,
        verb=AuditVerb.SUPERVISION_PROGRESS,
        obj=task,
        after={"noted_on": noted_on, "note": note},
    )
    return row


@transaction.atomic
def supervision_task_complete(
    *,
    actor: Any,
    task: SupervisionTask,
    completed_on: dt.date,
    evidence: str,
    evidence_file: CleanUpload | None = None,
) -> SupervisionTask:
    """办结: with what was done and the evidence of it, described and, optionally, a checked file
    (``core.files.validate_file``) kept in private storage."""
    task = _locked_open_task(actor, task)
    errors: dict[str, str] = {}
    evidence = _text(errors, "evidence", evidence, "请填写办结情况及佐证材料")
    _not_future(errors, "completed_on", completed_on, "办结日期")
    if completed_on < task.assigned_on:
        errors["completed_on"] = "办结日期不能早于交办日期"
    _raise(errors)
    before = model_snapshot(task, fields=("completed_on", "evidence"))
    task.completed_on, task.evidence, task.completed_by = completed_on, evidence, actor
    task.save(update_fields=["completed_on", "evidence", "completed_by"])
    if evidence_file is not None:
        SupervisionEvidence.objects.create(
            task=task,
            storage_name=store_upload(evidence_file, folder="supervision"),
            original_name=evidence_file.original_name,
            content_type=evidence_file.content_type,
            size=evidence_file.size,
            uploaded_by=actor,
        )
    record_event(
        actor=actor,
        verb=AuditVerb.SUPERVISION_COMPLETE,
        obj=task,
        before=before,
        after={
            **model_snapshot(task, fields=("completed_on", "evidence")),
            "evidence_file": evidence_file.original_name if evidence_file else "",
        },
    )
    return task


# -- 五方联席会 -----------------------------------------------------------------------------------------


@transaction.atomic
def joint_meeting_record(
    *,
    actor: Any,
    held_on: dt.date,
    attendance: Mapping[str, str],
    minutes: str,
    resolutions: str = "",
    place: str = "",
) -> JointMeeting:
    """A 五方联席会: ``attendance`` maps a party (``JointMeetingParty``) to who attended for it."""
    require(actor, Permission.JOINT_MEETING_RECORD, _NOT_MEETING_RECORDER)
    errors: dict[str, str] = {}
    minutes = _text(errors, "minutes", minutes, "请填写会议纪要")
    _not_future(errors, "held_on", held_on, "会议日期")
    present = {
        party: who.strip()
        for party, who in attendance.items()
        if party in JointMeetingParty.values and (who or "").strip()
    }
    if len(present) < MIN_PARTIES:
        errors["attendance"] = "请填写出席的各方人员：联席会至少有两方出席"
    elif JointMeetingParty.SUBDISTRICT not in present:
        errors["attendance"] = "请填写街道办事处的出席人员"
    _raise(errors)
    meeting = JointMeeting.objects.create(
        held_on=held_on,
        place=(place or "").strip(),
        attendance=present,
        minutes=minutes,
        resolutions=(resolutions or "").strip(),
        recorded_by=actor,
    )
    record_event(actor=actor, verb=AuditVerb.JOINT_MEETING_RECORD, obj=meeting, after=model_snapshot(meeting))
    return meeting


@transaction.atomic
def follow_up_add(
    *, actor: Any, meeting: JointMeeting, task: str, owner: str, deadline: dt.date
) -> MeetingFollowUp:
    require(actor, Permission.JOINT_MEETING_RECORD, _NOT_MEETING_RECORDER)
    errors: dict[str, str] = {}
    task = _text(errors, "task", task, "请填写落实事项")
    owner = _text(errors, "owner", owner, "请填写责任方")
    if deadline < meeting.held_on:
        errors["deadline"] = "完成时限不能早于会议日期"
    _raise(errors)
    row = MeetingFollowUp.objects.create(meeting=meeting, task=task, owner=owner, deadline=deadline)
    record_event(actor=actor, verb=AuditVerb.FOLLOW_UP_ADD, obj=meeting, after=model_snapshot(row))
    return row


@transaction.atomic
def follow_up_complete(
    *, actor: Any, follow_up: MeetingFollowUp, done_on: dt.date, done_note: str
) -> MeetingFollowUp:
    require(actor, Permission.JOINT_MEETING_RECORD, _NOT_MEETING_RECORDER)
    follow_up = MeetingFollowUp.objects.select_for_update().select_related("meeting").get(pk=follow_up.pk)
    if follow_up.done_on is not None:
        raise ValidationError("该事项已完成")
    errors: dict[str, str] = {}
    done_note = _text(errors, "done_note", done_note, "请填写完成情况")
    _not_future(errors, "done_on", done_on, "完成日期")
    if done_on < follow_up.meeting.held_on:
        errors["done_on"] = "完成日期不能早于会议日期"
    _raise(errors)
    follow_up.done_on, follow_up.done_note = done_on, done_note
    follow_up.save(update_fields=["done_on", "done_note"])
    record_event(
        actor=actor,
        verb=AuditVerb.FOLLOW_UP_COMPLETE,
        obj=follow_up.meeting,
        after=model_snapshot(follow_up),
    )
    return follow_up
