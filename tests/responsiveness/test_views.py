"""The workbench pages: Chinese forms with clear errors, writes through the services, the dashboard flags
an overdue 督办 task and a quarter without a 五方联席会."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from gongkai.core.models import AuditEvent
from gongkai.responsiveness import services
from gongkai.responsiveness.models import HotTopicResponse, JointMeeting, SupervisionTask
from staff_auth import sign_in

pytestmark = pytest.mark.django_db
D = dt.date
BASE = "/workbench/responsiveness/"


def _signed_in(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_a_department_records_a_response_and_sees_the_year_counts(office: Any) -> None:
    client = _signed_in(office.drafter)
    form = client.get(f"{BASE}responses/new/").content.decode()
    # Only their own 科室 is offered.
    assert office.dept.name in form and office.other_dept.name not in form
    bad = client.post(f"{BASE}responses/new/", {"subject": "", "responded_on": "2019-13-01"})
    page = bad.content.decode()
    assert bad.status_code == 200 and "请填写此项" in page and "请填写有效日期" in page and "请选择" in page
    ok = client.post(
        f"{BASE}responses/new/",
        {"subject": "停车难", "source": "hotline", "response": "已协调", "channel": "wechat",
         "responded_on": "2019-05-06", "department": office.dept.pk},
    )  # fmt: skip
    assert ok.status_code == 302
    row = HotTopicResponse.objects.get()
    assert (row.recorded_by, row.channel) == (office.drafter, "wechat")
    listing = _signed_in(office.auditor).get(f"{BASE}?year=2019").content.decode()
    assert "停车难" in listing and "回应热点或舆情 1 次" in listing and "微博微信回应事件 1 次" in listing
    assert "登记回应" not in listing  # the auditor reads only


def test_a_future_date_comes_back_on_its_field(office: Any) -> None:
    client = _signed_in(office.clerk)
    response = client.post(
        f"{BASE}tasks/new/",
        {"issuer": "government", "title": "督办", "assigned_on": "2999-01-01", "deadline": "2998-01-01",
         "department": office.other_dept.pk},
    )  # fmt: skip
    page = response.content.decode()
    assert "交办日期不能晚于今天" in page and "办结时限不能早于交办日期" in page
    assert not SupervisionTask.objects.exists()


def test_task_progress_and_completion_pages(office: Any) -> None:
    task = services.supervision_task_create(actor=office.clerk, issuer="committee", title="背街小巷整治",
                                            assigned_on=D(2019, 3, 1), deadline=D(2019, 3, 29),
                                            department=office.dept)  # fmt: skip
    other = _signed_in(office.other_drafter)
    assert "登记进展" not in other.get(f"{BASE}tasks/{task.pk}/").content.decode()
    client = _signed_in(office.drafter)
    assert "已逾期" in client.get(f"{BASE}tasks/?status=overdue").content.decode()
    refused = client.post(f"{BASE}tasks/{task.pk}/complete/", {"completed_on": "2019-03-20", "evidence": ""})
    assert refused.status_code == 400 and "请填写此项" in refused.content.decode()
    client.post(f"{BASE}tasks/{task.pk}/progress/", {"noted_on": "2019-03-05", "note": "已部署"})
    done = client.post(
        f"{BASE}tasks/{task.pk}/complete/", {"completed_on": "2019-03-20", "evidence": "照片已报送"}
    )
    assert done.status_code == 302
    page = client.get(f"{BASE}tasks/{task.pk}/").content.decode()
    assert "已部署" in page and "照片已报送" in page and "已逾期" not in page
    assert AuditEvent.objects.filter(verb="supervision.complete", actor=office.drafter).count() == 1


def test_meeting_form_and_follow_ups(office: Any) -> None:
    client = _signed_in(office.clerk)
    form = client.get(f"{BASE}meetings/new/").content.decode()
    for party in ("业委会", "物业", "社区", "街道办事处", "派出所"):
        assert f"{party}出席人员" in form
    refused = client.post(
        f"{BASE}meetings/new/", {"held_on": "2019-05-06", "minutes": "纪要", "party_property": "李"}
    )
    assert "请填写出席的各方人员" in refused.content.decode()
    client.post(
        f"{BASE}meetings/new/",
        {
            "held_on": "2019-05-06",
            "minutes": "议停车",
            "party_subdistrict": "赵主任",
            "party_police": "孙警官",
        },
    )
    meeting = JointMeeting.objects.get()
    bad = client.post(
        f"{BASE}meetings/{meeting.pk}/follow-ups/",
        {"task": "划线", "owner": "物业", "deadline": "2019-05-01"},
    )
    assert bad.status_code == 400 and "完成时限不能早于会议日期" in bad.content.decode()
    client.post(
        f"{BASE}meetings/{meeting.pk}/follow-ups/",
        {"task": "划线", "owner": "物业", "deadline": "2019-05-30"},
    )
    follow_up = meeting.follow_ups.get()
    client.post(f"{BASE}follow-ups/{follow_up.pk}/done/", {"done_on": "2019-05-28", "done_note": "已划线"})
    page = client.get(f"{BASE}meetings/{meeting.pk}/").content.decode()
    assert "孙警官" in page and "未出席" in page and "已划线" in page
    assert _signed_in(office.drafter).get(f"{BASE}meetings/new/").status_code == 403


@time_machine.travel("2020-02-10 10:00 +0800", tick=False)
def test_dashboard_flags_an_overdue_task_and_a_missed_quarter(office: Any) -> None:
    services.supervision_task_create(actor=office.clerk, issuer="government", title="拆除违建",
                                     assigned_on=D(2020, 1, 2), deadline=D(2020, 1, 20),
                                     department=office.dept)  # fmt: skip
    services.joint_meeting_record(actor=office.clerk, held_on=D(2019, 8, 1), minutes="纪要",
                                  attendance={"subdistrict": "赵", "community": "王"})  # fmt: skip
    clerk = _signed_in(office.clerk).get("/workbench/").content.decode()
    assert "拆除违建" in clerk and "逾期 21 天" in clerk
    assert "2019年第四季度未召开五方联席会" in clerk
    own = _signed_in(office.drafter).get("/workbench/").content.decode()
    assert "拆除违建" in own
    other = _signed_in(office.other_drafter).get("/workbench/").content.decode()
    assert "拆除违建" not in other and "没有逾期的督办事项" in other


def test_completion_with_an_evidence_file(office: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sample_files import pdf_bytes

    task = services.supervision_task_create(actor=office.clerk, issuer="committee", title="违建拆除",
                                            assigned_on=D(2019, 3, 1), deadline=D(2019, 3, 29),
                                            department=office.dept)  # fmt: skip
    client = _signed_in(office.drafter)
    fake = SimpleUploadedFile("报告.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    refused = client.post(
        f"{BASE}tasks/{task.pk}/complete/",
        {"completed_on": "2019-03-20", "evidence": "已拆除", "evidence_file": fake},
    )
    assert refused.status_code == 400 and "报告.pdf" in refused.content.decode()
    task.refresh_from_db()
    assert task.completed_on is None
    real = SimpleUploadedFile("拆除报告.pdf", pdf_bytes("Demolition report"), content_type="application/pdf")
    done = client.post(
        f"{BASE}tasks/{task.pk}/complete/",
        {"completed_on": "2019-03-20", "evidence": "已拆除", "evidence_file": real},
    )
    assert done.status_code == 302
    row = task.evidence_files.get()
    page = _signed_in(office.auditor).get(f"{BASE}tasks/{task.pk}/").content.decode()
    assert "拆除报告.pdf" in page
    download = _signed_in(office.auditor).get(f"{BASE}tasks/{task.pk}/evidence/{row.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")
    assert _signed_in(office.auditor).get(f"{BASE}tasks/{task.pk + 1}/evidence/{row.pk}/").status_code == 404
