"""Stage one: each event becomes the right notices for the right people, once; applicants' texts come
from the case; a vanished record finishes quietly; deadline reminders are queued once per due date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from delivery.conftest import Office, SmtpServer
from delivery.helpers import DAY, at, moment, register, tick
from gongkai.core.choices import NotifyBy
from gongkai.core.models import CalendarYear, OutboxMessage
from gongkai.core.services import enqueue_message
from gongkai.delivery.expand import expand_event
from gongkai.delivery.models import StaffNotice
from gongkai.delivery.reminders import deadline_reminders
from gongkai.engagement import services as letters
from gongkai.inforequests import services
from gongkai.inforequests.models import InfoRequest

pytestmark = pytest.mark.django_db


def _subjects(server: SmtpServer) -> dict[str, Any]:
    return {m["Subject"]: m for m in server.messages}


def _notices(user: Any) -> list[str]:
    return list(StaffNotice.objects.filter(user=user).order_by("id").values_list("title", flat=True))


def test_correction_and_closing_notices_carry_the_case_s_facts(
    office: Office, settings: Any, smtp_server: SmtpServer, capsys: Any
) -> None:
    settings.GONGKAI_EMAIL_URL = smtp_server.url
    with at(moment(DAY)):
        req = register(office)
    with at(moment(dt.date(2024, 5, 8))):
        services.inforequest_request_correction(
            actor=office.clerk,
            request=req,
            notified_on=dt.date(2024, 5, 8),
            items="请写明所申请文件的名称或文号",
            respond_by=dt.date(2024, 5, 22),
        )
    with at(moment(dt.date(2024, 5, 24))):
        services.inforequest_correction_lapsed(
            actor=office.clerk, request=req, lapsed_on=dt.date(2024, 5, 24)
        )
        code, out = tick(capsys)
    assert code == 0, out
    mails = _subjects(smtp_server)
    correction = (
        mails[f"【东花市街道办事处】补正政府信息公开申请告知书（{req.reference}）"].get_body().get_content()
    )
    assert "请写明所申请文件的名称或文号" in correction and "2024年5月22日前补正" in correction
    closed = (
        mails[f"【东花市街道办事处】政府信息公开申请终止处理告知书（{req.reference}）"]
        .get_body()
        .get_content()
    )
    assert "未在补正期限内补正" in closed and "2024年5月24日终止处理" in closed
    assert len(mails) == 3  # with the receipt


def test_fee_and_extension_notices(
    office: Office, settings: Any, smtp_server: SmtpServer, capsys: Any
) -> None:
    settings.GONGKAI_EMAIL_URL = smtp_server.url
    with at(moment(DAY)):
        req = register(office)
    with at(moment(dt.date(2024, 5, 9))):
        fee = services.fee_notify(
            actor=office.clerk, request=req, method="per_page", quantity=150, notified_on=dt.date(2024, 5, 9)
        )
        services.fee_paid(actor=office.clerk, request=req, paid_on=dt.date(2024, 5, 9))
    with at(moment(dt.date(2024, 5, 20))):
        services.extension_approve(
            actor=office.office_head,
            request=req,
            workdays=10,
            approved_on=dt.date(2024, 5, 20),
            notified_on=dt.date(2024, 5, 20),
            reason="需要调取多个科室的档案",
        )
        code, out = tick(capsys)
    assert code == 0, out
    req.refresh_from_db()
    mails = _subjects(smtp_server)
    fee_text = mails[f"【东花市街道办事处】收取信息处理费通知书（{req.reference}）"].get_body().get_content()
    assert f"信息处理费 {fee.amount_yuan} 元（按量计收，150 页）" in fee_text
    ext = (
        mails[f"【东花市街道办事处】延长政府信息公开申请答复期限告知书（{req.reference}）"]
        .get_body()
        .get_content()
    )
    assert "因需要调取多个科室的档案" in ext and "延长 10 个工作日" in ext
    assert f"延长后的答复期限为{req.due_on.year}年{req.due_on.month}月{req.due_on.day}日" in ext  # type: ignore[union-attr]


def test_staff_are_told_about_their_work(office: Office, capsys: Any) -> None:
    with at(moment(DAY)):
        req = register(office, handler=None)  # to the 科室 only: its head assigns
        services.extension_request(actor=office.staff, request=req, workdays=5, reason="材料较多")
        enqueue_message(
            kind="inforequest.review_requested",
            payload={"request_id": req.pk, "reference": req.reference, "step_label": "科室负责人审核",
                     "reviewer_ids": [office.dept_head.pk]},
        )  # fmt: skip
        enqueue_message(
            kind="inforequest.draft_returned",
            payload={"request_id": req.pk, "reference": req.reference, "reason": "依据条款有误",
                     "to_user_id": office.staff.pk},
        )  # fmt: skip
        enqueue_message(
            kind="inforequest.correction_submitted",
            payload={"request_id": req.pk, "reference": req.reference, "handler_id": office.staff2.pk},
        )
        code, out = tick(capsys)
    assert code == 0, out
    ref = req.reference
    assert _notices(office.dept_head) == [f"新分派的申请：{ref}", f"答复草稿待科室负责人审核：{ref}"]
    assert _notices(office.office_head) == [f"延期待批准：{ref}"]
    assert _notices(office.staff) == [f"答复草稿被退回：{ref}"]
    assert _notices(office.staff2) == [f"申请人已补正：{ref}"]
    assert _notices(office.other_staff) == [] and _notices(office.clerk) == []
    returned = StaffNotice.objects.get(user=office.staff)
    assert returned.body == "退回理由：依据条款有误" and returned.tone == "warn"
    assert returned.url == f"/workbench/requests/{req.pk}/"


def test_letters_and_publications(
    office: Office, smtp_server: SmtpServer, settings: Any, capsys: Any
) -> None:
    settings.GONGKAI_EMAIL_URL = smtp_server.url
    with at(moment(DAY)):
        letter = letters.letter_submit(
            subject="路灯不亮",
            body="北里三号楼前路灯不亮。",
            anonymous=False,
            name="李四",
            email="lisi@example.com",
        )
        letters.letter_reply(actor=office.clerk, letter=letter, reply="已通知城管科维修。")
        enqueue_message(
            kind="letter.forwarded",
            payload={"letter_id": letter.pk, "letter_reference": letter.reference,
                     "department_id": office.dept.pk, "due_on": "2024-05-13"},
        )  # fmt: skip
        enqueue_message(
            kind="letter.replied", payload={"letter_id": letter.pk, "letter_reference": letter.reference}
        )
        enqueue_message(
            kind="publication.rejected",
            payload={"publication": 987654, "title": "已删除的草稿", "recipients": [office.staff.pk]},
        )
        code, out = tick(capsys)
    assert code == 0, out
    (mail,) = smtp_server.messages
    assert mail["Subject"] == f"【东花市街道办事处】来信答复（{letter.reference}）"
    assert mail["To"] == "lisi@example.com" and "已通知城管科维修。" in mail.get_body().get_content()
    forwarded = f"来信转办：{letter.reference} 路灯不亮"
    for person in (office.staff, office.staff2, office.dept_head):
        assert _notices(person) == [forwarded]
    assert _notices(office.other_staff) == []
    # The draft is gone: the rejection finishes quietly, with nobody to tell.
    gone = OutboxMessage.objects.get(kind="publication.rejected")
    assert gone.sent_at is not None and "已不存在" in gone.result


def test_a_vanished_case_finishes_quietly_and_an_expansion_repeats_harmlessly(
    office: Office, capsys: Any
) -> None:
    with at(moment(DAY)):
        req = register(office)
        ghost = enqueue_message(
            kind="inforequest.reply_issued", payload={"request_id": 987654, "reference": "X"}
        )
        event = OutboxMessage.objects.get(kind="inforequest.received")
        expand_event(event)
        expand_event(event)
        assigned = OutboxMessage.objects.get(kind="inforequest.assigned")
        expand_event(assigned)
        expand_event(assigned)
        code, _ = tick(capsys)
    assert code == 0
    assert OutboxMessage.objects.filter(kind="delivery.email").count() == 1
    assert StaffNotice.objects.filter(user=office.staff).count() == 1
    ghost.refresh_from_db()
    assert ghost.sent_at is not None and ghost.result == "申请已不存在"
    assert InfoRequest.objects.filter(pk=req.pk).exists()


def test_no_chosen_way_sends_nothing_to_the_applicant(office: Office, capsys: Any, settings: Any) -> None:
    with at(moment(DAY)):
        register(office, notify_by="")
        tick(capsys)
    assert not OutboxMessage.objects.filter(kind__startswith="delivery.").exists()
    received = OutboxMessage.objects.get(kind="inforequest.received")
    assert received.result == "申请人未选择送达方式，不通过系统送达"
    assert not list(Path(settings.GONGKAI_MAIL_DIR).glob("*.eml"))


def test_staff_with_an_address_also_get_an_email(
    office: Office, smtp_server: SmtpServer, settings: Any, capsys: Any
) -> None:
    settings.GONGKAI_EMAIL_URL = smtp_server.url
    settings.GONGKAI_SITE_URL = "https://gongkai.example.gov.cn"
    office.staff.email = "sun@dhs.example.gov.cn"
    office.staff.save()
    with at(moment(DAY)):
        req = register(office, notify_by=NotifyBy.POST)
        tick(capsys)
    (mail,) = smtp_server.messages
    assert mail["To"] == "sun@dhs.example.gov.cn"
    assert mail["Subject"] == f"【东花市街道办事处】新分派的申请：{req.reference}"
    assert f"https://gongkai.example.gov.cn/workbench/requests/{req.pk}/" in mail.get_body().get_content()


def test_deadline_reminders_are_queued_once_per_due_date(office: Office, capsys: Any) -> None:
    with at(moment(DAY)):
        soon = register(office)
        late = register(office, submitted_on=dt.date(2024, 4, 1))
    soon.refresh_from_db()
    late.refresh_from_db()
    assert soon.due_on == dt.date(2024, 5, 31)
    assert late.due_on is not None and late.due_on < dt.date(2024, 5, 28)
    today = dt.date(2024, 5, 28)  # 3 working days before 5月31日
    with at(moment(today)):
        lines = deadline_reminders(today)
        assert lines == ["期限提醒：新增即将到期 1 件、已逾期 1 件"]
        assert deadline_reminders(today) == []  # the next tick queues nothing new
        code, out = tick(capsys)
    assert code == 0 and "期限提醒" not in out
    assert set(_notices(office.staff)[-2:]) == {f"已逾期：{late.reference}", f"期限将至：{soon.reference}"}
    near = StaffNotice.objects.get(title=f"期限将至：{soon.reference}")
    assert near.tone == "warn" and "剩 3 个工作日" in near.body
    with at(moment(dt.date(2024, 5, 31))):  # later ticks: still once per case and due date
        assert deadline_reminders(dt.date(2024, 5, 31)) == []
    keys = set(OutboxMessage.objects.filter(kind__in=["inforequest.deadline_near", "inforequest.overdue"])
               .values_list("idempotency_key", flat=True))  # fmt: skip
    assert keys == {
        f"inforequest:{soon.pk}:deadline_near:2024-05-31",
        f"inforequest:{late.pk}:overdue:{late.due_on:%Y-%m-%d}",
    }


def test_reminders_skip_a_year_without_a_calendar(office: Office, capsys: Any) -> None:
    with at(moment(dt.date(2024, 12, 9))):
        register(office, submitted_on=dt.date(2024, 12, 9))
    CalendarYear.objects.filter(year=2025).delete()
    from gongkai.core.selectors import invalidate_calendar_cache

    invalidate_calendar_cache()
    with at(moment(dt.date(2024, 12, 30))):
        code, out = tick(capsys)
    assert code == 0
    assert "2025 年放假安排尚未录入，只对 2024-12-31 前到期的案件发出提醒" in out
