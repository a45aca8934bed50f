"""The mailbox on the portal: the public letter form (validation, anonymity, rate limit, honeypot), the
writer's letter number and 查询码 with the lookup page, and the mailbox's name per office.

The workbench side (转办, reply, completion, publication) and the report figure are tests/engagement/.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
from django.test import Client

from gongkai.core.choices import OrganisationKind
from gongkai.core.models import AuditEvent
from gongkai.engagement.models import Letter, LetterStatus
from gongkai.engagement.services import letter_forward, letter_forward_answer, letter_reply, letter_submit
from gongkai.org.services import organisation_set
from gongkai.portal import ratelimit
from staff_auth import sign_in

pytestmark = pytest.mark.django_db


def write(client: Client, **data: Any) -> Any:
    payload = {"subject": "人行道破损", "body": "东花市北里路口人行道砖松动。", "homepage": ""} | data
    return client.post("/mailbox/write/", payload)


def test_anonymous_letter_keeps_no_contact_details(client: Client, office: Any) -> None:
    response = write(client, anonymous="on", name="不该保存", phone="13811112222")
    assert response.status_code == 200 and "来信已收到" in response.content.decode()
    letter = Letter.objects.get()
    assert letter.anonymous and (letter.name, letter.phone, letter.email) == ("", "", "")
    assert letter.reference in response.content.decode()
    assert letter.status == LetterStatus.NEW and letter.received_on == dt.date.today()


def test_named_letter_needs_a_name_and_a_way_to_answer(client: Client, office: Any) -> None:
    page = write(client, name="", phone="").content.decode()
    assert "实名来信请填写姓名" in page and "至少留下电话或电子邮箱" in page
    assert "东花市北里路口人行道砖松动。" in page  # kept
    assert "请填写手机号码" in write(client, name="张三", phone="12345").content.decode()
    assert write(client, name="张三", phone="138 1111 2222").status_code == 200
    assert Letter.objects.get().phone == "13811112222"


def test_letters_are_rate_limited_per_contact(office: Any) -> None:
    for i in range(ratelimit.LETTER_PER_CONTACT.max_hits):
        assert write(Client(REMOTE_ADDR=f"192.0.2.{i}"), name="张三", phone="13811112222").status_code == 200
    limited = write(Client(REMOTE_ADDR="192.0.2.99"), name="张三", phone="13811112222")
    assert limited.status_code == 429 and "提交过于频繁" in limited.content.decode()


def test_honeypot_letter_is_dropped(client: Client, office: Any) -> None:
    assert write(client, anonymous="on", homepage="x").status_code == 400
    assert not Letter.objects.exists()


# -- the writer's letter number, 查询码 and lookup page ---------------------------------------------------


def _receipt(page: str) -> tuple[str, str]:
    reference = re.search(r'id="letter-reference">([^<]+)<', page)
    code = re.search(r'id="query-code">([^<]+)<', page)
    assert reference and code, page
    return reference.group(1), code.group(1)


def lookup(client: Client, reference: str, code: str) -> Any:
    return client.post("/mailbox/lookup/", {"reference": reference, "code": code})


def test_the_writer_looks_their_letter_up_with_number_and_code(client: Client, office: Any) -> None:
    written = write(client, name="张三", phone="13811112222")
    assert written["Cache-Control"] == "no-store" and "查询码只显示这一次" in written.content.decode()
    reference, code = _receipt(written.content.decode())
    letter = Letter.objects.get()
    assert letter.reference == reference and len(code) == 14  # XXXX-XXXX-XXXX
    assert code.replace("-", "") not in letter.query_code_hash  # only the hash is kept
    other = letter_submit(subject="别人的来信", body="别人的事", anonymous=True)

    page = lookup(Client(), reference.lower(), code.replace("-", " ").lower())  # as people type them
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert "人行道破损" in text and "已收到，正在办理" in text and "尚未答复" in text
    assert "张三" not in text and "13811112222" not in text and other.subject not in text
    letter_forward(actor=office.clerk, letter=letter, department=office.dept, due_on=dt.date.today())
    assert "已转相关科室办理" in lookup(Client(), reference, code).content.decode()
    assert office.dept.name not in lookup(Client(), reference, code).content.decode()
    letter_forward_answer(actor=office.drafter, forwarding=letter.forwardings.get(), answer="科室内部意见")
    letter_reply(actor=office.clerk, letter=letter, reply="您好，人行道已于本周修复。")
    text = lookup(Client(), reference, code).content.decode()
    assert "已答复" in text and "您好，人行道已于本周修复。" in text and "科室内部意见" not in text
    viewed = AuditEvent.objects.filter(verb="letter.status_viewed", object_id=str(letter.pk))
    assert viewed.count() == 4 and viewed.first().actor is None


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(client: Client, office: Any) -> None:
    reference, code = _receipt(write(client, anonymous="on").content.decode())
    answers = []
    for number, secret in ((reference, "AAAA-AAAA-AAAA"), ("XX20990101-AAAAA", code)):
        started = time.monotonic()
        response = lookup(Client(REMOTE_ADDR="192.0.2.7"), number, secret)
        answers.append((response.status_code, _without_csrf(response.content.decode())))
        assert time.monotonic() - started >= 0.2
    assert answers[0] == answers[1] and answers[0][0] == 403
    assert "信件编号或查询码不正确" in answers[0][1] and "人行道破损" not in answers[0][1]
    empty = lookup(client, "", "").content.decode()  # empty fields: the form says what is missing
    assert "请填写信件编号" in empty and "请填写查询码" in empty


def _without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_lookups_are_rate_limited_per_address_without_locking_the_writer_out(
    client: Client, office: Any
) -> None:
    reference, code = _receipt(write(client, anonymous="on").content.decode())
    guesser = Client(REMOTE_ADDR="192.0.2.7")
    for _ in range(ratelimit.LOOKUP_FAIL_PER_CASE.max_hits):
        assert lookup(guesser, reference, "AAAA-AAAA-AAAA").status_code == 403
    # The guesser waits, even with the right code: they cannot tell the moment they got it right.
    limited = lookup(guesser, reference, code)
    assert limited.status_code == 429 and "提交过于频繁" in limited.content.decode()
    assert int(limited["Retry-After"]) > 0
    # The writer, from their own address, is not locked out of their letter by someone else's guesses.
    assert lookup(Client(REMOTE_ADDR="198.51.100.4"), reference, code).status_code == 200


# -- the mailbox's name --------------------------------------------------------------------------------


def test_a_subdistrict_calls_it_the_directors_mailbox(client: Client, office: Any) -> None:
    for url in ("/", "/mailbox/", "/mailbox/write/", "/mailbox/lookup/"):
        page = client.get(url).content.decode()
        assert "主任信箱" in page and "区长" not in page, url
    assert "给主任写信" in client.get("/mailbox/write/").content.decode()
    staff = Client()
    sign_in(staff, office.clerk)
    assert "主任信箱" in staff.get("/workbench/").content.decode()
    assert "<h1>主任信箱</h1>" in staff.get("/workbench/mailbox/").content.decode()


def test_a_district_government_and_a_name_set_by_the_office(client: Client, office: Any) -> None:
    organisation_set(actor=None, name="北京市东城区人民政府", kind=OrganisationKind.GOVERNMENT)
    page = client.get("/mailbox/write/").content.decode()
    assert "区长信箱" in page and "给区长写信" in page and "主任信箱" not in page
    organisation_set(
        actor=None, name="北京市东城区人民政府", kind=OrganisationKind.GOVERNMENT, mailbox_name="书记信箱"
    )
    page = client.get("/mailbox/").content.decode()
    assert "<h1>书记信箱</h1>" in page and "区长信箱" not in page
    staff = Client()
    sign_in(staff, office.clerk)
    assert "书记信箱" in staff.get("/workbench/").content.decode()
