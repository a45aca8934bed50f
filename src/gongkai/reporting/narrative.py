"""Section 一 (and the fee sentence of a 2021-format 六) drafted from the ledger figures.

The wording follows the 东花市 2019 report ("全年主动公开政府信息 282 条。其中重点领域公开信息数 23 条。…")
and is phrased so that the A7 rule reads each stated figure back to the cell it came from: a drafted
paragraph never disagrees with the tables. Staff may replace any drafted paragraph; the record keeps
their text and the page says which paragraphs are still drafted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from gongkai.annual_report.formats import OUTCOME_GROUP_LABELS, get_format
from gongkai.reporting.figures import ArchiveRecipient, LedgerFigures

# Paragraph keys of the drafted part of section 一, in print order.
DRAFTED_PARAGRAPHS: tuple[str, ...] = ("proactive", "requests")
PARAGRAPH_LABELS = {"proactive": "主动公开情况", "requests": "依申请公开及复议诉讼情况"}

# How a 街道 or 乡镇 calls itself in "在街道政务微博…"; other organs just say "在政务微博…".
_SELF_NAMES = {"subdistrict": "街道", "township": "乡镇"}
_NUMBER = re.compile(r"^\d{1,2}\s*[.．、](?!\d)")
_ADMIN_SUFFIXES = ("区", "市", "县", "州", "省", "旗")
_APPEAL_RESULTS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)


@dataclass(frozen=True)
class Paragraph:
    key: str  # one of DRAFTED_PARAGRAPHS, or "extra" for staff paragraphs
    text: str  # without its "1. " number
    drafted: bool  # True: generated from the figures; False: staff text


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
    if f.interpretations:
        parts.append(f"政策解读发布稿件数{f.interpretations}篇。")
    return "".join(parts)


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
    rows = get_format(f.format).outcome_leaves
    out = []
    for group, label in OUTCOME_GROUP_LABELS.items():
        leaves = [r for r in rows if r.key == group or r.key.startswith(group + ".")]
        values = {r.key: f.request_total(r.key) for r in leaves}
        count = sum(values.values())
        if not count:
            continue
        text = f"{label}{count}件"
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
    for key, label in _APPEAL_RESULTS:
        count = sum(f.appeal_total(g, key) for g in groups)
        if count:
            out.append(f"{label}{count}件")
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
