"""The records behind each score (the drill-down), and their ids as stored in a published quarter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gongkai.core.choices import Art20Category
from gongkai.ranking.queries import (
    Quarter,
    letters_due_in,
    publication_deadline,
    published_in,
    requests_due_in,
    reviews_in,
    tasks_due_in,
)
from gongkai.workdays import Calendar, CalendarUnknown, workdays_between

# Indicators that share their records: the volume is the same publications as the timeliness, the
# delay the same requests as the on-time rate.
FAMILY = {
    "pub_timely": "publications",
    "pub_volume": "publications",
    "review_returned": "reviews",
    "req_timely": "requests",
    "req_delay": "requests",
    "letters_timely": "letters",
    "supervision_timely": "tasks",
}
DRILL_LIMIT = 500


def family_queryset(family: str, q: Quarter, today: dt.date) -> QuerySet[Any]:
    if family == "publications":
        return published_in(q)
    if family == "reviews":
        return reviews_in(q)
    if family == "requests":
        return requests_due_in(q, today)
    if family == "tasks":
        return tasks_due_in(q, today)
    return letters_due_in(q, today)


_DEPARTMENT_FIELD = {
    "publications": "department_id",
    "reviews": "publication__department_id",
    "requests": "department_id",
    "letters": "department_id",
    "tasks": "department_id",
}


def record_ids(q: Quarter, today: dt.date) -> dict[str, dict[str, list[int]]]:
    """{family: {department id (str, as JSON keys are): [record ids]}} — one query per family."""
    out: dict[str, dict[str, list[int]]] = {}
    for family, dept_field in _DEPARTMENT_FIELD.items():
        ids: dict[str, list[int]] = {}
        for dept, pk in family_queryset(family, q, today).values_list(dept_field, "pk").order_by("pk"):
            ids.setdefault(str(dept), []).append(pk)
        out[family] = ids
    return out


@dataclass
class Drill:
    columns: list[str]
    rows: list[list[Any]]  # cells; a cell may be {"text", "url"}
    count: int
    truncated: bool


def _link(name: str, pk: Any, text: str) -> dict[str, str] | str:
    try:
        return {"text": text, "url": reverse(name, args=[pk])}
    except NoReverseMatch:
        return text


def _yes(flag: bool) -> str:
    return "是" if flag else "否（超期）"


def drill(family: str, qs: QuerySet[Any], cal: Calendar, today: dt.date) -> Drill:
    count = qs.count()
    records: list[Model] = list(qs.order_by("pk")[:DRILL_LIMIT])
    rows: list[list[Any]]
    if family == "publications":
        columns = ["标题", "类别", "形成或者变更日期", "公开日期", "公开期限", "按期"]
        rows = []
        for p in records:
            due = _safe(lambda p=p: publication_deadline(cal, p.formed_on))
            on_time = "—" if due is None else _yes(p.published_on <= due)
            cat = Art20Category(p.category).label if p.category in Art20Category.values else p.category
            rows.append(
                [
                    _link("publications:detail", p.pk, p.title),
                    cat,
                    p.formed_on,
                    p.published_on,
                    due or "日历未录入",
                    on_time,
                ]
            )
    elif family == "reviews":
        columns = ["信息标题", "审核级别", "决定", "审核时间"]
        rows = [
            [
                _link("publications:detail", r.publication_id, r.publication.title),
                r.get_level_display(),
                r.get_decision_display(),
                timezone.localtime(r.decided_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for r in records
        ]
    elif family == "requests":
        columns = ["申请编号", "答复期限", "办结日期", "按期", "超期工作日"]
        rows = []
        for r in records:
            end = r.closed_on or today
            late = end > r.due_on
            days = _safe(lambda r=r, end=end: workdays_between(cal, r.due_on, end)) if late else 0
            rows.append(
                [
                    _link("inforequests:detail", r.pk, r.reference),
                    r.due_on,
                    r.closed_on or "尚未答复",
                    _yes(not late),
                    days,
                ]
            )
    elif family == "tasks":
        columns = ["督办事项", "交办单位", "办结时限", "办结日期", "按期"]
        rows = [
            [
                _link("responsiveness:task", t.pk, t.title),
                t.get_issuer_display(),
                t.deadline,
                t.completed_on or "尚未办结",
                _yes(t.completed_on is not None and t.completed_on <= t.deadline),
            ]
            for t in records
        ]
    else:
        columns = ["来信编号", "转办时间", "回复期限", "科室回复日期", "按期"]
        rows = [
            [
                _link("engagement:detail", f.letter_id, f.letter.reference),
                timezone.localtime(f.forwarded_at).strftime("%Y-%m-%d"),
                f.due_on,
                f.answered_on or "尚未回复",
                _yes(f.answered_on is not None and f.answered_on <= f.due_on),
            ]
            for f in records
        ]
    return Drill(columns, rows, count, count > len(records))


def _safe(fn: Any) -> Any:
    try:
        return fn()
    except CalendarUnknown:
        return None


def with_related(family: str, qs: QuerySet[Any]) -> QuerySet[Any]:
    if family == "reviews":
        return qs.select_related("publication")
    if family == "letters":
        return qs.select_related("letter")
    return qs
