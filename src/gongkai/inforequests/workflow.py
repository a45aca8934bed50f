"""The case workflow as one table: which action is allowed on a disclosure request, to whom, and when.

Pure: no database, no clock. ``allowed(case, actor_roles, today)`` answers from a snapshot of the case
(``Case``, built by ``inforequests.selectors.case_facts``) and the permissions the actor holds *on this
case* (``inforequests.permissions.case_permissions``: the 公开办 everywhere, department staff on their
department's cases and the cases they handle). Views offer what it allows; every service starts with
``check(...)``, which refuses what it does not allow with the same Chinese message the service always
gave (``PermissionDenied`` for who, ``ValidationError`` for when).

A service passes the date its action takes effect (the 补正 notice's date, the approval's date, the
lapse's date) as ``today``: recording yesterday's notice today is allowed when yesterday was in time.

Adding an action is one entry in ``TABLE``: who (a ``Permission``) and the ordered state conditions.

The reply's review chain (``inforequests.review``) is the same: ``Case.reply`` says which step awaits a
decision, and ``Permission.REPLY_REVIEW`` is held on the case only by who may decide that step
(``case_permissions``), so approving and returning are one rule each whatever the office's chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.inforequests.clock import CORRECTION_NOTICE_WORKDAYS, PauseKind
from gongkai.org.access import Permission


class Status(StrEnum):
    """The case's state (``models.RequestStatus`` adds the labels)."""

    AWAITING_CONFIRMATION = "awaiting_confirmation"
    OPEN = "open"
    AWAITING_CORRECTION = "awaiting_correction"
    PAUSED = "paused"
    ANSWERED = "answered"
    CLOSED = "closed"


class ExtensionState(StrEnum):
    """An extension request's state (``models.ExtensionStatus`` adds the labels)."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


OPEN = frozenset({Status.AWAITING_CONFIRMATION, Status.OPEN, Status.AWAITING_CORRECTION, Status.PAUSED})
CLOCK = frozenset({Status.OPEN, Status.PAUSED})  # the reply clock runs (a pause only suspends it)
CONSULTATIONS = frozenset({PauseKind.THIRD_PARTY, PauseKind.ORGAN})


class ReviewState(StrEnum):
    """The reply draft's review state (``models.ReplyReviewStatus`` adds the labels)."""

    DRAFT = "draft"
    PENDING = "pending"
    RETURNED = "returned"
    SIGNED = "signed"


class Action(StrEnum):
    """Every action on a case (the value names its form, URL and service)."""

    CONFIRM = "confirm"  # inforequest_confirm (Art. 31)
    ASSIGN = "assign"  # inforequest_assign
    REQUEST_CORRECTION = "correction_request"  # inforequest_request_correction (Art. 30)
    RECEIVE_CORRECTION = "correction_receive"  # inforequest_receive_correction
    CORRECTION_LAPSE = "correction_lapse"  # inforequest_correction_lapsed
    CONSULT = "pause_start"  # inforequest_pause_start (Arts. 32–34)
    END_CONSULTATION = "pause_end"  # inforequest_pause_end
    REQUEST_EXTENSION = "extension_request"  # extension_request (Art. 33 ¶2)
    APPROVE_EXTENSION = "extension_approve"  # extension_approve
    REFUSE_EXTENSION = "extension_refuse"  # extension_refuse
    DRAFT_REPLY = "draft_reply"  # inforequest_draft_reply (an edit restarts the review)
    SUBMIT_REPLY = "reply_submit"  # reply_submit_for_review: to the chain's first step
    REVIEW_REPLY = "reply_approve"  # reply_review_approve: the pending step agrees (the last one signs)
    RETURN_REPLY = "reply_return"  # reply_review_return: back to the drafter, with a reason
    ISSUE_REPLY = "answer"  # inforequest_answer: send the signed 告知书 out and close
    NOTIFY_FEE = "fee_notify"  # fee_notify (Art. 42)
    FEE_PAID = "fee_paid"  # fee_paid
    WAIVE_FEE = "fee_waive"  # fee_waive
    FEE_LAPSE = "fee_lapse"  # fee_lapsed


@dataclass(frozen=True)
class Pause:
    kind: PauseKind
    open: bool
    respond_by: dt.date | None = None  # the applicant's or consultee's deadline, when known


@dataclass(frozen=True)
class Reply:
    """The case's reply draft as the table sees it."""

    state: ReviewState
    step: str = ""  # the step awaiting a decision while pending, e.g. 科室负责人审核
    who: str = ""  # who decides it, e.g. 城市管理科的科室负责人


@dataclass(frozen=True)
class Case:
    """What the table needs to know of a case. Unknown dates (a year without a calendar) are ``None``."""

    status: Status
    pauses: tuple[Pause, ...] = ()
    extensions: tuple[ExtensionState, ...] = ()
    has_fee: bool = False
    base_due: dt.date | None = None  # the reply deadline without any extension
    correction_notice_by: dt.date | None = None  # the last day for a 补正 notice (Art. 30)
    reply: Reply | None = None  # None before a reply is drafted

    def pause(self, kind: PauseKind, *, only_open: bool = False) -> Pause | None:
        return next((p for p in self.pauses if p.kind == kind and (p.open or not only_open)), None)

    def has_open(self, kinds: frozenset[PauseKind]) -> bool:
        return any(p.open and p.kind in kinds for p in self.pauses)


@dataclass(frozen=True)
class Refusal:
    message: str
    field: str | None = None  # the form field the message belongs to, if any
    denied: bool = False  # who (PermissionDenied) rather than when (ValidationError)


# A condition: None when it holds, else why not. ``on`` is the day the action takes effect.
Condition = Callable[[Case, dt.date], Refusal | None]


def _when(test: Callable[[Case, dt.date], bool], message: str, field: str | None = None) -> Condition:
    return lambda case, on: None if test(case, on) else Refusal(message, field)


def _status_in(statuses: frozenset[Status], message: str) -> Condition:
    return _when(lambda c, on: c.status in statuses, message)


def _correction_in_time(case: Case, on: dt.date) -> Refusal | None:
    last = case.correction_notice_by
    if last is None or on <= last:  # unknown year: the service computes it and says which year is missing
        return None
    return Refusal(
        f"补正通知须自收到申请之日起 {CORRECTION_NOTICE_WORKDAYS} 个工作日内发出"
        f"（本案截止 {last:%Y-%m-%d}），{on:%Y-%m-%d} 已超过期限",
        "notified_on",
    )


def _lapse_after(kind: PauseKind, what: str) -> Condition:
    def condition(case: Case, on: dt.date) -> Refusal | None:
        pause = case.pause(kind, only_open=True)
        limit = pause.respond_by if pause is not None else None
        if limit is None:
            return Refusal(f"{what}期限未知，不能视为放弃申请", "lapsed_on")
        if on > limit:
            return None
        return Refusal(f"{what}期限至 {limit:%Y-%m-%d} 尚未届满，不能视为放弃申请", "lapsed_on")

    return condition


def _base_due_not_passed(message: Callable[[dt.date], str], field: str | None) -> Condition:
    def condition(case: Case, on: dt.date) -> Refusal | None:
        due = case.base_due
        return None if due is None or on <= due else Refusal(message(due), field)

    return condition


_NOT_HANDLER = "您无权办理该申请"
_NOT_TIMED = "该申请当前不在计时状态"
_ONCE = "答复期限只能延长一次，本申请已经延长过"
_NO_FEE = "本申请没有待缴的信息处理费"
_AWAITING_CORRECTION = _status_in(frozenset({Status.AWAITING_CORRECTION}), "该申请不在待补正状态")
_FEE_OPEN = _when(lambda c, on: c.pause(PauseKind.FEE, only_open=True) is not None, _NO_FEE)
_NOT_EXTENDED = _when(lambda c, on: ExtensionState.APPROVED not in c.extensions, _ONCE)


def _submittable(case: Case, on: dt.date) -> Refusal | None:
    reply = case.reply
    if reply is None:
        return Refusal("请先拟写答复再送审")
    if reply.state == ReviewState.PENDING:
        return Refusal(f"答复正在审核（当前步骤：{reply.step}），不能重复送审")
    if reply.state == ReviewState.SIGNED:
        return Refusal("答复已签发，无需再送审；如需修改，请修改答复后重新送审")
    return None


def _under_review(case: Case, on: dt.date) -> Refusal | None:
    pending = case.reply is not None and case.reply.state == ReviewState.PENDING
    return None if pending else Refusal("该答复当前不在审核中")


def _signed(case: Case, on: dt.date) -> Refusal | None:
    """Only a signed reply goes out: who, not when — the 公开办 has no authority to issue it unsigned."""
    reply = case.reply
    if reply is not None and reply.state == ReviewState.SIGNED:
        return None
    why = {
        None: "本申请尚未拟写答复",
        ReviewState.DRAFT: "答复尚未送审",
        ReviewState.PENDING: f"答复正在审核（当前步骤：{reply.step if reply else ''}）",
        ReviewState.RETURNED: "答复已退回修改",
    }[reply.state if reply else None]
    return Refusal(f"答复告知书须经审核签发后才能发出，{why}", denied=True)


def _step_denied(case: Case) -> str:
    reply = case.reply
    if reply is None or reply.state != ReviewState.PENDING:
        return "该答复当前不在审核中"
    return f"“{reply.step}”须由{reply.who}审核；送审人和已审核本轮其他步骤的人不能审核"


class Date(StrEnum):
    """The dated facts of ``Case`` a rule reads. A service needs them exactly: for the facts its action
    reads, an unknown year raises ``CalendarUnknown`` (the page says which year to enter); a view
    treats them as unknown and leaves the decision to the service."""

    BASE_DUE = "base_due"
    CORRECTION_NOTICE_BY = "correction_notice_by"
    RESPOND_BY = "respond_by"


@dataclass(frozen=True)
class Rule:
    by: Permission  # held on the case (inforequests.permissions.case_permissions)
    denied: str | Callable[[Case], str]  # the message when the actor does not hold it
    when: tuple[Condition, ...] = field(default=())
    dates: frozenset[Date] = field(default=frozenset())  # the dated facts ``when`` reads


TABLE: dict[Action, Rule] = {
    Action.CONFIRM: Rule(
        Permission.REQUEST_OFFICE,
        "只有公开办工作人员可以确认收到申请",
        (_status_in(frozenset({Status.AWAITING_CONFIRMATION}), "该申请不在待确认状态"),),
    ),
    Action.ASSIGN: Rule(
        Permission.REQUEST_ASSIGN, "您无权分派该申请", (_status_in(OPEN, "已办结的申请不能再分派"),)
    ),
    Action.REQUEST_CORRECTION: Rule(
        Permission.REQUEST_HANDLE,
        _NOT_HANDLER,
        (
            _status_in(frozenset({Status.OPEN}), "只有办理中（未暂停计时）的申请可以告知补正"),
            _when(
                lambda c, on: c.pause(PauseKind.CORRECTION) is None,
                "补正须一次性告知，本申请已发出过补正通知",
            ),
            _correction_in_time,
        ),
        frozenset({Date.CORRECTION_NOTICE_BY}),
    ),
    Action.RECEIVE_CORRECTION: Rule(Permission.REQUEST_HANDLE, _NOT_HANDLER, (_AWAITING_CORRECTION,)),
    Action.CORRECTION_LAPSE: Rule(
        Permission.REQUEST_HANDLE,
        _NOT_HANDLER,
        (_AWAITING_CORRECTION, _lapse_after(PauseKind.CORRECTION, "补正")),
        frozenset({Date.RESPOND_BY}),
    ),
    Action.CONSULT: Rule(Permission.REQUEST_HANDLE, _NOT_HANDLER, (_status_in(CLOCK, _NOT_TIMED),)),
    Action.END_CONSULTATION: Rule(
        Permission.REQUEST_HANDLE,
        _NOT_HANDLER,
        (
            _status_in(CLOCK, _NOT_TIMED),
            _when(lambda c, on: c.has_open(CONSULTATIONS), "该征求意见已经结束"),
        ),
    ),
    Action.REQUEST_EXTENSION: Rule(
        Permission.REQUEST_HANDLE,
        _NOT_HANDLER,
        (
            _status_in(CLOCK, "该申请当前不在计时状态，不能延长答复期限"),
            _NOT_EXTENDED,
            _when(lambda c, on: ExtensionState.PENDING not in c.extensions, "已有待批准的延期申请"),
            _base_due_not_passed(lambda due: f"答复期限已于 {due:%Y-%m-%d} 届满，不能再申请延长", None),
        ),
        frozenset({Date.BASE_DUE}),
    ),
    Action.APPROVE_EXTENSION: Rule(
        Permission.REQUEST_APPROVE_EXTENSION,
        "延长答复期限须经政府信息公开工作机构负责人（公开办负责人）同意",
        (
            _status_in(CLOCK, "该申请当前不在计时状态，不能延长答复期限"),
            _NOT_EXTENDED,
            _base_due_not_passed(
                lambda due: f"答复期限已于 {due:%Y-%m-%d} 届满，延期须在期限届满前批准", "approved_on"
            ),
        ),
        frozenset({Date.BASE_DUE}),
    ),
    Action.REFUSE_EXTENSION: Rule(
        Permission.REQUEST_APPROVE_EXTENSION,
        "只有公开办负责人可以审批延期申请",
        (_when(lambda c, on: ExtensionState.PENDING in c.extensions, "该延期申请已经审批"),),
    ),
    Action.DRAFT_REPLY: Rule(
        Permission.REQUEST_HANDLE, _NOT_HANDLER, (_status_in(CLOCK, "该申请当前不能拟写答复"),)
    ),
    Action.SUBMIT_REPLY: Rule(
        Permission.REQUEST_HANDLE,
        _NOT_HANDLER,
        (_status_in(CLOCK, "该申请当前不能送审答复"), _submittable),
    ),
    Action.REVIEW_REPLY: Rule(
        Permission.REPLY_REVIEW, _step_denied, (_status_in(CLOCK, "该申请当前不能审核答复"), _under_review)
    ),
    Action.RETURN_REPLY: Rule(
        Permission.REPLY_REVIEW, _step_denied, (_status_in(CLOCK, "该申请当前不能审核答复"), _under_review)
    ),
    Action.ISSUE_REPLY: Rule(
        Permission.REQUEST_OFFICE,
        "只有公开办工作人员可以发出答复告知书",
        (
            _when(lambda c, on: c.status != Status.PAUSED, "征求意见或缴费尚未结束，请先结束暂停再答复"),
            _status_in(frozenset({Status.OPEN}), "该申请当前不能答复"),
            _signed,
        ),
    ),
    Action.NOTIFY_FEE: Rule(
        Permission.REQUEST_HANDLE,
        _NOT_HANDLER,
        (
            _status_in(CLOCK, _NOT_TIMED),
            _when(
                lambda c, on: not c.has_fee and c.pause(PauseKind.FEE) is None,
                "每件申请只能按一种方式收费一次",
            ),
        ),
    ),
    Action.FEE_PAID: Rule(Permission.REQUEST_HANDLE, _NOT_HANDLER, (_FEE_OPEN,)),
    Action.WAIVE_FEE: Rule(Permission.REQUEST_HANDLE, _NOT_HANDLER, (_FEE_OPEN,)),
    Action.FEE_LAPSE: Rule(
        Permission.REQUEST_HANDLE,
        _NOT_HANDLER,
        (_FEE_OPEN, _lapse_after(PauseKind.FEE, "缴费")),
        frozenset({Date.RESPOND_BY}),
    ),
}


def refusal(action: Action, case: Case, actor_roles: frozenset[Permission], today: dt.date) -> Refusal | None:
    """Why ``action`` is not allowed (the first reason, in the table's order), or None if it is."""
    rule = TABLE[action]
    if rule.by not in actor_roles:
        return Refusal(rule.denied(case) if callable(rule.denied) else rule.denied, denied=True)
    for condition in rule.when:
        found = condition(case, today)
        if found is not None:
            return found
    return None


def allowed(case: Case, actor_roles: frozenset[Permission], today: dt.date) -> set[Action]:
    """The actions the actor may take on the case on ``today``."""
    return {a for a in TABLE if refusal(a, case, actor_roles, today) is None}


def check(action: Action, case: Case, actor_roles: frozenset[Permission], today: dt.date) -> None:
    """Refuse ``action`` as the services always did: who -> PermissionDenied, when -> ValidationError."""
    found = refusal(action, case, actor_roles, today)
    if found is None:
        return
    if found.denied:
        raise PermissionDenied(found.message)
    raise ValidationError({found.field: [found.message]}) if found.field else ValidationError(found.message)
