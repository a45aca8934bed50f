"""Staff key in a new year's State Council notice through the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core.models import AuditEvent, CalendarRange, CalendarYear, User
from gongkai.core.services import record_event, seed_calendar
from staff_auth import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    admin = User.objects.create_superuser("admin", password="x-Long-enough-1")
    sign_in(client, admin)
    return client


def year_form(year: int, ranges: list[tuple[str, str, str, str]], *, initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "year": year,
        "notice_title": f"国务院办公厅关于{year}年部分节假日安排的通知",
        "notice_url": "",
        "notice_text": "",
        "ranges-TOTAL_FORMS": len(ranges),
        "ranges-INITIAL_FORMS": initial,
        "ranges-MIN_NUM_FORMS": 0,
        "ranges-MAX_NUM_FORMS": 1000,
    }
    for i, (kind, name, first, last) in enumerate(ranges):
        data |= {f"ranges-{i}-kind": kind, f"ranges-{i}-name": name}
        data |= {f"ranges-{i}-first_day": first, f"ranges-{i}-last_day": last}
    return data


ADD_URL = reverse("admin:core_calendaryear_add")


def test_staff_key_in_a_new_year(staff_client: Client) -> None:
    response = staff_client.post(
        ADD_URL,
        year_form(
            2027,
            [
                ("holiday", "元旦", "2027-01-01", "2027-01-03"),
                ("holiday", "春节", "2027-02-05", "2027-02-12"),
                ("workday_shift", "春节", "2027-02-13", "2027-02-13"),
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()
    cy = CalendarYear.objects.get(year=2027)
    assert cy.source == CalendarYear.Source.MANUAL
    assert cy.entered_by.username == "admin"
    assert cy.ranges.count() == 3
    assert AuditEvent.objects.filter(verb="calendar.enter", object_id=str(cy.pk)).exists()


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        (
            [
                ("holiday", "元旦", "2027-01-01", "2027-01-01"),
                ("workday_shift", "春节", "2027-02-10", "2027-02-10"),
            ],
            "不是周末",
        ),
        ([("holiday", "元旦", "2026-12-31", "2027-01-01")], "不在 2027 年内"),
        (
            [
                ("holiday", "春节", "2027-02-05", "2027-02-14"),
                ("workday_shift", "春节", "2027-02-13", "2027-02-13"),
            ],
            "不能既是放假日又是调休上班日",
        ),
        ([("workday_shift", "春节", "2027-02-13", "2027-02-13")], "至少应录入一段放假安排"),
    ],
)
def test_invalid_notices_are_refused_with_a_reason(staff_client: Client, ranges: Any, message: str) -> None:
    response = staff_client.post(ADD_URL, year_form(2027, ranges))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.exists()


def test_editing_a_seeded_year_makes_it_manual(staff_client: Client) -> None:
    seed_calendar(years=[2026])
    cy = CalendarYear.objects.get(year=2026)
    existing = list(cy.ranges.order_by("id"))
    data = year_form(
        2026,
        [(r.kind, r.name, r.first_day.isoformat(), r.last_day.isoformat()) for r in existing],
        initial=len(existing),
    )
    for i, r in enumerate(existing):
        data[f"ranges-{i}-id"] = r.pk
        data[f"ranges-{i}-calendar_year"] = cy.pk
    data["ranges-0-DELETE"] = "on"
    response = staff_client.post(reverse("admin:core_calendaryear_change", args=[cy.pk]), data)
    assert response.status_code == 302, response.content.decode()
    cy.refresh_from_db()
    assert cy.source == CalendarYear.Source.MANUAL
    assert CalendarRange.objects.filter(calendar_year=cy).count() == len(existing) - 1
    assert AuditEvent.objects.filter(verb="calendar.change").count() == 1
    assert seed_calendar(years=[2026]).kept_manual == [2026]


def test_audit_log_is_read_only_in_admin(staff_client: Client) -> None:
    event = record_event(actor=None, verb="system.tick", obj=None)
    assert staff_client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    change_url = reverse("admin:core_auditevent_change", args=[event.pk])
    page = staff_client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert staff_client.post(change_url, {"verb": "tampered"}).status_code == 403
    assert staff_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert (
        staff_client.post(
            reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEvent.objects.get(pk=event.pk).verb == "system.tick"


def test_add_page_offers_the_range_inline(staff_client: Client) -> None:
    page = staff_client.get(ADD_URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "调休上班" in body and "ranges-TOTAL_FORMS" in body
