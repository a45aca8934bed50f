"""Forwarding to the grid platform and the 96010 hotline: real local HTTP receivers that go down (refused
connections, HTTP 503) and come back. Nothing is lost, nothing is delivered twice, the receivers' ids and
later statuses land on the report, and a refused forwarding is dead-lettered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from gongkai.core.models import AuditEvent, OutboxMessage
from gongkai.delivery.selectors import dead_letters
from gongkai.grid.forward import HANDLERS
from gongkai.grid.models import Forwarding, ReportStatus
from gongkai.grid.selectors import forwarding_rows
from gongkai.grid.services import forward_key
from grid.conftest import GRID_KEY, Receiver
from grid.helpers import drain, file_report

pytestmark = pytest.mark.django_db


def _later(minutes: int) -> Any:
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=True)


def test_receivers_down_then_up_no_loss_no_duplicate(receivers: tuple[Receiver, Receiver]) -> None:
    grid, hotline = receivers
    reports = [file_report(), file_report(place="东花市南里 3 号楼北侧", category="sanitation")]
    grid.fail_with = 503  # answers, but refuses to take anything
    hotline.down()  # not even listening
    first = drain()
    assert len(first.failed) == 4 and not first.sent
    assert all(h.status == 503 for h in grid.hits) and len(grid.hits) == 2
    assert Forwarding.objects.filter(acknowledged_at__isnull=False).count() == 0
    assert {r.state for r in forwarding_rows(reports[0])} == {"发送失败 1 次，等待重试"}

    assert not drain().outcomes  # backoff: nothing is due yet
    with _later(2):
        assert len(drain().failed) == 4  # still down: second attempt, still nothing lost

    grid.fail_with = None
    hotline.up()
    with _later(10):
        recovered = drain()
    assert len(recovered.sent) == 4, recovered.outcomes
    with _later(60):
        assert not drain().outcomes  # delivered messages are never sent again

    accepted_grid = [h for h in grid.hits if h.status == 200]
    accepted_hotline = [h for h in hotline.hits if h.status == 200]
    assert len(accepted_grid) == 2 and len(accepted_hotline) == 2
    assert all(h.signature_ok for h in grid.hits + hotline.hits)
    for report in reports:
        report.refresh_from_db()
        assert report.status == ReportStatus.FORWARDED
        refs = {f.receiver: f.receiver_ref for f in report.forwardings.all()}
        assert refs["grid"].startswith("WG-") and refs["96010"].startswith("RX-")
        keys = {forward_key(report.pk, "grid"), forward_key(report.pk, "96010")}
        assert keys <= {h.key for h in accepted_grid + accepted_hotline}
    assert OutboxMessage.objects.filter(kind__startswith="grid.forward.", sent_at__isnull=True).count() == 0


def test_a_repeat_after_a_crash_carries_the_same_key_and_changes_nothing(
    receivers: tuple[Receiver, Receiver],
) -> None:
    grid, _ = receivers
    report = file_report()
    message = OutboxMessage.objects.get(idempotency_key=forward_key(report.pk, "grid"))
    # Sent, then the process died before sent_at was stored: the next tick sends the same message again.
    HANDLERS["grid.forward.grid"](message)
    HANDLERS["grid.forward.grid"](message)
    assert [h.key for h in grid.hits] == [message.idempotency_key] * 2
    assert len(grid.accepted) == 1  # the receiver recognised the repeat by its Idempotency-Key
    fwd = Forwarding.objects.get(key=message.idempotency_key)
    assert fwd.receiver_ref == "WG-1"
    assert AuditEvent.objects.filter(verb="grid.forward_ack", object_id=str(fwd.pk)).count() == 1


def test_a_receiver_that_never_comes_back_is_dead_lettered(receivers: tuple[Receiver, Receiver]) -> None:
    grid, _ = receivers
    grid.fail_with = 503
    report = file_report()
    drain(max_attempts=2)
    with _later(2):
        result = drain(max_attempts=2)
    dead = OutboxMessage.objects.get(idempotency_key=forward_key(report.pk, "grid"))
    assert dead.pk in result.dead and dead.is_dead
    assert "HTTP 503" in dead.last_error
    assert dead in list(dead_letters())
    rows = {r.forwarding.receiver: r for r in forwarding_rows(report)}
    assert rows["grid"].state == "多次失败，已转入死信" and rows["96010"].state == "已送达"


def test_a_refused_signature_is_dead_lettered_at_once(
    receivers: tuple[Receiver, Receiver], settings: Any
) -> None:
    settings.GONGKAI_GRID_KEY = GRID_KEY + "-wrong"  # the receiver answers 401
    report = file_report()
    result = drain()
    message = OutboxMessage.objects.get(idempotency_key=forward_key(report.pk, "grid"))
    assert message.pk in result.dead
    assert "拒收（HTTP 401）" in message.last_error


def test_unconfigured_receivers_keep_reports_waiting(capsys: Any) -> None:
    from gongkai import cli

    report = file_report()
    assert cli.main(["tick"]) == 0
    out = capsys.readouterr().out
    assert "GONGKAI_GRID_URL" in out and "GONGKAI_96010_URL" in out
    assert {r.state for r in forwarding_rows(report)} == {"等待发送"}
