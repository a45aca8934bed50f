"""A publication's way from draft through the two-level confidentiality review to publication,
withdrawal and repeal.

Separation of duties (DESIGN.md): nothing is published without two approvals by two distinct people,
科室负责人 of the item's department then 主管主任, neither of them the drafter. These rules live here,
not in the views, so every caller (views, commands, the demo) is bound by them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.services import record_event
from gongkai.org.access import Permission, can
from gongkai.org.models import Department
from gongkai.org.roles import Role
from gongkai.org.selectors import user_department
from gongkai.publications.models import (
    Publication,
    PublicationReview,
    PublicationStatus,
    ReviewDecision,
    ReviewLevel,
)
from gongkai.publications.services._common import (
    EDITABLE_FIELDS,
    ActionRefused,
    _locked,
    _not_in_future,
    _notify,
    _require,
    _require_department,
    _snapshot,
    _sync,
    _users_with_role,
    today,
)


@transaction.atomic
def publication_create(
    *,
    actor: Any,
    title: str,
    category: str,
    department: Department,
    formed_on: dt.date,
    body: str = "",
    doc_kind: str = "",
    key_area: bool = False,
    doc_number: str = "",
) -> Publication:
    """A new draft; the actor is its drafter."""
    _require(actor, Permission.PUBLICATION_DRAFT, "起草主动公开信息")
    _require_department(actor, department)
    _not_in_future(formed_on, "formed_on")
    pub = Publication(
        title=title.strip(),
        body=body,
        category=category,
        doc_kind=doc_kind or "",
        key_area=key_area,
        department=department,
        doc_number=doc_number.strip(),
        formed_on=formed_on,
        drafter=actor,
    )
    pub.full_clean()
    pub.save()
    record_event(actor=actor, verb=AuditVerb.PUBLICATION_CREATE, obj=pub, after=_snapshot(pub))
    return pub


@transaction.atomic
def publication_update(*, actor: Any, publication: Publication, **changes: Any) -> Publication:
    """Edit a draft (only its drafter, only while it is a draft)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"不可修改的字段：{', '.join(sorted(unknown))}")
    pub = _locked(publication)
    if pub.drafter_id != actor.pk:
        raise ActionRefused("只有起草人可以修改草稿")
    if pub.status != PublicationStatus.DRAFT:
        raise ActionRefused(f"该信息当前状态为「{pub.get_status_display()}」，只有草稿可以修改")
    if "department" in changes:
        _require_department(actor, changes["department"])
    if "formed_on" in changes:
        _not_in_future(changes["formed_on"], "formed_on")
    before = _snapshot(pub)
    for name, value in changes.items():
        if name in ("title", "doc_number") and isinstance(value, str):
            value = value.strip()
        if name == "doc_kind":
            value = value or ""
        setattr(pub, name, value)
    pub.full_clean()
    pub.save()
    record_event(actor=actor, verb=AuditVerb.PUBLICATION_UPDATE, obj=pub, before=before, after=_snapshot(pub))
    _sync(publication, pub)
    return pub


@transaction.atomic
def publication_submit(*, actor: Any, publication: Publication) -> Publication:
    """Send a draft to the first review level (科室负责人); opens a new review round."""
    pub = _locked(publication)
    if pub.drafter_id != actor.pk:
        raise ActionRefused("只有起草人可以提交审核")
    if pub.status != PublicationStatus.DRAFT:
        raise ActionRefused(f"该信息当前状态为「{pub.get_status_display()}」，只有草稿可以提交审核")
    pub.full_clean()
    before = _snapshot(pub)
    pub.status = PublicationStatus.PENDING_HEAD
    pub.review_round += 1
    pub.submitted_at = timezone.now()
    pub.save(update_fields=("status", "review_round", "submitted_at", "updated_at"))
    record_event(actor=actor, verb=AuditVerb.PUBLICATION_SUBMIT, obj=pub, before=before, after=_snapshot(pub))
    _notify(
        "publication.review_requested",
        pub,
        _users_with_role(Role.DEPT_HEAD, pub.department),
        level=ReviewLevel.HEAD.value,
    )
    _sync(publication, pub)
    return pub


def _pending_level(pub: Publication) -> ReviewLevel:
    if pub.status == PublicationStatus.PENDING_HEAD:
        return ReviewLevel.HEAD
    if pub.status == PublicationStatus.PENDING_DIRECTOR:
        return ReviewLevel.DIRECTOR
    raise ActionRefused(f"该信息当前状态为「{pub.get_status_display()}」，不在审核中")


def _first_level_review(pub: Publication) -> PublicationReview | None:
    return (
        PublicationReview.objects.filter(
            publication=pub, round=pub.review_round, level=ReviewLevel.HEAD, decision=ReviewDecision.APPROVED
        )
        .select_related("reviewer")
        .first()
    )


def check_reviewer(actor: Any, pub: Publication, level: ReviewLevel) -> None:
    """Raise ActionRefused unless ``actor`` may decide ``pub`` at ``level`` (three distinct people)."""
    if actor.pk == pub.drafter_id:
        raise ActionRefused("起草人不得审核本人起草的信息")
    if level == ReviewLevel.HEAD:
        if not can(actor, Permission.PUBLICATION_REVIEW_FIRST):
            raise ActionRefused("第一级审核须由科室负责人进行")
        own = user_department(actor)
        if own is None or own.pk != pub.department_id:
            raise ActionRefused(f"第一级审核须由{pub.department}的科室负责人进行")
        return
    if not can(actor, Permission.PUBLICATION_REVIEW_SECOND):
        raise ActionRefused("第二级审核须由主管主任进行")
    first = _first_level_review(pub)
    if first is None:
        raise ActionRefused("尚无科室负责人的审核意见，不能进行第二级审核")
    if first.reviewer_id == actor.pk:
        raise ActionRefused("同一人不得同时进行两级审核：第一级已由您审核")


def may_review(actor: Any, pub: Publication) -> bool:
    """Whether ``actor`` may approve or reject ``pub`` now (for showing the buttons)."""
    try:
        check_reviewer(actor, pub, _pending_level(pub))
    except ActionRefused:
        return False
    return True


def _record_review(pub: Publication, level: str, actor: Any, decision: str, comment: str) -> None:
    """One reviewer's decision at one level, in the item's current review round."""
    PublicationReview.objects.create(
        publication=pub,
        round=pub.review_round,
        level=level,
        reviewer=actor,
        decision=decision,
        comment=comment,
    )


@transaction.atomic
def publication_approve(*, actor: Any, publication: Publication, comment: str = "") -> Publication:
    """Approve at the pending level; the second approval publishes the item today."""
    pub = _locked(publication)
    level = _pending_level(pub)
    check_reviewer(actor, pub, level)
    before = _snapshot(pub)
    _record_review(pub, level, actor, ReviewDecision.APPROVED, comment.strip())
    if level == ReviewLevel.HEAD:
        pub.status = PublicationStatus.PENDING_DIRECTOR
        pub.save(update_fields=("status", "updated_at"))
        verb = AuditVerb.PUBLICATION_APPROVE_HEAD
        _notify(
            "publication.review_requested",
            pub,
            _users_with_role(Role.DIRECTOR),
            level=ReviewLevel.DIRECTOR.value,
        )
    else:
        pub.status = PublicationStatus.PUBLISHED
        pub.published_on = today()
        pub.save(update_fields=("status", "published_on", "updated_at"))
        verb = AuditVerb.PUBLICATION_APPROVE_DIRECTOR
        _notify("publication.published", pub, [pub.drafter_id], published_on=pub.published_on)
    after = {**_snapshot(pub), "comment": comment.strip()}
    record_event(actor=actor, verb=verb, obj=pub, before=before, after=after)
    _sync(publication, pub)
    return pub


@transaction.atomic
def publication_reject(*, actor: Any, publication: Publication, reason: str) -> Publication:
    """Return the item to its drafter as a draft, with the reason on record."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回须填写理由"})
    pub = _locked(publication)
    level = _pending_level(pub)
    check_reviewer(actor, pub, level)
    before = _snapshot(pub)
    _record_review(pub, level, actor, ReviewDecision.REJECTED, reason)
    pub.status = PublicationStatus.DRAFT
    pub.save(update_fields=("status", "updated_at"))
    record_event(
        actor=actor,
        verb=AuditVerb.PUBLICATION_REJECT,
        obj=pub,
        before=before,
        after={**_snapshot(pub), "level": int(level), "reason": reason},
    )
    _notify("publication.rejected", pub, [pub.drafter_id], reason=reason, level=int(level))
    _sync(publication, pub)
    return pub


@transaction.atomic
def publication_withdraw(*, actor: Any, publication: Publication, reason: str) -> Publication:
    """Take a published item down today, with a reason."""
    _require(actor, Permission.PUBLICATION_WITHDRAW, "撤回已公开的信息")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "撤回须填写理由"})
    pub = _locked(publication)
    if pub.status != PublicationStatus.PUBLISHED:
        raise ActionRefused(f"该信息当前状态为「{pub.get_status_display()}」，只有已公开的信息可以撤回")
    before = _snapshot(pub)
    pub.status = PublicationStatus.WITHDRAWN
    pub.withdrawn_on = today()
    pub.withdrawn_reason = reason
    pub.full_clean()
    pub.save(update_fields=("status", "withdrawn_on", "withdrawn_reason", "updated_at"))
    after = {**_snapshot(pub), "withdrawn_on": pub.withdrawn_on, "withdrawn_reason": reason}
    record_event(actor=actor, verb=AuditVerb.PUBLICATION_WITHDRAW, obj=pub, before=before, after=after)
    _notify("publication.withdrawn", pub, [pub.drafter_id], reason=reason)
    _sync(publication, pub)
    return pub


@transaction.atomic
def publication_repeal(
    *, actor: Any, publication: Publication, repealed_on: dt.date, reason: str = ""
) -> Publication:
    """Record that a published 规章 or 规范性文件 was repealed (废止) on ``repealed_on``."""
    _require(actor, Permission.PUBLICATION_REPEAL, "登记文件废止")
    pub = _locked(publication)
    if not pub.is_repealable:
        raise ActionRefused("只有规章和规范性文件可以登记废止")
    if pub.status != PublicationStatus.PUBLISHED:
        raise ActionRefused(f"该信息当前状态为「{pub.get_status_display()}」，只有已公开的文件可以登记废止")
    if pub.repealed_on is not None:
        raise ActionRefused(f"该文件已于 {pub.repealed_on.isoformat()} 登记废止")
    _not_in_future(repealed_on, "repealed_on")
    if repealed_on < pub.published_on:
        raise ValidationError({"repealed_on": "废止日期不得早于公开日期"})
    pub.repealed_on = repealed_on
    pub.repealed_reason = (reason or "").strip()
    pub.full_clean()
    pub.save(update_fields=("repealed_on", "repealed_reason", "updated_at"))
    record_event(
        actor=actor,
        verb=AuditVerb.PUBLICATION_REPEAL,
        obj=pub,
        before={"repealed_on": None},
        after={"repealed_on": repealed_on, "repealed_reason": pub.repealed_reason},
    )
    _sync(publication, pub)
    return pub
