"""Fixtures of the browser tests: Debian's Chromium through Playwright, against pytest-django's live server.

Playwright's own browser download is never used (no ``playwright install``): the tests drive the
distribution's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous for a 2-core machine shared with other work, but bounded: a hang fails in seconds, not minutes.
ACTION_TIMEOUT_MS = 15_000


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium package is not installed (/usr/bin/chromium)")
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread; the test's own ORM calls
    # (its final checks of the ledger) are still plain synchronous code, so Django's guard must stand down.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            # While Playwright's loop runs, Django's "thread critical" connection handler gives this
            # thread a second, loop-scoped set of connections that pytest-django never sees; close
            # them now, or one outlives the test and PostgreSQL refuses to drop the test database.
            connections.close_all()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where the steps' screenshots go: ``$GONGKAI_E2E_SCREENSHOTS`` if set (to look at them), else a tmp dir."""
    target = Path(os.environ.get("GONGKAI_E2E_SCREENSHOTS") or tmp_path / "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # One login per step: the production hasher would spend most of the test hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
