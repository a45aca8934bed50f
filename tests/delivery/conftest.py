"""Fixtures of the delivery tests: the small office of the inforequests tests, a real local SMTP server
(aiosmtpd) that can be down and come back on the same port, and a real local HTTP receiver for the SMS
gateway that checks the signature."""

from __future__ import annotations

import asyncio
import email
import hashlib
import hmac
import http.server
import json
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from inforequests.conftest import PASSWORD, Office, _fast_passwords, office  # noqa: F401  (fixtures)

SMS_KEY = "test-sms-signing-key"
# aiosmtpd narrates every connection at INFO from its own thread, after pytest has closed the capture.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class _Recorder:
    delay: float = 0.0
    received: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.received.append(envelope.content)
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on 127.0.0.1; ``down()`` stops listening so connections are refused."""

    def __init__(self) -> None:
        self.port = free_port()
        self.recorder = _Recorder()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?from=gongkai%40dhs.example.gov.cn"

    def up(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def down(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.recorder.lock:
            raw = list(self.recorder.received)
        return [email.message_from_bytes(r, policy=policy.default) for r in raw]  # type: ignore[misc]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.up()
    yield server
    server.down()


@dataclass
class SmsHit:
    body: dict[str, Any]
    headers: dict[str, str]
    signature_ok: bool


class SmsGateway:
    """A local HTTP receiver playing the SMS platform: records each POST and checks its HMAC signature."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.hits: list[SmsHit] = []
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                timestamp = self.headers.get("X-Gongkai-Timestamp", "")
                expected = (
                    "sha256="
                    + hmac.new(SMS_KEY.encode(), timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
                )
                ok = hmac.compare_digest(expected, self.headers.get("X-Gongkai-Signature", ""))
                gateway.hits.append(SmsHit(json.loads(raw), dict(self.headers.items()), ok))
                status = gateway.status if ok else 401
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status < 300 else b'{"ok": false}')

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sms_gateway(settings: Any) -> Iterator[SmsGateway]:
    gateway = SmsGateway()
    settings.GONGKAI_SMS_URL = gateway.url
    settings.GONGKAI_SMS_KEY = SMS_KEY
    yield gateway
    gateway.close()


@pytest.fixture(autouse=True)
def _mail_to_tmp(settings: Any, tmp_path: Any) -> None:
    # Mail written without a server goes to the test's own directory; no SMTP or SMS unless a test asks.
    settings.GONGKAI_MAIL_DIR = tmp_path / "mail"
    settings.GONGKAI_EMAIL_URL = ""
    settings.GONGKAI_SMS_URL = ""
    settings.GONGKAI_SMS_KEY = ""
