"""The demo's 随手拍: every state, forwarded for real to the demo's own local receiver."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from gongkai.delivery.selectors import dead_letters
from gongkai.demo_ledger.grid import build_grid
from gongkai.grid.models import Forwarding, ReportStatus
from gongkai.grid.selectors import forwarding_rows

pytestmark = pytest.mark.django_db


def test_the_demo_has_reports_in_every_state(settings: Any) -> None:
    lines: list[str] = []
    reports = build_grid(today=timezone.localdate(), progress=lines.append)
    for report in reports:
        report.refresh_from_db()
    assert {r.status for r in reports} == set(ReportStatus.values)
    assert all(r.submitted_at.year == timezone.localdate().year for r in reports)
    acked = Forwarding.objects.exclude(receiver_ref="")
    assert acked.count() == 10 and {f.receiver_ref[:3] for f in acked} == {"WG-", "RX-"}
    assert len(list(dead_letters())) == 2
    assert {r.state for r in forwarding_rows(reports[-1])} == {"等待发送"}
    assert "10 次转送" in lines[0] and "2 次被拒收" in lines[0]
    assert settings.GONGKAI_GRID_URL == ""  # the demo's receiver is gone, and so is its address
