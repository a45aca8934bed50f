"""Issue 12, points 1 and 6: what GONGKAI_PRODUCTION=1 and the logging variables turn on in the settings."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest

import gongkai.config.settings as live_settings
from gongkai.ops.logs import SharedRotatingFileHandler, parse_admins

KEY = "k" * 50


def load(monkeypatch: pytest.MonkeyPatch, home: Path, **env: str) -> dict[str, Any]:
    for name in ("DATABASE_URL", "GONGKAI_PRODUCTION", "GONGKAI_DEBUG", "GONGKAI_SECRET_KEY", "GONGKAI_BEHIND_PROXY",
                 "GONGKAI_ADMINS", "GONGKAI_LOG_DIR"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GONGKAI_HOME", str(home))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(live_settings.__file__)


def test_production_trusts_the_proxy_headers_and_nothing_else_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    production = load(monkeypatch, tmp_path, GONGKAI_PRODUCTION="1", GONGKAI_SECRET_KEY=KEY)
    assert production["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production["SESSION_COOKIE_SECURE"] and production["SECURE_HSTS_SECONDS"] == 31_536_000
    assert production["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$"]
    assert "SECURE_PROXY_SSL_HEADER" not in load(monkeypatch, tmp_path)
    behind = load(monkeypatch, tmp_path, GONGKAI_BEHIND_PROXY="1")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    direct = load(
        monkeypatch, tmp_path, GONGKAI_PRODUCTION="1", GONGKAI_SECRET_KEY=KEY, GONGKAI_BEHIND_PROXY="0"
    )
    assert "SECURE_PROXY_SSL_HEADER" not in direct


def test_logs_go_to_a_rotating_file_under_gongkai_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    conf = load(monkeypatch, tmp_path)
    file_handler = conf["LOGGING"]["handlers"]["file"]
    assert file_handler["()"] is SharedRotatingFileHandler
    assert file_handler["filename"] == str(tmp_path / "logs" / "gongkai.log") and (tmp_path / "logs").is_dir()
    assert file_handler["level"] == "WARNING" and "refusals" in file_handler["filters"]
    assert "mail_admins" not in conf["LOGGING"]["handlers"] and conf["ADMINS"] == []
    assert "file" not in load(monkeypatch, tmp_path, GONGKAI_LOG_DIR="")["LOGGING"]["handlers"]
    # A log folder that cannot be made (here: under a file) leaves the file out instead of failing.
    (tmp_path / "blocker").write_text("")
    assert (
        "file"
        not in load(monkeypatch, tmp_path, GONGKAI_LOG_DIR=str(tmp_path / "blocker" / "logs"))["LOGGING"][
            "handlers"
        ]
    )


def test_admins_get_server_errors_by_mail(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    conf = load(monkeypatch, tmp_path, GONGKAI_ADMINS="信息中心 <it@example.gov.cn>, ops@example.gov.cn")
    assert conf["ADMINS"] == [("信息中心", "it@example.gov.cn"), ("ops@example.gov.cn", "ops@example.gov.cn")]
    assert conf["LOGGING"]["handlers"]["mail_admins"]["class"] == "django.utils.log.AdminEmailHandler"
    assert parse_admins(" , ") == []
