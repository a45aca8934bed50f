"""Many wrong passwords for one account at once, from several threads with their own connections.

Used in-process on PostgreSQL (``test_login_security``), and run as a script on a file SQLite database —
WAL and IMMEDIATE transactions, as ``gongkai serve`` uses it — since the in-memory SQLite test database
shares one cache between threads and cannot hold concurrent writers:

    python tests/org/concurrent_logins.py GONGKAI_HOME   # prints the outcome as JSON
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

USERNAME = "zhaomin"
ATTEMPTS, WORKERS = 24, 6


def hammer(*, attempts: int = ATTEMPTS, workers: int = WORKERS) -> dict[str, Any]:
    """``attempts`` wrong passwords for ``USERNAME`` from ``workers`` threads released together."""
    from django.contrib.auth.hashers import MD5PasswordHasher
    from django.db import connection
    from django.test import Client

    from gongkai.core.audit_verbs import AuditVerb
    from gongkai.core.models import AuditEvent
    from gongkai.org.models import LoginThrottle

    checked: list[int] = []
    original = MD5PasswordHasher.verify

    def counting(self: Any, *args: Any) -> bool:
        checked.append(1)
        return original(self, *args)

    MD5PasswordHasher.verify = counting  # type: ignore[method-assign]
    barrier = threading.Barrier(workers)
    errors: list[str] = []

    def attack(n: int) -> None:
        try:
            barrier.wait()
            client = Client(REMOTE_ADDR=f"192.0.2.{n}")
            for _ in range(attempts // workers):
                response = client.post(
                    "/accounts/login/", {"username": USERNAME, "password": "wrong-password"}
                )
                if response.status_code != 200:
                    errors.append(f"status {response.status_code}")
        except Exception as exc:  # reported to the caller: a thread's exception would otherwise vanish
            errors.append(repr(exc))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=attack, args=(n,)) for n in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        MD5PasswordHasher.verify = original  # type: ignore[method-assign]
    row = LoginThrottle.objects.get(scope="account", key=USERNAME)
    return {
        "errors": errors,
        "failures": row.failures,
        "locked": row.locked_until is not None,
        "checked": len(checked),
        "failed_rows": AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_LOGIN_FAILED).count(),
        "locked_rows": AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_LOCKED).count(),
    }


def make_target() -> Any:
    from django.contrib.auth import get_user_model

    from gongkai.org.roles import Role
    from gongkai.org.services import staff_create

    user = staff_create(
        actor=None, username=USERNAME, password="x-Long-enough-1", full_name="赵敏", roles=[Role.AUDITOR]
    )
    get_user_model().objects.filter(pk=user.pk).update(password_change_required=False)
    return user


def main(home: str) -> None:
    os.environ["GONGKAI_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()  # the test client's host name
    call_command("migrate", interactive=False, verbosity=0)
    make_target()
    print(json.dumps(hammer()))


if __name__ == "__main__":
    main(sys.argv[1])
