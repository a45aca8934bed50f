"""Replies in the demo walk the office's review chain the way staff do: the 科室 drafts and sends the draft,
each step is decided by the demo person whose role it is (the case's 科室负责人, the 公开办负责人, the
主管主任 who signs), and the clerk sends the signed 告知书 out. Decisions are dated on the working days
before the reply, so the audit trail and the 审批表 read like a real office's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.core.choices import Outcome
from gongkai.demo_ledger import dates
from gongkai.demo_ledger.office import DemoOffice
from gongkai.inforequests import selectors as request_selectors
from gongkai.inforequests import services as request_services
from gongkai.inforequests.models import InfoRequest, ReplyNotice, ReplyReviewStatus
from gongkai.inforequests.notice_text import BLANK_PATTERN, fill
from gongkai.inforequests.review_selectors import current_step, office_chain, round_chain, step_reviewer_ids
from gongkai.org.roles import Role
from gongkai.workdays import Calendar

# What a reviewer of each role writes when agreeing; the signer writes 同意签发.
_OPINIONS: dict[str, str] = {
    Role.DEPT_HEAD.value: "经核实，答复内容与本科室掌握的情况一致，同意。",
    Role.OFFICE_HEAD.value: "经保密审查，不涉及国家秘密和工作秘密；法制审核无意见。",
}
SIGNING_OPINION = "同意签发。"

# What the demo's handlers write into the template slots of each outcome they answer with, in order
# (an unchosen alternative "（或：…）" is deleted): a draft with a blank is not sent for review.
SLOT_TEXT: dict[str, tuple[str, ...]] = {
    Outcome.PARTIAL: (
        "施工单位工作人员的身份证号码和联系电话",
        "该部分属于个人隐私，公开会损害第三方合法权益",
    ),
    Outcome.NOT_PROCESSED_REPEATED: ("本机关已于此前出具政府信息公开申请答复告知书",),
    Outcome.OTHER_OTHER: ("申请人在本机关答复前书面撤回了申请，本机关终止处理",),
}


def filled_body(req: InfoRequest, outcome: str) -> str:
    """The outcome's template for this case with every slot filled the way the handler would."""
    template = request_selectors.reply_template_for(outcome)
    slots = iter(SLOT_TEXT.get(outcome, ()))
    body = fill(template.body, request_services.template_values(req))
    return BLANK_PATTERN.sub(lambda m: "" if m.group(0).startswith("（或：") else next(slots), body)


def draft_and_send(office: DemoOffice, req: InfoRequest, outcome: str, on: dt.date) -> ReplyNotice:
    """The 科室's staff member drafts the reply and sends it for review on ``on``."""
    drafter = office.staff_of(req.department.name)
    request_services.inforequest_draft_reply(
        actor=drafter, request=req, outcome=outcome, notice_body=filled_body(req, outcome)
    )
    return request_services.reply_submit_for_review(actor=drafter, request=req, submitted_on=on)


def _reviewer(office: DemoOffice, req: InfoRequest, reply: ReplyNotice) -> Any:
    eligible = set(step_reviewer_ids(req, reply))
    # The printed cast comes first in ``office.users``: the demo logins get the steps they may decide.
    return next(u for u in office.users.values() if u.pk in eligible)


def decide(
    office: DemoOffice, req: InfoRequest, on: dt.date, *, return_reason: str = ""
) -> tuple[ReplyNotice, Any]:
    """The pending step's demo person agrees (the signer signs) or returns the draft with a reason."""
    reply = ReplyNotice.objects.get(request=req)
    step = current_step(reply)
    assert step is not None, f"{req.reference} 的答复不在审核中"
    person = _reviewer(office, req, reply)
    if return_reason:
        return request_services.reply_review_return(
            actor=person, request=req, reason=return_reason, decided_on=on
        ), person
    signing = reply.review_step == len(round_chain(reply)) - 1
    opinion = SIGNING_OPINION if signing else _OPINIONS.get(step.role, "同意。")
    return request_services.reply_review_approve(
        actor=person, request=req, opinion=opinion, decided_on=on
    ), person


def _days(cal: Calendar, start: dt.date, last: dt.date, n: int) -> list[dt.date]:
    """``n`` working days ending on ``last``, none before ``start`` (several steps may share a day)."""
    return [max(start, dates.workdays_before(cal, last, n - 1 - i)) for i in range(n)]


def answer(office: DemoOffice, req: InfoRequest, outcome: str, on: dt.date, cal: Calendar) -> InfoRequest:
    """Draft, review and sign on the working days up to ``on``, then the clerk sends the 告知书 on ``on``."""
    start = req.corrected_on or req.received_on
    assert start is not None
    days = _days(cal, start, on, len(office_chain()) + 1)
    draft_and_send(office, req, outcome, days[0])
    for day in days[1:]:
        decide(office, req, day)
    reply = ReplyNotice.objects.get(request=req)
    assert reply.review_status == ReplyReviewStatus.SIGNED
    request_services.inforequest_answer(actor=office.clerk, request=req, issued_on=on)
    req.refresh_from_db()
    return req
