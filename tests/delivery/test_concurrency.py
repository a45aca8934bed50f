"""Two `gongkai tick` processes draining the same outbox at once never send one message twice.

Real processes, each with its own database connection, against a real SMTP server that is slow enough
for the two to overlap: on SQLite (a database file of its own) and, when the suite runs with
DATABASE_URL, on PostgreSQL (the test database).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings

from delivery.conftest import SmtpServer

N = 40

SEED = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
django.setup()
from django.contrib.auth import get_user_model
from gongkai.core.services import enqueue_message
from gongkai.delivery.models import StaffNotice
user = get_user_model().objects.create_user("mailtest", email="staff@example.com", password="x-Long-1")
for i in range(int(sys.argv[1])):
    notice = StaffNotice.objects.create(key=f"t:{i}", user=user, title=f"测试消息 {i}")
    enqueue_message(kind="delivery.email", key=f"t:{i}:email",
                    payload={"audience": "staff", "notice_id": notice.pk, "user_id": user.pk})
"""


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _database_env(request: Any, tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "GONGKAI_HOME": str(tmp_path / "home")}
    if "postgresql" in django_settings.DATABASES["default"]["ENGINE"]:
        # Committed rows in the test database, flushed afterwards.
        request.getfixturevalue("transactional_db")
        from django.db import connection

        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    else:
        env.pop("DATABASE_URL", None)
        _run(env, "-m", "gongkai.config.manage", "migrate", "--verbosity", "0")
    return env


def _sent(output: str) -> int:
    found = re.search(r"已发送 (\d+) 条消息", output)
    assert found, output
    return int(found.group(1))


def test_two_concurrent_ticks_send_every_message_exactly_once(
    request: Any, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    env = _database_env(request, tmp_path)
    _run(env, "-c", SEED, str(N))
    smtp_server.recorder.delay = 0.15  # each message takes a while, so the second tick joins the first
    env["GONGKAI_EMAIL_URL"] = smtp_server.url
    tick = [sys.executable, "-m", "gongkai.cli", "tick"]
    first = subprocess.Popen(tick, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not smtp_server.recorder.received and time.monotonic() < deadline:
        time.sleep(0.05)
    second = subprocess.Popen(tick, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, out1 + err1 + out2 + err2

    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == N and len(set(ids)) == N
    assert {m["Subject"] for m in smtp_server.messages} == {f"测试消息 {i}" for i in range(N)}
    # Both processes delivered, and between them each message once.
    assert _sent(out1) > 0 and _sent(out2) > 0, out1 + out2
    assert _sent(out1) + _sent(out2) == N

    again = _run(env, "-m", "gongkai.cli", "tick")
    assert _sent(again.stdout) == 0 and len(smtp_server.messages) == N
