"""Reads of the publications app: filtered lists, review queues, the Art. 26 deadline and overdue items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models import DateField as DateFieldOutput

from gongkai import workdays
from gongkai.core.selectors import get_calendar
from gongkai.org.access import Permission, can
from gongkai.org.selectors import user_department
from gongkai.publications.models import (
    EVER_PUBLISHED_STATUSES,
    UNPUBLISHED_STATUSES,
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
from gongkai.publications.services import today as local_today

# Art. 26: 自该政府信息形成或者变更之日起20个工作日内及时公开.
ART26_WORKDAYS = 20


# --- lists ---------------------------------------------------------------------------------------


def visible_publications(user: Any) -> QuerySet[Publication]:
    """Office-wide roles see everything; department staff see their department's items, their own
    drafts and whatever has been published (it is public anyway)."""
    qs = Publication.objects.select_related("department", "drafter")
    if can(user, Permission.SEE_ALL_DEPARTMENTS):
        return qs
    own = user_department(user)
    scope = Q(status__in=EVER_PUBLISHED_STATUSES) | Q(drafter=user)
    if own is not None:
        scope |= Q(department=own)
    return qs.filter(scope)


def publication_list(
    *,
    user: Any,
    category: str = "",
    department: Any = None,
    status: str = "",
    year: int | None = None,
    key_area: bool | None = None,
    doc_kind: str | None = None,
    text: str = "",
    mine: bool = False,
) -> QuerySet[Publication]:
    """The items ``user`` may see, filtered; ``year`` matches items formed or published in that year,
    ``mine`` keeps the user's own drafting."""
    qs = visible_publications(user)
    if mine:
        qs = qs.filter(drafter=user)
    if category:
        qs = qs.filter(category=category)
    if department is not None:
        qs = qs.filter(department=department)
    if status:
        qs = qs.filter(status=status)
    if year is not None:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        qs = qs.filter(Q(formed_on__range=(first, last)) | Q(published_on__range=(first, last)))
    if key_area is not None:
        qs = qs.filter(key_area=key_area)
    if doc_kind is not None:
        qs = qs.filter(doc_kind=doc_kind)
    text = (text or "").strip()
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(doc_number__icontains=text))
    return qs.order_by("-formed_on", "-id")


def _first_level_by(user: Any) -> Exists:
    return Exists(
        PublicationReview.objects.filter(
            publication=OuterRef("pk"),
            round=OuterRef("review_round"),
            level=ReviewLevel.HEAD,
            decision=ReviewDecision.APPROVED,
            reviewer=user,
        )
    )


def review_queue(user: Any) -> QuerySet[Publication]:
    """Items awaiting ``user``'s decision: level 1 of their department for a 科室负责人, level 2 for a
    主管主任 — never their own drafts, never a level 2 whose level 1 they signed."""
    wanted = Q(pk__in=[])
    if can(user, Permission.PUBLICATION_REVIEW_FIRST):
        own = user_department(user)
        if own is not None:
            wanted |= Q(status=PublicationStatus.PENDING_HEAD, department=own)
    if can(user, Permission.PUBLICATION_REVIEW_SECOND):
        wanted |= Q(status=PublicationStatus.PENDING_DIRECTOR) & ~Q(_first_level_by(user))
    return (
        Publication.objects.select_related("department", "drafter")
        .filter(wanted)
        .exclude(drafter=user)
        .order_by("formed_on", "id")
    )


def _rejection_in_round() -> QuerySet[PublicationReview]:
    return PublicationReview.objects.filter(
        publication=OuterRef("pk"), round=OuterRef("review_round"), decision=ReviewDecision.REJECTED
    )


def my_drafts(user: Any) -> QuerySet[Publication]:
    """``user``'s drafts; ``returned_reason`` is set when the last round ended in a rejection."""
    rejection = _rejection_in_round()
    return (
        Publication.objects.select_related("department")
        .filter(drafter=user, status=PublicationStatus.DRAFT)
        .annotate(
            returned_reason=Subquery(rejection.values("comment")[:1]),
            returned_level=Subquery(rejection.values("level")[:1]),
        )
        .order_by("-returned_level", "formed_on", "id")
    )


def review_history(publication: Publication) -> list[PublicationReview]:
    return list(
        PublicationReview.objects.filter(publication=publication)
        .select_related("reviewer")
        .order_by("round", "level", "decided_at")
    )


def latest_rejection(publication: Publication) -> PublicationReview | None:
    """The rejection that returned this draft to its drafter, if it is a returned draft."""
    if publication.status != PublicationStatus.DRAFT or publication.review_round == 0:
        return None
    return (
        PublicationReview.objects.filter(
            publication=publication, round=publication.review_round, decision=ReviewDecision.REJECTED
        )
        .select_related("reviewer")
        .first()
    )


def current_reviews(publication: Publication) -> dict[int, PublicationReview]:
    """The decisions of the latest review round by level (what the 审核表 shows)."""
    if publication.review_round == 0:
        return {}
    rows = PublicationReview.objects.filter(publication=publication, round=publication.review_round)
    return {r.level: r for r in rows.select_related("reviewer")}


# --- Art. 26 deadline ----------------------------------------------------------------------------


def art26_deadline(formed_on: dt.date, cal: workdays.Calendar | None = None) -> dt.date:
    """The last day to publish an item formed or changed on ``formed_on``; raises CalendarUnknown."""
    return workdays.add_workdays(cal or get_calendar(), formed_on, ART26_WORKDAYS)


@dataclass(frozen=True)
class Art26Status:
    deadline: dt.date | None
    unknown_year: int | None = None  # the year whose 放假安排 must be entered before it can be computed
    overdue: bool = False  # not yet published and the deadline has passed
    late: bool = False  # published after the deadline
    workdays_left: int | None = None  # for an unpublished item before its deadline

    @property
    def message(self) -> str:
        if self.unknown_year is not None:
            return f"请录入 {self.unknown_year} 年放假安排"
        if self.deadline is None:
            return ""
        if self.overdue:
            return f"已超过公开期限（{self.deadline:%Y-%m-%d}）"
        if self.late:
            return f"逾期公开（期限 {self.deadline:%Y-%m-%d}）"
        if self.workdays_left is not None:
            return f"{self.deadline:%Y-%m-%d} 前公开（剩 {self.workdays_left} 个工作日）"
        return f"期限 {self.deadline:%Y-%m-%d}"


def art26_status(
    publication: Publication, *, today: dt.date | None = None, cal: workdays.Calendar | None = None
) -> Art26Status:
    """Where ``publication`` stands against its Art. 26 deadline; an unknown year is a message, not a crash."""
    today = today or local_today()
    cal = cal or get_calendar()
    try:
        deadline = art26_deadline(publication.formed_on, cal)
    except workdays.CalendarUnknown as exc:
        return Art26Status(deadline=None, unknown_year=exc.year)
    if publication.published_on is not None:
        return Art26Status(deadline=deadline, late=publication.published_on > deadline)
    if today > deadline:
        return Art26Status(deadline=deadline, overdue=True)
    try:
        left = workdays.workdays_between(cal, today, deadline)
    except workdays.CalendarUnknown as exc:
        return Art26Status(deadline=deadline, unknown_year=exc.year)
    return Art26Status(deadline=deadline, workdays_left=left)


@dataclass(frozen=True)
class OverdueItem:
    publication: Publication
    deadline: dt.date
    published_late: bool  # False: still unpublished past its deadline


@dataclass
class OverdueReport:
    items: list[OverdueItem] = field(default_factory=list)
    unknown_years: list[int] = field(default_factory=list)  # items whose deadline could not be computed

    @property
    def unpublished(self) -> list[OverdueItem]:
        return [i for i in self.items if not i.published_late]

    @property
    def late(self) -> list[OverdueItem]:
        return [i for i in self.items if i.published_late]


# 20 working days span at least 20 calendar days, so nothing closer can be overdue: the database
# narrows the candidates (a day of slack keeps them a superset) and the calendar decides.
_MIN_SPAN = dt.timedelta(days=ART26_WORKDAYS - 1)


def overdue_publications(
    *, user: Any = None, today: dt.date | None = None, year: int | None = None, include_late: bool = True
) -> OverdueReport:
    """Unpublished items past their Art. 26 deadline, and (``include_late``) items published after it.

    ``year`` restricts the published-late part to items published in that year.
    """
    today = today or local_today()
    cal = get_calendar()
    base = (
        visible_publications(user) if user is not None else Publication.objects.select_related("department")
    )
    earliest_due = ExpressionWrapper(F("formed_on") + _MIN_SPAN, output_field=DateFieldOutput())
    late_candidates = base.filter(status__in=EVER_PUBLISHED_STATUSES).alias(earliest_due=earliest_due)
    late_candidates = late_candidates.filter(published_on__gte=F("earliest_due"))
    if year is not None:
        late_candidates = late_candidates.filter(
            published_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))
        )
    open_candidates = base.filter(status__in=UNPUBLISHED_STATUSES, formed_on__lte=today - _MIN_SPAN)
    report = OverdueReport()
    unknown: set[int] = set()
    deadlines: dict[dt.date, dt.date | None] = {}

    def deadline_of(pub: Publication) -> dt.date | None:
        if pub.formed_on not in deadlines:
            try:
                deadlines[pub.formed_on] = art26_deadline(pub.formed_on, cal)
            except workdays.CalendarUnknown as exc:
                unknown.add(exc.year)
                deadlines[pub.formed_on] = None
        return deadlines[pub.formed_on]

    for pub in open_candidates.order_by("formed_on", "id"):
        deadline = deadline_of(pub)
        if deadline is not None and today > deadline:
            report.items.append(OverdueItem(pub, deadline, published_late=False))
    if not include_late:
        late_candidates = late_candidates.none()
    for pub in late_candidates.order_by("published_on", "id"):
        deadline = deadline_of(pub)
        if deadline is not None and pub.published_on > deadline:
            report.items.append(OverdueItem(pub, deadline, published_late=True))
    report.unknown_years = sorted(unknown)
    return report


# --- channel posts, interpretations, archive, Table 二 facts -------------------------------------


def _year_filter(qs: QuerySet[Any], date_field: str, year: int | None) -> QuerySet[Any]:
    if year is None:
        return qs
    return qs.filter(**{f"{date_field}__range": (dt.date(year, 1, 1), dt.date(year, 12, 31))})


def channel_posts(*, channel: str = "", year: int | None = None) -> QuerySet[ChannelPost]:
    qs = ChannelPost.objects.select_related("publication", "department")
    if channel:
        qs = qs.filter(channel=channel)
    return _year_filter(qs, "posted_on", year)


def interpretations(*, year: int | None = None) -> QuerySet[PolicyInterpretation]:
    qs = PolicyInterpretation.objects.select_related("policy", "department")
    return _year_filter(qs, "published_on", year)


def archive_transfers(*, year: int | None = None) -> QuerySet[ArchiveTransfer]:
    qs = ArchiveTransfer.objects.prefetch_related("items")
    return _year_filter(qs, "transferred_on", year)


def archive_transfer_items(transfer: ArchiveTransfer) -> QuerySet[Publication]:
    return transfer.items.select_related("department").order_by("published_on", "id")


def published_policies() -> QuerySet[Publication]:
    """Items a policy interpretation or a channel post may point at."""
    return Publication.objects.filter(status=PublicationStatus.PUBLISHED).order_by("-published_on", "-id")


def archivable_publications() -> QuerySet[Publication]:
    return Publication.objects.filter(status__in=EVER_PUBLISHED_STATUSES).order_by("-published_on", "-id")


def service_matters(*, kind: str = "", year: int | None = None) -> QuerySet[ServiceMatter]:
    """The catalogue; with ``year``, the matters in force at some point of that year."""
    qs = ServiceMatter.objects.select_related("department")
    if kind:
        qs = qs.filter(kind=kind)
    if year is not None:
        qs = qs.filter(established_on__lte=dt.date(year, 12, 31)).filter(
            Q(abolished_on__isnull=True) | Q(abolished_on__gte=dt.date(year, 1, 1))
        )
    return qs


def decisions(*, kind: str = "", year: int | None = None) -> QuerySet[AdministrativeDecision]:
    qs = AdministrativeDecision.objects.select_related("department")
    if kind:
        qs = qs.filter(kind=kind)
    return _year_filter(qs, "decided_on", year)


def fee_collections(*, year: int | None = None) -> QuerySet[FeeCollection]:
    return _year_filter(FeeCollection.objects.select_related("department"), "collected_on", year)


def procurement_projects(*, year: int | None = None) -> QuerySet[ProcurementProject]:
    return _year_filter(ProcurementProject.objects.select_related("department"), "contracted_on", year)


@dataclass(frozen=True)
class FactsSummary:
    year: int
    matters: dict[str, dict[str, int]]  # kind -> previous / added / removed
    decisions: dict[str, int]  # kind -> number of decisions
    fee_amount_wan: Decimal
    procurement_projects: int
    procurement_amount_wan: Decimal


def facts_summary(year: int) -> FactsSummary:
    """The year's Table 二 facts at a glance, for the registers' overview (a handful of aggregates)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    matters = {
        row["kind"]: {"previous": row["previous"], "added": row["added"], "removed": row["removed"]}
        for row in ServiceMatter.objects.values("kind").annotate(
            previous=Count(
                "id",
                filter=Q(established_on__lt=first)
                & (Q(abolished_on__isnull=True) | Q(abolished_on__gte=first)),
            ),
            added=Count("id", filter=Q(established_on__range=(first, last))),
            removed=Count("id", filter=Q(abolished_on__range=(first, last))),
        )
    }
    decided = {
        row["kind"]: row["total"] or 0
        for row in AdministrativeDecision.objects.filter(decided_on__range=(first, last))
        .values("kind")
        .annotate(total=Sum("count"))
    }
    fees = FeeCollection.objects.filter(collected_on__range=(first, last)).aggregate(total=Sum("amount_wan"))
    procurement = ProcurementProject.objects.filter(contracted_on__range=(first, last)).aggregate(
        n=Count("id"), total=Sum("amount_wan")
    )
    return FactsSummary(
        year=year,
        matters=matters,
        decisions=decided,
        fee_amount_wan=_wan(fees["total"]),
        procurement_projects=procurement["n"],
        procurement_amount_wan=_wan(procurement["total"]),
    )


def _wan(total: Decimal | None) -> Decimal:
    # SQLite sums decimals in floating point; the report states 万元 to four places.
    return Decimal(total or 0).quantize(Decimal("0.0001"))
