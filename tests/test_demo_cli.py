"""`gongkai demo`, `serve`, `report` and `tick`: the workbench side of the command line."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from gongkai import cli
from gongkai.annual_report.demo import EXAMPLES
from gongkai.annual_report.model import AnnualReport


@pytest.fixture
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_2019(db: None, fast_passwords: None) -> Any:
    from gongkai.core.selectors import calendar_from_db
    from gongkai.core.services import seed_calendar
    from gongkai.demo_ledger.ledger_2019 import build_2019
    from gongkai.demo_ledger.office import build_office
    from gongkai.demo_ledger.reports import publish_2019

    seed_calendar()
    office = build_office()
    build_2019(office, calendar_from_db())
    return publish_2019(office)


def test_report_exports_from_the_database(demo_2019: Any, tmp_path: Path, capsysbinary: Any) -> None:
    # One ledger for three exports: building it through the services is the slow part.
    out = tmp_path / "r.json"
    assert cli.main(["report", "2019", "--format", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == demo_2019.frozen_json  # a published year: its frozen canonical JSON
    report = AnnualReport.from_dict(data)
    assert report.published_on is not None and report.published_on.isoformat() == "2020-01-19"

    capsysbinary.readouterr()
    assert cli.main(["report", "2020", "--format", "json"]) == 0  # no record: the live roll-up
    data = json.loads(capsysbinary.readouterr().out)
    assert data["year"] == 2020 and data["published_on"] is None
    assert data["tables"]["requests"]["new_received"]["total"] == 0

    docx = tmp_path / "东花市2019.docx"
    assert cli.main(["report", "2019", "-o", str(docx)]) == 0  # format from the file name
    assert docx.read_bytes()[:2] == b"PK"
    assert cli.main(["report", "2019", "-o", str(tmp_path / "r.txt")]) == cli.EXIT_UNREADABLE


def test_report_without_an_organisation_says_what_to_do(db: None, capsys: Any) -> None:
    assert cli.main(["report", "2019", "--format", "json"]) == cli.EXIT_UNREADABLE
    assert "尚未设置本机关信息" in capsys.readouterr().err


def test_tick_delivers_what_an_app_can_send_and_keeps_the_rest(
    db: None, monkeypatch: Any, capsys: Any
) -> None:
    from django.apps import apps

    from gongkai.core.models import OutboxMessage
    from gongkai.core.services import enqueue_message

    delivered: list[dict[str, Any]] = []
    monkeypatch.setattr(
        apps.get_app_config("reporting"), "outbox_handlers", {"test.note": delivered.append}, raising=False
    )
    sent = enqueue_message(kind="test.note", payload={"n": 1})
    kept = enqueue_message(kind="nobody.sends", payload={})
    assert cli.main(["tick"]) == 0
    assert delivered == [{"n": 1}]
    assert OutboxMessage.objects.get(pk=sent.pk).sent_at is not None
    assert OutboxMessage.objects.get(pk=kept.pk).sent_at is None
    out = capsys.readouterr().out
    assert "已发送 1 条消息" in out and "nobody.sends（1 条）" in out


def test_demo_refuses_a_database_it_did_not_build(db: None) -> None:
    from gongkai.demo_ledger import DemoRefused, build_demo
    from gongkai.org.models import Organisation

    Organisation.objects.create(name="某区民政局", kind="department")
    with pytest.raises(DemoRefused, match="演示不会覆盖"):
        build_demo(progress=lambda line: None)
    assert Organisation.objects.get().name == "某区民政局"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _gongkai(home: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GONGKAI_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        **kwargs,
    )


@pytest.mark.slow
def test_demo_builds_a_database_that_serve_and_report_use(tmp_path: Path) -> None:
    home = tmp_path / "home"
    built = _gongkai(home, "demo", "--no-serve", "-o", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out" / "donghuashi-2019.pdf").exists()  # the engine demo still runs first
    assert "演示账号" in built.stdout and "officehead" in built.stdout and "公开办负责人" in built.stdout
    assert (home / "gongkai.sqlite3").exists()
    # Its accounts are marked as the demo's: no first-login password change, no authenticator needed.
    assert "演示账号免首次修改密码和二次验证" in built.stdout
    with sqlite3.connect(home / "gongkai.sqlite3") as db:
        marked = db.execute(
            "SELECT COUNT(*), SUM(demo_account), SUM(password_change_required) FROM core_user"
        )
        users, demo, must_change = marked.fetchone()
    assert users >= 6 and demo == users and must_change == users  # exempt here, not in production

    exported = _gongkai(home, "report", "2019", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    ours = AnnualReport.from_json(exported.stdout)
    seed = AnnualReport.from_json((EXAMPLES / "donghuashi-2019-corrected.json").read_text(encoding="utf-8"))
    assert ours.requests == seed.requests and ours.appeals == seed.appeals
    assert ours.proactive["art20_9.procurement"] == seed.proactive["art20_9.procurement"]

    # Building again replaces the demo's own data instead of adding to it.
    again = _gongkai(home, "demo", "--no-serve", "-o", str(tmp_path / "out"))
    assert again.returncode == 0, again.stderr
    assert "清空上次演示建立的数据" in again.stdout
    assert AnnualReport.from_json(_gongkai(home, "report", "2019", "--format", "json").stdout) == ours

    port = _free_port()
    env = {**os.environ, "GONGKAI_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as page:
                    assert page.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_refuses_an_empty_database(tmp_path: Path) -> None:
    result = _gongkai(tmp_path, "serve", "--port", str(_free_port()))
    assert result.returncode == cli.EXIT_UNREADABLE
    assert "gongkai demo" in result.stderr


def test_demo_refuses_a_year_the_calendar_does_not_know(db: None) -> None:
    import datetime as dt

    from gongkai.demo_ledger import DemoRefused, build_ledgers
    from gongkai.org.models import Organisation

    with pytest.raises(DemoRefused, match="请在管理后台“工作日历”中录入 2030、2031 年放假安排"):
        build_ledgers(today=dt.date(2031, 3, 2))
    assert not Organisation.objects.exists()
