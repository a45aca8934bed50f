"""A14: 信息处理费 is reported in 六、其他需要报告的事项 (2021 format) and agrees with the ledger."""

from __future__ import annotations

import re
from decimal import Decimal

from .base import WARNING, Cells, Finding
from .numbers import CHINESE_DIGITS, CHINESE_UNITS, fold, paragraphs, parse_count, sentences

_BOOK_TITLE = re.compile(r"《[^》]*》")
_AMOUNT = re.compile(rf"(?P<n>\d+(?:\.\d+)?|[{CHINESE_DIGITS}{CHINESE_UNITS}]+)\s*(?P<unit>万元|元)")
_TOTAL_WORDS = ("共计", "合计", "总计", "累计", "共")
_NOTHING_CHARGED = re.compile(r"(?:未|没有|无)[^，,。；;]{0,6}?(?:收取|收费|收缴|产生|发生)")
_TEN_THOUSAND = Decimal(10000)


def _amount(number: str, unit: str) -> Decimal | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", number):
        value = Decimal(number)
    else:
        count = parse_count(number)
        if count is None:
            return None
        value = Decimal(count)
    if unit == "万元":
        value *= _TEN_THOUSAND
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))  # 1.2万元 is 12000 元, not 12000.0
    return value


def stated_fee(text: str) -> tuple[Decimal, str] | None:
    """The 信息处理费 total stated in section 六, in 元, with the phrase it was read from."""
    best: tuple[Decimal, str] | None = None
    prose = _BOOK_TITLE.sub("", fold(text))
    for _, sentence in (piece for paragraph in paragraphs(prose) for piece in sentences(paragraph)):
        if "处理费" not in sentence:
            continue
        for match in _AMOUNT.finditer(sentence):
            value = _amount(match.group("n"), match.group("unit"))
            if value is None:
                continue
            lead = sentence[: match.start()].rstrip()
            phrase = sentence[max(0, sentence.find("处理费") - 2) : match.end()]
            if lead.endswith(_TOTAL_WORDS):
                return value, phrase  # an explicit total wins over per-department amounts
            if best is None:
                best = (value, phrase)
        if best is None and _NOTHING_CHARGED.search(sentence):
            best = (Decimal(0), sentence.strip())
    return best


def check_fees(cells: Cells, fees_charged_yuan: Decimal | None) -> list[Finding]:
    if cells.fmt.id != "2021" or "other" not in cells.report.sections:
        return []
    text = cells.report.sections["other"]
    label = cells.row_label("sections", "other")
    if "处理费" not in _BOOK_TITLE.sub("", text):
        return [
            cells.finding(
                "A14",
                WARNING,
                "sections",
                "other",
                "",
                str(fees_charged_yuan) if fees_charged_yuan is not None else None,
                None,
                f"{label}未报告本年度信息处理费的收取情况",
            )
        ]
    if fees_charged_yuan is None:
        return []
    stated = stated_fee(text)
    if stated is None:
        return [
            cells.finding(
                "A14",
                WARNING,
                "sections",
                "other",
                "",
                str(fees_charged_yuan),
                None,
                f"{label}提到信息处理费但未写明金额；台账记录本年度收取 {fees_charged_yuan} 元",
            )
        ]
    amount, phrase = stated
    if amount == fees_charged_yuan:
        return []
    return [
        cells.finding(
            "A14",
            WARNING,
            "sections",
            "other",
            "",
            str(fees_charged_yuan),
            str(amount),
            f"{label}称“{phrase}”（{amount} 元），但台账记录本年度收取信息处理费 {fees_charged_yuan} 元",
        )
    ]
