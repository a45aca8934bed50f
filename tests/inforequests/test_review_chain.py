"""Issue 11 point 4: the review chain of replies — drafted, sent, reviewed step by step, returned with a
reason or signed, and only then sent out by the 公开办; the office's chain is configured by the 公开办负责人.

The default chain: 科室负责人审核 (the case's 科室) → 公开办保密审查和法制审核 (公开办负责人) → 主管主任签发.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.core.choices import Outcome
from gongkai.core.models import AuditEvent, OutboxMessage
from gongkai.inforequests import services
from gongkai.inforequests.models import (
    InfoRequest,
    ReplyNotice,
    ReplyReviewDecision,
    ReplyReviewStatus,
    ReplyReviewStep,
    RequestStatus,
)
from gongkai.inforequests.review import DEFAULT_CHAIN, StepSpec
from gongkai.org.roles import Role
from inforequests.conftest import Office
from inforequests.review_chain import sign_reply
from inforequests.test_views import login, make_case

D = dt.date
BODY = "经检索，本机关没有制作或者获取您申请公开的政府信息，该政府信息不存在。"
SENT, STEP1, STEP2, SIGNED, ISSUED = (D(2024, 5, 13 + i) for i in range(5))


def drafted(office: Office, **kw: Any) -> InfoRequest:
    req = make_case(office, **kw)
    services.inforequest_draft_reply(
        actor=office.staff, request=req, outcome=Outcome.UNAVAILABLE_NOT_HELD, notice_body=BODY
    )
    return req


def sent(office: Office) -> InfoRequest:
    req = drafted(office)
    services.reply_submit_for_review(actor=office.staff, request=req, submitted_on=SENT)
    return req


def reply_of(req: InfoRequest) -> ReplyNotice:
    return ReplyNotice.objects.get(request=req)


def approve(actor: Any, req: InfoRequest, on: dt.date, opinion: str = "") -> ReplyNotice:
    return services.reply_review_approve(actor=actor, request=req, opinion=opinion, decided_on=on)


def verbs(req: InfoRequest) -> list[tuple[str, Any]]:
    rows = AuditEvent.objects.filter(object_type="inforequests.inforequest", object_id=str(req.pk))
    return [(e.verb, e.actor_id) for e in rows.order_by("id") if e.verb != "inforequest.view_personal_data"]


def outbox(kind: str) -> list[dict[str, Any]]:
    return [m.payload for m in OutboxMessage.objects.filter(kind=kind).order_by("id")]


# --- the chain walked by the right people, in order ---------------------------------------------------


def test_the_default_chain_is_seeded_and_the_last_step_signs(office: Office) -> None:
    rows = list(ReplyReviewStep.objects.order_by("position"))
    assert [(r.name, r.role, r.own_department) for r in rows] == [
        (s.name, s.role, s.own_department) for s in DEFAULT_CHAIN
    ]
    assert [r.role for r in rows] == [Role.DEPT_HEAD, Role.OFFICE_HEAD, Role.DIRECTOR]


def test_drafted_sent_reviewed_signed_then_issued_by_the_right_people(office: Office) -> None:
    req = sent(office)
    reply = reply_of(req)
    assert (reply.review_status, reply.review_round, reply.review_step) == (ReplyReviewStatus.PENDING, 1, 0)
    assert (reply.submitted_by, reply.submitted_on) == (office.staff, SENT)
    (first,) = outbox("inforequest.review_requested")
    assert first == {
        "request_id": req.pk,
        "reference": req.reference,
        "step_label": "科室负责人审核",
        "reviewer_ids": [office.dept_head.pk],
        "round": 1,
    }

    approve(office.dept_head, req, STEP1, "情况属实")
    approve(office.office_head, req, STEP2, "不涉密")
    requested = outbox("inforequest.review_requested")
    assert [(p["step_label"], p["reviewer_ids"]) for p in requested[1:]] == [
        ("公开办保密审查和法制审核", [office.office_head.pk]),
        ("主管主任签发", [office.director.pk]),
    ]
    reply = approve(office.director, req, SIGNED)
    assert (reply.review_status, reply.signed_by, reply.signed_on) == (
        ReplyReviewStatus.SIGNED,
        office.director,
        SIGNED,
    )
    decisions = [
        (r.position, r.step_name, r.reviewer, r.decision, r.opinion, r.is_signing)
        for r in reply.reviews.all()
    ]
    assert decisions == [
        (1, "科室负责人审核", office.dept_head, ReplyReviewDecision.APPROVED, "情况属实", False),
        (2, "公开办保密审查和法制审核", office.office_head, ReplyReviewDecision.APPROVED, "不涉密", False),
        (3, "主管主任签发", office.director, ReplyReviewDecision.APPROVED, "", True),
    ]

    services.inforequest_answer(actor=office.clerk, request=req, issued_on=ISSUED)
    req.refresh_from_db()
    reply.refresh_from_db()
    assert (req.status, req.outcome, req.closed_on) == (
        RequestStatus.ANSWERED,
        Outcome.UNAVAILABLE_NOT_HELD,
        ISSUED,
    )
    assert (reply.issued_by, reply.signed_by, reply.body) == (office.clerk, office.director, BODY)
    assert verbs(req)[-6:] == [
        ("inforequest.draft_reply", office.staff.pk),
        ("inforequest.reply_submit", office.staff.pk),
        ("inforequest.reply_approve", office.dept_head.pk),
        ("inforequest.reply_approve", office.office_head.pk),
        ("inforequest.reply_sign", office.director.pk),
        ("inforequest.answer", office.clerk.pk),
    ]
    sign = AuditEvent.objects.get(verb="inforequest.reply_sign", object_id=str(req.pk))
    assert sign.after["signed_by_id"] == office.director.pk and sign.after["step"] == "主管主任签发"
    assert sign.verb_label == "签发答复"


def test_each_wrong_person_is_refused_in_chinese(office: Office) -> None:
    req = sent(office)
    step1 = "“科室负责人审核”须由城市管理科的科室负责人审核"
    for person in (
        office.staff,
        office.staff2,
        office.other_head,
        office.office_head,
        office.director,
        office.clerk,
    ):
        with pytest.raises(PermissionDenied, match=step1):
            approve(person, req, STEP1)
    with pytest.raises(PermissionDenied, match=step1):
        services.reply_review_return(actor=office.other_head, request=req, reason="不同意", decided_on=STEP1)
    with pytest.raises(PermissionDenied, match=step1):
        approve(office.auditor, req, STEP1)
    # Nobody issues an unsigned reply: the clerk is refused as who, not when.
    with pytest.raises(
        PermissionDenied, match="须经审核签发后才能发出，答复正在审核（当前步骤：科室负责人审核）"
    ):
        services.inforequest_answer(actor=office.clerk, request=req, issued_on=ISSUED)
    with pytest.raises(PermissionDenied, match="只有公开办工作人员可以发出答复告知书"):
        services.inforequest_answer(actor=office.auditor, request=req, issued_on=ISSUED)

    approve(office.dept_head, req, STEP1)
    with pytest.raises(PermissionDenied, match="“公开办保密审查和法制审核”须由公开办负责人审核"):
        approve(office.dept_head, req, STEP2)  # one person, one step of a round
    approve(office.office_head, req, STEP2)
    for person in (office.office_head, office.dept_head, office.clerk, office.auditor):
        with pytest.raises(PermissionDenied):
            approve(person, req, SIGNED)
    with pytest.raises(PermissionDenied, match="须经审核签发后才能发出"):
        services.inforequest_answer(actor=office.clerk, request=req, issued_on=ISSUED)
    approve(office.director, req, SIGNED)
    for person in (office.director, office.staff, office.auditor):  # signed: only the 公开办 sends it out
        with pytest.raises(PermissionDenied):
            services.inforequest_answer(actor=person, request=req, issued_on=ISSUED)
    assert reply_of(req).reviews.count() == 3 and reply_of(req).is_draft


def test_the_drafter_who_sends_cannot_review_their_own_draft(office: Office) -> None:
    req = make_case(office, handler=office.dept_head)
    services.inforequest_draft_reply(
        actor=office.dept_head, request=req, outcome=Outcome.UNAVAILABLE_NOT_HELD
    )
    # The 科室's only head would review their own draft: refused when sending, not left waiting forever.
    with pytest.raises(
        ValidationError,
        match="第 1 步“科室负责人审核”没有可以审核的人员（城市管理科的科室负责人，送审人除外）",
    ):
        services.reply_submit_for_review(actor=office.dept_head, request=req, submitted_on=SENT)
    services.reply_submit_for_review(actor=office.staff, request=req, submitted_on=SENT)
    with pytest.raises(PermissionDenied):
        approve(office.staff, req, STEP1)  # the sender
    approve(office.dept_head, req, STEP1)


def test_a_draft_is_sent_only_when_complete_and_assigned(office: Office) -> None:
    req = make_case(office)
    with pytest.raises(ValidationError, match="请先拟写答复再送审"):
        services.reply_submit_for_review(actor=office.staff, request=req, submitted_on=SENT)
    services.inforequest_draft_reply(actor=office.staff, request=req, outcome=Outcome.GRANTED)
    with pytest.raises(ValidationError) as exc:  # the template's 或：… alternative is still there
        services.reply_submit_for_review(actor=office.staff, request=req, submitted_on=SENT)
    assert exc.value.message_dict["notice_body"][0].startswith("答复内容第 1 段仍有未填写的空白")
    with pytest.raises(ValidationError, match="送审日期（2099-01-01）不能晚于今天"):
        services.reply_submit_for_review(actor=office.staff, request=req, submitted_on=D(2099, 1, 1))
    with pytest.raises(PermissionDenied, match="您无权办理该申请"):
        services.reply_submit_for_review(actor=office.other_staff, request=req, submitted_on=SENT)
    unassigned = make_case(office, department=None, handler=office.clerk)
    services.inforequest_draft_reply(
        actor=office.clerk, request=unassigned, outcome=Outcome.UNAVAILABLE_NOT_HELD
    )
    with pytest.raises(
        ValidationError, match="本案尚未分派承办科室，第 1 步“科室负责人审核”须由承办科室的科室负责人审核"
    ):
        services.reply_submit_for_review(actor=office.clerk, request=unassigned, submitted_on=SENT)
    assert reply_of(req).review_status == reply_of(unassigned).review_status == ReplyReviewStatus.DRAFT


# --- returned with a reason, edited after approval ------------------------------------------------------


def test_a_returned_draft_goes_back_to_its_drafter_and_must_be_sent_again(office: Office) -> None:
    req = sent(office)
    approve(office.dept_head, req, STEP1)
    with pytest.raises(ValidationError, match="退回须填写理由"):
        services.reply_review_return(actor=office.office_head, request=req, reason="  ", decided_on=STEP2)
    with pytest.raises(ValidationError, match="审核日期不能早于上一步的审核日期（2024-05-14）"):
        services.reply_review_return(actor=office.office_head, request=req, reason="x", decided_on=SENT)
    reason = "答复未说明检索范围，请补充后重新送审"
    reply = services.reply_review_return(
        actor=office.office_head, request=req, reason=reason, decided_on=STEP2
    )
    assert (reply.review_status, reply.review_step) == (ReplyReviewStatus.RETURNED, None)
    (returned,) = outbox("inforequest.draft_returned")
    assert returned == {
        "request_id": req.pk,
        "reference": req.reference,
        "reason": reason,
        "to_user_id": office.staff.pk,
        "step_label": "公开办保密审查和法制审核",
    }
    with pytest.raises(PermissionDenied, match="该答复当前不在审核中"):
        # Nobody may decide a step of a draft that is not under review.
        services.reply_review_approve(actor=office.dept_head, request=req, decided_on=SIGNED)
    with pytest.raises(PermissionDenied, match="答复已退回修改"):
        services.inforequest_answer(actor=office.clerk, request=req, issued_on=ISSUED)

    services.inforequest_draft_reply(
        actor=office.staff,
        request=req,
        outcome=Outcome.UNAVAILABLE_NOT_HELD,
        notice_body=BODY + "\n经检索本机关档案。",
    )
    reply = services.reply_submit_for_review(actor=office.staff, request=req, submitted_on=STEP2)
    assert (reply.review_round, reply.review_step, reply.review_status) == (2, 0, ReplyReviewStatus.PENDING)
    approve(office.dept_head, req, STEP2)  # a new round: the 科室负责人 decides again
    approve(office.office_head, req, SIGNED)
    approve(office.director, req, SIGNED)
    every = [(r.round, r.position, r.reviewer, r.decision) for r in reply_of(req).reviews.all()]
    assert every == [
        (1, 1, office.dept_head, ReplyReviewDecision.APPROVED),
        (1, 2, office.office_head, ReplyReviewDecision.RETURNED),
        (2, 1, office.dept_head, ReplyReviewDecision.APPROVED),
        (2, 2, office.office_head, ReplyReviewDecision.APPROVED),
        (2, 3, office.director, ReplyReviewDecision.APPROVED),
    ]


def test_editing_after_an_approval_restarts_the_chain(office: Office) -> None:
    req = sent(office)
    approve(office.dept_head, req, STEP1)
    # The same text again changes nothing: the approvals stand.
    services.inforequest_draft_reply(
        actor=office.staff, request=req, outcome=Outcome.UNAVAILABLE_NOT_HELD, notice_body=BODY
    )
    assert reply_of(req).review_status == ReplyReviewStatus.PENDING
    services.inforequest_draft_reply(
        actor=office.dept_head,
        request=req,
        outcome=Outcome.UNAVAILABLE_NOT_HELD,
        notice_body=BODY + "特此说明。",
    )
    reply = reply_of(req)
    assert (reply.review_status, reply.review_step, reply.review_round) == (ReplyReviewStatus.DRAFT, None, 1)
    edit = (
        AuditEvent.objects.filter(verb="inforequest.draft_reply", object_id=str(req.pk)).order_by("id").last()
    )
    assert edit is not None and edit.after["review_restarted"] is True
    with pytest.raises(PermissionDenied, match="该答复当前不在审核中"):
        approve(office.office_head, req, STEP2)
    reply = services.reply_submit_for_review(actor=office.staff, request=req, submitted_on=STEP2)
    assert (reply.review_round, reply.review_step) == (2, 0)
    assert reply.reviews.filter(round=1).count() == 1  # the old round's decision stays on record


def test_editing_a_signed_reply_withdraws_the_signature(office: Office) -> None:
    req = make_case(office)
    sign_reply(req, outcome=Outcome.UNAVAILABLE_NOT_HELD, notice_body=BODY, on=SIGNED)
    services.inforequest_draft_reply(
        actor=office.staff, request=req, outcome=Outcome.REFUSED_INTERNAL, notice_body="属于内部事务信息。"
    )
    reply = reply_of(req)
    assert (reply.review_status, reply.signed_by, reply.signed_on) == (ReplyReviewStatus.DRAFT, None, None)
    with pytest.raises(PermissionDenied, match="答复尚未送审"):
        services.inforequest_answer(actor=office.clerk, request=req, issued_on=ISSUED)


def test_what_goes_out_is_what_was_signed_on_or_after_the_signing_day(office: Office) -> None:
    req = make_case(office)
    sign_reply(req, outcome=Outcome.UNAVAILABLE_NOT_HELD, notice_body=BODY, on=SIGNED)
    with pytest.raises(ValidationError) as exc:
        services.inforequest_answer(
            actor=office.clerk, request=req, issued_on=ISSUED, notice_body="另一段话。"
        )
    assert "与签发的稿件不一致" in exc.value.message_dict["notice_body"][0]
    with pytest.raises(ValidationError, match="答复日期不能早于签发日期（2024-05-16）"):
        services.inforequest_answer(actor=office.clerk, request=req, issued_on=STEP2)
    services.inforequest_answer(
        actor=office.clerk,
        request=req,
        issued_on=SIGNED,
        outcome=Outcome.UNAVAILABLE_NOT_HELD,
        notice_body=BODY,
    )


# --- the signer on the 告知书 and the 审批表 --------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_signer_is_printed_on_the_notice_and_the_approval_form(office: Office) -> None:
    req = sent(office)
    approve(office.dept_head, req, STEP1, "情况属实")
    services.reply_review_return(
        actor=office.office_head, request=req, reason="请补充检索范围", decided_on=STEP2
    )
    services.reply_submit_for_review(actor=office.staff, request=req, submitted_on=STEP2)
    approve(office.dept_head, req, STEP2)
    approve(office.office_head, req, SIGNED, "不涉密")
    c = login(office.clerk)
    form = _docx_text(c.get(reverse("inforequests:approval_form_docx", args=[req.pk])).content)
    assert "东花市街道办事处政府信息公开申请答复审批表" in form and req.reference in form
    assert "主管主任签发" in form and "（待审核）" in form and "未签发" in form
    approve(office.director, req, SIGNED, "同意签发")
    services.inforequest_answer(actor=office.clerk, request=req, issued_on=ISSUED)

    notice = _docx_text(c.get(reverse("inforequests:notice_docx", args=[req.pk])).content)
    assert "签发人：赵主任（2024年5月16日签发）" in notice
    assert "王公开" not in notice  # the clerk sent it out; the clerk did not sign it
    preview = c.get(reverse("inforequests:notice_preview", args=[req.pk])).content.decode()
    assert "签发人：赵主任（2024年5月16日签发）" in preview

    response = c.get(reverse("inforequests:approval_form_docx", args=[req.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    form = _docx_text(response.content)
    for expected in (
        "东花市街道办事处政府信息公开申请答复审批表",
        "张三",
        "城市管理科",
        "孙科员",  # drafter and handler
        "本机关不掌握相关政府信息",
        BODY,
        "科室负责人审核\n（城市管理科的科室负责人）",
        "签字：吴科长",
        "意见：不涉密",
        "签字：李主任",
        "同意，签发\n意见：同意签发",
        "签字：赵主任",
        "2024年5月16日",
        "2024年5月17日",  # sent out
        "此前各轮审核记录",
        "第1轮",
        "退回修改：请补充检索范围",
    ):
        assert expected in form, expected
    assert "110101199001011234" not in form and "13812345678" not in form
    fresh = make_case(office)
    assert c.get(reverse("inforequests:approval_form_docx", args=[fresh.pk])).status_code == 404
    assert (
        login(office.other_staff).get(reverse("inforequests:approval_form_docx", args=[req.pk])).status_code
        == 403
    )


# --- the dashboard panel ---------------------------------------------------------------------------------


def _panel(user: Any) -> str:
    page = login(user).get(reverse("dashboard")).content.decode()
    start = page.index("待我审核的答复")
    return page[start : page.index("</section>", start)]


def test_the_panel_lists_the_waiting_draft_for_who_may_decide_it_only(office: Office) -> None:
    req = sent(office)
    assert req.reference in _panel(office.dept_head) and "科室负责人审核" in _panel(office.dept_head)
    for user in (office.other_head, office.office_head, office.director, office.staff, office.clerk):
        assert req.reference not in _panel(user), user
    assert "待我审核的答复" not in login(office.auditor).get(reverse("dashboard")).content.decode()
    approve(office.dept_head, req, STEP1)
    assert req.reference not in _panel(office.dept_head)
    assert req.reference in _panel(office.office_head)
    approve(office.office_head, req, STEP2)
    assert req.reference in _panel(office.director) and req.reference not in _panel(office.office_head)
    approve(office.director, req, SIGNED)
    assert f"{req.reference} 已签发，待发出" in _panel(office.clerk)
    assert req.reference not in _panel(office.director)
    services.inforequest_answer(actor=office.clerk, request=req, issued_on=ISSUED)
    assert req.reference not in _panel(office.clerk)


# --- through the workbench pages, CSRF on -------------------------------------------------------------


def _csrf_client(user: Any) -> Client:
    return login(user, enforce_csrf_checks=True)


def _post(c: Client, req: InfoRequest, name: str, data: dict[str, str]) -> Any:
    page = c.get(reverse("inforequests:detail", args=[req.pk]))
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    fields = {f"{name}-{k}": v for k, v in data.items()}
    return c.post(
        reverse(f"inforequests:{name}", args=[req.pk]), {"csrfmiddlewaretoken": token.group(1), **fields}
    )


def test_the_chain_through_the_case_page(office: Office) -> None:
    req = drafted(office)
    staff = _csrf_client(office.staff)
    assert staff.post(reverse("inforequests:reply_submit", args=[req.pk]), {}).status_code == 403  # no token
    page = staff.get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert "答复送审" in page and "未送审" in page and "下载审批表（DOCX）" in page
    assert _post(staff, req, "reply_submit", {"submitted_on": "2024-05-13", "note": ""}).status_code == 302

    head = _csrf_client(office.dept_head)
    page = head.get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert "审核答复：科室负责人审核" in page and "退回修改：科室负责人审核" in page
    r = _post(head, req, "reply_return", {"decided_on": "2024-05-14", "reason": ""})
    assert r.status_code == 400 and "退回须填写理由" in r.content.decode()
    r = _post(head, req, "reply_approve", {"decided_on": "2024-05-14", "opinion": "情况属实"})
    assert r.status_code == 302
    # Someone else's step: not offered, and refused if posted anyway.
    assert "审核答复" not in head.get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert _post(head, req, "reply_approve", {"decided_on": "2024-05-14", "opinion": ""}).status_code == 403

    office_head = _csrf_client(office.office_head)
    r = _post(office_head, req, "reply_return", {"decided_on": "2024-05-15", "reason": "请补充检索范围"})
    assert r.status_code == 302
    page = staff.get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert "已退回修改" in page and "请补充检索范围" in page and "答复送审" in page
    assert (
        _post(staff, req, "reply_submit", {"submitted_on": "2024-05-15", "note": "已补充"}).status_code == 302
    )
    assert _post(head, req, "reply_approve", {"decided_on": "2024-05-15", "opinion": ""}).status_code == 302
    assert (
        _post(office_head, req, "reply_approve", {"decided_on": "2024-05-16", "opinion": ""}).status_code
        == 302
    )
    director = _csrf_client(office.director)
    page = director.get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert "签发答复：主管主任签发" in page and "同意并签发" in page
    assert (
        _post(director, req, "reply_approve", {"decided_on": "2024-05-16", "opinion": "同意"}).status_code
        == 302
    )

    clerk = _csrf_client(office.clerk)
    page = clerk.get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert "发出答复告知书" in page and "发出并办结" in page and "第 2 轮" in page
    r = _post(clerk, req, "answer", {"issued_on": "2024-05-15"})
    assert r.status_code == 400 and "答复日期不能早于签发日期（2024-05-16）" in r.content.decode()
    assert _post(clerk, req, "answer", {"issued_on": "2024-05-17"}).status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED and req.reply.signed_by == office.director
    page = clerk.get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert "已发出" in page and "赵主任 2024-05-16" in page and "王公开 2024-05-17" in page
    for label in ("答复送审", "答复审核同意", "签发答复", "答复退回修改", "发出答复告知书"):
        assert label in page, label


# --- the office's chain -----------------------------------------------------------------------------------


def test_only_the_office_head_configures_the_chain_and_it_is_checked(office: Office) -> None:
    two = [StepSpec("科室负责人审核", Role.DEPT_HEAD, True), StepSpec("公开办负责人签发", Role.OFFICE_HEAD)]
    for person in (office.clerk, office.director, office.dept_head, office.auditor):
        with pytest.raises(PermissionDenied, match="只有公开办负责人可以修改答复审核流程"):
            services.review_chain_set(actor=person, steps=two)
    for steps, message in (
        ([], "审核流程至少要有一个步骤"),
        ([StepSpec("审计", Role.AUDITOR)], "请选择审核人角色（只读审计不能审核）"),
        ([StepSpec("主任", Role.DIRECTOR, True)], "只有科室负责人、科室工作人员可以限定为本案承办科室"),
        ([StepSpec("甲", Role.DIRECTOR), StepSpec("乙", Role.DIRECTOR)], "第 2 步“乙”与“甲”由同一角色审核"),
        ([StepSpec(" ", Role.DIRECTOR)], "第 1 步：请填写步骤名称"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.review_chain_set(actor=office.office_head, steps=steps)
    under_way = sent(office)  # sent with the three-step chain

    services.review_chain_set(actor=office.office_head, steps=two)
    assert [s.name for s in ReplyReviewStep.objects.all()] == ["科室负责人审核", "公开办负责人签发"]
    event = AuditEvent.objects.get(verb="reply_chain.set")
    assert (
        event.actor == office.office_head
        and len(event.before["steps"]) == 3
        and len(event.after["steps"]) == 2
    )
    # The draft under way keeps its chain; the next one takes the new chain and is signed by the office head.
    approve(office.dept_head, under_way, STEP1)
    approve(office.office_head, under_way, STEP2)
    assert reply_of(under_way).review_status == ReplyReviewStatus.PENDING
    req = make_case(office)
    reply = sign_reply(req, outcome=Outcome.UNAVAILABLE_NOT_HELD, notice_body=BODY, on=SIGNED)
    assert (reply.signed_by, reply.reviews.count()) == (office.office_head, 2)


def test_the_chain_page(office: Office) -> None:
    url = reverse("inforequests:review_chain")
    page = login(office.staff).get(url).content.decode()
    assert (
        "公开办保密审查和法制审核" in page and "本案承办科室的科室负责人" in page and "保存流程" not in page
    )
    data = {
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "3",  # as the page renders it for the three seeded steps
        "steps-0-name": "科室负责人审核",
        "steps-0-role": Role.DEPT_HEAD.value,
        "steps-0-own_department": "on",
        "steps-1-name": "主管主任签发",
        "steps-1-role": Role.DIRECTOR.value,
        "steps-2-name": "",
        "steps-2-role": "",
    }
    assert login(office.staff).post(url, data).status_code == 403
    head = _csrf_client(office.office_head)
    page = head.get(url).content.decode()
    assert "保存流程" in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    twice = {"steps-1-role": Role.DEPT_HEAD.value, "steps-1-own_department": "on"}
    bad = head.post(url, {**data, **twice, "csrfmiddlewaretoken": token.group(1)})
    assert bad.status_code == 400 and "由同一角色审核" in bad.content.decode()
    assert head.post(url, {**data, "csrfmiddlewaretoken": token.group(1)}).status_code == 302
    assert [(s.position, s.name) for s in ReplyReviewStep.objects.all()] == [
        (1, "科室负责人审核"),
        (2, "主管主任签发"),
    ]


def test_the_admin_edits_the_chain_through_the_service(office: Office, django_user_model: Any) -> None:
    admin_user = django_user_model.objects.create_superuser("root", password="x-Long-enough-1")
    c = login(admin_user)
    step = ReplyReviewStep.objects.get(position=2)
    change = reverse("admin:inforequests_replyreviewstep_change", args=[step.pk])
    data = {"position": "2", "name": "公开办法制审核", "role": Role.OFFICE_HEAD.value}
    assert c.post(change, data).status_code == 302
    assert ReplyReviewStep.objects.get(position=2).name == "公开办法制审核"
    assert AuditEvent.objects.filter(verb="reply_chain.set", actor=admin_user).count() == 1
    bad = c.post(change, {**data, "role": Role.DIRECTOR.value})  # the signing step already is the director's
    assert bad.status_code == 200 and "由同一角色审核" in bad.content.decode()
    assert AuditEvent.objects.filter(verb="reply_chain.set").count() == 1
