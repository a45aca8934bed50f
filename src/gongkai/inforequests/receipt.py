"""Art. 31: which date is 收到申请之日, by the channel the application came through (statute.md §3.5).

- 当面提交: the day it was handed in;
- 邮寄 that must be signed for: the day the organ signed for it;
- 平常信函, 互联网 and 传真: the day the office and the applicant confirmed receipt — until that
  confirmation the application has no received date and waits for it.
"""

from __future__ import annotations

import datetime as dt

from gongkai.core.choices import RequestChannel

__all__ = ["CHANNEL_RULES", "CONFIRMED_CHANNELS", "ReceiptDateError", "received_on_for"]

# Channels whose received date is the confirmation date (Art. 31 (二) second half and (三)).
CONFIRMED_CHANNELS = frozenset({RequestChannel.PLAIN_LETTER, RequestChannel.ONLINE, RequestChannel.FAX})

# What staff see next to the date fields of the intake form.
CHANNEL_RULES: dict[str, str] = {
    RequestChannel.IN_PERSON: "当面提交的，以提交之日为收到申请之日（第三十一条第（一）项）。",
    RequestChannel.REGISTERED_POST: "以邮寄方式提交的，以本机关签收之日为收到申请之日（第三十一条第（二）项）。",
    RequestChannel.PLAIN_LETTER: (
        "以平常信函等无需签收的方式邮寄的，公开办应于收到当日与申请人确认，"
        "确认之日为收到申请之日（第三十一条第（二）项）。"
    ),
    RequestChannel.ONLINE: "通过互联网渠道提交的，以双方确认之日为收到申请之日（第三十一条第（三）项）。",
    RequestChannel.FAX: "通过传真提交的，以双方确认之日为收到申请之日（第三十一条第（三）项）。",
}


class ReceiptDateError(ValueError):
    """The dates given do not fit the channel's Art. 31 rule; the message says which one is missing or wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def received_on_for(
    channel: str,
    *,
    submitted_on: dt.date,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
) -> dt.date | None:
    """收到申请之日 under Art. 31, or None while a confirmation is still outstanding."""
    channel = RequestChannel(channel)
    if channel is RequestChannel.IN_PERSON:
        return submitted_on
    if channel is RequestChannel.REGISTERED_POST:
        if signed_on is None:
            raise ReceiptDateError("signed_on", "邮寄申请须填写本机关签收之日")
        if signed_on < submitted_on:
            raise ReceiptDateError("signed_on", "签收之日不能早于申请人寄出之日")
        return signed_on
    if confirmed_on is not None and confirmed_on < submitted_on:
        raise ReceiptDateError("confirmed_on", "确认之日不能早于申请人提交之日")
    return confirmed_on
