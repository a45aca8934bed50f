"""The wire: an e-mail through SMTP (or into a file), an SMS through the signed webhook.

Both take the message's idempotency key: the e-mail's Message-ID is derived from it and the SMS carries
it as ``Idempotency-Key``, so a repeat after a crash (sent, but not yet marked sent) is recognisable by
the receiving side. Neither touches the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import smtplib
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.header import Header
from email.utils import formataddr
from pathlib import Path
from typing import Any, NamedTuple

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend

from gongkai.core.services import PermanentFailure
from gongkai.delivery.config import EmailConfig, SmsConfig, mail_dir

__all__ = ["Attachment", "Email", "message_id", "send_email", "send_sms", "sign", "write_eml"]

SIGNATURE_HEADER = "X-Gongkai-Signature"
TIMESTAMP_HEADER = "X-Gongkai-Timestamp"


class Attachment(NamedTuple):
    """(filename, bytes, MIME type) of one file an e-mail carries."""

    filename: str
    content: bytes
    mimetype: str


@dataclass
class Email:
    to: str
    subject: str
    body: str
    sender_name: str = ""
    attachments: list[Attachment] = field(default_factory=list)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def message_id(key: str, from_address: str) -> str:
    domain = from_address.rpartition("@")[2] or "localhost"
    return f"<{_digest(key)[:32]}.gongkai@{domain}>"


class _EmailMessage(EmailMessage):
    def message(self) -> Any:
        msg = super().message()
        # A Header that knows its name folds after "Subject: " instead of before the first encoded word,
        # which would leave the Chinese subject with a leading space in some readers.
        msg.replace_header("Subject", Header(self.subject, "utf-8", header_name="Subject"))
        return msg


def _message(mail: Email, key: str, from_address: str) -> EmailMessage:
    msg = _EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=formataddr((mail.sender_name, from_address)) if mail.sender_name else from_address,
        to=[mail.to],
        headers={"Message-ID": message_id(key, from_address), "X-Gongkai-Key": key},
    )
    for a in mail.attachments:
        msg.attach(a.filename, a.content, a.mimetype)
    return msg


def send_email(mail: Email, *, key: str, config: EmailConfig) -> str:
    """Hand the message to the SMTP server; raises on failure (``PermanentFailure`` when refused)."""
    backend = EmailBackend(
        host=config.host,
        port=config.port,
        username=config.username or None,
        password=config.password or None,
        use_tls=config.use_starttls,
        use_ssl=config.use_ssl,
        timeout=config.timeout,
        fail_silently=False,
    )
    try:
        sent = backend.send_messages([_message(mail, key, config.from_address)])
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentFailure(f"邮件服务器拒收该收件地址：{exc.recipients}") from exc
    if sent != 1:
        raise ConnectionError(f"邮件服务器 {config.description} 未接收邮件")
    return config.description


def write_eml(mail: Email, *, key: str, created_at: dt.datetime, directory: Path | None = None) -> Path:
    """Keep the message as a standard .eml file; the name follows the key, so a repeat overwrites it."""
    directory = directory or mail_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{created_at:%Y%m%d-%H%M%S}-{_digest(key)[:12]}.eml"
    data = _message(mail, key, "noreply@localhost").message().as_bytes(linesep="\r\n")
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def sign(key: bytes, timestamp: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` + hex HMAC-SHA256 over ``timestamp + "." + body``."""
    return "sha256=" + hmac.new(key, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def signed_request(
    url: str, body: bytes, *, idempotency_key: str, signing_key: bytes
) -> urllib.request.Request:
    """A webhook POST of a JSON ``body`` as every receiver of ours expects it: the idempotency key (a retry
    after a lost answer repeats it) and the timestamp with its signature (``sign``)."""
    timestamp = str(int(time.time()))
    return urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": idempotency_key,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(signing_key, timestamp, body),
            "User-Agent": "gongkai-tick",
        },
    )


def send_sms(*, to: str, text: str, key: str, config: SmsConfig) -> str:
    """POST the signed JSON to the gateway; any 2xx answer means the gateway accepted it."""
    body = json.dumps({"to": to, "text": text, "idempotency_key": key}, ensure_ascii=False).encode("utf-8")
    request = signed_request(config.url, body, idempotency_key=key, signing_key=config.key)
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise ConnectionError(f"短信网关返回 HTTP {exc.code}") from exc
    if not 200 <= status < 300:
        raise ConnectionError(f"短信网关返回 HTTP {status}")
    return f"短信网关 HTTP {status}"
