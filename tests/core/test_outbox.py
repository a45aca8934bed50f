from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from gongkai.core.models import OutboxMessage
from gongkai.core.services import drain_outbox, enqueue_message

pytestmark = pytest.mark.django_db


def test_drain_delivers_once_and_records_failures() -> None:
    delivered: list[dict[str, Any]] = []

    def deliver(payload: dict[str, Any]) -> None:
        delivered.append(payload)

    def broken(payload: dict[str, Any]) -> None:
        raise ConnectionError("对方服务器无响应")

    ok = enqueue_message(kind="webhook", payload={"case": 7, "due": dt.date(2026, 1, 5)})
    bad = enqueue_message(kind="sms", payload={"to": "138"})
    other = enqueue_message(kind="email", payload={})

    result = drain_outbox({"webhook": deliver, "sms": broken})
    assert result.sent == [ok.pk]
    assert result.failed == [bad.pk]
    assert delivered == [{"case": 7, "due": "2026-01-05"}]

    ok.refresh_from_db()
    bad.refresh_from_db()
    other.refresh_from_db()
    assert ok.sent_at is not None and ok.attempts == 1
    assert bad.sent_at is None and bad.attempts == 1 and "对方服务器无响应" in bad.last_error
    assert other.attempts == 0  # nobody here knows how to send it; left for a drainer that does

    # The failed message waits for its backoff (one minute after a first failure), then is retried.
    assert drain_outbox({"webhook": deliver, "sms": broken}).outcomes == []
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1, seconds=1)):
        again = drain_outbox({"webhook": deliver, "sms": broken})
    assert again.sent == [] and again.failed == [bad.pk]
    assert len(delivered) == 1


def test_exhausted_and_claimed_messages_are_skipped() -> None:
    exhausted = enqueue_message(kind="webhook", payload={})
    OutboxMessage.objects.filter(pk=exhausted.pk).update(attempts=10)
    claimed = enqueue_message(kind="webhook", payload={})
    OutboxMessage.objects.filter(pk=claimed.pk).update(claimed_until=timezone.now() + dt.timedelta(minutes=1))
    stale = enqueue_message(kind="webhook", payload={})
    OutboxMessage.objects.filter(pk=stale.pk).update(claimed_until=timezone.now() - dt.timedelta(minutes=1))

    result = drain_outbox({"webhook": lambda payload: None}, max_attempts=10)
    assert result.sent == [stale.pk]
