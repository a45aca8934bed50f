"""Issue 11 point 5, "nothing forgotten": the clerk's inbox of online applications awaiting confirmation,
assignment only to staff who can act (filtered by 科室), and no 告知书 sent for review or issued with a
template blank."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.core.choices import ApplicantType, Outcome, RequestChannel
from gongkai.inforequests import forms, selectors, services
from gongkai.inforequests.models import InfoRequest, ProvisionForm, ReplyReviewStatus, RequestStatus
from gongkai.inforequests.notice_text import BLANK, DEFAULT_TEMPLATES, cn_date, template_blanks
from gongkai.portal.services import application_submit
from inforequests.conftest import Office
from inforequests.review_chain import walk_chain
from inforequests.test_services import at
from inforequests.test_views import login, make_case

D = dt.date
GRANT_ALTERNATIVE = f"（或：您可以通过{BLANK}获取该政府信息）"


def portal_application(name: str) -> InfoRequest:
    return application_submit(
        applicant_type=ApplicantType.NATURAL_PERSON,
        name=name,
        id_number="110101199001011234",
        phone="13812345678",
        description="东花市北里20号楼加装电梯的审批文件",
        form_of_provision=ProvisionForm.EMAIL,
        email="a@example.cn",
        scans=[],
    ).request


# --- 待确认的网上申请 ---------------------------------------------------------------------------------


def test_the_clerk_sees_online_applications_awaiting_confirmation_oldest_first(office: Office) -> None:
    with at(D(2024, 5, 6)):
        old = portal_application("张三")
    with at(D(2024, 5, 8)):
        new = portal_application("李四")
        confirmed = portal_application("王五")
        services.inforequest_confirm(actor=office.clerk, request=confirmed, confirmed_on=D(2024, 5, 8))
    make_case(office, channel=RequestChannel.FAX, applicant_name="赵六")  # not from the portal
    assert list(selectors.awaiting_confirmation(office.clerk)) == [old, new]
    with at(D(2024, 5, 9)):
        page = login(office.clerk).get(reverse("dashboard")).content.decode()
        panel = page[page.index("待确认的网上申请") :]
        assert old.reference in panel and "已等待 3 天" in panel
        assert new.reference in panel and "已等待 1 天" in panel
        assert panel.index(old.reference) < panel.index(new.reference)
        assert confirmed.reference not in panel and "王五" not in panel and "赵六" not in panel
        assert reverse("inforequests:detail", args=[old.pk]) in panel
        # Only those who may confirm (workflow's CONFIRM permission) get the panel.
        assert "待确认的网上申请" in login(office.office_head).get(reverse("dashboard")).content.decode()
        for who in (office.staff, office.dept_head, office.auditor):
            assert "待确认的网上申请" not in login(who).get(reverse("dashboard")).content.decode()
    with at(D(2024, 5, 9)):
        services.inforequest_confirm(actor=office.clerk, request=old, confirmed_on=D(2024, 5, 9))
        services.inforequest_confirm(actor=office.clerk, request=new, confirmed_on=D(2024, 5, 9))
        page = login(office.clerk).get(reverse("dashboard")).content.decode()
        assert "没有待确认的网上申请" in page


# --- assignment only to staff who can act --------------------------------------------------------


def test_an_auditor_cannot_be_made_a_handler(office: Office) -> None:
    req = make_case(office, department=None, handler=None)
    with pytest.raises(ValidationError) as exc:
        services.inforequest_assign(actor=office.clerk, request=req, department=None, handler=office.auditor)
    assert exc.value.message_dict["handler"] == ["钱审计的角色不能办理政府信息公开申请，不能作为承办人"]
    with pytest.raises(ValidationError):
        make_case(office, department=None, handler=office.director)  # nor at registration
    req.refresh_from_db()
    assert req.handler is None and req.department is None
    services.inforequest_assign(
        actor=office.clerk, request=req, department=office.dept, handler=office.staff2
    )
    req.refresh_from_db()
    assert req.handler == office.staff2


def _offered(html: str) -> set[str]:
    select = re.search(r'<select name="assign-handler".*?</select>', html, re.S)
    assert select is not None
    return set(re.findall(r"<option value=\"\d+\"[^>]*>([^（<]+)（", select.group(0)))


def test_the_assign_form_offers_only_handlers_of_the_chosen_department(office: Office) -> None:
    everyone = {"王公开", "李主任", "孙科员", "周科员", "吴科长", "郑科员", "冯科长"}
    form = forms.AssignForm(prefix="assign")
    assert {u.get_full_name() for u in form.fields["handler"].queryset} == everyone
    dept = forms.AssignForm(prefix="assign", initial={"department": office.dept.pk})
    assert {u.get_full_name() for u in dept.fields["handler"].queryset} == {"孙科员", "周科员", "吴科长"}
    bound = forms.AssignForm({"assign-department": str(office.other_dept.pk)}, prefix="assign")
    assert {u.get_full_name() for u in bound.fields["handler"].queryset} == {"郑科员", "冯科长"}

    req = make_case(office, department=None, handler=None)
    c = login(office.clerk)
    page = c.get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert _offered(page) == everyone and "钱审计" not in page and "赵主任" not in page
    assert 'hx-get="' + reverse("inforequests:assign_handlers") in page
    # The 科室 select re-renders the handler list on the server.
    part = c.get(reverse("inforequests:assign_handlers"), {"assign-department": office.other_dept.pk})
    assert _offered(part.content.decode()) == {"郑科员", "冯科长"}
    assert _offered(c.get(reverse("inforequests:assign_handlers")).content.decode()) == everyone
    # Posting an auditor anyway (a stale page, a forged form) is refused and changes nothing.
    r = c.post(
        reverse("inforequests:assign", args=[req.pk]),
        {"assign-department": "", "assign-handler": str(office.auditor.pk)},
    )
    assert r.status_code == 400
    req.refresh_from_db()
    assert req.handler is None
    r = c.post(
        reverse("inforequests:assign", args=[req.pk]),
        {"assign-department": str(office.dept.pk), "assign-handler": str(office.other_staff.pk)},
    )
    assert r.status_code == 400
    r = c.post(
        reverse("inforequests:assign", args=[req.pk]),
        {"assign-department": str(office.dept.pk), "assign-handler": str(office.staff2.pk)},
    )
    assert r.status_code == 302
    req.refresh_from_db()
    assert (req.department, req.handler) == (office.dept, office.staff2)
    assert login(office.auditor).get(reverse("inforequests:assign_handlers")).status_code == 403


# --- no 告知书 with a template blank ----------------------------------------------------------------


def test_the_blank_pattern_on_the_real_default_templates() -> None:
    grant = DEFAULT_TEMPLATES[Outcome.GRANTED].body
    (blank,) = template_blanks(grant)
    assert blank.paragraph == 1
    assert blank.excerpt == f"…书向您提供该政府信息［{GRANT_ALTERNATIVE}］。"
    assert blank.message("答复内容").startswith("答复内容第 1 段仍有未填写的空白：")
    for outcome, text in DEFAULT_TEMPLATES.items():
        # Every default with a slot is caught; every default without one passes untouched.
        assert bool(template_blanks(text.body)) == (BLANK in text.body), outcome
        assert template_blanks(text.title) == [] and template_blanks(text.legal_basis) == []
    partial = template_blanks(DEFAULT_TEMPLATES[Outcome.PARTIAL].body)
    assert len(partial) == 2
    # A paragraph's indent is not a blank; underscores and an unknown date are.
    assert template_blanks("　　经审查，本机关决定予以公开。\n\n　　特此告知。") == []
    found = template_blanks("经审查，予以公开。\n请于＿＿日前领取。\n编号____。\n" + cn_date(None))
    assert [b.paragraph for b in found] == [2, 3, 4, 4]


def test_the_untouched_default_notice_cannot_be_sent_for_review_or_issued(office: Office) -> None:
    req = make_case(office)
    draft = services.inforequest_draft_reply(actor=office.staff, request=req, outcome=Outcome.GRANTED)
    assert GRANT_ALTERNATIVE in draft.body
    # The reviewers decide on the words the applicant reads: a draft with a blank is not sent to them.
    with pytest.raises(ValidationError) as exc:
        services.reply_submit_for_review(actor=office.staff, request=req, submitted_on=D(2024, 5, 20))
    (message,) = exc.value.message_dict["notice_body"]
    assert message.startswith("答复内容第 1 段仍有未填写的空白：") and GRANT_ALTERNATIVE in message
    services.inforequest_draft_reply(
        actor=office.staff,
        request=req,
        outcome=Outcome.GRANTED,
        notice_body="经审查，予以公开。",
        legal_basis="《中华人民共和国政府信息公开条例》第____条",
    )
    with pytest.raises(ValidationError) as exc:
        services.reply_submit_for_review(actor=office.staff, request=req, submitted_on=D(2024, 5, 20))
    assert list(exc.value.message_dict) == ["legal_basis"]
    with pytest.raises(PermissionDenied, match="答复尚未送审"):
        services.inforequest_answer(actor=office.clerk, request=req, issued_on=D(2024, 5, 20))
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN and req.reply.is_draft

    filled = draft.body.replace(GRANT_ALTERNATIVE, "")
    services.inforequest_draft_reply(
        actor=office.staff, request=req, outcome=Outcome.GRANTED, notice_body=filled
    )
    walk_chain(req, on=D(2024, 5, 20))
    reply = services.inforequest_answer(actor=office.clerk, request=req, issued_on=D(2024, 5, 20))
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED and reply.body == filled


def test_the_submit_form_shows_where_the_blank_is(office: Office) -> None:
    req = make_case(office)
    body = DEFAULT_TEMPLATES[Outcome.PARTIAL].body
    c = login(office.staff)
    draft = {
        "draft_reply-outcome": Outcome.PARTIAL,
        "draft_reply-title": "",
        "draft_reply-notice_body": "　　本机关经检索找到了您申请的信息。\n\n　　" + body,
        "draft_reply-legal_basis": "",
    }
    assert c.post(reverse("inforequests:draft_reply", args=[req.pk]), draft).status_code == 302
    submit = {"reply_submit-submitted_on": "2024-05-20", "reply_submit-note": ""}
    r = c.post(reverse("inforequests:reply_submit", args=[req.pk]), submit)
    assert r.status_code == 400
    page = r.content.decode()
    assert page.count("答复内容第 2 段仍有未填写的空白") == 2
    req.refresh_from_db()
    assert req.reply.review_status == ReplyReviewStatus.DRAFT
    draft["draft_reply-notice_body"] = body.replace(BLANK, "第三方的商业秘密", 1).replace(
        BLANK, "涉及商业秘密"
    )
    assert c.post(reverse("inforequests:draft_reply", args=[req.pk]), draft).status_code == 302
    r = c.post(reverse("inforequests:reply_submit", args=[req.pk]), submit)
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.reply.review_status == ReplyReviewStatus.PENDING
