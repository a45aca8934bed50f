"""Shared pytest fixtures for the whole suite; app-specific ones live in tests/<app>/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gongkai.workdays import Calendar, calendar_from_chinesecalendar, chinesecalendar_years


@pytest.fixture(autouse=True)
def _clear_django_cache() -> Iterator[None]:
    # The cache outlives the per-test rollback; a calendar cached by one test must not leak into the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_media_root(settings: Any, tmp_path: Path) -> None:
    # Uploads (ID scans, attachments) go to the test's own directory, never to the developer's data.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_SLOT_DIR = tmp_path / "run"


@pytest.fixture(scope="session")
def cn_calendar() -> Calendar:
    """Every year the installed chinesecalendar knows (2004–2026 with 1.11.0), without a database."""
    return calendar_from_chinesecalendar(chinesecalendar_years())


@pytest.fixture
def calendar_db(db: None) -> Calendar:
    """The calendar table seeded from chinesecalendar; returns the Calendar read back from it."""
    from gongkai.core.selectors import calendar_from_db
    from gongkai.core.services import seed_calendar

    seed_calendar()
    return calendar_from_db()
