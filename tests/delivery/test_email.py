"""E-mail through a real local SMTP server: retries with backoff while it is down, exactly one delivery
when it comes back; the answer carries its 告知书; without a server, a readable .eml file."""

from __future__ import annotations

import datetime as dt
import email
import hashlib
from email import policy
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from delivery.conftest import Office, SmtpServer
from delivery.helpers import DAY, at, moment, register, tick
from gongkai.core.choices import Outcome
from gongkai.core.models import OutboxMessage
from gongkai.delivery.channels import message_id
from gongkai.delivery.config import ConfigError, parse_email_url
from gongkai.delivery.models import ServiceChannel, ServiceRecord
from gongkai.inforequests import services
from gongkai.inforequests.models import ReleasedFile
from gongkai.inforequests.released import validate_released_file
from inforequests.review_chain import sign_reply
from sample_files import pdf_bytes

pytestmark = pytest.mark.django_db

RECEIPT_KEY_SUFFIX = ":received:applicant:email"


def _receipt(req: Any) -> OutboxMessage:
    return OutboxMessage.objects.get(idempotency_key=f"inforequest:{req.pk}{RECEIPT_KEY_SUFFIX}")


def test_smtp_down_is_retried_with_backoff_and_delivered_exactly_once_when_back(
    office: Office, settings: Any, smtp_server: SmtpServer, capsys: Any
) -> None:
    settings.GONGKAI_EMAIL_URL = smtp_server.url
    smtp_server.down()
    start = moment(DAY, 10, 0)
    with at(start):
        req = register(office)
        code, out = tick(capsys)
    assert code == 1, out  # a failure is an error exit, for cron to report
    assert "发送失败、稍后重试 1 条" in out and "ConnectionRefusedError" in out
    receipt = _receipt(req)
    assert receipt.attempts == 1 and receipt.sent_at is None and receipt.dead_at is None
    assert receipt.next_attempt_at == start + dt.timedelta(minutes=1)

    with at(start + dt.timedelta(seconds=30)):  # not due yet: nothing is attempted
        code, out = tick(capsys)
    assert code == 0 and "已发送 0 条消息" in out
    assert _receipt(req).attempts == 1

    with at(start + dt.timedelta(seconds=61)):  # due, still down: the wait doubles
        code, _ = tick(capsys)
    assert code == 1
    receipt = _receipt(req)
    assert receipt.attempts == 2
    assert receipt.next_attempt_at == start + dt.timedelta(seconds=61) + dt.timedelta(minutes=2)

    smtp_server.up()
    with at(start + dt.timedelta(minutes=4)):
        code, out = tick(capsys)
    assert code == 0, out
    assert "电子邮件 1 条" in out
    with at(start + dt.timedelta(hours=7)):
        tick(capsys)  # long after: nothing is sent again

    (mail,) = smtp_server.messages
    assert mail["Subject"] == f"【东花市街道办事处】政府信息公开申请受理回执（{req.reference}）"
    assert mail["To"] == "zhangsan@example.com"
    assert mail["From"].addresses[0].addr_spec == "gongkai@dhs.example.gov.cn"
    assert mail["Message-ID"] == message_id(receipt.idempotency_key, "gongkai@dhs.example.gov.cn")
    text = mail.get_body().get_content()
    assert "张三：" in text and f"编号 {req.reference}" in text and "20 个工作日" in text

    receipt = _receipt(req)
    assert receipt.sent_at is not None and receipt.attempts == 3 and receipt.last_error == ""
    record = ServiceRecord.objects.get(key=receipt.idempotency_key)
    assert record.request == req and record.channel == ServiceChannel.EMAIL
    assert record.recipient == "z***@example.com" and record.message == receipt
    assert record.delivered_at == start + dt.timedelta(minutes=4)


def test_the_answer_carries_its_notice_as_pdf_and_the_released_documents(
    office: Office, settings: Any, smtp_server: SmtpServer, capsys: Any, tmp_path: Path
) -> None:
    settings.GONGKAI_EMAIL_URL = smtp_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    with at(moment(DAY)):
        req = register(office)
    with at(moment(DAY + dt.timedelta(days=3))):
        upload = validate_released_file(SimpleUploadedFile("批复.pdf", pdf_bytes("Approval")))
        services.released_file_add(actor=office.staff, request=req, upload=upload, title="项目批复")
        sign_reply(
            req,
            outcome=Outcome.GRANTED,
            notice_body="经审查，您申请的信息属于公开范围，现随本告知书提供。",
            on=DAY + dt.timedelta(days=3),
        )
        services.inforequest_answer(actor=office.clerk, request=req, issued_on=DAY + dt.timedelta(days=3))
        code, out = tick(capsys)
    assert code == 0, out
    subjects = {m["Subject"]: m for m in smtp_server.messages}
    answer = subjects[f"【东花市街道办事处】政府信息公开申请答复告知书（{req.reference}）"]
    text = answer.get_body().get_content()
    assert "现随本告知书提供。" in text and "附件：本告知书（PDF）；项目批复.pdf。" in text
    notice, document = list(answer.iter_attachments())
    assert notice.get_filename() == f"政府信息公开申请答复告知书（{req.reference}）.pdf"
    assert notice.get_content()[:5] == b"%PDF-" and document.get_filename() == "项目批复.pdf"
    assert hashlib.sha256(document.get_content()).hexdigest() == ReleasedFile.objects.get(request=req).sha256
    assert len(smtp_server.messages) == 2  # the receipt and the answer


def test_documents_too_large_for_mail_are_named_and_left_on_the_status_page(
    office: Office, settings: Any, smtp_server: SmtpServer, capsys: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from gongkai.delivery import attachments

    monkeypatch.setattr(attachments, "EMAIL_BUDGET", 1)  # nothing fits
    settings.GONGKAI_EMAIL_URL = smtp_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    with at(moment(DAY)):
        req = register(office)
    with at(moment(DAY + dt.timedelta(days=3))):
        upload = validate_released_file(SimpleUploadedFile("图纸.pdf", pdf_bytes("Drawings")))
        services.released_file_add(actor=office.staff, request=req, upload=upload, title="施工图纸")
        sign_reply(req, outcome=Outcome.GRANTED, notice_body="现予以公开。", on=DAY + dt.timedelta(days=3))
        services.inforequest_answer(actor=office.clerk, request=req, issued_on=DAY + dt.timedelta(days=3))
        tick(capsys)
    answer = next(m for m in smtp_server.messages if "告知书" in m["Subject"])
    assert [a.get_filename() for a in answer.iter_attachments()] == [
        f"政府信息公开申请答复告知书（{req.reference}）.pdf"
    ]
    assert (
        "未随邮件发送" in answer.get_body().get_content()
        and "施工图纸.pdf" in answer.get_body().get_content()
    )


def test_without_a_mail_server_mail_is_kept_as_readable_eml_files(
    office: Office, settings: Any, capsys: Any
) -> None:
    with at(moment(DAY)):
        req = register(office)
        code, out = tick(capsys)
        again, _ = tick(capsys)
    assert code == 0 and again == 0
    assert "邮件已存为文件" not in out  # the detail is on the message, the summary counts it
    files = sorted(Path(settings.GONGKAI_MAIL_DIR).glob("*.eml"))
    assert len(files) == 1
    mail = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)  # type: ignore[arg-type]
    assert mail["Subject"] == f"【东花市街道办事处】政府信息公开申请受理回执（{req.reference}）"
    assert mail["From"].addresses[0].display_name == "东花市街道办事处"
    assert "本机关已于2024年5月6日收到您提出的政府信息公开申请" in mail.get_body().get_content()
    receipt = _receipt(req)
    assert str(files[0]) in receipt.result
    record = ServiceRecord.objects.get(key=receipt.idempotency_key)
    assert record.channel == ServiceChannel.EMAIL_FILE and not record.reached_recipient


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.gov.cn", ("mail.example.gov.cn", 25, "", "", False, False)),
        (
            "smtp://user%40x:p%3Ass@mail.example.gov.cn:587?starttls=1&from=gk%40x.gov.cn",
            ("mail.example.gov.cn", 587, "user@x", "p:ss", False, True),
        ),
        ("smtps://a:b@mail.example.gov.cn", ("mail.example.gov.cn", 465, "a", "b", True, False)),
    ],
)
def test_email_url_forms(url: str, expected: tuple[Any, ...]) -> None:
    c = parse_email_url(url)
    assert (c.host, c.port, c.username, c.password, c.use_ssl, c.use_starttls) == expected


def test_email_url_from_address() -> None:
    assert parse_email_url("smtp://h.example.cn?from=gk%40x.gov.cn").from_address == "gk@x.gov.cn"
    assert parse_email_url("smtp://mail.example.cn").from_address == "noreply@mail.example.cn"
    assert parse_email_url("smtp://127.0.0.1:2525").from_address == "noreply@localhost"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.cn", "协议“http”无法识别"),
        ("smtp://", "缺少邮件服务器地址"),
        ("smtp://mail.example.cn:99999", "端口号无效"),
        ("smtps://mail.example.cn?starttls=1", "不能再加 starttls=1"),
        ("smtp://mail.example.cn?starttls=maybe", "starttls=maybe 无法识别"),
        ("smtp://mail.example.cn?sender=x", "参数 sender 无法识别"),
        ("smtp://mail.example.cn?from=nobody", "不是电子邮箱地址"),
        ("smtp://mail.example.cn?timeout=0", "timeout 应为 1–600 之间的秒数"),
    ],
)
def test_a_bad_email_url_is_refused_in_chinese(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_email_url(url)


def test_a_bad_email_url_keeps_mail_waiting_and_says_why(office: Office, settings: Any, capsys: Any) -> None:
    settings.GONGKAI_EMAIL_URL = "smtp://mail.example.cn:99999"
    with at(moment(DAY)):
        req = register(office)
        code, out = tick(capsys)
    assert code == 0
    assert "等待渠道配置、保留待发 1 条（delivery.email）：GONGKAI_EMAIL_URL 中的端口号无效" in out
    receipt = _receipt(req)
    assert receipt.attempts == 0 and receipt.sent_at is None
