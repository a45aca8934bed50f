"""After `gongkai demo --no-serve`, `gongkai tick` with GONGKAI_EMAIL_URL delivers the demo applicants'
e-mails once, with Chinese subjects; SMS wait for a gateway; a second tick sends nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from delivery.conftest import SmtpServer


def _gongkai(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "GONGKAI_HOME": str(home), **env}
    environ.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args], env=environ, capture_output=True, text=True, timeout=600
    )


@pytest.mark.slow
def test_the_demo_s_pending_mail_is_delivered_once(tmp_path: Path, smtp_server: SmtpServer) -> None:
    home = tmp_path / "home"
    built = _gongkai(home, "demo", "--no-serve", "-o", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr

    first = _gongkai(home, "tick", GONGKAI_EMAIL_URL=smtp_server.url)
    assert first.returncode == 0, first.stdout + first.stderr
    sent = int(re.search(r"电子邮件 (\d+) 条", first.stdout).group(1))  # type: ignore[union-attr]
    mails = smtp_server.messages
    assert len(mails) == sent >= 15
    assert "等待渠道配置" in first.stdout and "delivery.sms" in first.stdout
    assert not (home / "mail").exists()  # with a server, nothing goes to files

    subjects: Counter[Any] = Counter((m["To"], m["Subject"]) for m in mails)
    assert max(subjects.values()) == 1
    assert all(m["Subject"].startswith("【东花市街道办事处】") for m in mails)
    titles = {m["Subject"].split("】")[1].split("（")[0] for m in mails}
    assert {"政府信息公开申请受理回执", "补正政府信息公开申请告知书", "收取信息处理费通知书"} <= titles
    assert "政府信息公开申请提交回执" in titles  # the online application nobody has confirmed yet
    assert "政府信息公开申请终止处理告知书" in titles and "政府信息公开申请答复告知书" in titles
    assert {m["To"] for m in mails} <= {
        "wangxiulan@example.com",
        "wuye@example.com",
        "lvshi@example.com",
        "liguoqiang@example.com",
        "shezu@example.com",
        "zhanghaiyan@example.com",
        "zhaolixin@example.com",
    }
    answers = [m for m in mails if list(m.iter_attachments())]
    assert answers and all(next(m.iter_attachments()).get_filename().endswith(".pdf") for m in answers)

    second = _gongkai(home, "tick", GONGKAI_EMAIL_URL=smtp_server.url)
    assert second.returncode == 0 and "已发送 0 条消息" in second.stdout
    assert len(smtp_server.messages) == sent
