"""The 公开办 keys in a year's 放假安排 from the workbench (no admin account needed), and every
page that cannot compute a deadline links there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from gongkai.core.models import AuditEvent, CalendarYear
from gongkai.core.selectors import get_calendar
from gongkai.core.services import seed_calendar
from gongkai.org.roles import Role
from gongkai.workdays import CalendarUnknown, add_workdays
from publications.factories import staff
from staff_auth import sign_in

pytestmark = pytest.mark.django_db

URL = "/workbench/calendar/"


def form(ranges: list[tuple[str, str, str, str]], *, initial: int = 0, blank: int = 3) -> dict[str, Any]:
    data: dict[str, Any] = {
        "notice_title": "国务院办公厅关于2027年部分节假日安排的通知",
        "notice_url": "https://www.gov.cn/zhengce/content/2026-11/01/content_0000000.htm",
        "notice_text": "",
        "r-TOTAL_FORMS": len(ranges) + blank,
        "r-INITIAL_FORMS": initial,
        "r-MIN_NUM_FORMS": 0,
        "r-MAX_NUM_FORMS": 60,
    }
    for i, (kind, name, first, last) in enumerate(ranges):
        data |= {f"r-{i}-kind": kind, f"r-{i}-name": name, f"r-{i}-first_day": first, f"r-{i}-last_day": last}
    for i in range(len(ranges), len(ranges) + blank):  # untouched blank rows, as the browser sends them
        data |= {f"r-{i}-kind": "", f"r-{i}-name": "", f"r-{i}-first_day": "", f"r-{i}-last_day": ""}
    return data


@pytest.fixture
def clerk_client(client: Client) -> Client:
    sign_in(client, staff(Role.CLERK))
    return client


@time_machine.travel(dt.datetime(2026, 11, 28, 10, 0), tick=False)
def test_the_list_says_which_year_is_missing_and_the_clerk_keys_it_in(clerk_client: Client) -> None:
    seed_calendar()
    page = clerk_client.get(URL).content.decode()
    assert "2027 年放假安排尚未录入" in page and 'href="/workbench/calendar/2027/"' in page
    assert "2026" in page and "chinesecalendar" in page
    with pytest.raises(CalendarUnknown):
        add_workdays(get_calendar(), dt.date(2026, 12, 20), 20)
    blank = clerk_client.get("/workbench/calendar/2027/").content.decode()
    assert blank.count('name="r-') >= 12 * 4  # twelve empty rows to key in a notice
    response = clerk_client.post(
        "/workbench/calendar/2027/",
        form(
            [
                ("holiday", "元旦", "2027-01-01", "2027-01-03"),
                ("holiday", "春节", "2027-02-05", "2027-02-12"),
                ("workday_shift", "春节", "2027-02-13", ""),  # a single day: the end date may stay empty
            ]
        ),
        follow=True,
    )
    assert "2027 年放假安排已保存" in response.content.decode()
    cy = CalendarYear.objects.get(year=2027)
    assert cy.source == CalendarYear.Source.MANUAL and cy.ranges.count() == 3
    assert AuditEvent.objects.filter(verb="calendar.enter", object_id=str(cy.pk)).exists()
    # Deadlines across the new year now compute, with the keyed holidays skipped.
    assert add_workdays(get_calendar(), dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)
    assert "2027 年放假安排尚未录入" not in clerk_client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ([("holiday", "元旦", "2027-01-01", ""), ("workday_shift", "春节", "2027-02-10", "")], "不是周末"),
        ([("holiday", "元旦", "2026-12-31", "2027-01-01")], "不在 2027 年内"),
        ([("workday_shift", "春节", "2027-02-13", "")], "至少应录入一段放假安排"),
        ([("holiday", "", "2027-01-01", "")], "这个字段是必填项"),
        ([("holiday", "元旦", "2027-02-30", "")], "输入一个有效的日期"),
    ],
)
def test_a_wrong_notice_is_refused_with_the_reason_and_the_rows_kept(
    clerk_client: Client, ranges: Any, message: str
) -> None:
    response = clerk_client.post("/workbench/calendar/2027/", form(ranges))
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert 'value="2027-01-01"' in text or 'value="2027-02-13"' in text or "2027-02-30" in text
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.filter(verb__startswith="calendar.").exists()


def test_correcting_a_seeded_year_shows_its_rows_and_makes_it_manual(clerk_client: Client) -> None:
    seed_calendar(years=[2025])
    page = clerk_client.get("/workbench/calendar/2025/").content.decode()
    assert "来自 chinesecalendar 软件包" in page and 'value="2025-10-01"' in page
    cy = CalendarYear.objects.get(year=2025)
    rows = [(r.kind, r.name, r.first_day.isoformat(), r.last_day.isoformat()) for r in cy.ranges.all()]
    data = form(rows, initial=len(rows), blank=0)
    data["r-0-DELETE"] = "on"  # drop the first range
    response = clerk_client.post("/workbench/calendar/2025/", data)
    assert response.status_code == 302
    cy.refresh_from_db()
    assert cy.source == CalendarYear.Source.MANUAL and cy.ranges.count() == len(rows) - 1
    assert AuditEvent.objects.filter(verb="calendar.change").exists()


def test_unknown_or_impossible_years(clerk_client: Client) -> None:
    assert clerk_client.get("/workbench/calendar/1999/").status_code == 404
    assert clerk_client.get("/workbench/calendar/2101/").status_code == 404
    response = clerk_client.get(URL + "?year=二〇二七", follow=True)
    assert "年份“二〇二七”无效" in response.content.decode()
    assert clerk_client.get(URL + "?year=2030")["Location"] == "/workbench/calendar/2030/"


def test_others_read_the_list_but_only_the_office_keys_in(client: Client) -> None:
    sign_in(client, staff(Role.DEPT_STAFF))
    page = client.get(URL)
    assert page.status_code == 200 and "联系公开办录入" in page.content.decode()
    assert client.get("/workbench/calendar/2027/").status_code == 403
    assert (
        client.post("/workbench/calendar/2027/", form([("holiday", "元旦", "2027-01-01", "")])).status_code
        == 403
    )
