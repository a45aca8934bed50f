"""The quarterly 考核排名 over the big generated ledger (1M requests + 1M publications), against hand-written SQL.

Runs inside ``bench.ledger_report``'s child process for each backend, on the ledger it has just built or
reused, so the bench generates nothing twice: the generator gives requests no reply deadline, so their
``due_on`` is filled here with one UPDATE (received + 28 days, the 20 working days' usual span).
The baseline computes the same figures with one hand-written statement per indicator family (the
Art. 26 bound as a VALUES table joined on the publication date) and the same working-day count for the
few distinct late (due, answered) pairs; the target is ``compute_ranking`` within 2× of it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

QUARTER = (2024, 2)
TODAY = dt.date(2026, 11, 1)
TARGET_RATIO = 2.0


def measure() -> None:
    from django.db import connection

    from gongkai.core.selectors import calendar_from_db, invalidate_calendar_cache
    from gongkai.core.services import seed_calendar
    from gongkai.ranking.queries import Quarter
    from gongkai.ranking.selectors import compute_ranking

    if QUARTER[0] not in calendar_from_db().known_years:
        _seed_calendar_quietly(seed_calendar)
        invalidate_calendar_cache()
    _fill_due_dates()
    q = Quarter(*QUARTER)
    cal = calendar_from_db()
    ranking = compute_ranking(q, today=TODAY)
    _assert_same(ranking, baseline(q, cal))
    ours = _best(lambda: compute_ranking(q, today=TODAY))
    base = _best(lambda: baseline(q, cal))
    ratio = ours / base
    verdict = "OK" if ratio <= TARGET_RATIO else f"over the {TARGET_RATIO:g}× target"
    published = sum(int(r.raw["pub_volume"].split()[0]) for r in ranking.rows)
    print(f"   -- 考核排名 {q.label} on {connection.vendor}: {published:,} items published in the quarter")
    print(f"   compute_ranking     {ours * 1000:9.1f} ms   (best of 3)")
    print(f"   hand-written SQL    {base * 1000:9.1f} ms   (best of 3)")
    print(f"   ratio               {ratio:9.2f}×      {verdict}", flush=True)


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _seed_calendar_quietly(seed: Callable[[], object]) -> None:
    """Seed the calendar without inforequests' receiver, which recomputes every running case's deadline one
    by one (tens of thousands in the generated ledger, whose cases carry no clock facts to recompute)."""
    from django.db.models.signals import post_save

    from gongkai.core.models import CalendarYear

    uid = "inforequests.calendar_year"
    post_save.disconnect(sender=CalendarYear, dispatch_uid=uid)
    try:
        seed()
    finally:
        from gongkai.inforequests.signals import calendar_year_saved

        post_save.connect(calendar_year_saved, sender=CalendarYear, dispatch_uid=uid)


def _fill_due_dates() -> None:
    from django.db import connection, transaction

    plus = "date(received_on, '+28 days')" if connection.vendor == "sqlite" else "received_on + 28"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE inforequests_inforequest SET due_on = {plus} WHERE due_on IS NULL AND received_on IS NOT NULL"
            " AND status NOT IN ('closed', 'awaiting_confirmation')"
        )
        if cursor.rowcount:
            cursor.execute("ANALYZE")


def baseline(q: Any, cal: Any) -> dict[str, dict[int, Any]]:
    """The ranking's figures per department by hand-written SQL, one statement per indicator family."""
    from django.db import connection

    from gongkai.ranking.queries import WorkdayCounter, earliest_formed

    # Date objects, not strings: PostgreSQL types the VALUES columns from them (SQLite stores ISO text).
    a, b, today = q.first_day, q.last_day, TODAY
    bounds = earliest_formed(cal, q)
    values = ", ".join(["(%s, %s)"] * len(bounds))
    bound_params = [x for pair in bounds.items() for x in pair]
    answered_on = (
        "date(answered_at, '+8 hours')"
        if connection.vendor == "sqlite"
        else ("(answered_at AT TIME ZONE 'Asia/Shanghai')::date")
    )
    statements = {
        "publications": (
            f"WITH bound(day, min_formed) AS (VALUES {values})"
            " SELECT p.department_id, COUNT(*), SUM(CASE WHEN p.formed_on >= bound.min_formed THEN 1 ELSE 0 END)"
            " FROM publications_publication p JOIN bound ON p.published_on = bound.day"
            " WHERE p.status IN ('published', 'withdrawn') AND p.published_on BETWEEN %s AND %s"
            " GROUP BY p.department_id",
            [*bound_params, a, b],
        ),
        "categories": (
            "SELECT department_id, category, COUNT(*) FROM publications_publication"
            " WHERE status IN ('published', 'withdrawn') AND published_on BETWEEN %s AND %s"
            " GROUP BY department_id, category",
            [a, b],
        ),
        "requests": (
            "SELECT department_id, COUNT(*),"
            " SUM(CASE WHEN closed_on > due_on OR (closed_on IS NULL AND due_on < %s) THEN 1 ELSE 0 END)"
            " FROM inforequests_inforequest WHERE due_on BETWEEN %s AND %s"
            " AND (closed_on IS NOT NULL OR due_on < %s) AND status NOT IN ('closed', 'awaiting_confirmation')"
            " GROUP BY department_id",
            [today, a, b, today],
        ),
        "late": (
            "SELECT department_id, due_on, closed_on, COUNT(*) FROM inforequests_inforequest"
            " WHERE due_on BETWEEN %s AND %s AND status NOT IN ('closed', 'awaiting_confirmation')"
            " AND (closed_on > due_on OR (closed_on IS NULL AND due_on < %s))"
            " GROUP BY department_id, due_on, closed_on",
            [a, b, today],
        ),
        "letters": (
            f"SELECT department_id, COUNT(*), SUM(CASE WHEN {answered_on} <= due_on THEN 1 ELSE 0 END)"
            " FROM engagement_forwarding WHERE due_on BETWEEN %s AND %s AND recalled_at IS NULL"
            " AND (answered_at IS NOT NULL OR due_on < %s) GROUP BY department_id",
            [a, b, today],
        ),
    }
    rows: dict[str, list[Any]] = {}
    with connection.cursor() as cursor:
        for name, (sql, params) in statements.items():
            cursor.execute(sql, params)
            rows[name] = cursor.fetchall()
    delay: dict[int, int] = {}
    late = [
        (dept, _date(due), _date(closed) if closed else TODAY, n) for dept, due, closed, n in rows["late"]
    ]
    count = WorkdayCounter(cal, [r[1] for r in late], [r[2] for r in late])
    for dept, due, closed, n in late:
        delay[dept] = delay.get(dept, 0) + n * count(due, closed)
    return {
        "published": {r[0]: (r[1], r[2]) for r in rows["publications"]},
        "requests": {r[0]: (r[1], r[1] - r[2]) for r in rows["requests"]},
        "delay": delay,
        "categories": {r[0]: r for r in rows["categories"]},
    }


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _assert_same(ranking: Any, figures: dict[str, dict[int, Any]]) -> None:
    """Both ways must agree, or the timing compares different work."""
    for row in ranking.rows:
        d = row.department_id
        n, on_time = figures["published"].get(d, (0, 0))
        assert row.raw["pub_timely"] == f"{on_time}/{n} 条按期", (row.raw, n, on_time)
        total, ok = figures["requests"].get(d, (0, 0))
        assert row.raw["req_timely"] == f"{ok}/{total} 件按期", (row.raw, total, ok)
        assert row.raw["req_delay"].startswith(f"共超期 {figures['delay'].get(d, 0)} 个工作日"), row.raw
