"""The applicant's chosen way of receiving notices (``InfoRequest.notify_by``) and what each way needs."""

from __future__ import annotations

from gongkai.core.choices import NotifyBy
from gongkai.core.identity import IdentityError, validate_phone

__all__ = ["contact_problem", "default_notify_by", "is_mobile"]


def is_mobile(phone: str) -> bool:
    """A mainland mobile number (an SMS can reach it), in any of the spellings ``validate_phone`` accepts."""
    try:
        normalised = validate_phone(phone)
    except IdentityError:
        return False
    return len(normalised) == 11 and normalised.startswith("1")


def contact_problem(notify_by: str, *, email: str, phone: str, address: str) -> tuple[str, str] | None:
    """(which contact field, the Chinese message) when the chosen way lacks what it needs, else None.

    The field is one of ``email``, ``phone``, ``address``; forms map it to their own field names.
    """
    if notify_by == NotifyBy.EMAIL and not email.strip():
        return "email", "选择以电子邮件送达时，请填写电子邮箱"
    if notify_by == NotifyBy.SMS and not is_mobile(phone):
        return "phone", "选择以手机短信送达时，请填写手机号码（11 位）"
    if notify_by == NotifyBy.POST and not address.strip():
        return "address", "选择邮寄送达时，请填写通信地址"
    if notify_by and notify_by not in NotifyBy.values:
        return "notify_by", "送达方式无法识别，请选择电子邮件、手机短信或邮寄"
    return None


def default_notify_by(*, email: str, phone: str, address: str) -> str:
    """The way used when an applicant did not choose one: e-mail if given, else SMS to a mobile, else post."""
    if email.strip():
        return NotifyBy.EMAIL
    if is_mobile(phone):
        return NotifyBy.SMS
    if address.strip():
        return NotifyBy.POST
    return ""
