"""Double voting under concurrent requests: a real server process (``portal.served``), requests released
together by a barrier, on SQLite and, with DATABASE_URL, on PostgreSQL. The unique constraint on
(poll, voter) is what holds: each request has a valid code of its own for the same mobile number, so no
check before the insert could stop them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from gongkai.participation import codes, services
from gongkai.participation.models import PhoneCode, PollVote
from participation.conftest import PHONE, make_poll
from portal.served import Browser, served
from portal.test_limits_concurrency import all_at_once

pytestmark = pytest.mark.django_db(transaction=True)

CONCURRENT = 8


def _codes(n: int) -> list[str]:
    digest, now = codes.phone_digest(PHONE), timezone.now()
    out = [f"{100000 + i * 7919:06d}" for i in range(n)]
    for code in out:
        PhoneCode.objects.create(
            phone_digest=digest, code_hash=codes.code_hash(digest, code), purpose=services.VOTE_CODE,
            created_at=now, expires_at=now + dt.timedelta(minutes=10),
        )  # fmt: skip
    return out


def _run(office: Any, tmp_path: Path, per_request: list[str]) -> tuple[Counter[int], list[str], int]:
    poll = make_poll(office)
    option = str(poll.options.first().pk)  # type: ignore[union-attr]
    with served(tmp_path / "server", GONGKAI_SECRET_KEY=settings.SECRET_KEY) as server:
        resident = Browser(server.url)
        assert resident.get(f"/polls/{poll.pk}/")[0] == 200
        answers = all_at_once(
            len(per_request),
            lambda i: resident.post(
                f"/polls/{poll.pk}/",
                {"action": "vote", "phone": PHONE, "code": per_request[i], "option": option},
            ),
        )
        stored = server.count(PollVote._meta.db_table)
    return Counter(s for s, _ in answers), [b for s, b in answers if s == 400], stored


def test_simultaneous_votes_with_different_codes_for_one_number_store_one_vote(
    office: Any, tmp_path: Path
) -> None:
    statuses, refused, stored = _run(office, tmp_path, _codes(CONCURRENT))
    assert statuses == {302: 1, 400: CONCURRENT - 1}, statuses
    assert all(services.ALREADY_VOTED in body for body in refused)
    assert stored == 1


def test_a_double_tap_with_one_code_stores_one_vote(office: Any, tmp_path: Path) -> None:
    (code,) = _codes(1)
    statuses, refused, stored = _run(office, tmp_path, [code] * CONCURRENT)
    assert statuses == {302: 1, 400: CONCURRENT - 1}, statuses
    assert all(("验证码已过期" in b or services.ALREADY_VOTED in b) for b in refused)
    assert stored == 1
