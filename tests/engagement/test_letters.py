"""The mailbox in the workbench: reply, completion, publication, the services' rules and the report figure.

转办 is tests/engagement/test_forwarding.py, the personal-data check on publication test_publish.py; the
public letter form and the writer's lookup are tested with the portal (tests/portal/test_mailbox.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gongkai.core.models import AuditEvent
from gongkai.engagement.models import LetterStatus
from gongkai.engagement.selectors import letters_summary
from gongkai.engagement.services import letter_complete, letter_publish, letter_reply, letter_submit
from staff_auth import sign_in

pytestmark = pytest.mark.django_db


def test_workbench_reply_complete_and_publish(client: Client, office: Any) -> None:
    letter = letter_submit(subject="路灯", body="我是张三，电话13811112222，路灯坏了。", anonymous=False, name="张三",
                           phone="13811112222")  # fmt: skip
    assert client.get("/workbench/mailbox/").status_code == 302  # login first
    sign_in(client, office.drafter)  # a 科室 sees only the letters 转办 to it: none yet
    assert letter.reference not in client.get("/workbench/mailbox/").content.decode()
    assert client.get(f"/workbench/mailbox/{letter.pk}/").status_code == 403
    sign_in(client, office.clerk)
    listing = client.get("/workbench/mailbox/").content.decode()
    assert letter.reference in listing and "待答复" in listing
    detail = client.get(f"/workbench/mailbox/{letter.pk}/").content.decode()
    assert "张*" in detail and "138****2222" in detail and "13811112222</dd>" not in detail
    revealed = client.post(f"/workbench/mailbox/{letter.pk}/contact/").content.decode()
    assert "13811112222" in revealed
    assert AuditEvent.objects.filter(verb="letter.contact_viewed", actor=office.clerk).count() == 1

    base = f"/workbench/mailbox/{letter.pk}"
    client.post(f"{base}/complete/", {"completed_on": "2020-01-01"})
    letter.refresh_from_db()
    assert letter.status == LetterStatus.NEW  # refused: not answered yet
    client.post(f"{base}/reply/", {"reply": "已修复。", "replied_on": dt.date.today().isoformat()})
    client.post(f"{base}/complete/", {"completed_on": dt.date.today().isoformat()})
    client.post(
        f"{base}/publish/",
        {"public_subject": "路灯不亮", "public_body": "路灯坏了。", "public_reply": "已修复。"},
    )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.COMPLETED and letter.reply == "已修复。" and letter.is_public
    public = Client().get(f"/mailbox/{letter.pk}/").content.decode()
    assert "路灯坏了。" in public and "已修复。" in public and "张三" not in public
    client.post(f"{base}/unpublish/")
    assert Client().get(f"/mailbox/{letter.pk}/").status_code == 404
    verbs = set(
        AuditEvent.objects.filter(object_id=str(letter.pk), object_type="engagement.letter").values_list(
            "verb", flat=True
        )
    )
    assert {"letter.submit", "letter.reply", "letter.complete", "letter.publish", "letter.unpublish"} <= verbs


def test_services_enforce_roles_and_order(office: Any) -> None:
    letter = letter_submit(subject="问题", body="内容内容内容", anonymous=True)
    with pytest.raises(PermissionDenied):
        letter_reply(actor=office.drafter, letter=letter, reply="好")
    with pytest.raises(ValidationError):
        letter_publish(actor=office.clerk, letter=letter, public_subject="问题", public_body="内容")
    with pytest.raises(ValidationError):
        letter_complete(actor=office.clerk, letter=letter)


def test_letters_summary_counts_the_year_and_what_was_completed_by_its_end(office: Any) -> None:
    def letter_on(day: dt.date, *, completed: dt.date | None) -> None:
        with time_machine.travel(dt.datetime.combine(day, dt.time(10)), tick=False):
            x = letter_submit(subject="来信", body="来信内容", anonymous=True)
        if completed:
            with time_machine.travel(dt.datetime.combine(completed, dt.time(11)), tick=False):
                letter_reply(actor=office.clerk, letter=x, reply="答复")
                letter_complete(actor=office.clerk, letter=x)

    letter_on(dt.date(2019, 3, 1), completed=dt.date(2019, 3, 5))
    letter_on(dt.date(2019, 12, 30), completed=dt.date(2020, 1, 3))  # completed after the year ended
    letter_on(dt.date(2019, 7, 1), completed=None)
    letter_on(dt.date(2020, 2, 1), completed=dt.date(2020, 2, 2))
    assert letters_summary(2019) == (3, 1)
    assert letters_summary(2019, as_of=dt.date(2020, 1, 31)) == (3, 2)
    assert letters_summary(2020) == (1, 1)
    assert letters_summary(2018) == (0, 0)


def test_the_seed_figure_thirteen_of_thirteen(office: Any) -> None:
    for month in range(1, 14):
        day = dt.date(2019, min(month, 12), 10 + (month == 13))
        with time_machine.travel(dt.datetime.combine(day, dt.time(9)), tick=False):
            x = letter_submit(subject=f"来信{month}", body="来信内容", anonymous=True)
            letter_reply(actor=office.clerk, letter=x, reply="答复")
            letter_complete(actor=office.clerk, letter=x)
    received, completed = letters_summary(2019)
    assert (received, completed) == (13, 13) and f"{completed / received:.0%}" == "100%"
