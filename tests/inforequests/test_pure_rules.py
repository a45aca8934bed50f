"""Art. 31 received dates, masking of personal data and the 告知书 wording — no database."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.choices import Outcome, RequestChannel
from gongkai.inforequests.masking import mask_address, mask_email, mask_id_number, mask_phone
from gongkai.inforequests.notice_text import (
    DEFAULT_TEMPLATES,
    fill,
    remedy_sentence,
    unknown_placeholders,
)
from gongkai.inforequests.receipt import ReceiptDateError, received_on_for

D = dt.date


def test_in_person_is_received_the_day_it_is_handed_in() -> None:
    assert received_on_for(RequestChannel.IN_PERSON, submitted_on=D(2019, 5, 6)) == D(2019, 5, 6)


def test_registered_post_is_received_on_the_signing_date() -> None:
    got = received_on_for(RequestChannel.REGISTERED_POST, submitted_on=D(2019, 5, 6), signed_on=D(2019, 5, 9))
    assert got == D(2019, 5, 9)
    with pytest.raises(ReceiptDateError) as missing:
        received_on_for(RequestChannel.REGISTERED_POST, submitted_on=D(2019, 5, 6))
    assert missing.value.field == "signed_on"
    with pytest.raises(ReceiptDateError, match="不能早于"):
        received_on_for(RequestChannel.REGISTERED_POST, submitted_on=D(2019, 5, 6), signed_on=D(2019, 5, 5))


@pytest.mark.parametrize("channel", [RequestChannel.PLAIN_LETTER, RequestChannel.ONLINE, RequestChannel.FAX])
def test_letter_online_and_fax_are_received_on_the_confirmation_date(channel: str) -> None:
    assert received_on_for(channel, submitted_on=D(2019, 5, 6)) is None  # waits for confirmation
    assert received_on_for(channel, submitted_on=D(2019, 5, 6), confirmed_on=D(2019, 5, 8)) == D(2019, 5, 8)
    # A signing date means nothing for these channels.
    assert received_on_for(channel, submitted_on=D(2019, 5, 6), signed_on=D(2019, 5, 7)) is None
    with pytest.raises(ReceiptDateError):
        received_on_for(channel, submitted_on=D(2019, 5, 6), confirmed_on=D(2019, 5, 1))


def test_masks() -> None:
    assert mask_id_number("110101199001011234") == "1101**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("010-65123456") == "010*****3456"
    assert mask_address("北京市东城区东花市北里20号楼") == "北京市东城区****"
    assert mask_email("zhang.san@example.com") == "z***@example.com"
    assert mask_id_number("") == mask_phone("") == mask_address("") == mask_email("") == ""
    # Short values never show more than a third of themselves.
    assert mask_phone("12345") == "****5"
    assert mask_id_number("1234") == "***4"


def test_every_outcome_has_a_default_template_citing_its_legal_basis() -> None:
    assert set(DEFAULT_TEMPLATES) == set(Outcome)
    not_held = DEFAULT_TEMPLATES[Outcome.UNAVAILABLE_NOT_HELD]
    assert not_held.legal_basis == "《中华人民共和国政府信息公开条例》第三十六条第（四）项"
    for outcome, text in DEFAULT_TEMPLATES.items():
        assert text.title and text.body
        if outcome != Outcome.OTHER_OTHER:
            assert "条" in text.legal_basis, outcome
        assert unknown_placeholders(text.body) == []


def test_placeholders() -> None:
    assert (
        fill("{申请人}：您的申请（{案号}）", {"申请人": "张三", "案号": "依申〔2019〕1号"})
        == "张三：您的申请（依申〔2019〕1号）"
    )
    assert unknown_placeholders("{申请人} {电话} {地址}") == ["地址", "电话"]
    assert "北京市东城区人民政府申请行政复议" in remedy_sentence("北京市东城区人民政府")
    assert "提起行政诉讼" in remedy_sentence("")
