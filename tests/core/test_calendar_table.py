"""The editable calendar table: seeding, manual entry and reading it back as a Calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.core.models import AuditEvent, CalendarRange, CalendarYear, User
from gongkai.core.selectors import calendar_from_db, get_calendar
from gongkai.core.services import enter_calendar_year, seed_calendar
from gongkai.workdays import CalendarUnknown, add_workdays, calendar_from_chinesecalendar

pytestmark = pytest.mark.django_db
D = dt.date


def test_seed_is_idempotent() -> None:
    first = seed_calendar(years=range(2018, 2028))
    assert first.created == list(range(2018, 2027))
    assert first.unsupported == [2027]
    rows = sorted(CalendarRange.objects.values_list("kind", "name", "first_day", "last_day"))
    events = AuditEvent.objects.count()
    assert events == 9

    second = seed_calendar(years=range(2018, 2028))
    assert second.created == [] and second.updated == []
    assert second.unchanged == list(range(2018, 2027))
    assert sorted(CalendarRange.objects.values_list("kind", "name", "first_day", "last_day")) == rows
    assert CalendarYear.objects.count() == 9
    assert AuditEvent.objects.count() == events


def test_seed_repairs_a_tampered_package_year_but_keeps_manual_years() -> None:
    seed_calendar(years=[2024, 2025])
    CalendarRange.objects.filter(calendar_year__year=2024, name="国庆节").delete()
    CalendarYear.objects.filter(year=2025).update(source=CalendarYear.Source.MANUAL)
    CalendarRange.objects.filter(calendar_year__year=2025, name="国庆节").delete()

    result = seed_calendar(years=[2024, 2025])
    assert result.updated == [2024]
    assert result.kept_manual == [2025]
    assert CalendarRange.objects.filter(calendar_year__year=2024, name="国庆节").exists()
    assert not CalendarRange.objects.filter(calendar_year__year=2025, name="国庆节").exists()


def test_calendar_from_db_equals_the_package_for_2019_to_2026() -> None:
    seed_calendar(years=range(2019, 2027))
    with CaptureQueriesContext(connection) as queries:
        cal = calendar_from_db()
    assert len(queries) == 1
    assert cal == calendar_from_chinesecalendar(range(2019, 2027))


def test_full_seed_round_trips(calendar_db, cn_calendar) -> None:  # type: ignore[no-untyped-def]
    assert calendar_db == cn_calendar


def test_2027_is_unknown_until_keyed_then_works() -> None:
    seed_calendar(years=[2026])
    with pytest.raises(CalendarUnknown) as info:
        add_workdays(get_calendar(), D(2026, 12, 20), 20)
    assert info.value.year == 2027

    staff = User.objects.create_user("li", password="x-Long-enough-1", is_staff=True)
    # A hypothetical arrangement for the test, not the real 2027 notice.
    cy = enter_calendar_year(
        actor=staff,
        year=2027,
        holidays=[("元旦", D(2027, 1, 1), D(2027, 1, 3)), ("春节", D(2027, 2, 5), D(2027, 2, 12))],
        workday_shifts=[("春节", D(2027, 2, 13)), ("春节", D(2027, 2, 20), D(2027, 2, 21))],
        notice_title="国务院办公厅关于2027年部分节假日安排的通知（测试数据）",
    )
    assert cy.source == CalendarYear.Source.MANUAL and cy.entered_by == staff
    cal = get_calendar()  # the cache was invalidated by the service
    assert add_workdays(cal, D(2026, 12, 20), 20) == D(2027, 1, 18)
    assert add_workdays(cal, D(2027, 2, 4), 1) == D(2027, 2, 13)
    event = AuditEvent.objects.get(verb="calendar.enter")
    assert event.actor == staff and event.after["year"] == 2027

    # Correcting the year replaces its ranges and records before and after.
    enter_calendar_year(
        actor=staff, year=2027, holidays=[("元旦", D(2027, 1, 1), D(2027, 1, 1))], workday_shifts=[]
    )
    assert CalendarRange.objects.filter(calendar_year__year=2027).count() == 1
    change = AuditEvent.objects.get(verb="calendar.change")
    assert len(change.before["ranges"]) == 4 and len(change.after["ranges"]) == 1
    assert add_workdays(get_calendar(), D(2027, 2, 4), 1) == D(2027, 2, 5)


@pytest.mark.parametrize(
    ("holidays", "shifts", "message"),
    [
        ([("元旦", D(2026, 12, 31), D(2027, 1, 1))], [], "不在 2027 年内"),
        ([("元旦", D(2027, 1, 1), D(2027, 1, 1))], [("春节", D(2027, 2, 10))], "不是周末"),
        (
            [("春节", D(2027, 2, 5), D(2027, 2, 14))],
            [("春节", D(2027, 2, 13))],
            "不能既是放假日又是调休上班日",
        ),
        ([("元旦", D(2027, 1, 3), D(2027, 1, 1))], [], "早于开始日期"),
        ([], [("春节", D(2027, 2, 13))], "至少应录入一段放假安排"),
        ([("元旦", D(2027, 1, 1), D(2027, 1, 3)), ("春节", D(2027, 1, 3), D(2027, 1, 4))], [], "重复出现"),
    ],
)
def test_invalid_manual_years_are_refused_and_nothing_is_written(holidays, shifts, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        enter_calendar_year(actor=None, year=2027, holidays=holidays, workday_shifts=shifts)
    assert any(message in m for m in info.value.messages)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.exists()


def test_a_year_with_no_ranges_is_known_and_has_only_weekends() -> None:
    CalendarYear.objects.create(year=2040)
    cal = calendar_from_db()
    assert cal.known_years == {2040}
    assert add_workdays(cal, D(2040, 1, 6), 1) == D(2040, 1, 9)  # Friday 6th -> Monday 9th


def test_seed_command_reports_what_it_did() -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out, err = StringIO(), StringIO()
    call_command("seed_calendar", "--years", "2025-2027", stdout=out, stderr=err)
    assert "新增：2025、2026" in out.getvalue()
    assert "软件包无数据：2027" in out.getvalue()
    assert "年度放假安排" in err.getvalue()
    assert set(CalendarYear.objects.values_list("year", flat=True)) == {2025, 2026}
    with pytest.raises(CommandError, match="无法识别的年份"):
        call_command("seed_calendar", "--years", "20x5")
