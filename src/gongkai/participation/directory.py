"""Writes of the online classroom, the service points and the 微循环交通 notices (staff only, audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.files import DOCX, M4A, MP3, MP4, PDF, store_upload, validate_file
from gongkai.core.services import model_snapshot, record_event
from gongkai.org.access import Permission, require
from gongkai.participation.models import Course, Lesson, LessonKind, ServicePoint, TrafficNotice
from gongkai.participation.services import NOT_MANAGER

# What a lesson may be, and how large: a phone-recorded talk of 20 minutes at 720p is about 150 MB.
LESSON_TYPES = {
    LessonKind.VIDEO: ({MP4}, 200 * 1024 * 1024),
    LessonKind.AUDIO: ({M4A, MP3}, 50 * 1024 * 1024),
    LessonKind.DOCUMENT: ({PDF, DOCX}, 20 * 1024 * 1024),
}
LESSON_FOLDER = "lessons"


@transaction.atomic
def course_save(
    *, actor: Any, title: str, description: str, is_published: bool, course: Course | None = None
) -> Course:
    require(actor, Permission.PARTICIPATION_MANAGE, NOT_MANAGER)
    if not title.strip():
        raise ValidationError({"title": "请填写课程名称"})
    before = model_snapshot(course) if course else None
    course = course or Course()
    course.title, course.description, course.is_published = title.strip(), description.strip(), is_published
    course.save()
    record_event(
        actor=actor, verb=AuditVerb.COURSE_SAVE, obj=course, before=before, after=model_snapshot(course)
    )
    return course


def lesson_add(*, actor: Any, course: Course, title: str, kind: str, upload: UploadedFile) -> Lesson:
    """Check the file (its container proved from its bytes), store it privately, then record the lesson."""
    require(actor, Permission.PARTICIPATION_MANAGE, NOT_MANAGER)
    if kind not in LESSON_TYPES:
        raise ValidationError({"kind": "请选择课时类型（视频、音频或文档）"})
    if not title.strip():
        raise ValidationError({"title": "请填写课时名称"})
    accept, cap = LESSON_TYPES[LessonKind(kind)]
    clean = validate_file(upload, accept=accept, cap=cap)  # UploadRejected says why, in Chinese
    name = store_upload(clean, folder=LESSON_FOLDER)
    with transaction.atomic():
        lesson = Lesson.objects.create(
            course=course,
            title=title.strip(),
            kind=kind,
            storage_name=name,
            content_type=clean.content_type,
            size=clean.size,
            original_name=clean.original_name,
            position=course.lessons.count(),
        )
        after = model_snapshot(lesson, fields=("course", "title", "kind", "content_type", "size"))
        record_event(actor=actor, verb=AuditVerb.LESSON_ADD, obj=lesson, after=after)
    return lesson


def _coordinates(longitude: Decimal, latitude: Decimal) -> None:
    # Mainland China's extent: a swapped pair or a typo lands outside it.
    if not (Decimal(73) <= longitude <= Decimal(136)):
        raise ValidationError({"longitude": "经度应在 73 到 136 之间（东经），请检查是否与纬度填反"})
    if not (Decimal(3) <= latitude <= Decimal(54)):
        raise ValidationError({"latitude": "纬度应在 3 到 54 之间（北纬），请检查是否与经度填反"})


@transaction.atomic
def service_point_save(*, actor: Any, point: ServicePoint) -> ServicePoint:
    """Save a new or edited point (the form's unsaved instance)."""
    require(actor, Permission.PARTICIPATION_MANAGE, NOT_MANAGER)
    _coordinates(point.longitude, point.latitude)
    if not point.service_list:
        raise ValidationError({"services": "请至少填写一项服务项目"})
    before = model_snapshot(ServicePoint.objects.get(pk=point.pk)) if point.pk else None
    point.full_clean()
    point.save()
    record_event(
        actor=actor, verb=AuditVerb.SERVICE_POINT_SAVE, obj=point, before=before, after=model_snapshot(point)
    )
    return point


@transaction.atomic
def traffic_notice_save(*, actor: Any, notice: TrafficNotice) -> TrafficNotice:
    require(actor, Permission.PARTICIPATION_MANAGE, NOT_MANAGER)
    if notice.ends_on < notice.starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期"})
    before = model_snapshot(TrafficNotice.objects.get(pk=notice.pk)) if notice.pk else None
    notice.full_clean()
    notice.save()
    record_event(
        actor=actor,
        verb=AuditVerb.TRAFFIC_NOTICE_SAVE,
        obj=notice,
        before=before,
        after=model_snapshot(notice),
    )
    return notice


def is_current(notice: TrafficNotice, day: dt.date) -> bool:
    return notice.is_published and notice.starts_on <= day <= notice.ends_on
