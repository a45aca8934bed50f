"""Reads of the participation records, for the portal and the workbench."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongkai.participation.models import (
    Comment,
    CommentStatus,
    Consultation,
    Course,
    Poll,
    PollOption,
    ServicePoint,
    TrafficNotice,
)


def public_polls() -> QuerySet[Poll]:
    return Poll.objects.filter(is_published=True, opens_at__lte=timezone.now())


def current_polls() -> QuerySet[Poll]:
    now = timezone.now()
    return public_polls().filter(closes_at__gt=now).order_by("closes_at")


@dataclass(frozen=True)
class Result:
    option: PollOption
    votes: int
    percent: int


def poll_results(poll: Poll) -> list[Result]:
    options = list(poll.options.annotate(n=Count("votes")))
    total = sum(o.n for o in options) or 1  # type: ignore[attr-defined]
    return [Result(o, o.n, round(o.n * 100 / total)) for o in options]  # type: ignore[attr-defined]


def public_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(is_published=True, opens_at__lte=timezone.now())


def visible_comments(consultation: Consultation) -> QuerySet[Comment]:
    """Only what a moderator approved, in the moderator's text."""
    return consultation.comments.filter(status=CommentStatus.APPROVED)


def pending_comments() -> QuerySet[Comment]:
    return Comment.objects.filter(status=CommentStatus.PENDING).select_related("consultation")


def public_courses() -> QuerySet[Course]:
    return (
        Course.objects.filter(is_published=True)
        .annotate(lesson_count=Count("lessons"))
        .filter(lesson_count__gt=0)
    )


def service_points(category: str = "", service: str = "", q: str = "") -> QuerySet[ServicePoint]:
    points = ServicePoint.objects.filter(is_published=True)
    if category:
        points = points.filter(category=category)
    if service:
        points = points.filter(services__contains=service)
    if q:
        points = points.filter(Q(name__contains=q) | Q(address__contains=q))
    return points


def point_categories() -> list[str]:
    return list(
        ServicePoint.objects.filter(is_published=True)
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


def current_traffic(day: dt.date | None = None) -> QuerySet[TrafficNotice]:
    day = day or timezone.localdate()
    return TrafficNotice.objects.filter(is_published=True, starts_on__lte=day, ends_on__gte=day)


@dataclass(frozen=True)
class MapPoint:
    point: ServicePoint
    number: int
    x: float
    y: float


MAP_W, MAP_H, MARGIN = 360.0, 300.0, 30.0


def map_points(points: list[ServicePoint]) -> list[MapPoint]:
    """Each point placed on the static plan from its coordinates: an equirectangular projection of the
    points' bounding box (longitude shrunk by cos(latitude)) into the SVG's viewBox, north up."""
    import math

    if not points:
        return []
    lons = [float(p.longitude) for p in points]
    lats = [float(p.latitude) for p in points]
    shrink = math.cos(math.radians(sum(lats) / len(lats)))
    width = max((max(lons) - min(lons)) * shrink, 1e-6)
    height = max(max(lats) - min(lats), 1e-6)
    scale = min((MAP_W - 2 * MARGIN) / width, (MAP_H - 2 * MARGIN) / height)
    placed = []
    for i, p in enumerate(points, start=1):
        x = MARGIN + (float(p.longitude) - min(lons)) * shrink * scale
        y = MAP_H - MARGIN - (float(p.latitude) - min(lats)) * scale
        placed.append(MapPoint(p, i, round(x, 1), round(y, 1)))
    return placed
