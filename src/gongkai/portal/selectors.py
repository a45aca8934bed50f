"""Everything the portal reads. Public reads never touch personal data; the application status is read
only after the tracking number and secret have been checked (views)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import ExtractYear

from gongkai.core.choices import Art20Category
from gongkai.inforequests.models import InfoRequest, RequestStatus
from gongkai.org.models import Department
from gongkai.portal import tracking
from gongkai.portal.default_pages import DEFAULTS
from gongkai.portal.models import Page
from gongkai.publications.models import PolicyInterpretation, Publication, PublicationStatus

PUBLIC_STATUSES = (PublicationStatus.PUBLISHED,)


def public_publications() -> QuerySet[Publication]:
    return Publication.objects.filter(status=PublicationStatus.PUBLISHED)


def catalogue(
    *, category: str | None = None, department: int | None = None, year: int | None = None
) -> QuerySet[Publication]:
    qs = public_publications().select_related("department")
    if category:
        qs = qs.filter(category=category)
    if department:
        qs = qs.filter(department_id=department)
    if year:
        qs = qs.filter(published_on__gte=dt.date(year, 1, 1), published_on__lte=dt.date(year, 12, 31))
    return qs.only(
        "id", "title", "doc_number", "category", "published_on", "repealed_on", "department__name"
    ).order_by("-published_on", "-id")


def category_counts() -> list[tuple[str, str, int]]:
    """(value, label, published items) for every Art. 20 category, in statutory order."""
    counts = dict(
        public_publications().values_list("category").annotate(n=Count("id")).values_list("category", "n")
    )
    return [(c.value, c.label, counts.get(c.value, 0)) for c in Art20Category]


def public_departments() -> list[Department]:
    """Departments that have published something (the filter list of the catalogue)."""
    ids = public_publications().values("department_id")
    return list(Department.objects.filter(pk__in=ids).order_by("sort_order", "id"))


def published_years() -> list[int]:
    years = (
        public_publications()
        .annotate(y=ExtractYear("published_on"))
        .values_list("y", flat=True)
        .distinct()
        .order_by("-y")
    )
    return [y for y in years if y]


def latest_publications(limit: int = 10) -> list[Publication]:
    return list(catalogue()[:limit])


@dataclass(frozen=True)
class ItemLookup:
    """What the portal may say about an item id: shown, withdrawn (410 with a notice), or nothing (404)."""

    publication: Publication | None
    withdrawn: bool = False


def publication_for_public(pk: int) -> ItemLookup:
    pub = (
        Publication.objects.filter(
            pk=pk, status__in=(PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)
        )
        .select_related("department")
        .prefetch_related(
            Prefetch(
                "interpretations", queryset=PolicyInterpretation.objects.order_by("-published_on", "-id")
            ),
            "attachments",
        )
        .first()
    )
    if pub is None:
        return ItemLookup(None)
    return ItemLookup(pub, withdrawn=pub.status == PublicationStatus.WITHDRAWN)


def interpretation_for_public(pk: int) -> PolicyInterpretation | None:
    return (
        PolicyInterpretation.objects.filter(pk=pk, policy__status=PublicationStatus.PUBLISHED)
        .select_related("policy", "department")
        .first()
    )


def latest_interpretations(limit: int = 5) -> list[PolicyInterpretation]:
    return list(
        PolicyInterpretation.objects.filter(policy__status=PublicationStatus.PUBLISHED)
        .select_related("policy")
        .order_by("-published_on", "-id")[:limit]
    )


def page(slug: str) -> Page | None:
    return Page.objects.filter(slug=slug).first()


def _page_or_starter(slug: str) -> Page:
    title, body = DEFAULTS[slug]
    return page(slug) or Page(slug=slug, title=title, body=body)


def page_or_default(slug: str) -> Page | None:
    """The office's page, or (never edited, or the table flushed) an unsaved one with the starter
    text, so the portal always has a guide; None for a slug that is no page at all."""
    return _page_or_starter(slug) if slug in DEFAULTS else None


def pages_or_defaults() -> list[Page]:
    return [_page_or_starter(slug) for slug in DEFAULTS]


# --- annual reports ------------------------------------------------------------------------------


def published_reports() -> list[Any]:
    from gongkai.reporting.models import AnnualReportRecord, ReportStatus

    return list(
        AnnualReportRecord.objects.filter(status=ReportStatus.PUBLISHED)
        .only("year", "published_on", "status")
        .order_by("-year")
    )


def published_report(year: int) -> Any:
    """The AnnualReport frozen when the year's report was published, or None."""
    from gongkai.annual_report.model import AnnualReport
    from gongkai.reporting.models import AnnualReportRecord, ReportStatus

    record = AnnualReportRecord.objects.filter(year=year, status=ReportStatus.PUBLISHED).first()
    if record is None or record.frozen_json is None:
        return None
    return AnnualReport.from_dict(record.frozen_json)


# --- online applications -------------------------------------------------------------------------


def application_by_secret(tracking_number: str, secret: str) -> InfoRequest | None:
    """The online application with this tracking number if ``secret`` is its secret; else None.

    An unknown number and a wrong secret take the same path and the same time."""
    number = tracking.normalise_tracking(tracking_number)
    req = (
        InfoRequest.objects.filter(reference=number).exclude(portal_secret_hash="").first()
        if number
        else None
    )
    ok = tracking.check_secret(secret, req.portal_secret_hash if req else None)
    return req if ok and req is not None else None


def application_for_status(pk: int) -> InfoRequest | None:
    return (
        InfoRequest.objects.filter(pk=pk)
        .exclude(portal_secret_hash="")
        .select_related("reply")
        .prefetch_related("pauses", "extensions")
        .first()
    )


STAGE_TEXT = {
    RequestStatus.AWAITING_CONFIRMATION: "已提交，待工作人员确认收到",
    RequestStatus.OPEN: "办理中",
    RequestStatus.AWAITING_CORRECTION: "待您补正",
    RequestStatus.PAUSED: "办理中（暂停计时）",
    RequestStatus.ANSWERED: "已答复",
    RequestStatus.CLOSED: "已终止办理",
}
