"""The workbench side: the dead-letter list and its retry (permission, CSRF, audit), the letters to post
(print page logged, 已寄出 writes the 送达 record), 我的消息 and the case page's 送达记录."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from delivery.conftest import Office, SmtpServer
from delivery.helpers import DAY, at, login, moment, register, tick
from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.choices import NotifyBy
from gongkai.core.models import AuditEvent, OutboxMessage
from gongkai.delivery.models import PostalItem, ServiceChannel, ServiceRecord

pytestmark = pytest.mark.django_db


def _dead_receipt(office: Office, settings: Any, smtp_server: SmtpServer, capsys: Any) -> tuple[Any, Any]:
    settings.GONGKAI_EMAIL_URL = smtp_server.url
    smtp_server.down()
    start = moment(DAY)
    with at(start):
        req = register(office)
        assert tick(capsys)[0] == 1  # the receipt is queued, and its first attempt fails
    receipt = OutboxMessage.objects.get(idempotency_key=f"inforequest:{req.pk}:received:applicant:email")
    OutboxMessage.objects.filter(pk=receipt.pk).update(attempts=11)  # as if it had failed all day
    with at(start + dt.timedelta(minutes=5)):
        code, out = tick(capsys)
    assert code == 1 and "多次失败、转入死信 1 条" in out
    receipt.refresh_from_db()
    assert receipt.dead_at is not None and receipt.attempts == 12
    return req, receipt


def test_a_dead_letter_is_listed_and_retried_by_the_office_with_csrf(
    office: Office, settings: Any, smtp_server: SmtpServer, capsys: Any
) -> None:
    req, receipt = _dead_receipt(office, settings, smtp_server, capsys)
    clerk = login(office.clerk, enforce_csrf_checks=True)
    with at(moment(DAY, 11)):
        page = clerk.get("/workbench/delivery/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "发送失败（死信）" in html and req.reference in html and "受理回执" in html
        assert "z***@example.com" in html and "zhangsan@example.com" not in html
        url = f"/workbench/delivery/messages/{receipt.pk}/retry/"
        assert url in html
        assert clerk.post(url).status_code == 403  # no CSRF token
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        # Department staff may not retry, whatever the token.
        staff = login(office.staff)
        assert staff.post(url).status_code == 403
        assert staff.get("/workbench/delivery/").status_code == 403
        done = clerk.post(url, {"csrfmiddlewaretoken": token}, follow=True)
    assert "已重新排队" in done.content.decode()
    receipt.refresh_from_db()
    assert receipt.dead_at is None and receipt.attempts == 0 and receipt.sent_at is None
    event = AuditEvent.objects.get(verb=AuditVerb.DELIVERY_RETRY)
    assert event.actor == office.clerk and event.object_id == str(receipt.pk)
    assert event.before["attempts"] == 12

    smtp_server.up()
    with at(moment(DAY, 11, 5)):
        code, _ = tick(capsys)
    assert code == 0 and len(smtp_server.messages) == 1
    receipt.refresh_from_db()
    assert receipt.sent_at is not None


def test_a_sent_message_cannot_be_retried(office: Office, capsys: Any) -> None:
    with at(moment(DAY)):
        req = register(office)
        tick(capsys)
    receipt = OutboxMessage.objects.get(idempotency_key=f"inforequest:{req.pk}:received:applicant:email")
    response = login(office.clerk).post(f"/workbench/delivery/messages/{receipt.pk}/retry/", follow=True)
    assert "该消息已发送，不能重新发送" in response.content.decode()
    assert not AuditEvent.objects.filter(verb=AuditVerb.DELIVERY_RETRY).exists()


def test_post_is_printed_and_recorded_as_sent(office: Office, capsys: Any) -> None:
    with at(moment(DAY)):
        req = register(office, notify_by=NotifyBy.POST, applicant_email="")
        code, out = tick(capsys)
    assert code == 0 and "邮寄（加入待寄信件） 1 条" in out
    item = PostalItem.objects.get()
    assert item.request == req and item.notice_title == "政府信息公开申请受理回执"
    assert not ServiceRecord.objects.exists()  # not served until it is posted

    clerk = login(office.clerk)
    with at(moment(DAY, 14)):
        listing = clerk.get("/workbench/delivery/post/").content.decode()
        assert req.reference in listing and "信件和信封" in listing
        letter = clerk.get(f"/workbench/delivery/post/{item.pk}/letter/")
        assert letter.status_code == 200
        html = letter.content.decode()
        assert (
            "政府信息公开申请受理回执" in html
            and "北京市东城区东花市北里20号楼" in html
            and "张三　收" in html
        )
        assert "@media print" in html and "page-break-before" in html
        assert AuditEvent.objects.filter(verb=AuditVerb.DELIVERY_LETTER_VIEW, actor=office.clerk).count() == 1
        assert login(office.staff).get(f"/workbench/delivery/post/{item.pk}/letter/").status_code == 403

        future = clerk.post(
            f"/workbench/delivery/post/{item.pk}/sent/", {f"p{item.pk}-sent_on": "2024-05-09"}, follow=True
        )
        assert "不能晚于今天" in future.content.decode()
        clerk.post(
            f"/workbench/delivery/post/{item.pk}/sent/",
            {f"p{item.pk}-sent_on": "2024-05-06", f"p{item.pk}-tracking_number": "XA123456789CN"},
        )
    item.refresh_from_db()
    assert item.sent_on == DAY and item.sent_by == office.clerk and item.tracking_number == "XA123456789CN"
    record = ServiceRecord.objects.get()
    assert (
        record.channel == ServiceChannel.POST and record.request == req and record.recorded_by == office.clerk
    )
    assert record.recipient == "北京市东城区****" and "XA123456789CN" in record.detail
    assert record.delivered_at.date() == DAY

    with at(moment(DAY, 15)):
        login(office.clerk, client=clerk)  # hours later: the idle session has ended, the clerk signs in again
        page = clerk.get(f"/workbench/requests/{req.pk}/").content.decode()
    assert "送达记录" in page and "邮寄" in page and "2024-05-06" in page and "送达方式</dt><dd>邮寄" in page


def test_staff_see_their_messages_on_the_dashboard(office: Office, capsys: Any) -> None:
    with at(moment(DAY)):
        req = register(office)
        tick(capsys)
    with at(moment(DAY, 11)):
        dashboard = login(office.staff).get("/workbench/").content.decode()
        assert "我的消息" in dashboard and f"新分派的申请：{req.reference}" in dashboard
        others = login(office.staff2).get("/workbench/").content.decode()
        assert f"新分派的申请：{req.reference}" not in others
        assert "近 30 天没有新消息" in others
        listing = login(office.staff).get("/workbench/delivery/notices/").content.decode()
        assert f"新分派的申请：{req.reference}" in listing
        assert f"/workbench/requests/{req.pk}/" in listing


def test_the_office_dashboard_points_to_failed_messages_and_letters(
    office: Office, settings: Any, smtp_server: SmtpServer, capsys: Any
) -> None:
    _dead_receipt(office, settings, smtp_server, capsys)
    with at(moment(DAY, 12)):
        html = login(office.clerk).get("/workbench/").content.decode()
    assert "消息送达" in html and "发送失败的消息 1 条" in html


def test_anonymous_visitors_are_sent_to_login() -> None:
    for url in ("/workbench/delivery/", "/workbench/delivery/post/", "/workbench/delivery/notices/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_delivered_date_is_the_case_s_record(office: Office, capsys: Any) -> None:
    when = moment(DAY, 16, 30)
    with at(when):
        req = register(office)
        tick(capsys)
    (record,) = ServiceRecord.objects.filter(request=req)
    assert record.delivered_at == when and record.notice == "inforequest.received"
    history = AuditEvent.objects.filter(object_id=str(req.pk), verb=AuditVerb.DELIVERY_SERVED)
    assert history.count() == 1
    assert "zhangsan@example.com" not in str(history.get().after)
    assert record.delivered_at.astimezone(when.tzinfo).date() == dt.date(2024, 5, 6)
