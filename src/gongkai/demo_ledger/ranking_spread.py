"""Records that make the quarterly 考核排名 tell the 科室 apart: each 科室 publishes a different number of
items, some past Art. 26's 20 working days, and answers requests, some after the statutory deadline.

Each 科室 gets its own pattern (by its place in the office), so the demo's ranking has different,
non-trivial scores in every quarter that has begun; everything goes through the services.
"""

from __future__ import annotations

import datetime as dt

from gongkai.core.choices import Outcome
from gongkai.demo_ledger import dates, replies, texts
from gongkai.demo_ledger.office import DemoOffice
from gongkai.publications import services as pub_services
from gongkai.workdays import Calendar

# (on-time items, late items, requests answered on time, requests answered late) per 科室 per quarter
PATTERNS = ((3, 0, 1, 0), (2, 1, 1, 1), (1, 2, 2, 0), (2, 0, 0, 1), (1, 1, 1, 1), (2, 2, 1, 0))


def _category_of(department: str) -> str:
    return next((c for c, (d, _) in texts.TOPICS.items() if d == department), next(iter(texts.TOPICS)))


def _month_of_quarter(quarter: int, today: dt.date) -> int | None:
    """A finished month of the quarter to place its records in (the middle one if it is over)."""
    for month in (3 * quarter - 1, 3 * quarter - 2):
        if dt.date(today.year, month, 1) < today.replace(day=1):
            return month
    return None


def build_ranking_spread(office: DemoOffice, cal: Calendar, today: dt.date) -> None:
    from gongkai.demo_ledger.current import _request

    serial = 0
    for quarter in range(1, 5):
        month = _month_of_quarter(quarter, today)
        if month is None:
            continue
        days = dates.workdays_in_month(cal, today.year, month)
        for i, department in enumerate(office.departments):
            on_time, late, answered, overdue = PATTERNS[(i + quarter - 1) % len(PATTERNS)]
            for k in range(on_time + late):
                published_on = days[(3 * k + i) % len(days)]
                formed_on = dates.workdays_before(cal, published_on, 24 + k if k < late else 3)
                _register(
                    office,
                    cal,
                    department,
                    f"{department}{today.year}年第{quarter}季度工作动态（{k + 1}）",
                    formed_on,
                    published_on,
                )
            for k in range(answered + overdue):
                serial += 1
                received = days[min(1 + k, len(days) - 1)]
                answered_on = dates.after_workdays(cal, received, 12 if k < answered else 23 + i)
                if answered_on > today:
                    continue
                req = _request(
                    office,
                    received,
                    10 + serial % 30,
                    f"申请公开{department}{month}月办理的相关工作记录。",
                    department=department,
                )
                replies.answer(office, req, Outcome.GRANTED, answered_on, cal)


def _register(
    office: DemoOffice, cal: Calendar, department: str, title: str, formed_on: dt.date, published_on: dt.date
) -> None:
    pub_services.publication_register_reviewed(
        actor=office.clerk,
        title=title,
        category=_category_of(department),
        department=office.departments[department],
        formed_on=formed_on,
        drafter=office.staff_of(department),
        head=office.head_of(department),
        head_decided_on=dates.workdays_before(cal, published_on, 2),
        director=office.director,
        director_decided_on=dates.workdays_before(cal, published_on, 1),
        published_on=published_on,
        body="（演示数据）",
    )
