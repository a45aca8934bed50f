"""SMS through the gateway webhook (a real local HTTP receiver checking the HMAC signature), and SMS
that wait, with a Chinese reason, while no gateway is configured."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from delivery.conftest import SMS_KEY, Office, SmsGateway
from delivery.helpers import DAY, at, login, moment, register, tick
from gongkai.core.choices import NotifyBy
from gongkai.core.models import OutboxMessage
from gongkai.delivery.channels import sign
from gongkai.delivery.models import ServiceChannel, ServiceRecord

pytestmark = pytest.mark.django_db


def _sms(req: Any) -> OutboxMessage:
    return OutboxMessage.objects.get(idempotency_key=f"inforequest:{req.pk}:received:applicant:sms")


def test_sms_goes_to_the_gateway_signed_with_an_idempotency_key(
    office: Office, sms_gateway: SmsGateway, capsys: Any
) -> None:
    with at(moment(DAY)):
        req = register(office, notify_by=NotifyBy.SMS, applicant_email="", applicant_phone="138-1234-5678")
        code, out = tick(capsys)
        tick(capsys)
    assert code == 0, out
    assert "手机短信 1 条" in out
    (hit,) = sms_gateway.hits
    assert hit.signature_ok
    message = _sms(req)
    assert hit.headers["Idempotency-Key"] == message.idempotency_key
    assert hit.body["idempotency_key"] == message.idempotency_key
    assert hit.body["to"] == "13812345678"
    assert hit.body["text"].startswith(
        f"【东花市街道办事处】您的政府信息公开申请（{req.reference}）已于5月6日收到"
    )
    record = ServiceRecord.objects.get(key=message.idempotency_key)
    assert record.channel == ServiceChannel.SMS and record.recipient == "138****5678"


def test_the_signature_covers_timestamp_and_body() -> None:
    body = b'{"to": "13812345678"}'
    assert sign(SMS_KEY.encode(), "1700000000", body) != sign(SMS_KEY.encode(), "1700000001", body)
    assert sign(b"other", "1700000000", body) != sign(SMS_KEY.encode(), "1700000000", body)
    assert sign(SMS_KEY.encode(), "1700000000", body).startswith("sha256=")


def test_a_gateway_error_is_retried(office: Office, sms_gateway: SmsGateway, capsys: Any) -> None:
    sms_gateway.status = 503
    start = moment(DAY)
    with at(start):
        req = register(office, notify_by=NotifyBy.SMS)
        code, out = tick(capsys)
    assert code == 1 and "短信网关返回 HTTP 503" in out
    sms_gateway.status = 200
    with at(start + dt.timedelta(minutes=2)):
        code, _ = tick(capsys)
    assert code == 0
    assert [h.body["idempotency_key"] for h in sms_gateway.hits] == [_sms(req).idempotency_key] * 2
    assert _sms(req).sent_at is not None


def test_without_a_gateway_sms_wait_with_a_reason(office: Office, capsys: Any) -> None:
    with at(moment(DAY)):
        req = register(office, notify_by=NotifyBy.SMS)
        code, out = tick(capsys)
    assert code == 0
    assert (
        "等待渠道配置、保留待发 1 条（delivery.sms）：未配置短信网关（请设置 GONGKAI_SMS_URL 和 GONGKAI_SMS_KEY）"
        in out
    )
    message = _sms(req)
    assert message.sent_at is None and message.attempts == 0
    page = login(office.clerk).get("/workbench/delivery/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "等待渠道配置" in html and "未配置短信网关" in html and req.reference in html
    assert "138****5678" in html and "13812345678" not in html


def test_half_a_gateway_configuration_is_named(office: Office, settings: Any, capsys: Any) -> None:
    settings.GONGKAI_SMS_URL = "http://127.0.0.1:9/sms"
    with at(moment(DAY)):
        register(office, notify_by=NotifyBy.SMS)
        _, out = tick(capsys)
    assert "短信网关配置不完整：请同时设置 GONGKAI_SMS_URL 和 GONGKAI_SMS_KEY（缺少 GONGKAI_SMS_KEY）" in out


def test_an_applicant_without_a_mobile_number_is_dead_lettered_at_once(
    office: Office, sms_gateway: SmsGateway, capsys: Any
) -> None:
    from gongkai.inforequests.models import InfoRequest

    with at(moment(DAY)):
        req = register(office, notify_by=NotifyBy.SMS)
        # The number was corrected to a landline after the notice was queued.
        InfoRequest.objects.filter(pk=req.pk).update(applicant_phone="010-67123456")
        code, out = tick(capsys)
    assert code == 1
    assert "转入死信 1 条" in out and "申请人未留手机号码，无法以短信送达" in out
    message = _sms(req)
    assert message.dead_at is not None and message.attempts == 1
    assert sms_gateway.hits == []
