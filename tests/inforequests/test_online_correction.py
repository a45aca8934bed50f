"""The applicant's online 补正 (Art. 30) as the service stores it, and as the handler sees it on the case page.

The case: received Monday 2024-05-06, 补正 asked for on 05-08 with a period to Friday 05-31. The reply
clock restarts from the day the 补正 arrives; day 1 is the next working day; 2024-06-10 is the
端午节 holiday.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.files import private_storage
from gongkai.core.models import AuditEvent, OutboxMessage
from gongkai.inforequests import selectors, services
from gongkai.inforequests.models import (
    ClockPause,
    CorrectionFile,
    CorrectionSubmission,
    InfoRequest,
    RequestStatus,
    split_items,
)
from gongkai.portal.uploads import validate_upload
from gongkai.workdays import Calendar, add_workdays
from inforequests.conftest import Office
from inforequests.test_services import at, register
from inforequests.test_views import login
from sample_files import pdf_bytes

D = dt.date
ITEMS = "1. 请写明所需文件的名称或文号\n（二）请说明所需信息的年份\n\n3、请提供身份证明材料"
KIND = "inforequest.correction_submitted"


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def awaiting(office: Office) -> InfoRequest:
    req = register(office)
    with at(D(2024, 5, 8)):
        services.inforequest_request_correction(
            actor=office.staff, request=req, notified_on=D(2024, 5, 8), items=ITEMS, respond_by=D(2024, 5, 31)
        )
    req.refresh_from_db()
    return req


def scan(name: str = "补充材料.pdf") -> Any:
    return validate_upload(SimpleUploadedFile(name, pdf_bytes("Correction"), content_type="application/pdf"))


def stored_files() -> list[Path]:
    root = Path(private_storage().location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_notice_lists_its_items_one_a_line_without_typed_numbering(office: Office) -> None:
    pause = ClockPause.objects.get(request=awaiting(office))
    assert pause.note == ITEMS  # the text is kept as written
    assert pause.items == ["请写明所需文件的名称或文号", "请说明所需信息的年份", "请提供身份证明材料"]
    assert split_items("2024年的预算\n(1) 文号") == ["2024年的预算", "文号"]


def test_an_online_correction_restarts_the_20_working_days_from_the_day_it_arrives(
    office: Office, calendar_db: Calendar
) -> None:
    req = awaiting(office)
    assert req.status == RequestStatus.AWAITING_CORRECTION and req.due_on is None
    with at(D(2024, 5, 20)):
        sent = services.inforequest_submit_correction(
            request=req,
            text="  所需文件为东花市发〔2023〕5号，年份为2023年。  ",
            files=[scan()],
            ip="192.0.2.7",
        )
    req.refresh_from_db()
    assert (req.status, req.corrected_on, req.received_on) == (
        RequestStatus.OPEN,
        D(2024, 5, 20),
        D(2024, 5, 6),
    )
    # 05-21 is day 1; 9 working days in May, 06-10 (端午节) is not counted: day 20 is Tuesday 06-18.
    assert req.due_on == D(2024, 6, 18) == add_workdays(calendar_db, D(2024, 5, 20), 20)
    clock = selectors.clock_for(req)
    assert clock is not None and clock.restarted and clock.start == D(2024, 5, 20)
    assert ClockPause.objects.get(request=req).ended_on == D(2024, 5, 20)

    assert sent.text == "所需文件为东花市发〔2023〕5号，年份为2023年。" and sent.received_on == D(2024, 5, 20)
    (f,) = sent.files.all()
    assert Path(private_storage().path(f.storage_name)).read_bytes().startswith(b"%PDF-")
    assert (f.original_name, f.content_type) == ("补充材料.pdf", "application/pdf")

    (event,) = AuditEvent.objects.filter(verb="inforequest.online_correction", object_id=str(req.pk))
    assert event.actor is None and event.ip == "192.0.2.7"
    assert (
        event.before["status"] == RequestStatus.AWAITING_CORRECTION
        and event.after["corrected_on"] == "2024-05-20"
    )
    assert "东花市发" not in str(event.after)  # the applicant's words stay on the case, not in the log
    (message,) = OutboxMessage.objects.filter(kind=KIND)
    assert message.payload == {
        "request_id": req.pk,
        "reference": req.reference,
        "handler_id": office.staff.pk,
    }


def test_a_correction_sent_on_a_saturday_counts_from_that_day(office: Office, calendar_db: Calendar) -> None:
    req = awaiting(office)
    with at(D(2024, 5, 25)):
        services.inforequest_submit_correction(request=req, text="年份为2023年。")
    req.refresh_from_db()
    assert req.corrected_on == D(2024, 5, 25)
    assert req.due_on == add_workdays(calendar_db, D(2024, 5, 25), 20) == D(2024, 6, 24)


def test_the_last_day_of_the_period_is_in_time_the_day_after_is_not(office: Office) -> None:
    late = awaiting(office)
    with at(D(2024, 6, 3)), pytest.raises(ValidationError) as exc:
        services.inforequest_submit_correction(request=late, text="年份为2023年。", files=[scan()])
    assert exc.value.messages == [
        "补正期限已于2024年5月31日届满，无法再在网上提交补正。如有正当理由未能按期补正，请与本机关联系"
    ]
    late.refresh_from_db()
    assert late.status == RequestStatus.AWAITING_CORRECTION and late.corrected_on is None
    assert not CorrectionSubmission.objects.exists() and stored_files() == []
    assert not OutboxMessage.objects.filter(kind=KIND).exists()

    with at(D(2024, 5, 31)):
        services.inforequest_submit_correction(request=late, text="年份为2023年。")
    late.refresh_from_db()
    assert late.corrected_on == D(2024, 5, 31)


def test_a_second_correction_does_not_restart_the_clock_again(office: Office) -> None:
    req = awaiting(office)
    with at(D(2024, 5, 20)):
        services.inforequest_submit_correction(request=req, text="第一次补正。")
    with (
        at(D(2024, 5, 27)),
        pytest.raises(ValidationError, match="您已于2024年5月20日提交补正，无需重复提交"),
    ):
        services.inforequest_submit_correction(request=req, text="第二次补正。", files=[scan()])
    req.refresh_from_db()
    assert req.corrected_on == D(2024, 5, 20)
    assert CorrectionSubmission.objects.get().text == "第一次补正。"
    assert OutboxMessage.objects.filter(kind=KIND).count() == 1
    assert not CorrectionFile.objects.exists() and stored_files() == []


def test_no_correction_is_taken_when_none_is_awaited(office: Office) -> None:
    running = register(office)
    with at(D(2024, 5, 10)), pytest.raises(ValidationError, match="本申请当前不在待补正状态，无需补正"):
        services.inforequest_submit_correction(request=running, text="补充说明。")
    on_paper = awaiting(office)  # the 补正 came by post and staff recorded it
    with at(D(2024, 5, 15)):
        services.inforequest_receive_correction(
            actor=office.staff, request=on_paper, received_on=D(2024, 5, 15)
        )
        with pytest.raises(ValidationError, match="不在待补正状态"):
            services.inforequest_submit_correction(request=on_paper, text="补充说明。")
    on_paper.refresh_from_db()
    assert on_paper.corrected_on == D(2024, 5, 15)
    assert not CorrectionSubmission.objects.exists()


def test_empty_or_overlong_text_is_refused_in_words(office: Office) -> None:
    req = awaiting(office)
    with at(D(2024, 5, 20)):
        with pytest.raises(ValidationError) as exc:
            services.inforequest_submit_correction(request=req, text="   ")
        assert exc.value.message_dict == {"text": ["请填写补正内容：按补正通知逐项说明"]}
        with pytest.raises(ValidationError, match="不能超过 5000 字"):
            services.inforequest_submit_correction(request=req, text="字" * 5001)
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_CORRECTION


def test_the_handler_sees_the_correction_others_see_it_masked_and_file_openings_are_logged(
    office: Office,
) -> None:
    req = awaiting(office)
    with at(D(2024, 5, 20)):
        sent = services.inforequest_submit_correction(
            request=req, text="所需文件为东花市发〔2023〕5号。", files=[scan()]
        )
    f = sent.files.get()
    url = reverse("inforequests:correction_file", args=[req.pk, f.pk])

    page = login(office.staff).get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert "申请人网上补正" in page and "所需文件为东花市发〔2023〕5号。" in page and url in page
    masked = login(office.auditor).get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert "申请人网上补正" in masked and "东花市发〔2023〕5号" not in masked and url not in masked
    assert "仅承办人、承办科室负责人和公开办可查看" in masked

    assert login(office.auditor).get(url).status_code == 403
    assert login(office.other_staff).get(url).status_code == 403
    response = login(office.staff).get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    (event,) = AuditEvent.objects.filter(verb="inforequest.correction_file_view", object_id=str(req.pk))
    assert event.actor == office.staff and event.after == {"file": f.pk}
