from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from gongkai.core.models import OutboxMessage
from gongkai.core.services import (
    PermanentFailure,
    drain_outbox,
    enqueue_message,
    outbox_requeue,
    retry_delay,
)

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


def test_a_key_names_the_side_effect_once() -> None:
    first = enqueue_message(kind="webhook", payload={"n": 1}, key="case:7:reply:email")
    again = enqueue_message(kind="webhook", payload={"n": 2}, key="case:7:reply:email")
    assert again.pk == first.pk and again.payload == {"n": 1}
    other = enqueue_message(kind="webhook", payload={})
    assert other.idempotency_key.startswith("webhook:") and other.idempotency_key != first.idempotency_key
    assert OutboxMessage.objects.count() == 2


def test_backoff_doubles_up_to_its_cap() -> None:
    assert [retry_delay(n) for n in (1, 2, 3)] == [dt.timedelta(minutes=m) for m in (1, 2, 4)]
    assert retry_delay(12) == retry_delay(40) == dt.timedelta(hours=6)


def test_dead_letters_after_the_last_attempt_or_at_once_when_hopeless() -> None:
    def broken(payload: dict[str, Any]) -> None:
        raise ConnectionError("down")

    def hopeless(payload: dict[str, Any]) -> None:
        raise PermanentFailure("收件人未留电子邮箱")

    tired = enqueue_message(kind="a", payload={})
    OutboxMessage.objects.filter(pk=tired.pk).update(attempts=2)
    at_once = enqueue_message(kind="b", payload={})
    result = drain_outbox({"a": broken, "b": hopeless}, max_attempts=3)
    assert result.dead == [tired.pk, at_once.pk] and result.failed == [tired.pk, at_once.pk]
    tired.refresh_from_db()
    at_once.refresh_from_db()
    assert tired.dead_at is not None and tired.next_attempt_at is None and tired.attempts == 3
    assert (
        at_once.dead_at is not None and at_once.attempts == 1 and at_once.last_error == "收件人未留电子邮箱"
    )
    # Dead letters stay put until someone requeues one.
    later = timezone.now() + dt.timedelta(days=2)
    with time_machine.travel(later):
        assert drain_outbox({"a": lambda p: None, "b": lambda p: None}).outcomes == []
        outbox_requeue(at_once)
        assert drain_outbox({"a": lambda p: None, "b": lambda p: None}).sent == [at_once.pk]


def test_a_handler_may_take_the_message_and_queue_more_for_the_same_run() -> None:
    seen: list[str] = []

    def expand(message: OutboxMessage) -> str:
        enqueue_message(kind="leaf", payload={"from": message.pk}, key=f"{message.idempotency_key}:leaf")
        return "已展开 1 条"

    expand.takes_message = True  # type: ignore[attr-defined]
    root = enqueue_message(kind="root", payload={}, key="root-1")
    result = drain_outbox({"root": expand, "leaf": lambda payload: seen.append(payload["from"])})
    assert len(result.sent) == 2 and seen == [root.pk]
    root.refresh_from_db()
    assert root.result == "已展开 1 条"


def test_a_sent_message_cannot_be_requeued() -> None:
    from django.core.exceptions import ValidationError

    message = enqueue_message(kind="x", payload={})
    drain_outbox({"x": lambda payload: None})
    with pytest.raises(ValidationError, match="已发送"):
        outbox_requeue(message)


def test_limit_bounds_one_run() -> None:
    for _ in range(5):
        enqueue_message(kind="x", payload={})
    assert len(drain_outbox({"x": lambda payload: None}, limit=3).sent) == 3
    assert len(drain_outbox({"x": lambda payload: None}, limit=3).sent) == 2
