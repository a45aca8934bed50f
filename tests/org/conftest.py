"""Fixtures of the sign-in tests: accounts made as the office head makes them (``staff_create``)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from gongkai.org.roles import Role
from org.signin import PASSWORD

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_account(db: None) -> Callable[..., Any]:
    """A new account as ``staff_create`` makes it: password chosen by someone else, to be changed."""
    from gongkai.org.services import staff_create

    def make(*roles: Role, username: str | None = None) -> Any:
        return staff_create(
            actor=None,
            username=username or f"user{next(_serial)}",
            password=PASSWORD,
            full_name="测试人员",
            roles=list(roles),
        )

    return make
