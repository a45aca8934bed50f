"""Step two of the annual report: the ledger's figures and the staff's record → the ``AnnualReport``.

Section 一 opens with paragraphs drafted from the figures, in the wording of the 东花市 2019 report
("全年主动公开政府信息 282 条。其中重点领域公开信息数 23 条。…收到区长信箱信件 13 件，办结 13 件…"),
phrased so that the A7 rule reads each stated figure back to the cell it came from: a drafted paragraph
never disagrees with the tables. Staff may replace any drafted paragraph and add their own; the record
keeps their text (and sections 五 and 六), and the page says which paragraphs are still drafted. A
2021-format report's 六 is drafted as the 信息处理费 sentence (A14) until staff write it. Nothing here
reads the database: ``queries`` supplies the figures, ``selectors`` runs the two steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from gongkai.annual_report.formats import (
    APPEAL_COLUMNS,
    ReportFormat,
    UnknownFormat,
    format_for_year,
    get_format,
)
from gongkai.annual_report.model import AnnualReport
from gongkai.reporting.queries import ArchiveRecipient, LedgerFigures

if TYPE_CHECKING:
    from gongkai.reporting.models import AnnualReportRecord

# Paragraph keys of the drafted part of section 一, in print order.
DRAFTED_PARAGRAPHS: tuple[str, ...] = ("proactive", "requests")

# How a 街道 or 乡镇 calls itself in "在街道政务微博…"; other organs just say "在政务微博…".
_SELF_NAMES = {"subdistrict": "街道", "township": "乡镇"}
_NUMBER = re.compile(r"^\d{1,2}\s*[.．、](?!\d)")
_ADMIN_SUFFIXES = ("区", "市", "县", "州", "省", "旗")
_APPEAL_RESULTS = tuple(c for c in APPEAL_COLUMNS if c.key != "total")


@dataclass(frozen=True)
class Paragraph:
    key: str  # one of DRAFTED_PARAGRAPHS, or "extra" for staff paragraphs
    text: str  # without its "1. " number
    drafted: bool  # True: generated from the figures; False: staff text


def resolve_format(year: int, format_id: str | None, variant: str) -> ReportFormat:
    """The report's format: the one asked for, else the year's; the Beijing variant only exists for the
    2019 format, so a 2021-format year falls back to national."""
    format_id = format_id or format_for_year(year)
    try:
        return get_format(format_id, variant)
    except UnknownFormat:
        return get_format(format_id, "national")


def compose_report(
    figures: LedgerFigures, fmt: ReportFormat, record: AnnualReportRecord | None
) -> AnnualReport:
    """The report of the figures in ``fmt``, with the sections the record holds (or drafts of them)."""
    overview = number_paragraphs([p.text for p in overview_paragraphs(figures, record)])
    return AnnualReport(
        organisation=figures.organisation,
        year=figures.year,
        format=fmt.id,
        variant=fmt.variant,
        published_on=None,
        sections={
            "overview": overview,
            "proactive": "",
            "requests": "",
            "appeals": "",
            "problems": record.problems if record is not None else "",
            "other": other_section(figures, record)[0],
        },
        proactive=figures.proactive,
        requests=figures.requests,
        appeals=figures.appeals,
    )


def overview_paragraphs(figures: LedgerFigures, record: AnnualReportRecord | None) -> list[Paragraph]:
    """Section 一: each drafted paragraph or the staff's replacement of it, then the staff's own."""
    drafted = draft_paragraphs(figures)
    overrides: dict[str, str] = (record.overview_overrides or {}) if record is not None else {}
    out = [
        Paragraph(key, overrides[key], False)
        if overrides.get(key, "").strip()
        else Paragraph(key, drafted[key], True)
        for key in DRAFTED_PARAGRAPHS
    ]
    if record is not None:
        out += [Paragraph("extra", p, False) for p in extra_paragraphs(record.overview_extra)]
    return out


def other_section(figures: LedgerFigures, record: AnnualReportRecord | None) -> tuple[str, bool]:
    """Section 六 and whether it is drafted (a 2021-format report must state its 信息处理费, A14)."""
    if record is not None and record.other is not None:
        return record.other, False
    if figures.format == "2021":
        return draft_fee_sentence(figures), True
    return "", True


# -- the drafted paragraphs ---------------------------------------------------------------------------


def draft_paragraphs(figures: LedgerFigures) -> dict[str, str]:
    return {"proactive": draft_proactive(figures), "requests": draft_requests(figures)}


def draft_proactive(f: LedgerFigures) -> str:
    year = f.year
    if f.items_published == 0:
        parts = [f"{year}年政府信息公开专栏全年未主动公开政府信息。"]
    else:
        parts = [
            f"{year}年政府信息公开专栏全年主动公开政府信息{f.items_published}条。",
            f"其中重点领域公开信息数{f.key_area_items}条。",
        ]
    website, weibo, wechat = (f.posts.get(c, 0) for c in ("website", "weibo", "wechat"))
    if website:
        parts.append(f"在政府网站公开信息{website}条。")
    who = _SELF_NAMES.get(f.organisation_kind, "")
    if weibo and wechat:
        parts.append(f"在{who}政务微博和微信公开信息分别为{weibo}条和{wechat}条。")
    elif weibo:
        parts.append(f"在{who}政务微博公开信息{weibo}条。")
    elif wechat:
        parts.append(f"在{who}政务微信公开信息{wechat}条。")
    if f.archive:
        names = recipient_list(f.archive)
        if all(r.months == 12 for r in f.archive):
            parts.append(f"每月向{names}移送政府信息纸质文本，共{f.archive_copies}份。")
        else:
            transfers = sum(r.transfers for r in f.archive)
            parts.append(f"全年向{names}移送政府信息纸质文本{transfers}次，共{f.archive_copies}份。")
    parts += _responsiveness_sentences(f)
    return "".join(parts)


def _responsiveness_sentences(f: LedgerFigures) -> list[str]:
    """The seed's order: 回应热点 …次。完成区委区政府督查督办 …件；收到区长信箱信件 …。政策解读 …篇，微博微信回应事件 …次。"""
    parts = []
    if f.hot_topic_responses:
        parts.append(f"本年度回应公众关注热点或重大舆情数{f.hot_topic_responses}次。")
    mailbox = (
        _mailbox_sentence(f.letters_received, f.letters_completed, f.mailbox_name)
        if f.letters_received
        else ""
    )
    if f.supervision_completed:
        parts.append(
            f"完成区委区政府督查督办{f.supervision_completed}件" + (f"；{mailbox}" if mailbox else "。")
        )
    elif mailbox:
        parts.append(mailbox)
    social = f"微博微信回应事件数{f.social_responses}次。" if f.social_responses else ""
    if f.interpretations:
        parts.append(f"政策解读发布稿件数{f.interpretations}篇" + (f"，{social}" if social else "。"))
    elif social:
        parts.append(social)
    return parts


def _mailbox_sentence(received: int, completed: int, mailbox: str = "区长信箱") -> str:
    """收到区长信箱信件13件，办结13件，办结率100%。 The mailbox is named as the office names it (主任信箱 …).
    The rate is cut, never rounded up: 1999 of 2000 is 99.9%."""
    rate = (Decimal(100 * completed) / received).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return f"收到{mailbox}信件{received}件，办结{completed}件，办结率{rate.normalize():f}%。"


# Section 一's engagement figures as the drafted sentences state them: (pattern, the figure's name, its value).
_ENGAGEMENT_FIGURES = (
    (
        re.compile(r"回应公众关注热点或重大舆情数?\s*(\d+)\s*次"),
        "回应公众关注热点或重大舆情数",
        "hot_topic_responses",
    ),
    (re.compile(r"微博微信回应事件数?\s*(\d+)\s*次"), "微博微信回应事件数", "social_responses"),
    (re.compile(r"督查督办\s*(\d+)\s*件"), "完成区委区政府督查督办", "supervision_completed"),
    (re.compile(r"信箱信件\s*(\d+)\s*件"), "收到信箱信件", "letters_received"),
    (re.compile(r"信箱信件\s*\d+\s*件[，,]\s*办结\s*(\d+)\s*件"), "办结信箱信件", "letters_completed"),
)


def typed_figure_errors(text: str, f: LedgerFigures) -> list[str]:
    """Staff edit the prose of section 一, never its figures: each engagement figure a replacement paragraph
    states must be the ledger's (the responses, 督查督办 and mailbox counts come from records)."""
    errors = []
    for pattern, name, attr in _ENGAGEMENT_FIGURES:
        expected = getattr(f, attr)
        for match in pattern.finditer(text):
            if int(match.group(1)) != expected:
                errors.append(
                    f"“{name}”台账为{expected}，段落中写作{match.group(1)}：数字由台账生成，请勿改写"
                )
    return errors


def recipient_list(recipients: tuple[ArchiveRecipient, ...]) -> str:
    """东城区档案局（馆）、文化和旅游局、行政服务管理局: a shared 东城区 is written once, as the seed does."""
    names = [r.name for r in recipients]
    prefix = _admin_prefix(names) if len(names) > 1 else ""
    return "、".join([names[0], *(n.removeprefix(prefix) or n for n in names[1:])])


def _admin_prefix(names: list[str]) -> str:
    common = names[0]
    for name in names[1:]:
        while not name.startswith(common):
            common = common[:-1]
    # Cut back to a whole administrative name (东城区), never into the middle of an organ's name.
    cut = max(common.rfind(s) for s in _ADMIN_SUFFIXES)
    return common[: cut + 1] if cut >= 0 else ""


def draft_requests(f: LedgerFigures) -> str:
    year = f.year
    received = f.request_total("new_received")
    parts: list[str] = []
    if received == 0:
        parts.append(f"{year}年未收到政府信息公开申请。")
    else:
        natural = f.request_total("new_received", "natural_person")
        if natural == received:
            parts.append(f"{year}年收到政府信息公开申请数量为{received}件，申请人类型为自然人。")
        else:
            legal = received - natural
            split = (
                f"自然人{natural}件、法人或其他组织{legal}件" if natural else f"均为法人或其他组织{legal}件"
            )
            parts.append(f"{year}年收到政府信息公开申请数量为{received}件，其中{split}。")
    carried_over = f.request_total("carried_over")
    if carried_over:
        parts.append(f"上年结转政府信息公开申请{carried_over}件。")
    answered = f.request_total("total")
    if answered:
        parts.append(f"全年办结政府信息公开申请{answered}件，其中{_outcome_breakdown(f)}。")
    elif received or carried_over:
        parts.append("全年尚无办结的政府信息公开申请。")
    if received or carried_over or answered:
        parts.append(f"结转下年度继续办理{f.request_total('carried_forward')}件。")
    parts.append(_appeals_sentence(f))
    return "".join(parts)


def _outcome_breakdown(f: LedgerFigures) -> str:
    fmt = get_format(f.format)
    out = []
    for group in fmt.groups():
        leaves = fmt.group_rows(group.key)
        values = {r.key: f.request_total(r.key) for r in leaves}
        count = sum(values.values())
        if not count:
            continue
        text = f"{group.short_name}{count}件"
        nonzero = [r for r in leaves if values[r.key]]
        if len(leaves) > 1 and len(nonzero) == 1:
            text += f"（{'均为' if count > 1 else ''}{_leaf_label(nonzero[0].label)}）"
        out.append(text)
    return "、".join(out)


def _leaf_label(label: str) -> str:
    # "1.本机关不掌握相关政府信息" -> "本机关不掌握相关政府信息"
    head, dot, rest = label.partition(".")
    return rest if dot and head.isdigit() else label


def _appeals_sentence(f: LedgerFigures) -> str:
    review = f.appeal_total("review")
    litigation = f.appeal_total("litigation_direct") + f.appeal_total("litigation_after_review")
    if not review and not litigation:
        return "全年未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    parts = []
    if review:
        parts.append(f"被申请行政复议{review}件（{_results(f, ('review',))}）")
    else:
        parts.append("未被申请行政复议")
    if litigation:
        parts.append(
            f"被提起行政诉讼{litigation}件（{_results(f, ('litigation_direct', 'litigation_after_review'))}）"
        )
    else:
        parts.append("未被提起行政诉讼")
    return "因政府信息公开工作" + "，".join(parts) + "。"


def _results(f: LedgerFigures, groups: tuple[str, ...]) -> str:
    out = []
    for column in _APPEAL_RESULTS:
        count = sum(f.appeal_total(g, column.key) for g in groups)
        if count:
            out.append(f"{column.label}{count}件")
    return "、".join(out)


def draft_fee_sentence(f: LedgerFigures) -> str:
    """六 of a 2021-format report must report 信息处理费 (A14); this is the drafted sentence."""
    if not f.fees_paid_yuan:
        return f"{f.year}年本机关未收取信息处理费。"
    return f"依据《政府信息公开信息处理费管理办法》规定，{f.year}年本机关实际收取信息处理费共计{_yuan(f.fees_paid_yuan)}元。"


def _yuan(amount: Decimal) -> str:
    return (
        str(amount.quantize(Decimal(1))) if amount == amount.to_integral_value() else str(amount.normalize())
    )


def number_paragraphs(paragraphs: list[str]) -> str:
    """ "1. …\\n2. …": the numbering of the seed's 一、总体情况; numbers staff typed themselves are replaced."""
    return "\n".join(f"{i}. {strip_number(p)}" for i, p in enumerate(paragraphs, 1))


def strip_number(paragraph: str) -> str:
    # "3." / "3、" / "3．" at the start, but not the "10.5" of a figure that opens a sentence.
    return _NUMBER.sub("", paragraph.strip(), count=1).strip()


def extra_paragraphs(text: str) -> list[str]:
    """Staff's further paragraphs of section 一: one per non-empty line."""
    return [strip_number(line) for line in text.splitlines() if line.strip()]
