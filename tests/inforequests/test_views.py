"""The workbench pages of 依申请公开: access, masking with audit, the clock explainer, actions, the 告知书 DOCX."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, reverse

from gongkai.core.choices import ApplicantType, Outcome, RequestChannel
from gongkai.core.models import AuditEvent
from gongkai.inforequests import services
from gongkai.inforequests import urls as ir_urls
from gongkai.inforequests.models import (
    ExtensionStatus,
    InfoRequest,
    ProvisionForm,
    ReplyTemplate,
    RequestStatus,
)
from gongkai.org.roles import Role
from gongkai.org.selectors import user_roles
from inforequests.conftest import Office
from inforequests.review_chain import sign_reply, walk_chain
from staff_auth import sign_in

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
VIEW_PERSONAL = "inforequest.view_personal_data"


def login(user: Any, **kw: Any) -> Client:
    c = Client(**kw)
    sign_in(c, user)
    return c


def make_case(office: Office, **kw: Any) -> InfoRequest:
    data: dict[str, Any] = {
        "actor": office.clerk,
        "channel": RequestChannel.IN_PERSON,
        "submitted_on": D(2024, 5, 6),
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "applicant_name": "张三",
        "applicant_id_number": "110101199001011234",
        "applicant_phone": "13812345678",
        "applicant_address": "北京市东城区东花市北里20号楼",
        "description": "2023年东花市街道老旧小区综合整治项目的批复文件",
        "department": office.dept,
        "handler": office.staff,
        # On paper: a 予以公开 answer then needs no uploaded document (inforequests.released).
        "form_of_provision": ProvisionForm.PAPER,
    }
    data.update(kw)
    return services.inforequest_register(**data)


def personal_views(req: InfoRequest) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=VIEW_PERSONAL, object_id=str(req.pk)))


# --- access ---------------------------------------------------------------------------------------


def _urls(office: Office, req: InfoRequest) -> list[tuple[str, Any]]:
    from gongkai.appeals import urls as ap_urls
    from inforequests.factories import AppealFactory

    appeal = AppealFactory()
    template = ReplyTemplate.objects.first()
    out = []
    for module, ns, pk in ((ir_urls, "inforequests", req.pk), (ap_urls, "appeals", appeal.pk)):
        for p in module.urlpatterns:
            assert isinstance(p, URLPattern)
            kwargs = {}
            if "<int:pk>" in str(p.pattern):
                kwargs["pk"] = template.pk if p.name == "template_edit" else pk
            if "<int:file_pk>" in str(p.pattern):
                kwargs["file_pk"] = 987654
            out.append((reverse(f"{ns}:{p.name}", kwargs=kwargs), p.callback))
    return out


def test_every_url_redirects_anonymous_users_to_login(office: Office) -> None:
    req = make_case(office)
    anonymous = Client()
    for url, _view in _urls(office, req):
        for method in (anonymous.get, anonymous.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login")), url


def test_every_url_refuses_the_wrong_role(office: Office) -> None:
    req = make_case(office)
    people = [
        office.clerk,
        office.office_head,
        office.director,
        office.auditor,
        office.staff,
        office.dept_head,
    ]
    checked = 0
    for url, view in _urls(office, req):
        allowed = view.required_roles
        outsider = next((u for u in people if not (user_roles(u) & allowed)), None)
        if outsider is None:
            continue  # every staff role may open it (lists, case pages, previews)
        c = login(outsider)
        assert c.get(url).status_code == 403, url
        assert c.post(url).status_code == 403, url
        checked += 1
    assert checked >= 15


def test_auditor_reads_but_cannot_act(office: Office) -> None:
    req = make_case(office)
    c = login(office.auditor)
    page = c.get(reverse("inforequests:detail", args=[req.pk]))
    assert page.status_code == 200
    assert 'action="/workbench/requests/' not in page.content.decode()
    assert c.post(reverse("inforequests:answer", args=[req.pk])).status_code == 403
    assert c.get(reverse("inforequests:create")).status_code == 403


def test_other_departments_cannot_open_the_case(office: Office) -> None:
    req = make_case(office)
    assert login(office.other_staff).get(reverse("inforequests:detail", args=[req.pk])).status_code == 403
    assert req.reference not in login(office.other_staff).get(reverse("inforequests:list")).content.decode()


def test_post_without_csrf_token_is_rejected(office: Office) -> None:
    req = make_case(office)
    c = login(office.clerk, enforce_csrf_checks=True)
    assert c.post(reverse("inforequests:create"), {"channel": "in_person"}).status_code == 403
    assert c.post(reverse("inforequests:confirm", args=[req.pk]), {}).status_code == 403
    assert InfoRequest.objects.count() == 1


# --- personal data ---------------------------------------------------------------------------------


def test_list_masks_personal_data(office: Office) -> None:
    make_case(office)
    html = login(office.clerk).get(reverse("inforequests:list")).content.decode()
    assert "138****5678" in html and "1101**********1234" in html
    assert "13812345678" not in html and "110101199001011234" not in html


@pytest.mark.parametrize("who", ["staff", "dept_head", "clerk", "office_head"])
def test_handlers_see_personal_data_and_each_view_is_audited(office: Office, who: str) -> None:
    req = make_case(office)
    user = getattr(office, who)
    c = login(user)
    for n in (1, 2):
        html = c.get(reverse("inforequests:detail", args=[req.pk])).content.decode()
        assert "13812345678" in html and "110101199001011234" in html and "东花市北里20号楼" in html
        events = personal_views(req)
        assert len(events) == n and events[0].actor == user


@pytest.mark.parametrize("who", ["staff2", "director", "auditor"])
def test_others_see_masked_data_and_nothing_is_logged(office: Office, who: str) -> None:
    req = make_case(office)
    html = login(getattr(office, who)).get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert "138****5678" in html and "1101**********1234" in html and "北京市东城区****" in html
    assert "13812345678" not in html and "东花市北里20号楼" not in html
    assert personal_views(req) == []


# --- the clock on the case page -----------------------------------------------------------------------


def test_case_page_explains_every_day(office: Office) -> None:
    req = make_case(office)
    html = login(office.clerk).get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert "2024年5月31日" in html  # the due date
    assert "调休上班（劳动节）" in html  # Sat 2024-05-11 counts
    assert "不计入：周末" in html
    assert html.count("计入（第") == 20


def test_unknown_year_tells_staff_to_enter_the_holiday_notice(office: Office) -> None:
    when = dt.datetime(2026, 12, 21, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(when, tick=False):
        req = make_case(office, submitted_on=D(2026, 12, 20))
        html = login(office.clerk).get(reverse("inforequests:detail", args=[req.pk])).content.decode()
        assert "请录入 2027 年放假安排" in html
        assert f'href="{reverse("calendar")}"' in html
        assert "2026-12-29" in html  # the 补正 deadline is still in 2026 and is shown
        due_page = login(office.clerk).get(reverse("inforequests:due")).content.decode()
        assert "请录入 2027 年放假安排" in due_page
        dashboard = login(office.clerk).get(reverse("dashboard")).content.decode()
        assert "请录入 2027 年放假安排" in dashboard


# --- actions through the pages --------------------------------------------------------------------


def intake_data(office: Office, **kw: Any) -> dict[str, Any]:
    data = {
        "channel": "registered_post",
        "submitted_on": "2024-05-06",
        "signed_on": "2024-05-08",
        "confirmed_on": "",
        "receipt_note": "挂号信 XA123456789CN",
        "applicant_type": "commercial",
        "applicant_name": "北京某某科技有限公司",
        "applicant_id_number": "91110101MA01234567",
        "applicant_phone": "010-65123456",
        "applicant_address": "北京市东城区广渠门内大街1号",
        "applicant_email": "",
        "description": "2023年度东花市街道政府采购项目清单",
        "form_of_provision": "paper",
        "pieces": "1",
        "department": str(office.dept.pk),
        "handler": str(office.staff.pk),
    }
    data.update(kw)
    return data


def test_postal_request_drafted_extended_and_answered_through_the_pages(office: Office) -> None:
    clerk, staff, head = login(office.clerk), login(office.staff), login(office.office_head)
    response = clerk.post(reverse("inforequests:create"), intake_data(office))
    assert response.status_code == 302, response.content.decode()
    req = InfoRequest.objects.get()
    assert req.received_on == D(2024, 5, 8) and req.applicant_type == ApplicantType.COMMERCIAL
    detail = reverse("inforequests:detail", args=[req.pk])
    assert response["Location"] == detail

    page = staff.get(detail).content.decode()
    assert "拟写答复" in page and "发出答复告知书" not in page
    r = staff.post(
        reverse("inforequests:draft_reply", args=[req.pk]),
        {"draft_reply-outcome": Outcome.GRANTED, "draft_reply-notice_body": ""},
    )
    assert r.status_code == 302
    assert req.__class__.objects.get(pk=req.pk).reply.is_draft

    r = head.post(
        reverse("inforequests:extension_approve", args=[req.pk]),
        {
            "extension_approve-workdays": "15",
            "extension_approve-approved_on": "2024-05-30",
            "extension_approve-notified_on": "2024-05-30",
            "extension_approve-reason": "需调取档案",
        },
    )
    assert r.status_code == 302, r.content.decode()
    assert req.extensions.get().status == ExtensionStatus.APPROVED

    body = InfoRequest.objects.get(pk=req.pk).reply.body
    submit = {"reply_submit-submitted_on": "2024-06-17", "reply_submit-note": ""}
    # The drafted template still offers "（或：您可以通过　　　　获取该政府信息）": not sent as it is.
    r = staff.post(reverse("inforequests:reply_submit", args=[req.pk]), submit)
    assert r.status_code == 400 and "答复内容第 1 段仍有未填写的空白" in r.content.decode()
    draft = {
        "draft_reply-outcome": Outcome.GRANTED,
        "draft_reply-title": "",
        "draft_reply-notice_body": body.replace("（或：您可以通过　　　　获取该政府信息）", ""),
        "draft_reply-legal_basis": "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    }
    assert staff.post(reverse("inforequests:draft_reply", args=[req.pk]), draft).status_code == 302
    assert staff.post(reverse("inforequests:reply_submit", args=[req.pk]), submit).status_code == 302
    for reviewer in (office.dept_head, office.office_head, office.director):
        r = login(reviewer).post(
            reverse("inforequests:reply_approve", args=[req.pk]),
            {"reply_approve-decided_on": "2024-06-18", "reply_approve-opinion": "同意"},
        )
        assert r.status_code == 302, r.content.decode()
    r = clerk.post(reverse("inforequests:answer", args=[req.pk]), {"answer-issued_on": "2024-06-20"})
    assert r.status_code == 302, r.content.decode()
    req.refresh_from_db()
    assert (req.status, req.outcome, req.closed_on) == (
        RequestStatus.ANSWERED,
        Outcome.GRANTED,
        D(2024, 6, 20),
    )
    final = clerk.get(detail).content.decode()
    assert "按期答复" in final and "下载 Word（DOCX）" in final


def test_a_refused_action_shows_the_reason_and_changes_nothing(office: Office) -> None:
    req = make_case(office)
    r = login(office.staff).post(
        reverse("inforequests:correction_request", args=[req.pk]),
        {
            "correction_request-notified_on": "2024-05-15",
            "correction_request-items": "请写明文件名称",
            "correction_request-respond_by": "2024-05-31",
        },
    )
    assert r.status_code == 400
    assert "7 个工作日内发出" in r.content.decode()
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN and not req.pauses.exists()


def test_intake_form_explains_and_checks_the_channel_dates(office: Office) -> None:
    c = login(office.clerk)
    form = c.get(reverse("inforequests:create")).content.decode()
    assert "以本机关签收之日为收到申请之日" in form and "确认之日为收到申请之日" in form
    r = c.post(reverse("inforequests:create"), intake_data(office, signed_on=""))
    assert r.status_code == 400 and "邮寄申请须填写本机关签收之日" in r.content.decode()
    r = c.post(reverse("inforequests:create"), intake_data(office, channel="online", signed_on=""))
    assert r.status_code == 302
    assert InfoRequest.objects.get().status == RequestStatus.AWAITING_CONFIRMATION


def test_list_filters(office: Office) -> None:
    make_case(office)
    other = make_case(office, applicant_name="李四", applicant_type=ApplicantType.LEGAL_SERVICE)
    sign_reply(other, outcome=Outcome.REFUSED_PROCESS, notice_body="x")
    services.inforequest_answer(
        actor=office.clerk,
        request=other,
        outcome=Outcome.REFUSED_PROCESS,
        notice_body="x",
        issued_on=D(2024, 5, 9),
    )
    c = login(office.clerk)

    def names(**params: str) -> set[str]:
        html = c.get(reverse("inforequests:list"), params).content.decode()
        return set(re.findall(r"<td>(张三|李四)</td>", html))

    assert names() == {"张三", "李四"}
    assert names(outcome="refused") == {"李四"}
    assert names(status="open") == {"张三"}
    assert names(applicant_type="legal_service") == {"李四"}
    assert names(q="李") == {"李四"}
    assert names(mine="on") == set()  # the clerk handles none of them
    htmx = c.get(reverse("inforequests:list"), {"q": "张"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in htmx and "张三" in htmx


def test_dashboard_panels(office: Office) -> None:
    req = make_case(office)
    with time_machine.travel(dt.datetime(2024, 5, 27, 10, tzinfo=SHANGHAI), tick=False):
        services.extension_request(actor=office.staff, request=req, workdays=10, reason="需征求意见")
        mine = login(office.staff).get(reverse("dashboard")).content.decode()
        assert "我的案件" in mine and req.reference in mine
        assert "即将到期" in mine and "剩 4 个工作日" in mine
        head = login(office.office_head).get(reverse("dashboard")).content.decode()
        assert "待批准延期" in head and "申请延长 10 个工作日" in head
    with time_machine.travel(dt.datetime(2024, 6, 5, 10, tzinfo=SHANGHAI), tick=False):
        late = login(office.clerk).get(reverse("dashboard")).content.decode()
        assert "已逾期" in late and "逾期 3 个工作日" in late


# --- the 告知书 ------------------------------------------------------------------------------------


def test_notice_preview_and_docx(office: Office) -> None:
    req = make_case(office)
    services.inforequest_draft_reply(actor=office.staff, request=req, outcome=Outcome.UNAVAILABLE_NOT_HELD)
    c = login(office.clerk)
    draft = c.get(reverse("inforequests:notice_docx", args=[req.pk]))
    assert draft.status_code == 200
    assert "（草稿）" in "\n".join(p.text for p in docx.Document(io.BytesIO(draft.content)).paragraphs)

    reply = walk_chain(req)
    services.inforequest_answer(
        actor=office.clerk,
        request=req,
        outcome=reply.outcome,
        notice_body=reply.body,
        issued_on=D(2024, 5, 20),
    )
    response = c.get(reverse("inforequests:notice_docx", args=[req.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "attachment" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    for expected in (
        "政府信息不存在告知书",
        req.reference,
        "张三：",
        "2024年5月6日",
        "2023年东花市街道老旧小区综合整治项目的批复文件",
        "该政府信息不存在",
        "《中华人民共和国政府信息公开条例》第三十六条第（四）项",
        "向北京市东城区人民政府申请行政复议",
        "提起行政诉讼",
        "东花市街道办事处",
        "2024年5月20日",
        "签发人：赵主任（2024年5月6日签发）",
    ):
        assert expected in text, expected
    assert "（草稿）" not in text
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"

    preview = c.get(reverse("inforequests:notice_preview", args=[req.pk])).content.decode()
    assert "第三十六条第（四）项" in preview and "2024年5月20日" in preview
    # No notice before a reply exists.
    fresh = make_case(office)
    assert c.get(reverse("inforequests:notice_docx", args=[fresh.pk])).status_code == 404


def test_templates_page_edits_through_the_service(office: Office) -> None:
    row = ReplyTemplate.objects.get(outcome=Outcome.UNAVAILABLE_NOT_HELD)
    c = login(office.clerk)
    assert "第三十六条第（四）项" in c.get(reverse("inforequests:templates")).content.decode()
    url = reverse("inforequests:template_edit", args=[row.pk])
    bad = c.post(url, {"title": row.title, "body": "{手机}", "legal_basis": row.legal_basis})
    assert bad.status_code == 400 and "无法识别的占位符" in bad.content.decode()
    ok = c.post(
        url, {"title": row.title, "body": "经检索，{机关名称}没有该信息。", "legal_basis": row.legal_basis}
    )
    assert ok.status_code == 302
    row.refresh_from_db()
    assert row.body == "经检索，{机关名称}没有该信息。" and row.updated_by == office.clerk
    assert AuditEvent.objects.filter(verb="inforequest.template_update").exists()
    assert login(office.staff).post(url, {"title": "x", "body": "y"}).status_code == 403
    assert Role.CLERK in user_roles(office.clerk)


def test_choosing_an_outcome_fills_the_draft_from_its_template(office: Office) -> None:
    req = make_case(office)
    c = login(office.staff)
    page = c.get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert f'hx-get="{reverse("inforequests:answer_fill", args=[req.pk])}"' in page
    html = c.get(
        reverse("inforequests:answer_fill", args=[req.pk]),
        {"draft_reply-outcome": Outcome.UNAVAILABLE_NOT_HELD},
    ).content.decode()
    assert 'id="id_draft_reply-notice_body"' in html and "该政府信息不存在" in html
    assert 'hx-swap-oob="true"' in html and "第三十六条第（四）项" in html
    assert login(office.director).get(reverse("inforequests:answer_fill", args=[req.pk])).status_code == 403
