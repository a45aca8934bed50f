"""Known cases of the working-day arithmetic, checked against the published State Council notices."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from gongkai.workdays import (
    Calendar,
    CalendarUnknown,
    DayKind,
    Pause,
    add_workdays,
    calendar_from_chinesecalendar,
    chinesecalendar_days,
    explain,
    is_workday,
    workdays_between,
)

D = dt.date


def test_national_day_2019_is_skipped(cn_calendar: Calendar) -> None:
    # 2019 notice: 国庆节 10月1日至7日放假调休；9月29日（星期日）、10月12日（星期六）上班。
    assert add_workdays(cn_calendar, D(2019, 9, 30), 1) == D(2019, 10, 8)
    assert add_workdays(cn_calendar, D(2019, 9, 27), 1) == D(2019, 9, 29)  # a Sunday worked
    assert workdays_between(cn_calendar, D(2019, 9, 30), D(2019, 10, 7)) == 0


def test_shift_saturday_2019_10_12_is_a_working_day(cn_calendar: Calendar) -> None:
    assert D(2019, 10, 12).weekday() == 5
    assert cn_calendar.day_kind(D(2019, 10, 12)) is DayKind.SHIFT_WORKDAY
    assert is_workday(cn_calendar, D(2019, 10, 12))
    assert not is_workday(cn_calendar, D(2019, 10, 13))
    # Tue 8th .. Sat 12th are five consecutive working days.
    assert add_workdays(cn_calendar, D(2019, 10, 7), 5) == D(2019, 10, 12)


def test_spring_festival_2020_extension_is_known(cn_calendar: Calendar) -> None:
    # The State Council extended the 2020 春节 holiday to 2月2日.
    assert cn_calendar.day_kind(D(2020, 1, 31)) is DayKind.HOLIDAY
    assert add_workdays(cn_calendar, D(2020, 1, 23), 1) == D(2020, 2, 3)


def test_twenty_working_days_from_a_receipt_date(cn_calendar: Calendar) -> None:
    # Received Friday 2024-09-27: 国庆节 10月1日至7日, 9月29日（星期日）、10月12日（星期六）上班.
    deadline = add_workdays(cn_calendar, D(2024, 9, 27), 20)
    assert workdays_between(cn_calendar, D(2024, 9, 27), deadline) == 20
    assert deadline == D(2024, 10, 30)


def test_zero_and_negative(cn_calendar: Calendar) -> None:
    assert add_workdays(cn_calendar, D(2024, 10, 1), 0) == D(2024, 10, 1)
    with pytest.raises(ValueError):
        add_workdays(cn_calendar, D(2024, 10, 1), -1)
    assert workdays_between(cn_calendar, D(2019, 10, 8), D(2019, 9, 30)) == -1


def test_pause_days_are_not_counted(cn_calendar: Calendar) -> None:
    start = D(2024, 3, 1)  # Friday
    plain = add_workdays(cn_calendar, start, 5)
    assert plain == D(2024, 3, 8)
    paused = add_workdays(cn_calendar, start, 5, pauses=[(D(2024, 3, 5), D(2024, 3, 6), "补正")])
    assert paused == D(2024, 3, 12)
    assert workdays_between(cn_calendar, start, paused, pauses=[Pause(D(2024, 3, 5), D(2024, 3, 6))]) == 5
    with pytest.raises(ValueError):
        Pause(D(2024, 3, 6), D(2024, 3, 5))


def test_unknown_year_raises_and_names_the_year(cn_calendar: Calendar) -> None:
    start = D(2026, 12, 20)
    with pytest.raises(CalendarUnknown) as info:
        add_workdays(cn_calendar, start, 20)
    assert info.value.year == 2027
    assert "2027" in str(info.value) and "放假安排" in str(info.value)
    with pytest.raises(CalendarUnknown):
        workdays_between(cn_calendar, start, D(2027, 1, 5))
    with pytest.raises(CalendarUnknown):
        explain(cn_calendar, start, 20)
    # Nine working days remain in December 2026, so a shorter clock still works.
    assert add_workdays(cn_calendar, start, 9) == D(2026, 12, 31)


def test_unknown_year_raises_even_while_paused(cn_calendar: Calendar) -> None:
    with pytest.raises(CalendarUnknown):
        add_workdays(
            cn_calendar, D(2026, 12, 30), 3, pauses=[(D(2026, 12, 31), D(2027, 1, 8), "征求第三方意见")]
        )


def test_manually_keyed_year_makes_2027_work(cn_calendar: Calendar) -> None:
    # A hypothetical 2027 notice (not the real one): 元旦 1月1日至3日放假.
    keyed = Calendar(
        cn_calendar.known_years | {2027},
        {**cn_calendar.holidays, D(2027, 1, 1): "元旦", D(2027, 1, 2): "元旦", D(2027, 1, 3): "元旦"},
        cn_calendar.shift_workdays,
    )
    # Dec 2026: 21–25, 28–31 = 9 days; Jan 2027: 4–8, 11–15 = 10 more; the 20th is Monday 18th.
    assert add_workdays(keyed, D(2026, 12, 20), 20) == D(2027, 1, 18)


def test_explain_lists_every_day_with_its_reason(cn_calendar: Calendar) -> None:
    days = explain(cn_calendar, D(2019, 9, 27), 4, pauses=[(D(2019, 10, 8), D(2019, 10, 8), "补正")])
    got = [(d.date.isoformat(), d.counted, d.ordinal, d.reason) for d in days]
    assert got[0] == ("2019-09-27", False, None, "起算日（不计入，次日起算）")
    assert got[1] == ("2019-09-28", False, None, "周末")
    assert got[2] == ("2019-09-29", True, 1, "调休上班（国庆节）")
    assert got[3] == ("2019-09-30", True, 2, "工作日")
    assert got[4] == ("2019-10-01", False, None, "法定节假日「国庆节」")
    assert got[8] == ("2019-10-05", False, None, "法定节假日「国庆节」")  # a Saturday inside the holiday
    assert got[11] == ("2019-10-08", False, None, "暂停：补正")
    assert got[12] == ("2019-10-09", True, 3, "工作日")
    assert got[13] == ("2019-10-10", True, 4, "工作日")
    assert len(got) == 14
    assert days[-1].date == add_workdays(
        cn_calendar, D(2019, 9, 27), 4, pauses=[(D(2019, 10, 8), D(2019, 10, 8))]
    )
    assert days[-1].ordinal == 4 and days[-1].counted
    assert sum(d.counted for d in days) == 4


def test_calendar_rejects_inconsistent_data() -> None:
    with pytest.raises(ValueError, match="不是周末"):
        Calendar({2024}, (), {D(2024, 10, 9)})
    with pytest.raises(ValueError, match="既是放假日又是调休上班日"):
        Calendar({2024}, {D(2024, 10, 12)}, {D(2024, 10, 12)})
    with pytest.raises(ValueError, match="不在已录入的年份"):
        Calendar({2024}, {D(2025, 1, 1)})
    with pytest.raises(TypeError):
        Calendar({2024}, {dt.datetime(2024, 10, 1)})


def test_chinesecalendar_names_are_chinese_and_stay_in_their_year() -> None:
    holidays, shifts = chinesecalendar_days(2019)
    assert holidays[D(2019, 10, 1)] == "国庆节"
    assert holidays[D(2019, 2, 5)] == "春节"
    assert shifts[D(2019, 10, 12)] == "国庆节"
    # The 2019 元旦 arrangement's 2018-12-29 上班 belongs to 2018, not to 2019.
    assert all(d.year == 2019 for d in (*holidays, *shifts))
    with pytest.raises(CalendarUnknown) as info:
        calendar_from_chinesecalendar([2026, 2027])
    assert info.value.year == 2027


def test_calendar_equality_restriction_and_pickling(cn_calendar: Calendar) -> None:
    sub = cn_calendar.restricted_to(range(2019, 2027))
    assert sub == calendar_from_chinesecalendar(range(2019, 2027))
    assert sub != cn_calendar
    assert pickle.loads(pickle.dumps(sub)) == sub
    with pytest.raises(CalendarUnknown):
        sub.day_kind(D(2018, 12, 29))
