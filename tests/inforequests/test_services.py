"""The services of 依申请公开 on a real database: Art. 31 intake, the clock, 补正, extensions, fees, replies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.core.choices import ApplicantType, Outcome, RequestChannel
from gongkai.core.models import AuditEvent, OutboxMessage
from gongkai.core.services import enter_calendar_year
from gongkai.inforequests import selectors, services
from gongkai.inforequests.models import (
    ClockPause,
    Extension,
    ExtensionStatus,
    InfoRequest,
    ProvisionForm,
    RequestStatus,
)
from gongkai.workdays import Calendar, add_workdays
from inforequests.conftest import Office
from inforequests.factories import InfoRequestFactory
from inforequests.review_chain import sign_reply, walk_chain

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI), tick=False)


def register(office: Office, **kw: Any) -> InfoRequest:
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


def events(req: InfoRequest, verb: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_id=str(req.pk), object_type="inforequests.inforequest", verb=verb)
    )


# --- intake (Art. 31) --------------------------------------------------------------------------


def test_in_person_request_is_received_that_day_and_due_in_20_working_days(
    office: Office, calendar_db: Calendar
) -> None:
    req = register(office)
    assert req.received_on == D(2024, 5, 6) and req.status == RequestStatus.OPEN
    # Sat 2024-05-11 is a 劳动节 调休 working day, so the 20th working day is Fri 05-31.
    assert req.due_on == add_workdays(calendar_db, D(2024, 5, 6), 20) == D(2024, 5, 31)
    assert req.reference == "东花市依申〔2024〕1号"
    assert register(office).reference == "东花市依申〔2024〕2号"
    (event,) = events(req, "inforequest.register")
    assert event.actor == office.clerk
    assert event.after["received_on"] == "2024-05-06"
    # The audit log is read by more people than the case: no personal data in it.
    assert "applicant_phone" not in event.after and "13812345678" not in str(event.after)


def test_registered_post_is_received_on_the_signing_date(office: Office, calendar_db: Calendar) -> None:
    req = register(
        office, channel=RequestChannel.REGISTERED_POST, submitted_on=D(2024, 5, 6), signed_on=D(2024, 5, 9)
    )
    assert req.received_on == D(2024, 5, 9)
    assert req.due_on == add_workdays(calendar_db, D(2024, 5, 9), 20)
    with pytest.raises(ValidationError) as exc:
        register(office, channel=RequestChannel.REGISTERED_POST)
    assert "signed_on" in exc.value.message_dict


@pytest.mark.parametrize("channel", [RequestChannel.PLAIN_LETTER, RequestChannel.ONLINE, RequestChannel.FAX])
def test_letter_online_and_fax_wait_for_the_confirmation_date(office: Office, channel: str) -> None:
    req = register(office, channel=channel)
    assert (
        req.received_on is None and req.status == RequestStatus.AWAITING_CONFIRMATION and req.due_on is None
    )
    services.inforequest_confirm(actor=office.clerk, request=req, confirmed_on=D(2024, 5, 8))
    req.refresh_from_db()
    assert req.received_on == D(2024, 5, 8) and req.status == RequestStatus.OPEN and req.due_on is not None
    assert events(req, "inforequest.confirm")
    with pytest.raises(ValidationError, match="不在待确认状态"):
        services.inforequest_confirm(actor=office.clerk, request=req, confirmed_on=D(2024, 5, 9))


def test_confirmed_on_given_at_intake(office: Office) -> None:
    req = register(office, channel=RequestChannel.FAX, submitted_on=D(2024, 5, 6), confirmed_on=D(2024, 5, 7))
    assert req.received_on == D(2024, 5, 7) and req.status == RequestStatus.OPEN


def test_the_portal_can_only_create_unconfirmed_online_applications(office: Office) -> None:
    req = register(office, actor=None, channel=RequestChannel.ONLINE, department=None, handler=None)
    assert req.status == RequestStatus.AWAITING_CONFIRMATION and req.created_by is None
    with pytest.raises(PermissionDenied):
        register(office, actor=None, channel=RequestChannel.ONLINE, confirmed_on=D(2024, 5, 6))
    with pytest.raises(PermissionDenied):
        register(office, actor=None, channel=RequestChannel.IN_PERSON)


def test_only_the_office_registers_and_dates_cannot_be_in_the_future(office: Office) -> None:
    for actor in (office.staff, office.dept_head, office.director, office.auditor):
        with pytest.raises(PermissionDenied):
            register(office, actor=actor)
    with at(D(2024, 5, 6)), pytest.raises(ValidationError, match="不能晚于今天"):
        register(office, submitted_on=D(2024, 5, 7))
    assert not InfoRequest.objects.exists()


def test_handler_must_belong_to_the_department(office: Office) -> None:
    with pytest.raises(ValidationError) as exc:
        register(office, department=office.dept, handler=office.other_staff)
    assert "handler" in exc.value.message_dict
    req = register(office, department=None, handler=office.other_staff)
    assert req.department == office.other_dept  # taken from the handler


# --- extension (Art. 33 ¶2) ---------------------------------------------------------------------


def test_extension_needs_the_office_head(office: Office) -> None:
    req = register(office)
    for actor in (office.clerk, office.dept_head, office.director, office.staff, office.auditor):
        with pytest.raises(PermissionDenied, match="公开办负责人"):
            services.extension_approve(
                actor=actor, request=req, workdays=10, approved_on=D(2024, 5, 20), notified_on=D(2024, 5, 20)
            )
    assert not Extension.objects.exists()


def test_extension_approved_adds_working_days(office: Office, calendar_db: Calendar) -> None:
    req = register(office)
    ext = services.extension_approve(
        actor=office.office_head,
        request=req,
        workdays=20,
        approved_on=D(2024, 5, 30),
        notified_on=D(2024, 5, 31),
    )
    req.refresh_from_db()
    assert ext.status == ExtensionStatus.APPROVED and ext.approved_by == office.office_head
    assert req.due_on == add_workdays(calendar_db, D(2024, 5, 6), 40)
    assert events(req, "inforequest.extension_approve")
    assert OutboxMessage.objects.filter(
        kind="inforequest.extension_notice", payload__request_id=req.pk
    ).exists()


def test_extension_after_the_base_deadline_is_refused(office: Office) -> None:
    req = register(office)  # base deadline Fri 2024-05-31
    with pytest.raises(ValidationError, match="2024-05-31 届满"):
        services.extension_approve(
            actor=office.office_head,
            request=req,
            workdays=5,
            approved_on=D(2024, 6, 3),
            notified_on=D(2024, 6, 3),
        )
    with pytest.raises(ValidationError, match="届满前告知申请人"):
        services.extension_approve(
            actor=office.office_head,
            request=req,
            workdays=5,
            approved_on=D(2024, 5, 31),
            notified_on=D(2024, 6, 3),
        )
    assert not Extension.objects.exists()


def test_only_one_extension_of_at_most_20_working_days(office: Office) -> None:
    req = register(office)
    for days in (21, 0):
        with pytest.raises(ValidationError, match="20 个工作日"):
            services.extension_approve(
                actor=office.office_head,
                request=req,
                workdays=days,
                approved_on=D(2024, 5, 20),
                notified_on=D(2024, 5, 20),
            )
    services.extension_approve(
        actor=office.office_head,
        request=req,
        workdays=5,
        approved_on=D(2024, 5, 20),
        notified_on=D(2024, 5, 20),
    )
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.extension_approve(
            actor=office.office_head,
            request=req,
            workdays=5,
            approved_on=D(2024, 5, 21),
            notified_on=D(2024, 5, 21),
        )
    assert Extension.objects.filter(request=req).count() == 1


def test_extension_requested_by_the_department_then_approved_or_refused(office: Office) -> None:
    req = register(office)
    with at(D(2024, 5, 27)):
        ext = services.extension_request(actor=office.staff, request=req, workdays=15, reason="涉及档案调取")
        assert list(selectors.pending_extensions()) == [ext]
        with pytest.raises(ValidationError, match="待批准"):
            services.extension_request(actor=office.staff, request=req, workdays=15, reason="再次")
        services.extension_refuse(actor=office.office_head, extension=ext, note="理由不充分")
        ext2 = services.extension_request(actor=office.staff, request=req, workdays=10, reason="补充理由")
        approved = services.extension_approve(
            actor=office.office_head,
            request=req,
            workdays=10,
            approved_on=D(2024, 5, 27),
            notified_on=D(2024, 5, 27),
        )
    assert approved.pk == ext2.pk and approved.requested_by == office.staff
    assert list(selectors.pending_extensions()) == []
    with at(D(2024, 6, 4)):  # past the base deadline: a department can no longer ask
        other = register(office)
        InfoRequest.objects.filter(pk=other.pk).update(received_on=D(2024, 5, 6))
        other.refresh_from_db()
        with pytest.raises(ValidationError, match="届满"):
            services.extension_request(actor=office.staff, request=other, workdays=5, reason="晚了")


# --- 补正 (Art. 30) -----------------------------------------------------------------------------


def test_correction_notice_after_7_working_days_is_refused(office: Office) -> None:
    req = register(office)  # Mon 2024-05-06; Sat 05-11 is a 调休 working day → 7th working day 05-14
    with pytest.raises(ValidationError) as exc:
        services.inforequest_request_correction(
            actor=office.staff,
            request=req,
            notified_on=D(2024, 5, 15),
            items="请明确文件名称",
            respond_by=D(2024, 5, 31),
        )
    assert "2024-05-14" in str(exc.value)
    assert not ClockPause.objects.exists()
    services.inforequest_request_correction(
        actor=office.staff,
        request=req,
        notified_on=D(2024, 5, 14),
        items="请明确文件名称",
        respond_by=D(2024, 5, 31),
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_CORRECTION and req.due_on is None


def test_received_correction_restarts_the_clock(office: Office, calendar_db: Calendar) -> None:
    req = register(office)
    services.inforequest_request_correction(
        actor=office.staff,
        request=req,
        notified_on=D(2024, 5, 8),
        items="请明确年份",
        respond_by=D(2024, 5, 31),
    )
    with pytest.raises(ValidationError, match="一次性"):
        req.status = RequestStatus.OPEN  # even if the UI were stale, the service refuses a second notice
        InfoRequest.objects.filter(pk=req.pk).update(status=RequestStatus.OPEN)
        services.inforequest_request_correction(
            actor=office.staff,
            request=req,
            notified_on=D(2024, 5, 9),
            items="再补",
            respond_by=D(2024, 5, 31),
        )
    InfoRequest.objects.filter(pk=req.pk).update(status=RequestStatus.AWAITING_CORRECTION)
    services.inforequest_receive_correction(actor=office.staff, request=req, received_on=D(2024, 5, 20))
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN and req.corrected_on == D(2024, 5, 20)
    assert req.due_on == add_workdays(calendar_db, D(2024, 5, 20), 20)
    assert req.received_on == D(2024, 5, 6)  # Table 三 still counts it as received in May


def test_no_correction_in_time_closes_the_case_as_abandoned(office: Office) -> None:
    req = register(office)
    services.inforequest_request_correction(
        actor=office.staff,
        request=req,
        notified_on=D(2024, 5, 8),
        items="请明确年份",
        respond_by=D(2024, 5, 31),
    )
    with pytest.raises(ValidationError, match="尚未届满"):
        services.inforequest_correction_lapsed(actor=office.staff, request=req, lapsed_on=D(2024, 5, 31))
    services.inforequest_correction_lapsed(actor=office.staff, request=req, lapsed_on=D(2024, 6, 3))
    req.refresh_from_db()
    assert (req.status, req.outcome, req.closed_on) == (
        RequestStatus.CLOSED,
        Outcome.OTHER_NO_CORRECTION,
        D(2024, 6, 3),
    )


# --- consultations (Arts. 32–34) -----------------------------------------------------------------


def test_consultation_pauses_the_clock(office: Office, calendar_db: Calendar) -> None:
    req = register(office)
    pause = services.inforequest_pause_start(
        actor=office.staff, request=req, kind="third_party", started_on=D(2024, 5, 8), note="某公司"
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.PAUSED
    assert pause.respond_by == add_workdays(calendar_db, D(2024, 5, 8), 15)
    with pytest.raises(ValidationError, match="尚未结束"):
        services.inforequest_answer(
            actor=office.clerk,
            request=req,
            outcome=Outcome.GRANTED,
            notice_body="予以公开",
            issued_on=D(2024, 5, 9),
        )
    services.inforequest_pause_end(actor=office.staff, pause=pause, ended_on=D(2024, 5, 14))
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN
    base = add_workdays(calendar_db, D(2024, 5, 6), 20)
    assert req.due_on == add_workdays(calendar_db, base, 5)  # 05-09..05-14 held five working days


def test_consultation_past_15_working_days_counts_after_the_cap(
    office: Office, calendar_db: Calendar
) -> None:
    req = register(office)
    pause = services.inforequest_pause_start(
        actor=office.staff, request=req, kind="organ", started_on=D(2024, 5, 8)
    )
    services.inforequest_pause_end(actor=office.staff, pause=pause, ended_on=D(2024, 7, 1))
    req.refresh_from_db()
    assert req.due_on == add_workdays(calendar_db, add_workdays(calendar_db, D(2024, 5, 6), 20), 15)
    (event,) = events(req, "inforequest.pause_end")
    assert event.after["pause"]["over_15_workdays"] is True
    clock = selectors.clock_for(req, today=D(2024, 7, 1))
    assert clock.warnings and "超过 15 个工作日" in clock.warnings[0]


def test_only_consultations_pause_by_this_route(office: Office) -> None:
    req = register(office)
    with pytest.raises(ValidationError):
        services.inforequest_pause_start(
            actor=office.staff, request=req, kind="fee", started_on=D(2024, 5, 8)
        )
    with pytest.raises(PermissionDenied):
        services.inforequest_pause_start(
            actor=office.other_staff, request=req, kind="organ", started_on=D(2024, 5, 8)
        )


# --- fees ---------------------------------------------------------------------------------------


def test_per_piece_fee_counts_the_applicants_month(office: Office, calendar_db: Calendar) -> None:
    InfoRequestFactory(received_on=D(2024, 5, 2), applicant_id_number="110101199001011234", pieces=30)
    InfoRequestFactory(
        received_on=D(2024, 4, 29), applicant_id_number="110101199001011234", pieces=50
    )  # April
    InfoRequestFactory(
        received_on=D(2024, 5, 3), applicant_id_number="110101198001010000", pieces=50
    )  # someone else
    req = register(office, pieces=5)
    fee = services.fee_notify(
        actor=office.staff, request=req, method="per_piece", quantity=5, notified_on=D(2024, 5, 8)
    )
    assert fee.earlier_pieces == 30
    assert fee.amount_yuan == Decimal("1000.00")  # pieces 31–35 of the month at 200 元
    req.refresh_from_db()
    assert req.status == RequestStatus.PAUSED
    with pytest.raises(ValidationError, match="一种方式"):
        services.fee_notify(
            actor=office.staff, request=req, method="per_page", quantity=250, notified_on=D(2024, 5, 8)
        )
    services.fee_paid(actor=office.staff, request=req, paid_on=D(2024, 5, 17))
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN
    # 05-09 .. 05-17 held eight working days (with the 调休 Saturday 05-11), not counted; 06-10 is 端午节.
    assert (
        req.due_on
        == add_workdays(calendar_db, add_workdays(calendar_db, D(2024, 5, 6), 20), 8)
        == D(2024, 6, 13)
    )


def test_per_page_fee_and_the_free_allowance(office: Office) -> None:
    req = register(office)
    with pytest.raises(ValidationError, match="免费范围"):
        services.fee_notify(
            actor=office.staff, request=req, method="per_page", quantity=30, notified_on=D(2024, 5, 8)
        )
    fee = services.fee_notify(
        actor=office.staff, request=req, method="per_page", quantity=250, notified_on=D(2024, 5, 8)
    )
    assert fee.amount_yuan == Decimal("4700.00")


def test_unpaid_fee_lapses_after_the_payment_period(office: Office, calendar_db: Calendar) -> None:
    req = register(office)
    services.fee_notify(
        actor=office.staff, request=req, method="per_page", quantity=40, notified_on=D(2024, 5, 8)
    )
    limit = add_workdays(calendar_db, D(2024, 5, 8), 20)
    with pytest.raises(ValidationError, match="尚未届满"):
        services.fee_lapsed(actor=office.staff, request=req, lapsed_on=limit)
    services.fee_lapsed(actor=office.staff, request=req, lapsed_on=limit + dt.timedelta(days=1))
    req.refresh_from_db()
    assert (req.status, req.outcome) == (RequestStatus.CLOSED, Outcome.OTHER_UNPAID_FEE)
    assert not req.pauses.filter(ended_on__isnull=True).exists()


# --- reply (Art. 36) ----------------------------------------------------------------------------


def test_department_drafts_from_the_template_and_the_office_answers(office: Office) -> None:
    req = register(office)
    draft = services.inforequest_draft_reply(
        actor=office.staff, request=req, outcome=Outcome.UNAVAILABLE_NOT_HELD
    )
    assert draft.is_draft and "该政府信息不存在" in draft.body
    assert draft.legal_basis == "《中华人民共和国政府信息公开条例》第三十六条第（四）项"
    for actor, message in ((office.staff, "只有公开办工作人员"), (office.clerk, "须经审核签发后才能发出")):
        with pytest.raises(PermissionDenied, match=message):
            services.inforequest_answer(
                actor=actor,
                request=req,
                outcome=draft.outcome,
                notice_body=draft.body,
                issued_on=D(2024, 5, 20),
            )
    walk_chain(req)
    reply = services.inforequest_answer(
        actor=office.clerk,
        request=req,
        outcome=draft.outcome,
        notice_body=draft.body,
        issued_on=D(2024, 5, 20),
    )
    req.refresh_from_db()
    assert reply.pk == draft.pk and reply.issued_by == office.clerk and reply.issued_on == D(2024, 5, 20)
    assert reply.signed_by == office.director
    assert (req.status, req.outcome, req.closed_on) == (
        RequestStatus.ANSWERED,
        Outcome.UNAVAILABLE_NOT_HELD,
        D(2024, 5, 20),
    )
    (event,) = events(req, "inforequest.answer")
    assert event.after["late"] is False
    assert OutboxMessage.objects.filter(kind="inforequest.reply_issued", payload__request_id=req.pk).exists()
    with pytest.raises(ValidationError):
        services.inforequest_draft_reply(actor=office.staff, request=req, outcome=Outcome.GRANTED)


def test_a_late_answer_is_recorded_as_late(office: Office) -> None:
    req = register(office)
    sign_reply(req, outcome=Outcome.GRANTED, notice_body="予以公开。")
    services.inforequest_answer(
        actor=office.clerk,
        request=req,
        outcome=Outcome.GRANTED,
        notice_body="予以公开。",
        issued_on=D(2024, 6, 4),
    )
    (event,) = events(req, "inforequest.answer")
    assert event.after["late"] is True


def test_lapse_outcomes_cannot_be_answered_and_strangers_cannot_draft(office: Office) -> None:
    req = register(office)
    with pytest.raises(ValidationError, match="视为放弃"):
        services.inforequest_draft_reply(
            actor=office.staff, request=req, outcome=Outcome.OTHER_NO_CORRECTION, notice_body="x"
        )
    for actor in (office.other_staff, office.director, office.auditor):
        with pytest.raises(PermissionDenied):
            services.inforequest_draft_reply(actor=actor, request=req, outcome=Outcome.GRANTED)


def test_reply_template_edit_rejects_unknown_placeholders(office: Office) -> None:
    from gongkai.inforequests.models import ReplyTemplate

    row = ReplyTemplate.objects.get(outcome=Outcome.GRANTED)
    with pytest.raises(ValidationError, match="电话"):
        services.reply_template_update(
            actor=office.clerk, template=row, title="t", body="{电话}", legal_basis=""
        )
    with pytest.raises(PermissionDenied):
        services.reply_template_update(actor=office.staff, template=row, title="t", body="b", legal_basis="")
    services.reply_template_update(
        actor=office.clerk,
        template=row,
        title="公开告知书",
        body="{申请人}：经审查予以公开。",
        legal_basis="第三十六条",
    )
    req = register(office)
    draft = services.inforequest_draft_reply(actor=office.staff, request=req, outcome=Outcome.GRANTED)
    assert draft.title == "公开告知书" and draft.body == "张三：经审查予以公开。"


# --- calendar changes, selectors -----------------------------------------------------------------


def test_entering_2027_turns_an_unknown_deadline_into_a_date(
    office: Office, django_capture_on_commit_callbacks: Any
) -> None:
    with at(D(2026, 12, 21)):
        req = register(office, submitted_on=D(2026, 12, 20))
        assert req.due_on is None  # the 20th working day falls in 2027, which nobody entered
        lists = selectors.due_lists(office.clerk)
        assert lists.unknown == [req] and lists.unknown_year == 2027
        with django_capture_on_commit_callbacks(execute=True):
            enter_calendar_year(
                actor=office.clerk,
                year=2027,
                holidays=[("元旦", D(2027, 1, 1), D(2027, 1, 3))],
                workday_shifts=[],
            )
    req.refresh_from_db()
    # 12-21..12-31: 9 working days; 2027: 01-04 … → the 20th is Mon 2027-01-18 (01-01 is a holiday).
    assert req.due_on == D(2027, 1, 18)
    assert events(req, "inforequest.recompute_due")


def test_open_at_year_end_and_due_lists(office: Office, calendar_db: Calendar) -> None:
    carried = InfoRequestFactory(received_on=D(2019, 12, 20))
    answered_next_year = InfoRequestFactory(
        received_on=D(2019, 12, 25), outcome=Outcome.GRANTED, closed_on=D(2020, 1, 10)
    )
    InfoRequestFactory(received_on=D(2019, 12, 2), outcome=Outcome.GRANTED, closed_on=D(2019, 12, 20))
    assert set(selectors.open_at_year_end(2019)) == {carried, answered_next_year}

    soon = InfoRequestFactory(
        received_on=D(2024, 5, 6), department=office.dept, refresh_due=True
    )  # due 05-31
    late = InfoRequestFactory(received_on=D(2024, 4, 1), department=office.other_dept, refresh_due=True)
    lists = selectors.due_lists(office.clerk, today=D(2024, 5, 29), cal=calendar_db)
    assert [(r, n) for r, n in lists.due_soon] == [(soon, 2)]
    assert [r for r, _ in lists.overdue] == [late]
    # Department staff only see their department's cases.
    scoped = selectors.due_lists(office.staff, today=D(2024, 5, 29), cal=calendar_db)
    assert [r for r, _ in scoped.overdue] == [] and [r for r, _ in scoped.due_soon] == [soon]


# --- outbox: the notice is written in the service's own transaction -----------------------------


def test_a_rolled_back_registration_leaves_no_notice(office: Office) -> None:
    with pytest.raises(RuntimeError, match="crash before commit"), transaction.atomic():
        register(office)
        assert OutboxMessage.objects.filter(kind="inforequest.assigned").count() == 1
        raise RuntimeError("crash before commit")
    assert not InfoRequest.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_committed_registration_leaves_exactly_one_notice(
    office: Office, django_capture_on_commit_callbacks: Any
) -> None:
    # Whatever a service defers to after its commit is dropped here, as if the process died right then:
    # the notice must not be among it.
    with django_capture_on_commit_callbacks(execute=False):
        req = register(office)
    (message,) = OutboxMessage.objects.all()
    assert message.kind == "inforequest.assigned"
    assert message.payload == {
        "request_id": req.pk,
        "reference": req.reference,
        "department_id": office.dept.pk,
        "handler_id": office.staff.pk,
    }
