"""The ranking's aggregates: one GROUP BY query per indicator family, whatever the number of records.

Working-day rules are applied through dates computed once per calendar day of the quarter (a CASE over
the publication date, a GROUP BY over the few distinct (due, answered) pairs of late replies), never per
record, so the query count and the Python work depend on the calendar, not on the volume.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, DateField, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from gongkai.engagement.models import Forwarding
from gongkai.inforequests.models import InfoRequest, RequestStatus
from gongkai.publications.models import (
    EVER_PUBLISHED_STATUSES,
    Publication,
    PublicationReview,
    ReviewDecision,
)
from gongkai.ranking.indicators import PUBLICATION_DAYS
from gongkai.responsiveness.models import SupervisionTask
from gongkai.workdays import Calendar, CalendarUnknown, add_workdays, is_workday, workdays_between

ONE_DAY = dt.timedelta(days=1)
# How far back a formed date can still meet a deadline inside the quarter: 20 working days plus the
# longest holiday run fit well inside this many calendar days.
LOOKBACK_DAYS = 60


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> dt.date:
        if self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - ONE_DAY

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"

    def days(self) -> list[dt.date]:
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=i) for i in range(n)]


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


@dataclass
class Figures:
    """Raw counts per 科室 (by department id) for one quarter."""

    published: dict[int, int] = field(default_factory=dict)
    published_on_time: dict[int, int] = field(default_factory=dict)
    by_category: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    reviews: dict[int, int] = field(default_factory=dict)
    returned: dict[int, int] = field(default_factory=dict)
    requests: dict[int, int] = field(default_factory=dict)
    requests_on_time: dict[int, int] = field(default_factory=dict)
    delay_days: dict[int, int] = field(default_factory=dict)
    letters: dict[int, int] = field(default_factory=dict)
    letters_on_time: dict[int, int] = field(default_factory=dict)
    tasks: dict[int, int] = field(default_factory=dict)
    tasks_on_time: dict[int, int] = field(default_factory=dict)


def earliest_formed(cal: Calendar, q: Quarter) -> dict[dt.date, dt.date]:
    """For each day p of the quarter, the earliest formed date whose Art. 26 deadline is on or after p."""
    f = q.first_day - dt.timedelta(days=LOOKBACK_DAYS)
    deadline = _deadline_or_beyond(cal, f)
    out: dict[dt.date, dt.date] = {}
    for p in q.days():
        while deadline < p:
            f += ONE_DAY
            deadline = _deadline_or_beyond(cal, f)
        out[p] = f
    return out


def _deadline_or_beyond(cal: Calendar, formed_on: dt.date) -> dt.date:
    # Walking into a year the calendar does not know means the deadline lies beyond every known day,
    # so beyond any publication date of a quarter the calendar knows.
    try:
        return add_workdays(cal, formed_on, PUBLICATION_DAYS)
    except CalendarUnknown:
        return dt.date.max


def publication_deadline(cal: Calendar, formed_on: dt.date) -> dt.date:
    return add_workdays(cal, formed_on, PUBLICATION_DAYS)


def published_in(q: Quarter) -> QuerySet[Publication]:
    return Publication.objects.filter(
        status__in=EVER_PUBLISHED_STATUSES, published_on__range=(q.first_day, q.last_day)
    )


def on_time_condition(cal: Calendar, q: Quarter) -> Q:
    """Published on or before the deadline: formed on or after the earliest formed date for that day.

    The bound is one parameterised CASE over the publication date, written as SQL: built from ~90
    ``When`` lookups the ORM spends more time resolving them than the database spends counting.
    """
    bounds = earliest_formed(cal, q)
    column = (
        f"{connection.ops.quote_name(Publication._meta.db_table)}.{connection.ops.quote_name('published_on')}"
    )
    sql = f"CASE {column}" + " WHEN %s THEN %s" * len(bounds) + " END"
    params = tuple(x for pair in bounds.items() for x in pair)
    return Q(formed_on__gte=RawSQL(sql, params, output_field=DateField()))


def reviews_in(q: Quarter) -> QuerySet[PublicationReview]:
    start = dt.datetime.combine(q.first_day, dt.time.min)
    end = dt.datetime.combine(q.last_day + ONE_DAY, dt.time.min)
    tz = timezone.get_current_timezone()
    return PublicationReview.objects.filter(
        decided_at__gte=timezone.make_aware(start, tz), decided_at__lt=timezone.make_aware(end, tz)
    )


def requests_due_in(q: Quarter, today: dt.date) -> QuerySet[InfoRequest]:
    """Requests whose reply fell due this quarter (and is already due): answered, or overdue and open."""
    return (
        InfoRequest.objects.filter(due_on__range=(q.first_day, q.last_day))
        .filter(Q(closed_on__isnull=False) | Q(due_on__lt=today))
        .exclude(status__in=(RequestStatus.CLOSED, RequestStatus.AWAITING_CONFIRMATION))
    )


def request_late(today: dt.date) -> Q:
    return Q(closed_on__gt=F("due_on")) | (Q(closed_on__isnull=True) & Q(due_on__lt=today))


def letters_due_in(q: Quarter, today: dt.date) -> QuerySet[Forwarding]:
    """转办 whose reply fell due this quarter (and is already due, or answered), not recalled."""
    return (
        Forwarding.objects.filter(due_on__range=(q.first_day, q.last_day), recalled_at__isnull=True)
        .filter(Q(answered_at__isnull=False) | Q(due_on__lt=today))
        .annotate(answered_on=TruncDate("answered_at"))
    )


def letter_on_time() -> Q:
    return Q(answered_on__lte=F("due_on"))


def tasks_due_in(q: Quarter, today: dt.date) -> QuerySet[SupervisionTask]:
    """督办 tasks whose time limit fell in this quarter (and is already due, or done)."""
    return SupervisionTask.objects.filter(deadline__range=(q.first_day, q.last_day)).filter(
        Q(completed_on__isnull=False) | Q(deadline__lt=today)
    )


def task_on_time() -> Q:
    return Q(completed_on__lte=F("deadline"))


def figures(cal: Calendar, q: Quarter, today: dt.date) -> Figures:
    """Every indicator's raw counts per 科室 in seven queries."""
    out = Figures()
    pubs = (
        published_in(q)
        .values("department_id")
        .annotate(n=Count("id"), on_time=Count("id", filter=on_time_condition(cal, q)))
    )
    for row in pubs.order_by():
        out.published[row["department_id"]] = row["n"]
        out.published_on_time[row["department_id"]] = row["on_time"]
    cats = published_in(q).values("department_id", "category").annotate(n=Count("id")).order_by()
    for row in cats:
        out.by_category[row["department_id"]][row["category"]] = row["n"]
    reviews = (
        reviews_in(q)
        .values("publication__department_id")
        .annotate(n=Count("id"), returned=Count("id", filter=Q(decision=ReviewDecision.REJECTED)))
        .order_by()
    )
    for row in reviews:
        out.reviews[row["publication__department_id"]] = row["n"]
        out.returned[row["publication__department_id"]] = row["returned"]
    _request_figures(out, cal, q, today)
    letters = (
        letters_due_in(q, today)
        .values("department_id")
        .annotate(n=Count("id"), on_time=Count("id", filter=letter_on_time()))
        .order_by()
    )
    for row in letters:
        out.letters[row["department_id"]] = row["n"]
        out.letters_on_time[row["department_id"]] = row["on_time"]
    tasks = (
        tasks_due_in(q, today)
        .values("department_id")
        .annotate(n=Count("id"), on_time=Count("id", filter=task_on_time()))
        .order_by()
    )
    for row in tasks:
        out.tasks[row["department_id"]] = row["n"]
        out.tasks_on_time[row["department_id"]] = row["on_time"]
    return out


def _request_figures(out: Figures, cal: Calendar, q: Quarter, today: dt.date) -> None:
    due = requests_due_in(q, today)
    rows = (
        due.values("department_id")
        .annotate(n=Count("id"), late=Count("id", filter=request_late(today)))
        .order_by()
    )
    for row in rows:
        out.requests[row["department_id"]] = row["n"]
        out.requests_on_time[row["department_id"]] = row["n"] - row["late"]
    # The late ones' delays: a working-day count per distinct (department, due, answered) triple.
    late = (
        due.filter(request_late(today)).values("department_id", "due_on", "closed_on").annotate(n=Count("id"))
    )
    rows = list(late.order_by())
    count = WorkdayCounter(cal, [r["due_on"] for r in rows], [r["closed_on"] or today for r in rows])
    for row in rows:
        dept = row["department_id"]
        days = count(row["due_on"], row["closed_on"] or today)
        out.delay_days[dept] = out.delay_days.get(dept, 0) + days * row["n"]


class WorkdayCounter:
    """``workdays_between`` for many pairs over one span: each day of the span is looked up once."""

    def __init__(self, cal: Calendar, starts: list[dt.date], ends: list[dt.date]) -> None:
        self.cal = cal
        self.first = min(starts, default=dt.date.min)
        self.cumulative: list[int] = []
        if starts and ends:
            total, day, last = 0, self.first, max(ends)
            while day <= last:
                total += is_workday(cal, day) if day > self.first else 0
                self.cumulative.append(total)
                day += ONE_DAY

    def __call__(self, start: dt.date, end: dt.date) -> int:
        i, j = (start - self.first).days, (end - self.first).days
        if 0 <= i <= j < len(self.cumulative):
            return self.cumulative[j] - self.cumulative[i]
        return workdays_between(self.cal, start, end)
