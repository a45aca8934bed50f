"""转办: the office hands a letter to a 科室 with a due date, the 科室 answers, the office replies.

Permissions come from ``org.access`` (LETTER_FORWARD for the office, LETTER_DEPARTMENT_ANSWER for a 科室,
scoped to its own letters); each step is a service with an audit row, and the outbox carries
``letter.forwarded`` and ``letter.replied``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gongkai.core.models import AuditEvent, OutboxMessage
from gongkai.engagement.models import Forwarding, Letter, LetterStatus
from gongkai.engagement.services import (
    letter_forward,
    letter_forward_answer,
    letter_forward_recall,
    letter_reply,
    letter_submit,
)
from gongkai.org.services import department_update
from staff_auth import sign_in

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def letter(office: Any) -> Letter:
    return letter_submit(
        subject="井盖缺失", body="东花市北里路口的井盖丢了，晚上很危险。", anonymous=False, name="周立新",
        phone="13700001111",
    )  # fmt: skip


def forward(office: Any, letter: Letter, *, days: int = 5, dept: Any = None) -> Forwarding:
    return letter_forward(
        actor=office.clerk, letter=letter, department=dept or office.dept,
        due_on=TODAY + dt.timedelta(days=days), instructions="请核实后于期限内回复",
    )  # fmt: skip


def verbs(letter: Letter) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="engagement.letter", object_id=str(letter.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_forward_answer_and_reply_through_the_workbench(office: Any, letter: Letter) -> None:
    clerk, dept_staff, other = Client(), Client(), Client()
    sign_in(clerk, office.clerk)
    sign_in(dept_staff, office.drafter)
    sign_in(other, office.other_drafter)
    due = TODAY + dt.timedelta(days=4)
    page = clerk.get(f"/workbench/mailbox/{letter.pk}/").content.decode()
    assert "承办科室" in page and "社区建设科" in page  # the forward form offers the active 科室
    clerk.post(f"/workbench/mailbox/{letter.pk}/forward/", {"department": office.dept.pk, "due_on": due})
    letter.refresh_from_db()
    forwarding = letter.forwardings.get()
    assert letter.status == LetterStatus.FORWARDED and forwarding.due_on == due
    message = OutboxMessage.objects.get(kind="letter.forwarded")
    assert message.payload == {
        "letter_id": letter.pk, "letter_reference": letter.reference, "department_id": office.dept.pk,
        "due_on": due.isoformat(),
    }  # fmt: skip

    # The 科室 sees it in its list and on its dashboard; another 科室 does not, and cannot answer.
    assert letter.reference in dept_staff.get("/workbench/mailbox/").content.decode()
    assert f"{letter.reference} 井盖缺失" in dept_staff.get("/workbench/").content.decode()
    assert letter.reference not in other.get("/workbench/mailbox/").content.decode()
    assert letter.reference not in other.get("/workbench/").content.decode()
    assert other.get(f"/workbench/mailbox/{letter.pk}/").status_code == 403
    answer_url = f"/workbench/mailbox/{letter.pk}/forwardings/{forwarding.pk}/answer/"
    assert other.post(answer_url, {"answer": "不归我们管"}).status_code == 403
    detail = dept_staff.get(f"/workbench/mailbox/{letter.pk}/").content.decode()
    assert "周**" in detail and "13700001111" not in detail and "显示完整联系方式" not in detail
    assert "回复公开办" in detail and "在门户公开" not in detail

    dept_staff.post(answer_url, {"answer": "已联系市政补装井盖，6月1日完成。"})
    letter.refresh_from_db()
    assert letter.status == LetterStatus.NEW
    dashboard = clerk.get("/workbench/").content.decode()
    assert "科室已回复" in dashboard
    assert (
        "已联系市政补装井盖，6月1日完成。</textarea>"
        in clerk.get(f"/workbench/mailbox/{letter.pk}/").content.decode()
    )

    clerk.post(f"/workbench/mailbox/{letter.pk}/reply/", {"reply": "您好，井盖已补装。", "replied_on": TODAY})
    clerk.post(
        f"/workbench/mailbox/{letter.pk}/reply/", {"reply": "您好，井盖已于6月1日补装。", "replied_on": TODAY}
    )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.REPLIED and letter.reply == "您好，井盖已于6月1日补装。"
    replied = OutboxMessage.objects.filter(kind="letter.replied")
    assert [m.payload for m in replied] == [{"letter_id": letter.pk, "letter_reference": letter.reference}]
    assert verbs(letter) == [
        "letter.submit", "letter.forward", "letter.forward_answer", "letter.reply", "letter.reply",
    ]  # fmt: skip
    answered = AuditEvent.objects.get(verb="letter.forward_answer")
    assert answered.actor == office.drafter and answered.after["department"] == "城市管理科"


def test_the_services_hold_the_rules(office: Any, letter: Letter) -> None:
    with pytest.raises(PermissionDenied):
        letter_forward(actor=office.drafter, letter=letter, department=office.dept, due_on=TODAY)
    with pytest.raises(PermissionDenied):
        letter_forward(actor=office.auditor, letter=letter, department=office.dept, due_on=TODAY)
    with pytest.raises(ValidationError, match="回复期限不能早于今天"):
        forward(office, letter, days=-1)
    forwarding = forward(office, letter)
    with pytest.raises(ValidationError, match="该来信已转办城市管理科，尚未回复"):
        forward(office, letter)
    with pytest.raises(ValidationError, match="请等科室回复，或撤回转办后再答复"):
        letter_reply(actor=office.clerk, letter=letter, reply="直接答复")
    with pytest.raises(PermissionDenied, match="转办给了城市管理科，您所在的科室不能回复"):
        letter_forward_answer(actor=office.other_head, forwarding=forwarding, answer="我们来答")
    with pytest.raises(PermissionDenied):
        letter_forward_answer(actor=office.clerk, forwarding=forwarding, answer="公开办不代科室回复")
    with pytest.raises(ValidationError, match="请填写科室办理意见"):
        letter_forward_answer(actor=office.dept_head, forwarding=forwarding, answer="  ")
    letter_forward_answer(actor=office.dept_head, forwarding=forwarding, answer="已处理")
    with pytest.raises(ValidationError, match="该转办已回复"):
        letter_forward_answer(actor=office.drafter, forwarding=forwarding, answer="再答一次")
    department_update(actor=None, department=office.other_dept, name="社区建设科", sort_order=0, active=False)
    office.other_dept.refresh_from_db()
    with pytest.raises(ValidationError, match="社区建设科已停用"):
        forward(office, letter, dept=office.other_dept)
    letter_reply(actor=office.clerk, letter=letter, reply="已处理")
    with pytest.raises(ValidationError, match="已答复，不再转办"):
        forward(office, letter)


def test_two_departments_and_a_recall(office: Any, letter: Letter) -> None:
    first = forward(office, letter)
    second = forward(office, letter, dept=office.other_dept)
    letter_forward_answer(actor=office.drafter, forwarding=first, answer="城管部分已处理")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FORWARDED  # the other 科室 still owes its answer
    with pytest.raises(PermissionDenied):
        letter_forward_recall(actor=office.dept_head, forwarding=second)
    letter_forward_recall(actor=office.director, forwarding=second)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.NEW
    with pytest.raises(ValidationError, match="该转办已撤回"):
        letter_forward_answer(actor=office.other_drafter, forwarding=second, answer="晚了")
    client = Client()
    sign_in(client, office.other_drafter)  # a recalled 转办 is no longer the 科室's letter
    assert client.get(f"/workbench/mailbox/{letter.pk}/").status_code == 403
    assert verbs(letter)[-1] == "letter.forward_recall"


def test_an_overdue_forwarding_is_flagged(office: Any, letter: Letter) -> None:
    forward(office, letter, days=2)
    clerk, dept_staff = Client(), Client()
    sign_in(clerk, office.clerk)
    sign_in(dept_staff, office.drafter)
    assert "前回复" in dept_staff.get("/workbench/").content.decode()
    later = dt.datetime.combine(TODAY + dt.timedelta(days=5), dt.time(10))
    with time_machine.travel(later, tick=False):
        # Five days on, yesterday's sessions have long timed out (30 idle minutes): both sign in again.
        sign_in(clerk, office.clerk)
        sign_in(dept_staff, office.drafter)
        assert "逾期 3 天" in clerk.get("/workbench/").content.decode()
        assert "逾期 3 天" in dept_staff.get("/workbench/").content.decode()
        overdue = clerk.get("/workbench/mailbox/?status=overdue").content.decode()
        assert letter.reference in overdue and "转办逾期" in overdue
        assert "已逾期" in clerk.get(f"/workbench/mailbox/{letter.pk}/").content.decode()
    sign_in(clerk, office.clerk)
    assert letter.reference not in clerk.get("/workbench/mailbox/?status=overdue").content.decode()
