"""Fixtures of the reporting tests: a hand-made ledger and one staff member per role."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.org.roles import Role
from ledger_fixtures import LedgerMaker


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Real hashing costs most of a second per user; these tests create a dozen.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ledger(db: None) -> LedgerMaker:
    return LedgerMaker()


@pytest.fixture
def staff(ledger: LedgerMaker) -> dict[str, Any]:
    """username -> user, one per role (the department head and staff in the ledger's department)."""
    from gongkai.org.services import staff_create

    people = {
        "clerk": Role.CLERK,
        "staff": Role.DEPT_STAFF,
        "head": Role.DEPT_HEAD,
        "director": Role.DIRECTOR,
        "officehead": Role.OFFICE_HEAD,
        "auditor": Role.AUDITOR,
    }
    return {
        name: staff_create(
            actor=None,
            username=name,
            password="x-Long-enough-1",
            full_name=name,
            roles=[role],
            department=ledger.department if role in (Role.DEPT_STAFF, Role.DEPT_HEAD) else None,
        )
        for name, role in people.items()
    }
