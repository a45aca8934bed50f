"""Identity numbers: the worked examples of GB 11643 and GB 32100, and single-character typos."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.identity import (
    IdentityError,
    mask_identity,
    resident_id_check_char,
    uscc_check_char,
    validate_resident_id,
    validate_uscc,
)

# The examples printed in the standards themselves.
GB11643_EXAMPLES = ["11010519491231002X", "440524188001010014"]
GB32100_EXAMPLE = "91350100M000100Y43"


@pytest.mark.parametrize("number", GB11643_EXAMPLES)
def test_standard_resident_ids_are_accepted(number: str) -> None:
    assert validate_resident_id(number) == number


def test_resident_id_is_normalised() -> None:
    assert validate_resident_id(" １１０１０５１９４９１２３１００２ｘ ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "请填写身份证号码"),
        ("11010519491231002", "应为 18 位，当前为 17 位"),
        ("1101051949123100AX", "前 17 位应为数字"),
        ("99010519491231002X", "地区码“990105”不存在"),
        ("110105194902300028", "出生日期“19490230”不是有效日期"),
        ("110105209901010011", "出生日期“20990101”不合理"),
        ("110105194912310021", "校验位不正确"),
    ],
)
def test_bad_resident_ids_say_what_is_wrong(number: str, message: str) -> None:
    with pytest.raises(IdentityError, match=message):
        validate_resident_id(number, today=dt.date(2024, 6, 1))


_birth_dates = st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31))


@given(
    area=st.sampled_from(["110101", "310104", "440305", "650102", "810000"]),
    birth=_birth_dates,
    seq=st.integers(0, 999),
    pos=st.integers(0, 17),
    delta=st.integers(1, 9),
)
def test_any_single_digit_typo_is_caught(area: str, birth: dt.date, seq: int, pos: int, delta: int) -> None:
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    good = first17 + resident_id_check_char(first17)
    assert validate_resident_id(good, today=dt.date(2024, 6, 1)) == good
    chars = list(good)
    if pos == 17:
        alphabet = "0123456789X"
        chars[17] = alphabet[(alphabet.index(chars[17]) + delta) % 11]
    else:
        chars[pos] = str((int(chars[pos]) + delta) % 10)
    with pytest.raises(IdentityError):
        validate_resident_id("".join(chars), today=dt.date(2024, 6, 1))


def test_standard_credit_code_is_accepted() -> None:
    assert validate_uscc(GB32100_EXAMPLE) == GB32100_EXAMPLE
    assert validate_uscc(GB32100_EXAMPLE.lower()) == GB32100_EXAMPLE


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "请填写统一社会信用代码"),
        ("91350100M000100Y4", "应为 18 位"),
        ("91350100M000100I43", "不允许的字符：I"),
        ("B1350100M000100Y43", "前两位"),
        ("9035010000000100Y4", "前两位"),
        ("9135A100M000100Y43", "行政区划代码"),
        ("91350100M000100Y44", "校验位不正确"),
    ],
)
def test_bad_credit_codes_say_what_is_wrong(code: str, message: str) -> None:
    with pytest.raises(IdentityError, match=message):
        validate_uscc(code)


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(
    body=st.text(alphabet=_USCC_CHARS, min_size=9, max_size=9),
    area=st.from_regex(r"[0-9]{6}", fullmatch=True),
    pos=st.integers(0, 16),
    delta=st.integers(1, 30),
)
def test_any_single_character_typo_in_a_credit_code_is_caught(
    body: str, area: str, pos: int, delta: int
) -> None:
    first17 = "91" + area + body
    good = first17 + uscc_check_char(first17)
    assert validate_uscc(good) == good
    chars = list(good)
    chars[pos] = _USCC_CHARS[(_USCC_CHARS.index(chars[pos]) + delta) % 31]
    with pytest.raises(IdentityError):
        validate_uscc("".join(chars))


def test_masking_keeps_only_the_ends() -> None:
    assert mask_identity("11010519491231002X") == "11**************2X"
    assert mask_identity("123") == "***"
