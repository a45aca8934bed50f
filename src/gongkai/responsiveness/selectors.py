"""Reads of the responsiveness ledgers: the workbench lists, and what the dashboard flags.

A quarter is *missed* when it has ended without a 五方联席会 (the seed: 每季度至少召开一次). The
dashboard looks back over the last ``LOOKBACK_QUARTERS`` ended quarters, from the quarter of the first
meeting on record on (the office's earlier meetings were kept on paper); with no meeting on record at
all, the quarter that ended last is missed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from gongkai.core.choices import ResponseChannel
from gongkai.responsiveness.models import HotTopicResponse, JointMeeting, MeetingFollowUp, SupervisionTask

LOOKBACK_QUARTERS = 4
SOCIAL_CHANNELS = (ResponseChannel.WEIBO, ResponseChannel.WECHAT)
# Task list filters beside "all".
OPEN, OVERDUE, COMPLETED = "open", "overdue", "completed"
TASK_FILTERS = ((OPEN, "办理中"), (OVERDUE, "已逾期"), (COMPLETED, "已办结"))


def responses(year: int | None = None) -> QuerySet[HotTopicResponse]:
    qs = HotTopicResponse.objects.select_related("department")
    return qs.filter(responded_on__year=year) if year is not None else qs


def response_counts(year: int) -> tuple[int, int]:
    """(all responses, those on 政务微博/微信) of ``year``: one aggregate."""
    row = HotTopicResponse.objects.filter(
        responded_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))
    ).aggregate(n=Count("id"), social=Count("id", filter=Q(channel__in=SOCIAL_CHANNELS)))
    return int(row["n"]), int(row["social"])


def tasks(status: str = "", *, today: dt.date) -> QuerySet[SupervisionTask]:
    qs = SupervisionTask.objects.select_related("department")
    if status == OPEN:
        return qs.filter(completed_on__isnull=True)
    if status == OVERDUE:
        return overdue_tasks(today)
    if status == COMPLETED:
        return qs.filter(completed_on__isnull=False).order_by("-completed_on", "-id")
    return qs


def overdue_tasks(today: dt.date) -> QuerySet[SupervisionTask]:
    """Open tasks past their deadline, the longest overdue first."""
    return SupervisionTask.objects.select_related("department").filter(
        completed_on__isnull=True, deadline__lt=today
    )


def is_overdue(task: SupervisionTask, today: dt.date) -> bool:
    return task.completed_on is None and task.deadline < today


def meetings(year: int | None = None) -> QuerySet[JointMeeting]:
    qs = JointMeeting.objects.all()
    return qs.filter(held_on__year=year) if year is not None else qs


def overdue_follow_ups(today: dt.date) -> QuerySet[MeetingFollowUp]:
    return MeetingFollowUp.objects.select_related("meeting").filter(done_on__isnull=True, deadline__lt=today)


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1..4

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last(self) -> dt.date:
        following = self.next()
        return following.first - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.number - 1]}季度"

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


def quarter_meetings(year: int) -> list[tuple[Quarter, int]]:
    """Each quarter of ``year`` with its number of meetings (one query)."""
    days = list(meetings(year).values_list("held_on", flat=True))
    return [(q, sum(1 for d in days if Quarter.of(d) == q)) for q in (Quarter(year, n) for n in range(1, 5))]


def missed_quarters(today: dt.date) -> list[Quarter]:
    """The ended quarters of the look-back without a meeting, the latest first."""
    last_ended = Quarter.of(today).previous()
    window = [last_ended]
    for _ in range(LOOKBACK_QUARTERS - 1):
        window.append(window[-1].previous())
    first_meeting = JointMeeting.objects.order_by("held_on").values_list("held_on", flat=True).first()
    if first_meeting is None:
        return [last_ended]
    held = set(
        JointMeeting.objects.filter(held_on__range=(window[-1].first, last_ended.last)).values_list(
            "held_on", flat=True
        )
    )
    covered = {Quarter.of(d) for d in held}
    start = Quarter.of(first_meeting)
    return [q for q in window if q not in covered and (q.year, q.number) >= (start.year, start.number)]
