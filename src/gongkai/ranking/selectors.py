"""Reads of the ranking: the live scores of a quarter, the method in force, published quarters, history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from gongkai.core.selectors import get_calendar
from gongkai.org.models import Department
from gongkai.org.selectors import current_organisation
from gongkai.ranking.indicators import DEFAULT_WEIGHTS, DELAY_POINTS_PER_DAY, INDICATORS
from gongkai.ranking.models import PublishedQuarter, RankingMethod
from gongkai.ranking.queries import Figures, Quarter, figures, quarter_of


@dataclass
class Row:
    """One 科室's line: raw figures and 0–100 score per indicator (None: no records), total and rank."""

    department_id: int
    department: str
    scores: dict[str, float | None]
    raw: dict[str, str]
    categories: dict[str, int]
    total: float | None = None
    rank: int | None = None


@dataclass
class Ranking:
    quarter: Quarter
    weights: dict[str, int]
    rows: list[Row] = field(default_factory=list)


def weights_in_force() -> dict[str, int]:
    """The office's weights, the default for any indicator not set; unavailable indicators weigh 0."""
    org = current_organisation()
    stored: dict[str, Any] = {}
    if org is not None:
        method = RankingMethod.objects.filter(organisation=org).first()
        stored = method.weights if method is not None else {}
    return {i.code: int(stored.get(i.code, i.default_weight)) if i.available else 0 for i in INDICATORS}


def is_default(weights: dict[str, int]) -> bool:
    return weights == DEFAULT_WEIGHTS


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _row(dept: Department, f: Figures, most: int) -> Row:
    d = dept.pk
    n_req = f.requests.get(d, 0)
    delay = f.delay_days.get(d, 0)
    avg_delay = delay / n_req if n_req else 0.0
    reviews, returned = f.reviews.get(d, 0), f.returned.get(d, 0)
    scores: dict[str, float | None] = {
        "pub_timely": _rate(f.published_on_time.get(d, 0), f.published.get(d, 0)),
        "pub_volume": _rate(f.published.get(d, 0), most),
        "review_returned": _rate(reviews - returned, reviews),
        "req_timely": _rate(f.requests_on_time.get(d, 0), n_req),
        "req_delay": round(max(0.0, 100 - DELAY_POINTS_PER_DAY * avg_delay), 1) if n_req else None,
        "letters_timely": _rate(f.letters_on_time.get(d, 0), f.letters.get(d, 0)),
        "supervision_timely": _rate(f.tasks_on_time.get(d, 0), f.tasks.get(d, 0)),
    }
    raw = {
        "pub_timely": f"{f.published_on_time.get(d, 0)}/{f.published.get(d, 0)} 条按期",
        "pub_volume": f"{f.published.get(d, 0)} 条",
        "review_returned": f"退回 {returned}/{reviews} 次",
        "req_timely": f"{f.requests_on_time.get(d, 0)}/{n_req} 件按期",
        "req_delay": f"共超期 {delay} 个工作日，平均 {avg_delay:.1f}",
        "letters_timely": f"{f.letters_on_time.get(d, 0)}/{f.letters.get(d, 0)} 件按期",
        "supervision_timely": f"{f.tasks_on_time.get(d, 0)}/{f.tasks.get(d, 0)} 件按期",
    }
    return Row(d, dept.name, scores, raw, dict(f.by_category.get(d, {})))


def total_and_rank(rows: list[Row], weights: dict[str, int]) -> None:
    """The weighted mean over the indicators with records, then ranks (ties share a rank)."""
    for row in rows:
        pairs = [
            (s, weights.get(c, 0)) for c, s in row.scores.items() if s is not None and weights.get(c, 0) > 0
        ]
        total_weight = sum(w for _, w in pairs)
        row.total = round(sum(s * w for s, w in pairs) / total_weight, 1) if total_weight else None
    rows.sort(key=lambda r: (r.total is None, -(r.total or 0), r.department))
    previous: float | None = None
    for i, row in enumerate(rows, start=1):
        if row.total is None:
            continue
        row.rank = rows[i - 2].rank if i > 1 and row.total == previous else i
        previous = row.total


def compute_ranking(
    q: Quarter, *, weights: dict[str, int] | None = None, today: dt.date | None = None
) -> Ranking:
    """The live ranking of quarter ``q`` from the records as they are now (a fixed number of queries)."""
    weights = weights if weights is not None else weights_in_force()
    today = today or timezone.localdate()
    org = current_organisation()
    depts = list(Department.objects.filter(organisation=org, active=True)) if org is not None else []
    f = figures(get_calendar(), q, today)
    most = max(f.published.values(), default=0)
    rows = [_row(d, f, most) for d in depts]
    total_and_rank(rows, weights)
    return Ranking(q, weights, rows)


def current_quarter(today: dt.date | None = None) -> Quarter:
    return quarter_of(today or timezone.localdate())


def quarters_of_year(year: int, today: dt.date | None = None) -> list[Quarter]:
    """The quarters of ``year`` that have begun."""
    today = today or timezone.localdate()
    return [Quarter(year, n) for n in range(1, 5) if Quarter(year, n).first_day <= today]


def published_quarter(q: Quarter) -> PublishedQuarter | None:
    org = current_organisation()
    if org is None:
        return None
    return PublishedQuarter.objects.filter(organisation=org, year=q.year, quarter=q.quarter).first()


def published_quarters() -> list[PublishedQuarter]:
    org = current_organisation()
    if org is None:
        return []
    return list(PublishedQuarter.objects.filter(organisation=org).select_related("published_by"))


def ranking_history() -> list[dict[str, Any]]:
    """Per published quarter, per 科室, the published score and rank (for the statistics pages' chart).

    ``[{"year", "quarter", "label", "published_at", "scores": [{"department_id", "department", "total",
    "rank"}, …]}, …]`` in time order; one query.
    """
    out = []
    for pq in published_quarters():
        rows = pq.snapshot["rows"]
        out.append(
            {
                "year": pq.year,
                "quarter": pq.quarter,
                "label": Quarter(pq.year, pq.quarter).label,
                "published_at": pq.published_at,
                "scores": [{k: r[k] for k in ("department_id", "department", "total", "rank")} for r in rows],
            }
        )
    return out
