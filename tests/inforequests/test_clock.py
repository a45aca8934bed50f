"""The statutory reply clock against hand-checked cases and a brute-force day-by-day reference.

The reference below asks ``chinese_calendar.is_workday`` about every single day and keeps the
excluded days in a set; it shares no code with ``gongkai.workdays`` or ``inforequests.clock``.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.inforequests.clock import ClockFacts, PauseFact, compute, correction_notice_due
from gongkai.workdays import CalendarUnknown, calendar_from_chinesecalendar

YEARS = range(2019, 2027)
CAL = calendar_from_chinesecalendar(YEARS)
ONE = dt.timedelta(days=1)
D = dt.date


# --- the independent reference ---------------------------------------------------------------


class RefUnknown(Exception):
    def __init__(self, year: int) -> None:
        self.year = year


def ref_workday(d: dt.date) -> bool:
    if d.year not in YEARS:
        raise RefUnknown(d.year)
    return chinese_calendar.is_workday(d)


def ref_nth_after(start: dt.date, n: int) -> dt.date:
    d, seen = start, 0
    while seen < n:
        d += ONE
        if ref_workday(d):
            seen += 1
    return d


def ref_excluded(start: dt.date, pauses: list[tuple[str, dt.date, dt.date | None]]) -> set[dt.date]:
    out: set[dt.date] = set()
    for kind, first, last in pauses:
        if kind in ("third_party", "organ"):
            cap = ref_nth_after(first, 15)  # the consulted party's 15 working days
            end = cap if last is None else min(last, cap)
        else:  # fee: until payment, or projected to the end of the 20-working-day payment period
            end = last if last is not None else ref_nth_after(first, 20)
        d = max(first, start) + ONE
        while d <= end:
            out.add(d)
            d += ONE
    return out


def ref_due(
    received: dt.date,
    corrected: dt.date | None,
    pauses: list[tuple[str, dt.date, dt.date | None]],
    extension: int,
) -> dt.date:
    start = corrected or received
    excluded = ref_excluded(start, pauses)
    d, seen = start, 0
    while seen < 20 + extension:
        d += ONE
        if ref_workday(d) and d not in excluded:
            seen += 1
    return d


# --- hand-checked cases ------------------------------------------------------------------------


def test_national_day_2019_with_shift_weekends() -> None:
    # Received Friday 2019-09-27: Sun 09-29 is a 调休 working day, 10-01..07 is 国庆节, Sat 10-12 works.
    clock = compute(CAL, ClockFacts(received_on=D(2019, 9, 27)))
    assert clock.due == D(2019, 10, 30)
    assert clock.base_due == clock.due
    assert clock.correction_notice_due == D(2019, 10, 12)  # the 7th working day is a Saturday
    by_date = {d.date: d for d in clock.days}
    assert by_date[D(2019, 9, 27)].phase == "start" and not by_date[D(2019, 9, 27)].counted
    assert not by_date[D(2019, 9, 28)].counted and "周末" in by_date[D(2019, 9, 28)].reason
    assert by_date[D(2019, 9, 29)].ordinal == 1 and "调休上班" in by_date[D(2019, 9, 29)].reason
    assert not by_date[D(2019, 10, 1)].counted and "国庆节" in by_date[D(2019, 10, 1)].reason
    assert by_date[D(2019, 10, 12)].ordinal == 7
    assert clock.days[-1].date == D(2019, 10, 30) and clock.days[-1].ordinal == 20
    assert [d.date for d in clock.days] == [D(2019, 9, 27) + ONE * i for i in range(len(clock.days))]


def test_extension_adds_working_days_after_the_base_deadline() -> None:
    clock = compute(CAL, ClockFacts(received_on=D(2019, 9, 27), extension_workdays=20))
    assert clock.base_due == D(2019, 10, 30)
    assert clock.due == ref_nth_after(D(2019, 10, 30), 20) == D(2019, 11, 27)
    extension_days = [d for d in clock.days if d.phase == "extension"]
    assert len(extension_days) == 20 and "延长期第 1 日" in extension_days[0].reason


def test_correction_restarts_the_clock_from_the_corrected_application() -> None:
    facts = ClockFacts(received_on=D(2024, 3, 1), corrected_on=D(2024, 3, 15))
    clock = compute(CAL, facts)
    assert clock.start == D(2024, 3, 15) and clock.restarted
    assert clock.due == ref_nth_after(D(2024, 3, 15), 20)
    assert clock.correction_notice_due == ref_nth_after(D(2024, 3, 1), 7)
    assert "重新起算" in clock.days[0].reason


def test_no_reply_deadline_while_a_correction_is_awaited() -> None:
    clock = compute(CAL, ClockFacts(received_on=D(2024, 3, 1), awaiting_correction=True))
    assert clock.due is None and clock.start is None and clock.days == ()
    assert clock.correction_notice_due == D(2024, 3, 12)


def test_consultation_is_not_counted_and_is_capped_at_15_working_days() -> None:
    received = D(2024, 5, 6)
    short = compute(
        CAL, ClockFacts(received, pauses=(PauseFact("third_party", D(2024, 5, 8), D(2024, 5, 14)),))
    )
    # 05-09 .. 05-14 hold five working days that do not count: Thu, Fri, Sat 05-11 (劳动节 调休), Mon, Tue.
    assert short.due == ref_nth_after(ref_nth_after(received, 20), 5) == D(2024, 6, 7)
    assert any("征求第三方意见期间" in d.reason for d in short.days)
    late = compute(
        CAL,
        ClockFacts(received, pauses=(PauseFact("organ", D(2024, 5, 8), D(2024, 7, 1)),)),
        today=D(2024, 7, 1),
    )
    assert late.spans[0].capped and late.spans[0].last == ref_nth_after(D(2024, 5, 8), 15)
    assert late.due == ref_nth_after(ref_nth_after(received, 20), 15)
    assert late.warnings and "超过 15 个工作日" in late.warnings[0]


def test_open_consultation_is_projected_to_its_15th_working_day_and_warned_about_after() -> None:
    facts = ClockFacts(D(2024, 5, 6), pauses=(PauseFact("third_party", D(2024, 5, 8)),))
    before = compute(CAL, facts, today=D(2024, 5, 20))
    after = compute(CAL, facts, today=D(2024, 6, 30))
    assert before.due == after.due == ref_nth_after(ref_nth_after(D(2024, 5, 6), 20), 15)
    assert not before.warnings and "答复期限已恢复计算" in after.warnings[0]


def test_fee_wait_is_not_counted() -> None:
    facts = ClockFacts(D(2024, 5, 6), pauses=(PauseFact("fee", D(2024, 5, 10), D(2024, 5, 20)),))
    assert compute(CAL, facts).due == ref_due(
        D(2024, 5, 6), None, [("fee", D(2024, 5, 10), D(2024, 5, 20))], 0
    )


def test_a_deadline_in_an_unknown_year_raises_calendar_unknown() -> None:
    with pytest.raises(CalendarUnknown) as exc:
        compute(CAL, ClockFacts(received_on=D(2026, 12, 20)))
    assert exc.value.year == 2027
    assert "请录入 2027 年放假安排" in str(exc.value)
    # The 补正 deadline still falls in 2026 and can be given.
    assert correction_notice_due(CAL, D(2026, 12, 20)) == D(2026, 12, 29)


def test_a_date_in_an_unknown_year_raises_even_if_not_walked_over() -> None:
    with pytest.raises(CalendarUnknown):
        compute(CAL, ClockFacts(received_on=D(2018, 12, 28)))


def test_extension_over_20_days_is_rejected() -> None:
    with pytest.raises(ValueError, match="20"):
        compute(CAL, ClockFacts(received_on=D(2024, 5, 6), extension_workdays=21))


# --- property: the clock equals the brute-force reference ---------------------------------------

KINDS = st.sampled_from(["third_party", "organ", "fee"])


@st.composite
def cases(draw: st.DrawFn) -> tuple[ClockFacts, list[tuple[str, dt.date, dt.date | None]]]:
    # Start some cases just before a 调休 weekend or a long holiday so that those are exercised.
    anchors = sorted(CAL.shift_workdays) + sorted(CAL.holidays)
    if draw(st.booleans()):
        received = draw(st.sampled_from(anchors)) - ONE * draw(st.integers(0, 25))
        received = max(received, D(2019, 1, 1))
    else:
        received = draw(st.dates(D(2019, 1, 1), D(2026, 12, 31)))
    corrected = received + ONE * draw(st.integers(1, 30)) if draw(st.booleans()) else None
    if corrected is not None and corrected.year > 2026:
        corrected = None
    start = corrected or received
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        first = start + ONE * draw(st.integers(0, 35))
        length = draw(st.one_of(st.none(), st.integers(0, 40)))
        last = None if length is None else first + ONE * length
        if first.year > 2026 or (last is not None and last.year > 2026):
            continue
        pauses.append((draw(KINDS), first, last))
    extension = draw(st.sampled_from([0, 0, 1, 5, 10, 20]))
    facts = ClockFacts(
        received_on=received,
        corrected_on=corrected,
        pauses=tuple(PauseFact(k, f, last) for k, f, last in pauses),
        extension_workdays=extension,
    )
    return facts, pauses


@settings(max_examples=400, deadline=None)
@given(cases())
def test_clock_matches_the_day_by_day_reference(case: tuple[ClockFacts, list]) -> None:
    facts, pauses = case
    try:
        expected = ref_due(facts.received_on, facts.corrected_on, pauses, facts.extension_workdays)
        expected_base = ref_due(facts.received_on, facts.corrected_on, pauses, 0)
        expected_notice = ref_nth_after(facts.received_on, 7)
    except RefUnknown as unknown:
        with pytest.raises(CalendarUnknown) as exc:
            compute(CAL, facts)
        assert exc.value.year == unknown.year
        return
    clock = compute(CAL, facts)
    assert clock.due == expected
    assert clock.base_due == expected_base
    assert clock.correction_notice_due == expected_notice
    # The explainer lists every calendar day from the start to the deadline, each for the right reason.
    start = facts.corrected_on or facts.received_on
    assert [d.date for d in clock.days] == [start + ONE * i for i in range((expected - start).days + 1)]
    excluded = ref_excluded(start, pauses)
    counted = [d for d in clock.days if d.counted]
    assert len(counted) == 20 + facts.extension_workdays
    assert [d.ordinal for d in counted] == list(range(1, len(counted) + 1))
    for day in clock.days[1:]:
        assert day.counted == (ref_workday(day.date) and day.date not in excluded), day
        if day.date in excluded:
            assert "期间" in day.reason
