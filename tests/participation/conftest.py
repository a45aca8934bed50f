"""The participation tests: the portal's small office, a real local SMS gateway, polls and consultations
made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from delivery.conftest import SMS_KEY, SmsGateway, sms_gateway  # noqa: F401  (fixture)
from gongkai.participation import consultations, services
from gongkai.participation.models import Consultation, Poll
from portal.conftest import Office, _fast_passwords, office  # noqa: F401

PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _no_gateway_unless_asked(settings: Any) -> None:
    settings.GONGKAI_SMS_URL = ""
    settings.GONGKAI_SMS_KEY = ""


def make_poll(owner: Office, *, hours_open: float = 48, started_hours_ago: float = 1) -> Poll:
    now = timezone.now()
    return services.poll_save(
        actor=owner.clerk,
        title="东花市北里小区停车方案征求投票",
        description="请选择您支持的方案。",
        opens_at=now - dt.timedelta(hours=started_hours_ago),
        closes_at=now - dt.timedelta(hours=started_hours_ago) + dt.timedelta(hours=hours_open),
        options=["方案一：划线停车", "方案二：错时停车", "方案三：维持现状"],
        is_published=True,
    )


def make_consultation(owner: Office, *, open_now: bool = True) -> Consultation:
    now = timezone.now()
    return consultations.consultation_save(
        actor=owner.clerk,
        title="《东花市街道文明养犬公约（征求意见稿）》",
        draft_text="第一条 为营造文明和谐的社区环境，制定本公约。\n第二条 遛犬应当束犬链。",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7 if open_now else -0.5),
        is_published=True,
    )


__all__ = ["PHONE", "SMS_KEY", "SmsGateway", "make_consultation", "make_poll"]
