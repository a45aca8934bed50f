"""区长信箱 on the portal: the public letter form (validation, anonymity, rate limit, honeypot).

The workbench side (reply, completion, publication) and the report figure are tests/engagement/test_letters.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from gongkai.engagement.models import Letter, LetterStatus
from gongkai.portal import ratelimit

pytestmark = pytest.mark.django_db


def write(client: Client, **data: Any) -> Any:
    payload = {"subject": "人行道破损", "body": "东花市北里路口人行道砖松动。", "homepage": ""} | data
    return client.post("/mailbox/write/", payload)


def test_anonymous_letter_keeps_no_contact_details(client: Client, office: Any) -> None:
    response = write(client, anonymous="on", name="不该保存", phone="13811112222")
    assert response.status_code == 200 and "来信已收到" in response.content.decode()
    letter = Letter.objects.get()
    assert letter.anonymous and (letter.name, letter.phone, letter.email) == ("", "", "")
    assert letter.reference in response.content.decode()
    assert letter.status == LetterStatus.NEW and letter.received_on == dt.date.today()


def test_named_letter_needs_a_name_and_a_way_to_answer(client: Client, office: Any) -> None:
    page = write(client, name="", phone="").content.decode()
    assert "实名来信请填写姓名" in page and "至少留下电话或电子邮箱" in page
    assert "东花市北里路口人行道砖松动。" in page  # kept
    assert "请填写手机号码" in write(client, name="张三", phone="12345").content.decode()
    assert write(client, name="张三", phone="138 1111 2222").status_code == 200
    assert Letter.objects.get().phone == "13811112222"


def test_letters_are_rate_limited_per_contact(office: Any) -> None:
    for i in range(ratelimit.LETTER_PER_CONTACT.max_hits):
        assert write(Client(REMOTE_ADDR=f"192.0.2.{i}"), name="张三", phone="13811112222").status_code == 200
    limited = write(Client(REMOTE_ADDR="192.0.2.99"), name="张三", phone="13811112222")
    assert limited.status_code == 429 and "提交过于频繁" in limited.content.decode()


def test_honeypot_letter_is_dropped(client: Client, office: Any) -> None:
    assert write(client, anonymous="on", homepage="x").status_code == 400
    assert not Letter.objects.exists()
