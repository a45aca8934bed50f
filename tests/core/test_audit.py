from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models.deletion import ProtectedError

from gongkai.core.models import AuditEvent, AuditLogImmutable, CalendarYear, User
from gongkai.core.services import model_snapshot, record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def user() -> User:
    return User.objects.create_user("wang", password="x-Long-enough-1")


@pytest.fixture
def event(user: User) -> AuditEvent:
    obj = CalendarYear.objects.create(year=2030)
    return record_event(
        actor=user,
        verb="calendar.enter",
        obj=obj,
        before=None,
        after={"year": 2030, "on": dt.date(2030, 1, 1), "fee": Decimal("1.50")},
    )


def test_record_event_stores_who_what_and_state(event: AuditEvent, user: User) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == user
    assert stored.verb == "calendar.enter"
    assert (stored.object_type, stored.object_id, stored.object_repr) == (
        "core.calendaryear",
        str(CalendarYear.objects.get(year=2030).pk),
        "2030 年放假安排",
    )
    assert stored.before is None
    assert stored.after == {"year": 2030, "on": "2030-01-01", "fee": "1.50"}
    assert stored.occurred_at is not None


def test_system_and_anonymous_actors_are_stored_as_none() -> None:
    assert record_event(actor=None, verb="system.tick", obj=None).actor is None
    assert record_event(actor=AnonymousUser(), verb="portal.apply", obj=None).actor is None


def test_save_of_an_existing_event_is_refused(event: AuditEvent) -> None:
    event.verb = "tampered"
    with pytest.raises(AuditLogImmutable):
        event.save()
    with pytest.raises(AuditLogImmutable):
        event.save(update_fields=["verb"])
    assert AuditEvent.objects.get(pk=event.pk).verb == "calendar.enter"


def test_instance_delete_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AuditLogImmutable):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event: AuditEvent) -> None:
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(verb="tampered")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.all().delete()
    event.verb = "tampered"
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.bulk_update([event], ["verb"])
    fresh = AuditEvent.objects.get(pk=event.pk)
    assert fresh.verb == "calendar.enter"
    assert AuditEvent.objects.count() == 1


def test_an_actor_with_history_cannot_be_deleted(event: AuditEvent, user: User) -> None:
    with pytest.raises(ProtectedError):
        user.delete()
    assert AuditEvent.objects.filter(pk=event.pk, actor=user).exists()


def test_model_snapshot_is_json_ready(user: User) -> None:
    obj = CalendarYear.objects.create(year=2031, entered_by=user, notice_title="通知")
    snap = model_snapshot(obj, fields=["year", "entered_by", "notice_title", "entered_at"])
    assert snap["year"] == 2031
    assert snap["entered_by_id"] == user.pk
    assert snap["notice_title"] == "通知"
    assert isinstance(snap["entered_at"], str)
    assert "notice_text" not in snap
