"""Helpers of the serving and operations tests: a free port, a migrated database in a fresh GONGKAI_HOME,
and the environment of a `gongkai` subprocess without the developer's own settings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

# The browser tests' fixture: Debian's Chromium through Playwright.
from e2e.conftest import browser  # noqa: F401


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The caller's environment minus gongkai's and Django's settings (and DATABASE_URL): SQLite in ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    return {**env, "GONGKAI_HOME": str(home), **extra}


def gongkai(env: dict[str, str], *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def migrated_home(tmp_path: Path) -> Path:
    """A GONGKAI_HOME whose SQLite database has every migration applied and nothing else."""
    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-m", "gongkai.config.manage", "migrate", "-v0"],
        env=clean_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return home
