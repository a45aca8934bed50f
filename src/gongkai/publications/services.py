"""Every write of the publications app.

Each service is keyword-only with a mandatory ``actor``, runs in one transaction, validates before it
writes and records an ``AuditEvent`` in that same transaction. Notifications go to the outbox in the
same transaction too (``enqueue_message``), so a message exists if and only if its change committed.

Separation of duties (DESIGN.md): nothing is published without two approvals by two distinct people,
科室负责人 of the item's department then 主管主任, neither of them the drafter. These rules live here,
not in the views, so every caller (views, commands, the demo) is bound by them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.files import CleanUpload, private_storage, store_upload
from gongkai.core.services import enqueue_message, model_snapshot, record_event
from gongkai.org.models import Department
from gongkai.org.roles import Role
from gongkai.org.selectors import has_role, sees_all_departments, user_department
from gongkai.publications.attachments import MAX_ATTACHMENTS
from gongkai.publications.models import (
    AdministrativeDecision,
    ArchiveTransfer,
    ChannelPost,
    FeeCollection,
    PolicyInterpretation,
    ProcurementProject,
    Publication,
    PublicationAttachment,
    PublicationReview,
    PublicationStatus,
    ReviewDecision,
    ReviewLevel,
    ServiceMatter,
)

# Who may do what; the views' role_required lists mirror these sets.
DRAFT_ROLES = frozenset({Role.CLERK, Role.DEPT_STAFF, Role.DEPT_HEAD, Role.OFFICE_HEAD})
RECORD_ROLES = DRAFT_ROLES  # channel posts, interpretations, Table 二 facts
ARCHIVE_ROLES = frozenset({Role.CLERK, Role.OFFICE_HEAD})
WITHDRAW_ROLES = frozenset({Role.DIRECTOR, Role.OFFICE_HEAD})
REPEAL_ROLES = frozenset({Role.CLERK, Role.DIRECTOR, Role.OFFICE_HEAD})
REGISTER_ROLES = frozenset({Role.CLERK, Role.OFFICE_HEAD})
REVIEW_ROLES = frozenset({Role.DEPT_HEAD, Role.DIRECTOR})

EDITABLE_FIELDS = (
    "title",
    "body",
    "category",
    "doc_kind",
    "key_area",
    "department",
    "doc_number",
    "formed_on",
)


class ActionRefused(PermissionDenied):
    """A service refused an action (role, separation of duties, state); the message says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def today() -> dt.date:
    """The statutory date now: the local date in Asia/Shanghai (settings.TIME_ZONE), whatever is active."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


# --- guards --------------------------------------------------------------------------------------


def _require_role(actor: Any, roles: Iterable[Role], doing: str) -> None:
    roles = tuple(roles)
    if not has_role(actor, *roles):
        labels = "、".join(sorted(r.label for r in roles))
        raise ActionRefused(f"只有{labels}可以{doing}")


def _require_department(actor: Any, department: Department | None) -> None:
    # Department staff act for their own 科室 only; office-wide roles for any.
    if department is None or sees_all_departments(actor):
        return
    own = user_department(actor)
    if own is None or own.pk != department.pk:
        raise ActionRefused(f"您只能为本科室（{own or '未分配科室'}）录入，不能为{department}录入")


def _not_in_future(value: dt.date | None, label: str) -> None:
    if value is not None and value > today():
        raise ValidationError({label: f"日期 {value.isoformat()} 晚于今天，请核对"})


def _locked(publication: Publication) -> Publication:
    # Serialises concurrent reviewers on PostgreSQL; SQLite takes the write lock at BEGIN (IMMEDIATE).
    return Publication.objects.select_for_update().select_related("department").get(pk=publication.pk)


def _sync(target: Publication, source: Publication) -> None:
    # The caller's instance reflects the stored state after the service.
    for f in Publication._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


def _snapshot(pub: Publication) -> dict[str, Any]:
    return model_snapshot(pub, fields=(*EDITABLE_FIELDS, "status", "review_round", "published_on"))


def _users_with_role(role: Role, department: Department | None = None) -> list[int]:
    qs = get_user_model().objects.filter(groups__name=role.value, is_active=True)
    if department is not None:
        qs = qs.filter(staff_profile__department=department)
    return sorted(qs.values_list("pk", flat=True).distinct())


def _notify(kind: str, pub: Publication, recipients: list[int], **extra: Any) -> None:
    enqueue_message(
        kind=kind, payload={"publication": pub.pk, "title": pub.title, "recipients": recipients, **extra}
    )


# --- publication lifecycle -----------------------------------------------------------------------


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
    _require_role(actor, DRAFT_ROLES, "起草主动公开信息")
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
        if not has_role(actor, Role.DEPT_HEAD):
            raise ActionRefused("第一级审核须由科室负责人进行")
        own = user_department(actor)
        if own is None or own.pk != pub.department_id:
            raise ActionRefused(f"第一级审核须由{pub.department}的科室负责人进行")
        return
    if not has_role(actor, Role.DIRECTOR):
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


@transaction.atomic
def publication_approve(*, actor: Any, publication: Publication, comment: str = "") -> Publication:
    """Approve at the pending level; the second approval publishes the item today."""
    pub = _locked(publication)
    level = _pending_level(pub)
    check_reviewer(actor, pub, level)
    before = _snapshot(pub)
    PublicationReview.objects.create(
        publication=pub,
        round=pub.review_round,
        level=level,
        reviewer=actor,
        decision=ReviewDecision.APPROVED,
        comment=comment.strip(),
    )
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
    PublicationReview.objects.create(
        publication=pub,
        round=pub.review_round,
        level=level,
        reviewer=actor,
        decision=ReviewDecision.REJECTED,
        comment=reason,
    )
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
    _require_role(actor, WITHDRAW_ROLES, "撤回已公开的信息")
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
    _require_role(actor, REPEAL_ROLES, "登记文件废止")
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


def _at_nine(day: dt.date) -> dt.datetime:
    # A paper 审核表 carries dates only; nine o'clock keeps the day whatever zone a reader converts to.
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_default_timezone())


@transaction.atomic
def publication_register_reviewed(
    *,
    actor: Any,
    title: str,
    category: str,
    department: Department,
    formed_on: dt.date,
    drafter: Any,
    head: Any,
    head_decided_on: dt.date,
    director: Any,
    director_decided_on: dt.date,
    published_on: dt.date | None = None,
    body: str = "",
    doc_kind: str = "",
    key_area: bool = False,
    doc_number: str = "",
    head_comment: str = "",
    director_comment: str = "",
    attachments: Sequence[tuple[str, CleanUpload]] = (),
) -> Publication:
    """Record an item that passed both review levels on a signed paper 审核表 before the workbench.

    The same separation of duties applies as for ``publication_approve``: three distinct people, the
    first reviewer a 科室负责人 of the item's department, the second a 主管主任. ``attachments``
    (title, checked file) are the files that went through that review with the item.
    """
    _require_role(actor, REGISTER_ROLES, "登记纸质审核表")
    published_on = published_on or director_decided_on
    if not formed_on <= head_decided_on <= director_decided_on <= published_on:
        raise ValidationError("日期顺序应为：形成日期 ≤ 科室负责人审核日期 ≤ 主管主任审核日期 ≤ 公开日期")
    _not_in_future(published_on, "published_on")
    pub = Publication(
        title=title.strip(),
        body=body,
        category=category,
        doc_kind=doc_kind or "",
        key_area=key_area,
        department=department,
        doc_number=doc_number.strip(),
        formed_on=formed_on,
        drafter=drafter,
        status=PublicationStatus.PENDING_HEAD,
        review_round=1,
    )
    pub.full_clean()
    check_reviewer(head, pub, ReviewLevel.HEAD)
    pub.save()
    for att_title, upload in attachments:
        _attach(actor=actor, pub=pub, upload=upload, title=att_title)
    PublicationReview.objects.create(
        publication=pub,
        round=1,
        level=ReviewLevel.HEAD,
        reviewer=head,
        decision=ReviewDecision.APPROVED,
        comment=head_comment.strip(),
        decided_at=_at_nine(head_decided_on),
    )
    check_reviewer(director, pub, ReviewLevel.DIRECTOR)
    PublicationReview.objects.create(
        publication=pub,
        round=1,
        level=ReviewLevel.DIRECTOR,
        reviewer=director,
        decision=ReviewDecision.APPROVED,
        comment=director_comment.strip(),
        decided_at=_at_nine(director_decided_on),
    )
    pub.status = PublicationStatus.PUBLISHED
    pub.published_on = published_on
    pub.save(update_fields=("status", "published_on", "updated_at"))
    after = {
        **_snapshot(pub),
        "drafter": drafter.pk,
        "head": head.pk,
        "head_decided_on": head_decided_on,
        "director": director.pk,
        "director_decided_on": director_decided_on,
    }
    record_event(actor=actor, verb=AuditVerb.PUBLICATION_REGISTER_REVIEWED, obj=pub, after=after)
    return pub


# --- attachments ---------------------------------------------------------------------------------


def _may_change_attachments(actor: Any, pub: Publication) -> None:
    if pub.drafter_id != actor.pk:
        raise ActionRefused("只有起草人可以增删附件")
    if pub.status != PublicationStatus.DRAFT:
        raise ActionRefused(
            f"该信息当前状态为「{pub.get_status_display()}」，附件随正文一并审核，只有草稿可以增删附件"
        )


def _attach(*, actor: Any, pub: Publication, upload: CleanUpload, title: str) -> PublicationAttachment:
    title = (title or "").strip() or upload.original_name.rsplit(".", 1)[0].strip()
    if not title:
        raise ValidationError({"title": "请填写附件名称"})
    if pub.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(f"每条信息最多 {MAX_ATTACHMENTS} 个附件")
    storage_name = store_upload(upload, folder="attachments")
    try:
        with transaction.atomic():
            att = PublicationAttachment(
                publication=pub,
                title=title[:200],
                storage_name=storage_name,
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                original_name=upload.original_name[:100],
                uploaded_by=actor,
            )
            att.full_clean()
            att.save()
            record_event(
                actor=actor,
                verb=AuditVerb.PUBLICATION_ATTACHMENT_ADD,
                obj=pub,
                after={"attachment": att.pk, "title": att.title, "sha256": att.sha256, "size": att.size},
            )
    except BaseException:
        # The file was written before its row; a refused row must not leave the file behind. (Should
        # an enclosing transaction roll back later, the file stays unreferenced in private storage,
        # where nothing serves it.)
        private_storage().delete(storage_name)
        raise
    return att


@transaction.atomic
def attachment_add(
    *, actor: Any, publication: Publication, upload: CleanUpload, title: str = ""
) -> PublicationAttachment:
    """Attach a checked file (``publications.attachments.validate_attachment``) to a draft."""
    pub = _locked(publication)
    _may_change_attachments(actor, pub)
    return _attach(actor=actor, pub=pub, upload=upload, title=title)


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: PublicationAttachment) -> None:
    """Remove an attachment from a draft; the file is deleted once the removal has committed."""
    pub = _locked(attachment.publication)
    _may_change_attachments(actor, pub)
    storage_name = attachment.storage_name
    record_event(
        actor=actor,
        verb=AuditVerb.PUBLICATION_ATTACHMENT_REMOVE,
        obj=pub,
        before={"attachment": attachment.pk, "title": attachment.title, "sha256": attachment.sha256},
    )
    attachment.delete()
    # The file lives outside the database, so it cannot roll back with it: it goes only after the commit
    # (a crash in between leaves an orphan file, never a row pointing at a missing one). Not the outbox.
    transaction.on_commit(lambda: private_storage().delete(storage_name))


# --- channel posts, interpretations, archive transfers ------------------------------------------


_M = TypeVar("_M", bound=models.Model)


def _create_recorded(obj: _M, *, actor: Any, verb: AuditVerb) -> _M:
    """Validate and save a new register entry and record its creation (the shared tail of the
    register services below)."""
    obj.full_clean()
    obj.save()
    record_event(actor=actor, verb=verb, obj=obj, after=model_snapshot(obj))
    return obj


@transaction.atomic
def channel_post_create(
    *,
    actor: Any,
    channel: str,
    title: str,
    posted_on: dt.date,
    publication: Publication | None = None,
    department: Department | None = None,
    url: str = "",
) -> ChannelPost:
    _require_role(actor, RECORD_ROLES, "登记渠道发布")
    _require_department(actor, department)
    _not_in_future(posted_on, "posted_on")
    if publication is not None and publication.status != PublicationStatus.PUBLISHED:
        raise ValidationError({"publication": "只能关联已公开的信息"})
    post = ChannelPost(
        channel=channel,
        title=title.strip(),
        posted_on=posted_on,
        publication=publication,
        department=department,
        url=url.strip(),
    )
    return _create_recorded(post, actor=actor, verb=AuditVerb.CHANNEL_POST_CREATE)


@transaction.atomic
def interpretation_create(
    *,
    actor: Any,
    title: str,
    policy: Publication,
    published_on: dt.date,
    form: str,
    department: Department | None = None,
) -> PolicyInterpretation:
    _require_role(actor, RECORD_ROLES, "登记政策解读")
    _require_department(actor, department)
    _not_in_future(published_on, "published_on")
    if policy.status != PublicationStatus.PUBLISHED:
        raise ValidationError({"policy": "只能解读已公开（且未撤回）的政策"})
    if published_on < policy.published_on:
        raise ValidationError({"published_on": "解读的发布日期不得早于政策的公开日期"})
    interp = PolicyInterpretation(
        title=title.strip(), policy=policy, published_on=published_on, form=form, department=department
    )
    return _create_recorded(interp, actor=actor, verb=AuditVerb.INTERPRETATION_CREATE)


@transaction.atomic
def archive_transfer_create(
    *,
    actor: Any,
    transferred_on: dt.date,
    recipient: str,
    copies: int,
    items: Iterable[Publication] = (),
    note: str = "",
) -> ArchiveTransfer:
    """Record paper copies handed to an archive; linked items must have been published."""
    _require_role(actor, ARCHIVE_ROLES, "登记档案移送")
    _not_in_future(transferred_on, "transferred_on")
    items = list(items)
    unpublished = [p.title for p in items if p.published_on is None]
    if unpublished:
        raise ValidationError({"items": f"未公开的信息不能移送：{'；'.join(unpublished)}"})
    late = [p.title for p in items if p.published_on is not None and p.published_on > transferred_on]
    if late:
        raise ValidationError({"items": f"移送日期早于以下信息的公开日期：{'；'.join(late)}"})
    transfer = ArchiveTransfer(
        transferred_on=transferred_on, recipient=recipient.strip(), copies=copies, note=note
    )
    transfer.full_clean()
    transfer.save()
    transfer.items.set(items)
    after = {**model_snapshot(transfer), "items": sorted(p.pk for p in items)}
    record_event(actor=actor, verb=AuditVerb.ARCHIVE_TRANSFER_CREATE, obj=transfer, after=after)
    return transfer


# --- Table 二 facts ------------------------------------------------------------------------------


def _amount(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"金额「{value}」不是数字"}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: "金额须为非负数"})
    quantized = amount.quantize(Decimal("0.0001"))
    if amount != quantized:
        raise ValidationError({field: "金额以万元为单位，最多保留四位小数"})
    return quantized


@transaction.atomic
def service_matter_create(
    *, actor: Any, kind: str, name: str, department: Department, established_on: dt.date
) -> ServiceMatter:
    _require_role(actor, RECORD_ROLES, "登记事项")
    _require_department(actor, department)
    matter = ServiceMatter(kind=kind, name=name.strip(), department=department, established_on=established_on)
    return _create_recorded(matter, actor=actor, verb=AuditVerb.SERVICE_MATTER_CREATE)


@transaction.atomic
def service_matter_abolish(*, actor: Any, matter: ServiceMatter, abolished_on: dt.date) -> ServiceMatter:
    _require_role(actor, RECORD_ROLES, "登记事项取消")
    matter = ServiceMatter.objects.select_for_update().get(pk=matter.pk)
    _require_department(actor, matter.department)
    if matter.abolished_on is not None:
        raise ActionRefused(f"该事项已于 {matter.abolished_on.isoformat()} 取消")
    if abolished_on < matter.established_on:
        raise ValidationError({"abolished_on": "取消日期不得早于设立日期"})
    matter.abolished_on = abolished_on
    matter.full_clean()
    matter.save(update_fields=("abolished_on",))
    record_event(
        actor=actor,
        verb=AuditVerb.SERVICE_MATTER_ABOLISH,
        obj=matter,
        before={"abolished_on": None},
        after={"abolished_on": abolished_on},
    )
    return matter


@transaction.atomic
def decision_create(
    *,
    actor: Any,
    kind: str,
    department: Department,
    decided_on: dt.date,
    count: int = 1,
    description: str = "",
) -> AdministrativeDecision:
    _require_role(actor, RECORD_ROLES, "登记处理决定")
    _require_department(actor, department)
    _not_in_future(decided_on, "decided_on")
    decision = AdministrativeDecision(
        kind=kind, department=department, decided_on=decided_on, count=count, description=description.strip()
    )
    return _create_recorded(decision, actor=actor, verb=AuditVerb.DECISION_CREATE)


@transaction.atomic
def fee_collection_create(
    *, actor: Any, department: Department, collected_on: dt.date, amount_wan: Any, description: str = ""
) -> FeeCollection:
    _require_role(actor, RECORD_ROLES, "登记收费")
    _require_department(actor, department)
    _not_in_future(collected_on, "collected_on")
    fee = FeeCollection(
        department=department,
        collected_on=collected_on,
        amount_wan=_amount(amount_wan, "amount_wan"),
        description=description.strip(),
    )
    return _create_recorded(fee, actor=actor, verb=AuditVerb.FEE_COLLECTION_CREATE)


@transaction.atomic
def procurement_project_create(
    *, actor: Any, name: str, department: Department, contracted_on: dt.date, amount_wan: Any
) -> ProcurementProject:
    _require_role(actor, RECORD_ROLES, "登记政府集中采购项目")
    _require_department(actor, department)
    _not_in_future(contracted_on, "contracted_on")
    project = ProcurementProject(
        name=name.strip(),
        department=department,
        contracted_on=contracted_on,
        amount_wan=_amount(amount_wan, "amount_wan"),
    )
    return _create_recorded(project, actor=actor, verb=AuditVerb.PROCUREMENT_PROJECT_CREATE)
