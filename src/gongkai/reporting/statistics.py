"""The statistics of a year (issue 14): monthly requests, outcomes, timeliness, publications and letters.

Read from the ledger with a fixed number of aggregate queries whatever the volume (a test counts them):
one per ledger table and question, plus the working-day calendar. Durations in working days are computed
once per distinct (start, end) pair of dates, never per record, so the Python work is bounded by the
calendar (at most a year's pairs), not by the number of cases.

The yearly totals are the annual report's: 收到 = Table 三 一、本年新收 (received_on in the year), 办结 and its
outcome groups = Table 三 （一）–（六） and （七）总计 (closed_on in the year, by outcome), letters received and
completed = the report's section 一 (``engagement.selectors.letters_summary``). The tests tie them.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractMonth

from gongkai.annual_report.formats import ALL_OUTCOME_LEAVES, APPLICANT_KEYS, OUTCOME_GROUPS
from gongkai.workdays import Calendar, CalendarUnknown, workdays_between

MONTHS: tuple[int, ...] = tuple(range(1, 13))
_GROUP_OF_LEAF: dict[str, str] = {r.key: r.group_key for r in ALL_OUTCOME_LEAVES}
GROUP_KEYS: tuple[str, ...] = tuple(g.key for g in OUTCOME_GROUPS)


@dataclass(frozen=True)
class Durations:
    """Working days of a set of cases, as a histogram (days -> cases); ``unknown`` counts the cases whose
    dates fall in a year the calendar does not know."""

    histogram: dict[int, int] = field(default_factory=dict)
    unknown: int = 0

    @property
    def count(self) -> int:
        return sum(self.histogram.values())

    @property
    def median(self) -> float | None:
        if not self.histogram:
            return None
        return float(pystats.median(_expand(self.histogram)))


def _expand(histogram: dict[int, int]) -> list[int]:
    # Bounded by the number of cases of one month at worst; the median of a histogram without expanding
    # would be shorter to run but longer to read, and a month's cases are few.
    return [days for days, n in sorted(histogram.items()) for _ in range(n)]


@dataclass(frozen=True)
class YearStatistics:
    year: int
    # 依申请公开: month -> applicant type -> received; month -> outcome group -> closed.
    received: dict[int, dict[str, int]]
    closed: dict[int, dict[str, int]]
    # Answered cases (a 告知书 went out) with a known deadline, and of those the ones answered by it.
    answered_timed: dict[int, int]
    answered_on_time: dict[int, int]
    answer_days: dict[int, Durations]
    # 主动公开: month -> Art. 20 category -> items published.
    publications: dict[int, dict[str, int]]
    # Mailbox: month -> letters received, replied; working days from receipt to reply by month of reply.
    letters_received: dict[int, int]
    letters_replied: dict[int, int]
    letter_days: dict[int, Durations]
    # The annual report's letter figures: received in the year, and of those completed by 31 Dec.
    letters_received_total: int = 0
    letters_completed_total: int = 0

    # -- yearly totals (the annual report's figures) ------------------------------------------------------
    @property
    def received_total(self) -> int:
        return sum(sum(m.values()) for m in self.received.values())

    @property
    def closed_total(self) -> int:
        return sum(sum(m.values()) for m in self.closed.values())

    def closed_by_group(self) -> dict[str, int]:
        return {g: sum(self.closed[m].get(g, 0) for m in MONTHS) for g in GROUP_KEYS}

    def received_by_applicant(self) -> dict[str, int]:
        return {a: sum(self.received[m].get(a, 0) for m in MONTHS) for a in APPLICANT_KEYS}

    @property
    def timed_total(self) -> int:
        return sum(self.answered_timed.values())

    @property
    def on_time_total(self) -> int:
        return sum(self.answered_on_time.values())

    @property
    def on_time_share(self) -> float | None:
        """Answered within the statutory period, of the answered cases with a known deadline (0–1)."""
        return self.on_time_total / self.timed_total if self.timed_total else None

    def answer_days_year(self) -> Durations:
        return _merge(self.answer_days.values())

    def letter_days_year(self) -> Durations:
        return _merge(self.letter_days.values())

    @property
    def publications_total(self) -> int:
        return sum(sum(m.values()) for m in self.publications.values())


def _merge(parts: Iterable[Durations]) -> Durations:
    hist: Counter[int] = Counter()
    unknown = 0
    for p in parts:
        hist.update(p.histogram)
        unknown += p.unknown
    return Durations(dict(hist), unknown)


def year_statistics(year: int, *, calendar: Calendar | None = None) -> YearStatistics:
    """Every statistic of ``year`` in a fixed number of queries (eight, or seven with ``calendar`` given)."""
    from gongkai.core.selectors import calendar_from_db
    from gongkai.engagement.selectors import letters_summary

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cal = calendar if calendar is not None else calendar_from_db()
    closed, timed, on_time = _closed(first, last)
    letters_received, letters_replied = _letters(first, last)
    received_total, completed_total = letters_summary(year)
    return YearStatistics(
        year=year,
        received=_received(first, last),
        closed=closed,
        answered_timed=timed,
        answered_on_time=on_time,
        answer_days=_answer_days(cal, first, last),
        publications=_publications(first, last),
        letters_received=letters_received,
        letters_replied=letters_replied,
        letter_days=_letter_days(cal, first, last),
        letters_received_total=received_total,
        letters_completed_total=completed_total,
    )


def _by_month() -> dict[int, dict[str, int]]:
    return {m: defaultdict(int) for m in MONTHS}


def _received(first: dt.date, last: dt.date) -> dict[int, dict[str, int]]:
    from gongkai.inforequests.models import InfoRequest

    rows = (
        InfoRequest.objects.filter(received_on__range=(first, last))
        .values(month=ExtractMonth("received_on"), kind=F("applicant_type"))
        .annotate(n=Count("id"))
        .order_by()
    )
    out = _by_month()
    for r in rows:
        # Same folding as Table 三: an unknown applicant type counts as 其他.
        kind = r["kind"] if r["kind"] in APPLICANT_KEYS else "other"
        out[r["month"]][kind] += r["n"]
    return out


def _closed(
    first: dt.date, last: dt.date
) -> tuple[dict[int, dict[str, int]], dict[int, int], dict[int, int]]:
    from gongkai.inforequests.models import InfoRequest, RequestStatus

    answered = Q(status=RequestStatus.ANSWERED, due_on__isnull=False)
    rows = (
        InfoRequest.objects.filter(closed_on__range=(first, last), outcome__isnull=False)
        .values(month=ExtractMonth("closed_on"), leaf=F("outcome"))
        .annotate(
            n=Count("id"),
            timed=Count("id", filter=answered),
            on_time=Count("id", filter=answered & Q(closed_on__lte=F("due_on"))),
        )
        .order_by()
    )
    closed = _by_month()
    timed: dict[int, int] = dict.fromkeys(MONTHS, 0)
    on_time: dict[int, int] = dict.fromkeys(MONTHS, 0)
    for r in rows:
        group = _GROUP_OF_LEAF.get(r["leaf"])
        if group is None:
            continue  # not an outcome Table 三 can hold; the report leaves it out too
        closed[r["month"]][group] += r["n"]
        timed[r["month"]] += r["timed"]
        on_time[r["month"]] += r["on_time"]
    return closed, timed, on_time


def _answer_days(cal: Calendar, first: dt.date, last: dt.date) -> dict[int, Durations]:
    """Working days from receipt (or the corrected application, when a 补正 restarted the clock) to the
    answer, for the cases answered in each month; by distinct date pairs, so one query and few counts."""
    from gongkai.inforequests.models import InfoRequest, RequestStatus

    rows = (
        InfoRequest.objects.filter(status=RequestStatus.ANSWERED, closed_on__range=(first, last))
        .values(start=Coalesce("corrected_on", "received_on"), end=F("closed_on"))
        .annotate(n=Count("id"))
        .order_by()
    )
    return _durations(cal, ((r["start"], r["end"], r["n"]) for r in rows))


def _publications(first: dt.date, last: dt.date) -> dict[int, dict[str, int]]:
    from gongkai.publications.models import Publication

    # The annual report's filter (``queries._published_items``): published in the year, withdrawn or not.
    rows = (
        Publication.objects.filter(published_on__range=(first, last))
        .values(month=ExtractMonth("published_on"), cat=F("category"))
        .annotate(n=Count("id"))
        .order_by()
    )
    out = _by_month()
    for r in rows:
        out[r["month"]][r["cat"]] += r["n"]
    return out


def _letters(first: dt.date, last: dt.date) -> tuple[dict[int, int], dict[int, int]]:
    from gongkai.engagement.models import Letter

    row = Letter.objects.filter(
        Q(received_on__range=(first, last)) | Q(replied_on__range=(first, last))
    ).aggregate(
        **{
            f"r{m}": Count("id", filter=Q(received_on__range=(first, last), received_on__month=m))
            for m in MONTHS
        },
        **{
            f"a{m}": Count("id", filter=Q(replied_on__range=(first, last), replied_on__month=m))
            for m in MONTHS
        },
    )
    return {m: int(row[f"r{m}"]) for m in MONTHS}, {m: int(row[f"a{m}"]) for m in MONTHS}


def _letter_days(cal: Calendar, first: dt.date, last: dt.date) -> dict[int, Durations]:
    from gongkai.engagement.models import Letter

    rows = (
        Letter.objects.filter(replied_on__range=(first, last))
        .values("received_on", "replied_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _durations(cal, ((r["received_on"], r["replied_on"], r["n"]) for r in rows))


def _durations(cal: Calendar, pairs: Iterable[tuple[dt.date, dt.date, int]]) -> dict[int, Durations]:
    hist: dict[int, Counter[int]] = {m: Counter() for m in MONTHS}
    unknown: Counter[int] = Counter()
    for start, end, n in pairs:
        try:
            days = workdays_between(cal, start, end)
        except CalendarUnknown:
            unknown[end.month] += n
            continue
        hist[end.month][days] += n
    return {m: Durations(dict(hist[m]), unknown[m]) for m in MONTHS}
