"""The case workflow table, pure: no database, no calendar, no clock."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.inforequests.clock import PauseKind
from gongkai.inforequests.workflow import (
    TABLE,
    Action,
    Case,
    ExtensionState,
    Pause,
    Reply,
    ReviewState,
    Status,
    allowed,
    check,
    refusal,
)
from gongkai.org.access import Permission

TODAY = dt.date(2024, 5, 10)
OFFICE = frozenset({Permission.REQUEST_OFFICE, Permission.REQUEST_HANDLE, Permission.REQUEST_ASSIGN})
OFFICE_HEAD = OFFICE | {Permission.REQUEST_APPROVE_EXTENSION}
HANDLER = frozenset({Permission.REQUEST_HANDLE})
DEPT_HEAD = frozenset({Permission.REQUEST_HANDLE, Permission.REQUEST_ASSIGN})
NOBODY: frozenset[Permission] = frozenset()

OPEN = Case(Status.OPEN, base_due=dt.date(2024, 6, 1), correction_notice_by=dt.date(2024, 5, 15))


def test_every_action_has_one_rule() -> None:
    assert set(TABLE) == set(Action)


def test_an_open_case_for_its_handler() -> None:
    assert allowed(OPEN, HANDLER, TODAY) == {
        Action.REQUEST_CORRECTION,
        Action.CONSULT,
        Action.REQUEST_EXTENSION,
        Action.DRAFT_REPLY,
        Action.NOTIFY_FEE,
    }


def test_the_office_also_assigns_and_issues_and_the_office_head_extends() -> None:
    assert allowed(OPEN, OFFICE, TODAY) == allowed(OPEN, HANDLER, TODAY) | {Action.ASSIGN}
    assert allowed(OPEN, OFFICE_HEAD, TODAY) == allowed(OPEN, OFFICE, TODAY) | {Action.APPROVE_EXTENSION}
    signed = dataclasses.replace(OPEN, reply=Reply(ReviewState.SIGNED))
    assert allowed(signed, OFFICE, TODAY) - allowed(signed, HANDLER, TODAY) == {
        Action.ASSIGN,
        Action.ISSUE_REPLY,
    }


def test_the_reply_review_chain() -> None:
    draft = dataclasses.replace(OPEN, reply=Reply(ReviewState.DRAFT))
    assert Action.SUBMIT_REPLY in allowed(draft, HANDLER, TODAY)
    assert Action.SUBMIT_REPLY not in allowed(OPEN, HANDLER, TODAY)
    with pytest.raises(ValidationError, match="请先拟写答复再送审"):
        check(Action.SUBMIT_REPLY, OPEN, HANDLER, TODAY)
    pending = dataclasses.replace(
        OPEN, reply=Reply(ReviewState.PENDING, "科室负责人审核", "城市管理科的科室负责人")
    )
    reviewer = DEPT_HEAD | {Permission.REPLY_REVIEW}
    assert {Action.REVIEW_REPLY, Action.RETURN_REPLY} <= allowed(pending, reviewer, TODAY)
    assert Action.SUBMIT_REPLY not in allowed(pending, reviewer, TODAY)
    # Who may decide is one rule: the step's reviewer holds REPLY_REVIEW on the case, nobody else does.
    for who in (HANDLER, OFFICE_HEAD, NOBODY):
        with pytest.raises(PermissionDenied, match="“科室负责人审核”须由城市管理科的科室负责人审核"):
            check(Action.REVIEW_REPLY, pending, who, TODAY)
    with pytest.raises(
        PermissionDenied, match="须经审核签发后才能发出，答复正在审核（当前步骤：科室负责人审核）"
    ):
        check(Action.ISSUE_REPLY, pending, OFFICE, TODAY)
    returned = dataclasses.replace(OPEN, reply=Reply(ReviewState.RETURNED))
    assert Action.SUBMIT_REPLY in allowed(returned, HANDLER, TODAY)
    assert not {Action.REVIEW_REPLY, Action.ISSUE_REPLY} & allowed(returned, OFFICE_HEAD | reviewer, TODAY)
    signed = dataclasses.replace(OPEN, reply=Reply(ReviewState.SIGNED))
    assert Action.SUBMIT_REPLY not in allowed(signed, HANDLER, TODAY)
    assert Action.DRAFT_REPLY in allowed(signed, HANDLER, TODAY)  # an edit withdraws the signature
    paused = dataclasses.replace(signed, status=Status.PAUSED)
    with pytest.raises(ValidationError, match="征求意见或缴费尚未结束"):
        check(Action.ISSUE_REPLY, paused, OFFICE, TODAY)


def test_read_only_roles_and_strangers_get_nothing() -> None:
    for status in Status:
        assert allowed(Case(status), NOBODY, TODAY) == set()


def test_awaiting_confirmation() -> None:
    case = Case(Status.AWAITING_CONFIRMATION)
    assert allowed(case, OFFICE, TODAY) == {Action.CONFIRM, Action.ASSIGN}
    assert allowed(case, DEPT_HEAD, TODAY) == {Action.ASSIGN}
    assert allowed(case, HANDLER, TODAY) == set()


@pytest.mark.parametrize("status", [Status.ANSWERED, Status.CLOSED])
def test_a_finished_case_offers_nothing(status: Status) -> None:
    assert allowed(Case(status), OFFICE_HEAD, TODAY) == set()
    with pytest.raises(ValidationError, match="已办结的申请不能再分派"):
        check(Action.ASSIGN, Case(status), OFFICE, TODAY)


def test_correction_is_one_notice_within_the_window() -> None:
    assert Action.REQUEST_CORRECTION not in allowed(OPEN, HANDLER, dt.date(2024, 5, 16))
    # Recorded late but dated in time: the service passes the notice's date.
    assert refusal(Action.REQUEST_CORRECTION, OPEN, HANDLER, dt.date(2024, 5, 15)) is None
    late = refusal(Action.REQUEST_CORRECTION, OPEN, HANDLER, dt.date(2024, 5, 16))
    assert late is not None and late.field == "notified_on" and "本案截止 2024-05-15" in late.message
    again = Case(Status.OPEN, pauses=(Pause(PauseKind.CORRECTION, False, dt.date(2024, 5, 1)),))
    with pytest.raises(ValidationError, match="补正须一次性告知"):
        check(Action.REQUEST_CORRECTION, again, HANDLER, TODAY)
    # A year the calendar does not know: offered, the service decides.
    assert Action.REQUEST_CORRECTION in allowed(Case(Status.OPEN), HANDLER, dt.date(2030, 1, 1))


def test_awaiting_correction_and_its_lapse() -> None:
    case = Case(Status.AWAITING_CORRECTION, pauses=(Pause(PauseKind.CORRECTION, True, dt.date(2024, 5, 20)),))
    assert allowed(case, HANDLER, TODAY) == {Action.RECEIVE_CORRECTION}
    assert allowed(case, HANDLER, dt.date(2024, 5, 21)) == {
        Action.RECEIVE_CORRECTION,
        Action.CORRECTION_LAPSE,
    }
    with pytest.raises(ValidationError) as exc:
        check(Action.CORRECTION_LAPSE, case, HANDLER, dt.date(2024, 5, 20))
    assert exc.value.message_dict == {"lapsed_on": ["补正期限至 2024-05-20 尚未届满，不能视为放弃申请"]}


def test_consultations_and_fees_pause_the_case() -> None:
    consulting = Case(Status.PAUSED, pauses=(Pause(PauseKind.THIRD_PARTY, True, dt.date(2024, 6, 1)),))
    assert Action.END_CONSULTATION in allowed(consulting, HANDLER, TODAY)
    assert Action.ISSUE_REPLY not in allowed(consulting, OFFICE, TODAY)
    with pytest.raises(ValidationError, match="征求意见或缴费尚未结束"):
        check(Action.ISSUE_REPLY, consulting, OFFICE, TODAY)
    fee = Case(Status.PAUSED, has_fee=True, pauses=(Pause(PauseKind.FEE, True, dt.date(2024, 5, 31)),))
    assert {Action.FEE_PAID, Action.WAIVE_FEE} <= allowed(fee, HANDLER, TODAY)
    assert Action.NOTIFY_FEE not in allowed(fee, HANDLER, TODAY)
    assert Action.FEE_LAPSE not in allowed(fee, HANDLER, TODAY)
    assert Action.FEE_LAPSE in allowed(fee, HANDLER, dt.date(2024, 6, 1))
    unknown = Case(Status.PAUSED, pauses=(Pause(PauseKind.FEE, True, None),))
    assert Action.FEE_LAPSE not in allowed(unknown, HANDLER, dt.date(2030, 1, 1))


def test_extensions_once_and_before_the_deadline() -> None:
    pending = Case(Status.OPEN, extensions=(ExtensionState.PENDING,), base_due=dt.date(2024, 6, 1))
    assert Action.REQUEST_EXTENSION not in allowed(pending, HANDLER, TODAY)
    assert {Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION} <= allowed(pending, OFFICE_HEAD, TODAY)
    with pytest.raises(ValidationError) as exc:
        check(Action.APPROVE_EXTENSION, pending, OFFICE_HEAD, dt.date(2024, 6, 2))
    assert exc.value.message_dict == {"approved_on": ["答复期限已于 2024-06-01 届满，延期须在期限届满前批准"]}
    done = Case(Status.OPEN, extensions=(ExtensionState.APPROVED,))
    with pytest.raises(ValidationError, match="答复期限只能延长一次"):
        check(Action.REQUEST_EXTENSION, done, HANDLER, TODAY)
    with pytest.raises(ValidationError, match="不能再申请延长"):
        check(Action.REQUEST_EXTENSION, OPEN, HANDLER, dt.date(2024, 6, 2))


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (Action.CONFIRM, "只有公开办工作人员可以确认收到申请"),
        (Action.ISSUE_REPLY, "只有公开办工作人员可以发出答复告知书"),
        (Action.SUBMIT_REPLY, "您无权办理该申请"),
        (Action.REVIEW_REPLY, "该答复当前不在审核中"),
        (Action.APPROVE_EXTENSION, "延长答复期限须经政府信息公开工作机构负责人（公开办负责人）同意"),
        (Action.REFUSE_EXTENSION, "只有公开办负责人可以审批延期申请"),
        (Action.ASSIGN, "您无权分派该申请"),
        (Action.DRAFT_REPLY, "您无权办理该申请"),
    ],
)
def test_who_is_refused_with_permission_denied(action: Action, message: str) -> None:
    with pytest.raises(PermissionDenied, match=message):
        check(action, OPEN, NOBODY, TODAY)
