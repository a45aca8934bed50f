"""Shared helpers of the delivery tests: cases registered through the services, ticks, the clock."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

from gongkai import cli
from gongkai.core.choices import ApplicantType, NotifyBy, RequestChannel
from gongkai.inforequests import services
from gongkai.inforequests.models import InfoRequest
from staff_auth import sign_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2024, 5, 6)  # a Monday; the 2024 calendar is seeded from chinesecalendar


def moment(day: dt.date = DAY, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@contextmanager
def at(when: dt.datetime) -> Any:
    with time_machine.travel(when, tick=False) as traveller:
        yield traveller


def register(office: Any, **kw: Any) -> InfoRequest:
    data: dict[str, Any] = {
        "actor": office.clerk,
        "channel": RequestChannel.IN_PERSON,
        "submitted_on": DAY,
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "applicant_name": "张三",
        "applicant_id_number": "110101199001011234",
        "applicant_phone": "13812345678",
        "applicant_address": "北京市东城区东花市北里20号楼",
        "applicant_email": "zhangsan@example.com",
        "notify_by": NotifyBy.EMAIL,
        "description": "2023年东花市街道老旧小区综合整治项目的批复文件",
        "department": office.dept,
        "handler": office.staff,
    }
    data.update(kw)
    return services.inforequest_register(**data)


def tick(capsys: Any) -> tuple[int, str]:
    """Run `gongkai tick` in this process (the test database); (exit status, what it printed)."""
    capsys.readouterr()
    code = cli.main(["tick"])
    return code, capsys.readouterr().out


def login(user: Any, client: Client | None = None, **kw: Any) -> Client:
    return sign_in(client or Client(**kw), user)
