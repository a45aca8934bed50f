"""Publishing a letter: the public text is edited apart from the letter, starts masked, and cannot carry
personal data. Done when: a letter with an ID or phone number cannot be published until the office edits it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.core.models import AuditEvent
from gongkai.engagement.models import Letter
from gongkai.engagement.services import PersonalDataFound, letter_publish, letter_reply, letter_submit
from staff_auth import sign_in

pytestmark = pytest.mark.django_db

ID_NUMBER = "110101198001011232"
BODY = (
    "尊敬的主任：您好！\n"
    f"我是孙丽华，身份证{ID_NUMBER}，手机139 1234 5678。东花市北里东区3号楼门前的路灯坏了一个月，"
    "2024-05-06拨打过12345热线，请尽快修复。"
)


@pytest.fixture
def letter(office: Any) -> Letter:
    x = letter_submit(subject="路灯坏了", body=BODY, anonymous=False, name="孙丽华", phone="13912345678")
    return letter_reply(actor=office.clerk, letter=x, reply="孙丽华女士：您好！路灯已于5月8日修复。")


def test_the_raw_letter_cannot_be_published(office: Any, letter: Letter) -> None:
    with pytest.raises(PersonalDataFound) as refused:
        letter_publish(
            actor=office.clerk, letter=letter, public_subject=letter.subject, public_body=letter.body,
            public_reply="路灯已修复。",
        )  # fmt: skip
    message = str(refused.value)
    assert "公开内容中仍有个人信息" in message
    assert "“公开的来信内容”第2行第10字：身份证号码（110*************32）" in message
    assert "手机号码（139********78）" in message and "姓名（孙**）" in message
    assert ID_NUMBER not in message and "13912345678" not in message
    letter.refresh_from_db()
    assert not letter.is_public and letter.public_body == ""
    assert not AuditEvent.objects.filter(verb="letter.publish").exists()


def test_a_phone_number_cannot_be_confirmed_away(office: Any, letter: Letter) -> None:
    for body in ("路灯坏了，请回电139-1234-5678。", "路灯坏了，我的身份证是" + ID_NUMBER):
        with pytest.raises(PersonalDataFound):
            letter_publish(
                actor=office.clerk, letter=letter, public_subject="路灯", public_body=body,
                public_reply="路灯已修复。", confirmed=True,
            )  # fmt: skip


def test_the_reply_is_checked_too(office: Any, letter: Letter) -> None:
    # Left out, the public reply is the reply as written: here it greets the writer by name.
    with pytest.raises(PersonalDataFound, match="公开的答复内容"):
        letter_publish(actor=office.clerk, letter=letter, public_subject="路灯", public_body="路灯坏了。")


def test_names_and_addresses_need_an_edit_or_a_confirmation(office: Any, letter: Letter) -> None:
    kwargs = {"public_subject": "路灯", "public_reply": "路灯已修复。"}
    body = "东花市北里东区3号楼门前的路灯坏了。"  # the building, not a flat: staff may judge it public
    with pytest.raises(PersonalDataFound, match=r"可能有姓名或住址.*住址（东花市…）"):
        letter_publish(actor=office.clerk, letter=letter, public_body=body, **kwargs)
    letter_publish(actor=office.clerk, letter=letter, public_body=body, confirmed=True, **kwargs)
    event = AuditEvent.objects.get(verb="letter.publish")
    assert event.actor == office.clerk
    assert event.after["confirmed_not_personal"] == ["“公开的来信内容”第1字：住址（东花市…）"]


def test_published_after_the_office_edits_it(office: Any, letter: Letter) -> None:
    letter_publish(
        actor=office.clerk, letter=letter, public_subject="路灯坏了",
        public_body="东花市北里东区门前的路灯坏了一个月，请尽快修复。", public_reply="您好！路灯已于5月8日修复。",
    )  # fmt: skip
    letter.refresh_from_db()
    assert letter.is_public and letter.published_on == dt.date.today()
    assert letter.body == BODY  # the letter itself is untouched
    page = Client().get(f"/mailbox/{letter.pk}/").content.decode()
    assert "东花市北里东区门前的路灯坏了一个月" in page and "路灯已于5月8日修复" in page
    for private in ("孙丽华", ID_NUMBER, "139 1234 5678", "3号楼"):
        assert private not in page


def test_every_public_field_is_required(office: Any, letter: Letter) -> None:
    with pytest.raises(ValidationError, match="请填写公开的标题、来信内容和答复内容"):
        letter_publish(
            actor=office.clerk, letter=letter, public_subject="路灯", public_body="  ", public_reply="x"
        )


def test_the_form_starts_masked_and_marks_what_is_left(client: Client, office: Any, letter: Letter) -> None:
    sign_in(client, office.clerk)
    page = client.get(f"/workbench/mailbox/{letter.pk}/").content.decode()
    form = page[page.index('id="publish-h"') :]
    assert ID_NUMBER not in form and "139 1234 5678" not in form and "孙丽华" not in form
    assert "我是***，身份证***，手机***。" in form  # the suggestion: the letter with its findings masked
    assert "***女士：您好！路灯已于5月8日修复。" in form
    # Publishing the raw text is refused, and the page comes back with the text as typed, marked.
    raw = {"public_subject": "路灯坏了", "public_body": BODY, "public_reply": "路灯已修复。"}
    response = client.post(f"/workbench/mailbox/{letter.pk}/publish/", raw)
    assert response.status_code == 400
    page = response.content.decode()
    assert "公开内容中仍有个人信息，请删改后再公开" in page
    assert f'<mark class="pii" title="身份证号码">{ID_NUMBER}</mark>' in page
    assert '<mark class="pii" title="手机号码">139 1234 5678</mark>' in page
    assert '<mark class="pii review" title="姓名">孙丽华</mark>' in page
    assert "我是孙丽华" in page  # the textarea keeps what staff typed
    letter.refresh_from_db()
    assert not letter.is_public


def test_the_live_check_marks_the_text_being_edited(client: Client, office: Any, letter: Letter) -> None:
    url = f"/workbench/mailbox/{letter.pk}/publish/check/"
    sign_in(client, office.drafter)
    assert client.post(url, {"public_body": "x"}).status_code == 403
    sign_in(client, office.clerk)
    fragment = client.post(
        url, {"public_subject": "路灯", "public_body": "请回电010-67123456", "public_reply": "已修复"}
    ).content.decode()
    assert '<mark class="pii" title="固定电话">010-67123456</mark>' in fragment
    assert fragment.count("未发现个人信息") == 2
