"""Issue 12, point 1: /healthz — public, cheap, no personal data; 503 with a reason when a part fails."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthy(client: Client, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "storage": "ok"}
    assert "no-store" in response["Cache-Control"]
    # The probe cleans up after itself.
    assert list((tmp_path / "media" / ".healthz").iterdir()) == []


def test_storage_that_takes_no_write_is_503(client: Client, settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the storage folder should be")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "error", "database": "ok", "storage": "文件存储目录无法写入"}
    assert str(tmp_path) not in response.content.decode()  # no paths to the public


def test_storage_the_kernel_refuses_is_503_saying_so(client: Client, settings: Any) -> None:
    # /sys refuses new entries even to root: a real permission error, not a simulated one.
    settings.MEDIA_ROOT = Path("/sys/gongkai-media")
    body = json.loads(client.get("/healthz").content)
    assert body["storage"] == "服务器的文件存储目录不可写"


def test_healthz_is_reachable_over_http_when_https_is_enforced(client: Client, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_healthz_takes_only_get(client: Client) -> None:
    assert client.post("/healthz").status_code in (403, 405)
