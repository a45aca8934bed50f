"""The registers: items reviewed on a signed paper 审核表 before the workbench existed, channel posts,
policy interpretations, archive transfers and the Table 二 facts (service matters, administrative
decisions, fees, procurement)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.files import CleanUpload
from gongkai.core.services import model_snapshot, record_event
from gongkai.org.access import Permission
from gongkai.org.models import Department
from gongkai.publications.models import (
    AdministrativeDecision,
    ArchiveTransfer,
    ChannelPost,
    FeeCollection,
    PolicyInterpretation,
    ProcurementProject,
    Publication,
    PublicationReview,
    PublicationStatus,
    ReviewDecision,
    ReviewLevel,
    ServiceMatter,
)
from gongkai.publications.services._common import (
    ActionRefused,
    _not_in_future,
    _require,
    _require_department,
    _snapshot,
)
from gongkai.publications.services.attachments import _attach
from gongkai.publications.services.review import check_reviewer

# --- items reviewed on paper ---------------------------------------------------------------------


def _at_nine(day: dt.date) -> dt.datetime:
    # A paper 审核表 carries dates only; nine o'clock keeps the day whatever zone a reader converts to.
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_default_timezone())


def _check_paper_dates(
    formed_on: dt.date, head_decided_on: dt.date, director_decided_on: dt.date, published_on: dt.date
) -> None:
    if not formed_on <= head_decided_on <= director_decided_on <= published_on:
        raise ValidationError("日期顺序应为：形成日期 ≤ 科室负责人审核日期 ≤ 主管主任审核日期 ≤ 公开日期")
    _not_in_future(published_on, "published_on")


def _record_paper_approval(
    pub: Publication, level: ReviewLevel, reviewer: Any, comment: str, decided_on: dt.date
) -> None:
    """One signed approval on the paper 审核表, dated at nine o'clock of the day it bears."""
    PublicationReview.objects.create(
        publication=pub,
        round=1,
        level=level,
        reviewer=reviewer,
        decision=ReviewDecision.APPROVED,
        comment=comment.strip(),
        decided_at=_at_nine(decided_on),
    )


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
    _require(actor, Permission.PUBLICATION_REGISTER, "登记纸质审核表")
    published_on = published_on or director_decided_on
    _check_paper_dates(formed_on, head_decided_on, director_decided_on, published_on)
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
    _record_paper_approval(pub, ReviewLevel.HEAD, head, head_comment, head_decided_on)
    check_reviewer(director, pub, ReviewLevel.DIRECTOR)
    _record_paper_approval(pub, ReviewLevel.DIRECTOR, director, director_comment, director_decided_on)
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
    _require(actor, Permission.PUBLICATION_RECORD, "登记渠道发布")
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
    _require(actor, Permission.PUBLICATION_RECORD, "登记政策解读")
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
    _require(actor, Permission.PUBLICATION_ARCHIVE, "登记档案移送")
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
    _require(actor, Permission.PUBLICATION_RECORD, "登记事项")
    _require_department(actor, department)
    matter = ServiceMatter(kind=kind, name=name.strip(), department=department, established_on=established_on)
    return _create_recorded(matter, actor=actor, verb=AuditVerb.SERVICE_MATTER_CREATE)


@transaction.atomic
def service_matter_abolish(*, actor: Any, matter: ServiceMatter, abolished_on: dt.date) -> ServiceMatter:
    _require(actor, Permission.PUBLICATION_RECORD, "登记事项取消")
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
    _require(actor, Permission.PUBLICATION_RECORD, "登记处理决定")
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
    _require(actor, Permission.PUBLICATION_RECORD, "登记收费")
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
    _require(actor, Permission.PUBLICATION_RECORD, "登记政府集中采购项目")
    _require_department(actor, department)
    _not_in_future(contracted_on, "contracted_on")
    project = ProcurementProject(
        name=name.strip(),
        department=department,
        contracted_on=contracted_on,
        amount_wan=_amount(amount_wan, "amount_wan"),
    )
    return _create_recorded(project, actor=actor, verb=AuditVerb.PROCUREMENT_PROJECT_CREATE)
