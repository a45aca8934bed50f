"""What each notice to an applicant or a letter writer says: its title, its text and its SMS.

The text is composed at send time from the case as it stands (the 补正 items from the pause's note, the
fee, the new due date, the reply), with the event's own facts (dates) from its payload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gongkai.core.choices import Outcome, RequestChannel
from gongkai.inforequests import selectors as request_selectors
from gongkai.inforequests.models import InfoRequest, PauseKindChoice
from gongkai.inforequests.notice_text import REG, cn_date
from gongkai.org.models import Organisation

__all__ = ["APPLICANT_NOTICES", "Notice", "applicant_notice", "letter_reply_notice", "subject_line"]


@dataclass(frozen=True)
class Notice:
    title: str  # the document's name, e.g. 补正政府信息公开申请告知书
    body: str
    sms: str
    attach_answer: bool = False  # the 告知书 and the released files go with it (``answer_attachments``)


def subject_line(organisation: str, title: str, reference: str) -> str:
    """【东花市街道办事处】政府信息公开申请告知书（WS20240612-K7Q3HX）"""
    head = f"【{organisation}】" if organisation else ""
    return f"{head}{title}（{reference}）" if reference else f"{head}{title}"


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _md(d: dt.date | None) -> str:
    return f"{d.month}月{d.day}日" if d else ""


def _letter(req: InfoRequest, org: Organisation | None, paragraphs: list[str], on: dt.date | None) -> str:
    contact = []
    if org is not None and org.phone:
        contact.append(f"联系电话：{org.phone}")
    if org is not None and org.address:
        contact.append(f"地址：{org.address}")
    closing = "\n".join(c for c in (org.name if org else "", cn_date(on)) if c)
    parts = [f"{req.applicant_name}：", *paragraphs, "\n".join(contact), closing]
    return "\n\n".join(part for part in parts if part.strip())


def _received(req: InfoRequest, event: Mapping[str, Any], org: Organisation | None) -> Notice:
    received, due = _date(event.get("received_on")) or req.received_on, _date(event.get("due_on"))
    deadline = f"，答复期限为{cn_date(due)}" if due else ""
    if req.channel == RequestChannel.ONLINE:
        track = (
            f"您可以凭查询号 {req.reference} 和提交申请时获得的查询码，在本机关政府信息公开专栏查询办理进度。"
        )
    else:
        track = f"查询办理进度时，请告知本回执的编号 {req.reference}。"
    paragraphs = [
        f"本机关已于{cn_date(received)}收到您提出的政府信息公开申请（编号 {req.reference}），"
        f"申请获取“{req.description.strip()}”。",
        f"根据{REG}第三十三条，本机关将自收到申请之日起 20 个工作日内予以答复{deadline}。"
        "需要补正、征求意见或者延长答复期限的，本机关将另行告知。",
        track,
    ]
    sms = f"您的政府信息公开申请（{req.reference}）已于{_md(received)}收到" + (
        f"，将于{_md(due)}前答复。" if due else "，将于20个工作日内答复。"
    )
    return Notice("政府信息公开申请受理回执", _letter(req, org, paragraphs, received), sms)


def _submitted(req: InfoRequest, event: Mapping[str, Any], org: Organisation | None) -> Notice:
    submitted = _date(event.get("submitted_on")) or req.submitted_on
    paragraphs = [
        f"您于{cn_date(submitted)}提交的政府信息公开申请已进入本机关系统，查询号为 {req.reference}。",
        f"根据{REG}第三十一条，本机关与您确认收到申请之日为收到申请之日，答复期限自该日起计算；"
        "确认后本机关将另行发送受理回执。",
        "您可以凭查询号和提交申请时获得的查询码，在本机关政府信息公开专栏查询办理进度。",
    ]
    sms = f"您的政府信息公开申请已提交，查询号 {req.reference}，待工作人员确认收到后开始计算答复期限。"
    return Notice("政府信息公开申请提交回执", _letter(req, org, paragraphs, submitted), sms)


def _correction(req: InfoRequest, event: Mapping[str, Any], org: Organisation | None) -> Notice:
    pause = req.pauses.filter(kind=PauseKindChoice.CORRECTION).first()
    items = pause.note.strip() if pause else ""
    respond_by = _date(event.get("respond_by")) or (pause.respond_by if pause else None)
    notified = _date(event.get("notified_on")) or (pause.started_on if pause else None)
    paragraphs = [
        f"本机关于{cn_date(req.received_on)}收到您提出的政府信息公开申请（编号 {req.reference}）。"
        f"经审查，您的申请内容不够明确。根据{REG}第三十条，请您于{cn_date(respond_by)}前补正以下内容：",
        items or "（补正事项见本机关另行告知）",
        "答复期限自本机关收到补正后的申请之日起重新计算。无正当理由逾期不补正的，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。",
    ]
    sms = f"您的政府信息公开申请（{req.reference}）需要补正：{items[:40]}。请于{_md(respond_by)}前补正。"
    return Notice("补正政府信息公开申请告知书", _letter(req, org, paragraphs, notified), sms)


def _extension(req: InfoRequest, event: Mapping[str, Any], org: Organisation | None) -> Notice:
    due = _date(event.get("due_on")) or req.due_on
    workdays = event.get("workdays") or ""
    ext = req.extensions.filter(notified_on__isnull=False).order_by("-id").first()
    reason = f"因{ext.reason.strip().rstrip('。')}，" if ext is not None and ext.reason.strip() else ""
    paragraphs = [
        f"您提出的政府信息公开申请（编号 {req.reference}），{reason}本机关不能在法定期限内作出答复。"
        f"根据{REG}第三十三条第二款，经政府信息公开工作机构负责人同意，答复期限延长 {workdays} 个工作日，"
        f"延长后的答复期限为{cn_date(due)}。",
    ]
    sms = f"您的政府信息公开申请（{req.reference}）答复期限延长{workdays}个工作日，将于{_md(due)}前答复。"
    return Notice(
        "延长政府信息公开申请答复期限告知书",
        _letter(req, org, paragraphs, _date(event.get("notified_on"))),
        sms,
    )


def _fee(req: InfoRequest, event: Mapping[str, Any], org: Organisation | None) -> Notice:
    fee = getattr(req, "fee", None)
    amount = event.get("amount_yuan") or (fee.amount_yuan if fee else "")
    notified = _date(event.get("notified_on")) or (fee.notified_on if fee else None)
    pause = req.pauses.filter(kind=PauseKindChoice.FEE).order_by("-id").first()
    pay_by = pause.respond_by if pause else None
    how = (
        f"（{fee.get_method_display()}，{fee.quantity} {'件' if fee.is_per_piece else '页'}）" if fee else ""
    )
    paragraphs = [
        f"您提出的政府信息公开申请（编号 {req.reference}）超出免费范围。根据{REG}第四十二条和"
        f"《政府信息公开信息处理费管理办法》，本机关依法收取信息处理费 {amount} 元{how}。",
        f"请于{cn_date(pay_by)}前缴纳（缴费方式请与本机关联系）。"
        if pay_by
        else "请在收到本通知之日起 20 个工作日内缴纳（缴费方式请与本机关联系）。",
        "缴费期间不计算在答复期限内；逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ]
    sms = f"您的政府信息公开申请（{req.reference}）需缴纳信息处理费{amount}元" + (
        f"，请于{_md(pay_by)}前缴纳。" if pay_by else "。"
    )
    return Notice("收取信息处理费通知书", _letter(req, org, paragraphs, notified), sms)


def _reply(req: InfoRequest, event: Mapping[str, Any], org: Organisation | None) -> Notice:
    content = request_selectors.notice_content(req)
    if content is None:
        return Notice("政府信息公开申请答复告知书", "", "")
    paragraphs = [content.opening, *content.body_paragraphs, content.basis_sentence, content.remedy]
    body = "\n\n".join(
        [f"{content.applicant_name}：", *paragraphs, f"{content.organisation}\n{content.date_line}"]
    )
    body += "\n\n" + _enclosures(req)
    sms = f"您的政府信息公开申请（{req.reference}）已于{_md(content.issued_on)}答复（{content.outcome_label}）。"
    return Notice(content.title, body, sms, attach_answer=True)


def _enclosures(req: InfoRequest) -> str:
    """What the answer e-mail carries, and what the applicant downloads from the status page instead."""
    from gongkai.delivery.attachments import answer_package

    package = answer_package(req)
    lines = ["附件：本告知书（PDF）" + "".join(f"；{d.filename}" for d in package.attached) + "。"]
    if package.online_only:
        names = "；".join(d.filename for d in package.online_only)
        lines.append(
            f"以下文件较大，未随邮件发送，请凭申请编号和查询码在本机关政务公开网站“办理进度”页面下载：{names}。"
        )
    elif package.attached:
        lines.append("上述文件及本告知书的 Word 文本也可凭申请编号和查询码在“办理进度”页面下载。")
    return "\n".join(lines)


def _closed(req: InfoRequest, event: Mapping[str, Any], org: Organisation | None) -> Notice:
    closed = _date(event.get("closed_on")) or req.closed_on
    if req.outcome == Outcome.OTHER_UNPAID_FEE:
        why = "您未在缴费期限内缴纳信息处理费，根据《政府信息公开信息处理费管理办法》，视为放弃申请"
    else:
        why = f"您未在补正期限内补正，根据{REG}第三十条，视为放弃申请"
    paragraphs = [
        f"您提出的政府信息公开申请（编号 {req.reference}），{why}，本机关于{cn_date(closed)}终止处理，"
        "不再处理该政府信息公开申请。",
    ]
    sms = f"您的政府信息公开申请（{req.reference}）因逾期未补正或未缴费，视为放弃申请，已终止处理。"
    return Notice("政府信息公开申请终止处理告知书", _letter(req, org, paragraphs, closed), sms)


Composer = Callable[[InfoRequest, Mapping[str, Any], Organisation | None], Notice]
# The event kinds that the applicant is told about, and how.
APPLICANT_NOTICES: dict[str, Composer] = {
    "inforequest.submitted": _submitted,
    "inforequest.received": _received,
    "inforequest.correction_notice": _correction,
    "inforequest.extension_notice": _extension,
    "inforequest.fee_notice": _fee,
    "inforequest.reply_issued": _reply,
    "inforequest.closed": _closed,
}


def applicant_notice(kind: str, req: InfoRequest, event: Mapping[str, Any]) -> Notice:
    from gongkai.org.selectors import current_organisation

    return APPLICANT_NOTICES[kind](req, event, current_organisation())


def letter_reply_notice(letter: Any, organisation: str) -> Notice:
    """The answer to a 区长信箱 letter, e-mailed to its writer."""
    name = letter.name or "来信人"
    body = "\n\n".join(
        [
            f"{name}：",
            f"您于{cn_date(letter.received_on)}来信反映的“{letter.subject}”（编号 {letter.reference}），答复如下：",
            letter.reply.strip(),
            f"{organisation}\n{cn_date(letter.replied_on)}",
        ]
    )
    return Notice("来信答复", body, f"您的来信（{letter.reference}）已答复，请查收电子邮件。")
