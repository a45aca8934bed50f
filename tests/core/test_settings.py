"""The settings module under different environments, and the security basics of a response."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler
from django.test import Client

import gongkai.config.settings as live_settings

SETTINGS_FILE = live_settings.__file__


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in ("DATABASE_URL", "GONGKAI_PRODUCTION", "GONGKAI_DEBUG", "GONGKAI_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


def test_sqlite_file_under_gongkai_home_runs_in_wal_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, django_db_blocker: Any
) -> None:
    conf = load(monkeypatch, GONGKAI_HOME=str(tmp_path / "home"))
    db = conf["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(db["NAME"]) == tmp_path / "home" / "gongkai.sqlite3"
    handler = ConnectionHandler({"default": db})
    connection = handler["default"]
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
        finally:
            connection.close()


def test_database_url_selects_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load(monkeypatch, DATABASE_URL="postgres://gk:secret@127.0.0.1:5544/gongkai")
    db = conf["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["HOST"], db["PORT"]) == ("gongkai", "127.0.0.1", 5544)


def test_production_requires_a_secret_and_sets_secure_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_SECRET_KEY"):
        load(monkeypatch, GONGKAI_PRODUCTION="1")
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_DEBUG"):
        load(monkeypatch, GONGKAI_PRODUCTION="1", GONGKAI_DEBUG="1", GONGKAI_SECRET_KEY="k" * 50)
    conf = load(monkeypatch, GONGKAI_PRODUCTION="1", GONGKAI_SECRET_KEY="k" * 50)
    assert conf["DEBUG"] is False
    assert conf["SESSION_COOKIE_SECURE"] and conf["CSRF_COOKIE_SECURE"] and conf["SECURE_SSL_REDIRECT"]
    assert conf["SECURE_HSTS_SECONDS"] > 0
    dev = load(monkeypatch)
    assert dev["DEBUG"] is True and dev["SECRET_KEY"].startswith("django-insecure-")
    assert not dev["SESSION_COOKIE_SECURE"]


def test_locale_and_time_zone() -> None:
    assert live_settings.LANGUAGE_CODE == "zh-hans"
    assert live_settings.TIME_ZONE == "Asia/Shanghai"
    assert live_settings.USE_TZ and live_settings.USE_I18N
    assert "django_htmx.middleware.HtmxMiddleware" in live_settings.MIDDLEWARE


@pytest.mark.django_db
def test_login_page_is_chinese_with_csrf_and_security_headers() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录" in body and "csrfmiddlewaretoken" in body
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # Without the token the POST is refused.
    assert client.post("/accounts/login/", {"username": "a", "password": "b"}).status_code == 403


def test_the_suite_runs_on_the_database_the_environment_selects() -> None:
    # CI runs this suite twice; this proves the PostgreSQL run really is on PostgreSQL.
    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
