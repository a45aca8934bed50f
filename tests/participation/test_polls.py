"""Voting with a mobile number verified by an SMS code sent through the real gateway webhook."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from gongkai import cli
from gongkai.core.models import AuditEvent, OutboxMessage
from gongkai.participation import codes, services
from gongkai.participation.models import PhoneCode, PollVote
from participation.conftest import PHONE, SmsGateway, make_poll

pytestmark = pytest.mark.django_db


def _tick(capsys: Any) -> str:
    capsys.readouterr()
    assert cli.main(["tick"]) == 0
    return capsys.readouterr().out


def _ask_code(client: Client, poll: Any, phone: str = PHONE) -> Any:
    return client.post(f"/polls/{poll.pk}/", {"action": "code", "phone": phone, "option": ""})


def _code_from(gateway: SmsGateway) -> str:
    found = re.search(r"验证码为 (\d{6})", gateway.hits[-1].body["text"])
    assert found, gateway.hits[-1].body
    return found.group(1)


def _vote(client: Client, poll: Any, code: str, option: int | None = None, phone: str = PHONE) -> Any:
    option = option or poll.options.first().pk
    return client.post(
        f"/polls/{poll.pk}/", {"action": "vote", "phone": phone, "code": code, "option": option}
    )


def test_a_resident_votes_once_with_the_code_the_gateway_delivered(
    office: Any, sms_gateway: SmsGateway, capsys: Any
) -> None:
    poll, client = make_poll(office), Client()
    answer = _ask_code(client, poll)
    assert answer.status_code == 200 and "验证码已发送" in answer.content.decode()
    _tick(capsys)
    (hit,) = sms_gateway.hits
    assert hit.signature_ok and hit.body["to"] == PHONE
    code = _code_from(sms_gateway)
    # Stored only as keyed hashes: neither the number nor the code can be read back from the row.
    row = PhoneCode.objects.get()
    assert code not in row.code_hash and PHONE not in row.phone_digest
    assert _vote(client, poll, code).status_code == 302
    assert PollVote.objects.filter(poll=poll).count() == 1
    assert AuditEvent.objects.filter(verb="poll.vote").count() == 1
    # The same code again: spent.
    again = _vote(client, poll, code)
    assert again.status_code == 400 and "验证码已过期或未获取" in again.content.decode()
    # A fresh code for the same number: the number has voted.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        _ask_code(client, poll)
        _tick(capsys)
        second = _vote(client, poll, _code_from(sms_gateway))
    assert second.status_code == 400 and services.ALREADY_VOTED in second.content.decode()
    assert PollVote.objects.filter(poll=poll).count() == 1


def test_results_are_published_only_when_the_poll_has_closed(office: Any) -> None:
    poll = make_poll(office)
    PollVote.objects.create(poll=poll, option=poll.options.first(), voter_digest="x" * 64)
    page = Client().get(f"/polls/{poll.pk}/").content.decode()
    assert "投票结果" not in page and "获取短信验证码" in page
    with time_machine.travel(poll.closes_at + dt.timedelta(minutes=1)):
        closed = Client().get(f"/polls/{poll.pk}/").content.decode()
        assert "投票结果" in closed and "100%" in closed and "获取短信验证码" not in closed
        refused = _vote(Client(), poll, "123456")
    assert refused.status_code == 400 and "不在投票时间内" in refused.content.decode()


def test_wrong_codes_are_counted_and_stop_after_five(office: Any) -> None:
    poll = make_poll(office)
    services.send_vote_code(poll=poll, phone=PHONE)
    message = OutboxMessage.objects.get(kind="delivery.sms")
    code = re.search(r"(\d{6})", message.payload["text"]).group(1)  # type: ignore[union-attr]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(codes.MAX_ATTEMPTS):
        assert "验证码不正确" in _vote(Client(), poll, wrong).content.decode()
    locked = _vote(Client(), poll, code)
    assert locked.status_code == 400 and "错误次数过多" in locked.content.decode()
    assert not PollVote.objects.exists()
    no_choice = Client().post(f"/polls/{poll.pk}/", {"action": "vote", "phone": PHONE, "code": code})
    assert no_choice.status_code == 400 and "请选择一个选项" in no_choice.content.decode()


def test_a_code_expires_after_ten_minutes(office: Any) -> None:
    poll = make_poll(office)
    services.send_vote_code(poll=poll, phone=PHONE)
    code = re.search(r"(\d{6})", OutboxMessage.objects.get(kind="delivery.sms").payload["text"]).group(1)  # type: ignore[union-attr]
    with time_machine.travel(timezone.now() + codes.VALID_FOR + dt.timedelta(seconds=1)):
        answer = _vote(Client(), poll, code)
    assert answer.status_code == 400 and "已过期" in answer.content.decode()


def test_codes_are_rate_limited_per_number(office: Any) -> None:
    poll = make_poll(office)
    start = timezone.now()
    services.send_vote_code(poll=poll, phone=PHONE)
    with pytest.raises(ValidationError, match="1 分钟后"):
        services.send_vote_code(poll=poll, phone=PHONE)
    for i in range(1, codes.PER_HOUR):
        with time_machine.travel(start + dt.timedelta(minutes=2 * i)):
            services.send_vote_code(poll=poll, phone=PHONE)
    with (
        time_machine.travel(start + dt.timedelta(minutes=20)),
        pytest.raises(ValidationError, match="过于频繁"),
    ):
        services.send_vote_code(poll=poll, phone=PHONE)
    assert OutboxMessage.objects.filter(kind="delivery.sms").count() == codes.PER_HOUR


@pytest.mark.parametrize(
    ("phone", "message"),
    [("010-12345678", "固定电话收不到"), ("12345", "11 位手机号码"), ("", "请填写手机号码")],
)
def test_a_code_needs_a_mobile_number(office: Any, phone: str, message: str) -> None:
    answer = _ask_code(Client(), make_poll(office), phone)
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not OutboxMessage.objects.filter(kind="delivery.sms").exists()


def test_the_database_holds_one_vote_per_person_and_poll(office: Any) -> None:
    poll = make_poll(office)
    PollVote.objects.create(poll=poll, option=poll.options.first(), voter_digest="d" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(poll=poll, option=poll.options.last(), voter_digest="d" * 64)


def test_only_the_office_manages_polls_and_every_save_is_audited(office: Any) -> None:
    poll = make_poll(office)
    assert AuditEvent.objects.filter(verb="poll.save", object_id=str(poll.pk)).exists()
    with pytest.raises(PermissionDenied):
        make_poll(type("O", (), {"clerk": office.drafter})())  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="至少需要两个选项"):
        services.poll_save(
            actor=office.clerk, title="x", description="", opens_at=timezone.now(),
            closes_at=timezone.now() + dt.timedelta(days=1), options=["唯一"], is_published=True,
        )  # fmt: skip
    now = timezone.now()
    with pytest.raises(ValidationError, match="截止时间应晚于开始时间"):
        services.poll_save(
            actor=office.clerk, title="x", description="", opens_at=now,
            closes_at=now, options=["甲", "乙"], is_published=True,
        )  # fmt: skip


def test_the_portal_home_links_to_current_polls_and_the_service_directory(office: Any) -> None:
    poll = make_poll(office)
    home = Client().get("/").content.decode()
    assert f'href="/polls/{poll.pk}/"' in home and 'href="/polls/"' in home and 'href="/services/"' in home
