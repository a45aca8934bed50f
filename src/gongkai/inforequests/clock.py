"""The statutory reply clock of a disclosure request (Arts. 30–33, statute.md §3.4–3.9).

Pure: no database, no Django settings. The caller passes the working-day calendar and the facts of
one case; the result says when the 补正 notice and the reply are due and explains every day.

Rules as implemented:

- The reply is due 20 working days after the start day (Art. 33); day 1 is the first working day
  after it (``gongkai.workdays``). The start day is the 收到申请之日 (Art. 31) or, when a 补正 was
  asked for, the day the corrected application arrived (Art. 30: the clock restarts).
- While a 补正 is awaited there is no reply deadline at all.
- The 补正 notice is due within 7 working days of receipt (Art. 30).
- A consultation of a third party (Art. 32) or another organ (Art. 34) is not counted (Art. 33 ¶3)
  from the day after the letter went out up to the day the opinion arrived, but at most for the 15
  working days the consulted party has; after that the clock runs again even if nothing arrived.
- The time between a fee notice and payment is not counted; an unpaid notice is projected to the
  end of its 20-working-day payment period.
- One extension of at most 20 working days adds to the base deadline.

Every date examined must lie in a year the calendar knows, otherwise ``CalendarUnknown`` is raised:
a deadline is never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from gongkai.workdays import (
    Calendar,
    CalendarUnknown,
    DayExplanation,
    DayKind,
    Pause,
    add_workdays,
    explain,
    workdays_between,
)

__all__ = [
    "BASE_WORKDAYS",
    "CONSULTATIONS",
    "CONSULTATION_CAP_WORKDAYS",
    "CORRECTION_NOTICE_WORKDAYS",
    "FEE_PAYMENT_WORKDAYS",
    "MAX_EXTENSION_WORKDAYS",
    "CalendarUnknown",
    "Clock",
    "ClockDay",
    "ClockFacts",
    "ExcludedSpan",
    "PauseFact",
    "PauseKind",
    "compute",
    "consultation_end",
    "correction_notice_due",
    "fee_payment_end",
]

BASE_WORKDAYS = 20  # Art. 33 ¶2
MAX_EXTENSION_WORKDAYS = 20  # Art. 33 ¶2
CORRECTION_NOTICE_WORKDAYS = 7  # Art. 30
CONSULTATION_CAP_WORKDAYS = 15  # Arts. 32 and 34
FEE_PAYMENT_WORKDAYS = 20  # 国办函〔2020〕109号 [R]: unpaid after this → 视为放弃

_ONE_DAY = dt.timedelta(days=1)
_WEEKDAYS = "一二三四五六日"


class PauseKind(StrEnum):
    CORRECTION = "correction"
    THIRD_PARTY = "third_party"
    ORGAN = "organ"
    FEE = "fee"

    @property
    def label(self) -> str:
        return PAUSE_LABELS[self]


PAUSE_LABELS: dict[PauseKind, str] = {
    PauseKind.CORRECTION: "补正",
    PauseKind.THIRD_PARTY: "征求第三方意见",
    PauseKind.ORGAN: "征求其他机关意见",
    PauseKind.FEE: "缴纳信息处理费",
}
CONSULTATIONS = frozenset({PauseKind.THIRD_PARTY, PauseKind.ORGAN})


@dataclass(frozen=True)
class PauseFact:
    """A recorded pause: the letter or notice went out on ``started_on``; ``ended_on`` is when the
    opinion or payment arrived (None while still awaited)."""

    kind: str
    started_on: dt.date
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class ClockFacts:
    received_on: dt.date
    corrected_on: dt.date | None = None
    awaiting_correction: bool = False
    pauses: tuple[PauseFact, ...] = ()
    extension_workdays: int = 0


@dataclass(frozen=True)
class ExcludedSpan:
    """The days a pause keeps out of the count (inclusive), after the 15-day cap."""

    kind: PauseKind
    first: dt.date
    last: dt.date
    started_on: dt.date
    ended_on: dt.date | None
    capped: bool  # the recorded pause ran past the cap, or is still open and projected to it

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass(frozen=True)
class ClockDay:
    date: dt.date
    weekday: str  # 星期一 …
    counted: bool
    ordinal: int | None  # 1 … 20 (+ extension) for counted days
    reason: str
    phase: str  # "start", "base", "extension" or "excluded"


@dataclass(frozen=True)
class Clock:
    received_on: dt.date
    correction_notice_due: dt.date
    start: dt.date | None  # None while a 补正 is awaited
    restarted: bool
    base_due: dt.date | None
    due: dt.date | None
    extension_workdays: int
    spans: tuple[ExcludedSpan, ...]
    days: tuple[ClockDay, ...]
    warnings: tuple[str, ...]

    def workdays_left(self, cal: Calendar, today: dt.date) -> int | None:
        """Working days from today to the due date (0 on the due date, negative once overdue)."""
        if self.due is None:
            return None
        return workdays_between(cal, today, self.due, pauses=self.pauses())

    def pauses(self) -> tuple[Pause, ...]:
        return tuple(Pause(s.first, s.last, s.label) for s in self.spans)


def correction_notice_due(cal: Calendar, received_on: dt.date) -> dt.date:
    """The last day a 补正 notice may go out (Art. 30: within 7 working days of receipt)."""
    return add_workdays(cal, received_on, CORRECTION_NOTICE_WORKDAYS)


def consultation_end(cal: Calendar, started_on: dt.date) -> dt.date:
    """The last day of the consulted party's 15 working days (Arts. 32, 34)."""
    return add_workdays(cal, started_on, CONSULTATION_CAP_WORKDAYS)


def fee_payment_end(cal: Calendar, notified_on: dt.date) -> dt.date:
    return add_workdays(cal, notified_on, FEE_PAYMENT_WORKDAYS)


def _check_known(cal: Calendar, days: Iterable[dt.date | None]) -> None:
    for d in days:
        if d is not None:
            cal.day_kind(d)  # raises CalendarUnknown for a year nobody entered


def _span(cal: Calendar, p: PauseFact, start: dt.date) -> ExcludedSpan | None:
    kind = PauseKind(p.kind)
    if kind in CONSULTATIONS:
        limit = consultation_end(cal, p.started_on)
    elif kind is PauseKind.FEE:
        limit = fee_payment_end(cal, p.started_on) if p.ended_on is None else p.ended_on
    else:
        return None  # a 补正 is a restart, not a pause
    last = limit if p.ended_on is None else min(p.ended_on, limit)
    capped = p.ended_on is None or p.ended_on > limit
    # The day the letter went out is the organ's own working day; the wait starts the day after.
    first = max(p.started_on, start) + _ONE_DAY
    if last < first:
        return None
    return ExcludedSpan(kind, first, last, p.started_on, p.ended_on, capped)


def _warnings(cal: Calendar, facts: ClockFacts, today: dt.date | None) -> list[str]:
    out = []
    for p in facts.pauses:
        kind = PauseKind(p.kind)
        if kind not in CONSULTATIONS:
            continue
        limit = consultation_end(cal, p.started_on)
        if p.ended_on is not None and p.ended_on > limit:
            out.append(
                f"{kind.label}（{p.started_on:%Y-%m-%d} 发出）超过 {CONSULTATION_CAP_WORKDAYS} 个工作日，"
                f"{limit:%Y-%m-%d} 之后的时间计入答复期限"
            )
        elif p.ended_on is None and today is not None and today > limit:
            out.append(
                f"{kind.label}（{p.started_on:%Y-%m-%d} 发出）已满 {CONSULTATION_CAP_WORKDAYS} 个工作日"
                f"（{limit:%Y-%m-%d} 期满），答复期限已恢复计算，请依法自行决定是否公开"
            )
    return out


def _day_reason(d: DayExplanation, extension_from: int) -> tuple[str, str]:
    ordinal = d.ordinal
    if d.kind is None:
        return "start", d.reason
    if d.paused_by is not None:
        what = "工作日" if d.kind in (DayKind.WORKDAY, DayKind.SHIFT_WORKDAY) else "非工作日"
        return "excluded", f"不计入：{d.paused_by}期间（{what}）"
    if not d.counted:
        return "excluded", f"不计入：{d.reason}"
    assert ordinal is not None
    if ordinal > extension_from:
        return "extension", f"第 {ordinal} 个工作日（延长期第 {ordinal - extension_from} 日；{d.reason}）"
    return "base", f"第 {ordinal} 个工作日（{d.reason}）"


def compute(cal: Calendar, facts: ClockFacts, *, today: dt.date | None = None) -> Clock:
    """The clock of one case. ``today`` only adds warnings about consultations past their 15 days."""
    if not 0 <= facts.extension_workdays <= MAX_EXTENSION_WORKDAYS:
        raise ValueError(f"延长答复期限最长不得超过 {MAX_EXTENSION_WORKDAYS} 个工作日")
    _check_known(
        cal,
        [facts.received_on, facts.corrected_on]
        + [d for p in facts.pauses for d in (p.started_on, p.ended_on)],
    )
    notice_due = correction_notice_due(cal, facts.received_on)
    if facts.awaiting_correction and facts.corrected_on is None:
        return Clock(
            facts.received_on, notice_due, None, False, None, None, facts.extension_workdays, (), (), ()
        )
    start = facts.corrected_on or facts.received_on
    spans = tuple(s for p in facts.pauses if (s := _span(cal, p, start)) is not None)
    pauses = [Pause(s.first, s.last, s.label) for s in spans]
    base_due = add_workdays(cal, start, BASE_WORKDAYS, pauses=pauses)
    total = BASE_WORKDAYS + facts.extension_workdays
    explained = explain(cal, start, total, pauses=pauses)
    days = []
    for d in explained:
        phase, reason = _day_reason(d, BASE_WORKDAYS)
        if phase == "start" and facts.corrected_on is not None:
            reason = "收到补正后申请之日（答复期限自此重新起算，当日不计入）"
        elif phase == "start":
            reason = "收到申请之日（当日不计入，次日起算）"
        days.append(
            ClockDay(d.date, f"星期{_WEEKDAYS[d.date.weekday()]}", d.counted, d.ordinal, reason, phase)
        )
    return Clock(
        received_on=facts.received_on,
        correction_notice_due=notice_due,
        start=start,
        restarted=facts.corrected_on is not None,
        base_due=base_due,
        due=explained[-1].date,
        extension_workdays=facts.extension_workdays,
        spans=spans,
        days=tuple(days),
        warnings=tuple(_warnings(cal, facts, today)),
    )
