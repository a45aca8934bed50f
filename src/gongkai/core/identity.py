"""Check digits of the two identity numbers an Art. 29 application carries, and phone numbers.

Shared by the portal's forms and the services that store an applicant's or a letter writer's contact details.

- 公民身份号码 (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence, ISO 7064
  MOD 11-2 check character (0–9 or X). The same layout serves the residence permits of Hong Kong,
  Macao and Taiwan residents (area codes 81, 82, 83).
- 统一社会信用代码 (GB 32100-2015): 18 characters over a 31-character alphabet (no I, O, Z, S, V),
  the last one a MOD 31 check character.

The functions normalise (strip, upper-case, full-width to half-width) and either return the canonical
string or raise ``IdentityError`` whose message is shown to the applicant as is.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.utils.translation import gettext as _


class IdentityError(ValueError):
    """An identity number that cannot be right; ``str(error)`` is the message for the applicant."""


# GB 11643: weights 2^(17-i) mod 11 for positions 1..17, and the check character for sum mod 11.
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"
# The leading two digits of every province-level area code (GB/T 2260) plus 81–83 of the
# Hong Kong / Macao / Taiwan residence permits; anything else is a typing error.
_PROVINCE_PREFIXES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip
_EARLIEST_BIRTH_YEAR = 1880

# GB 32100: alphabet in value order, weights 3^i mod 31 for positions 1..17.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# 登记管理部门码: the authorities GB 32100 lists (机构编制 1 … 市场监管 9, 中央军委编制 A, 农业 N, 其他 Y).
# The 机构类别码 that follows is a digit 1–9; which digits each authority uses has changed over time, so
# only its form is checked, not the pairing.
_USCC_AUTHORITIES = frozenset("123456789ANY")


def _normalise(value: str) -> str:
    # Applicants type on phones with full-width keyboards: "１１０１…ｘ" is the same number.
    return unicodedata.normalize("NFKC", value or "").strip().replace(" ", "").upper()


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_resident_id(value: str, *, today: dt.date | None = None) -> str:
    """Return the 18-character 公民身份号码 in canonical form, or raise ``IdentityError``."""
    number = _normalise(value)
    if not number:
        raise IdentityError(_("请填写身份证号码"))
    if len(number) != 18:
        raise IdentityError(_("身份证号码应为 18 位，当前为 %(n)d 位") % {"n": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentityError(_("身份证号码前 17 位应为数字，最后一位为数字或 X"))
    if number[:2] not in _PROVINCE_PREFIXES:
        raise IdentityError(_("身份证号码的地区码“%(code)s”不存在") % {"code": number[:6]})
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentityError(_("身份证号码中的出生日期“%(d)s”不是有效日期") % {"d": number[6:14]}) from None
    today = today or dt.date.today()
    if birth > today or birth.year < _EARLIEST_BIRTH_YEAR:
        raise IdentityError(_("身份证号码中的出生日期“%(d)s”不合理") % {"d": number[6:14]})
    if resident_id_check_char(number[:17]) != number[17]:
        raise IdentityError(_("身份证号码校验位不正确，请核对后重新填写"))
    return number


def resident_id_plausible(number: str, *, today: dt.date | None = None) -> bool:
    """Whether the first 17 characters of ``number`` could begin a 公民身份号码 (digits, a known province,
    a possible birth date), whatever its check character. No message, no settings: for scanning text."""
    if len(number) < 17 or not number[:17].isdigit() or number[:2] not in _PROVINCE_PREFIXES:
        return False
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return birth.year >= _EARLIEST_BIRTH_YEAR and birth <= (today or dt.date.today())


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Return the 18-character 统一社会信用代码 in canonical form, or raise ``IdentityError``."""
    code = _normalise(value)
    if not code:
        raise IdentityError(_("请填写统一社会信用代码"))
    if len(code) != 18:
        raise IdentityError(_("统一社会信用代码应为 18 位，当前为 %(n)d 位") % {"n": len(code)})
    bad = sorted({c for c in code if c not in _USCC_VALUE})
    if bad:
        raise IdentityError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）")
            % {"chars": "、".join(bad)}
        )
    if code[0] not in _USCC_AUTHORITIES or code[1] not in "123456789":
        raise IdentityError(_("统一社会信用代码前两位（登记管理部门码和机构类别码）无效"))
    if not code[2:8].isdigit():
        raise IdentityError(_("统一社会信用代码第 3 至 8 位应为行政区划代码（数字）"))
    if uscc_check_char(code[:17]) != code[17]:
        raise IdentityError(_("统一社会信用代码校验位不正确，请核对后重新填写"))
    return code


_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")


def validate_phone(value: str) -> str:
    """A mainland mobile number (11 digits) or a landline with its area code, normalised; else ``IdentityError``."""
    phone = _normalise(value).replace("（", "(").replace("）", ")")
    phone = phone.removeprefix("+86").removeprefix("0086").replace("(", "").replace(")", "-").strip("-")
    compact = phone.replace("-", "")
    if _MOBILE.fullmatch(compact):
        return compact
    if _LANDLINE.fullmatch(phone) or (compact.startswith("0") and _LANDLINE.fullmatch(compact)):
        return phone
    raise IdentityError(_("请填写手机号码（11 位）或带区号的固定电话，如 010-12345678"))


def mask_identity(number: str) -> str:
    """Keep the first and last characters only, for anything shown outside the handling staff."""
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]
