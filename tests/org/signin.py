"""Helpers of the sign-in tests (the fixtures are in conftest.py)."""

from __future__ import annotations

from typing import Any

PASSWORD = "x-Long-enough-1"


def login(client: Any, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    """One POST of the login form."""
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def page_text(response: Any) -> str:
    return response.content.decode()
