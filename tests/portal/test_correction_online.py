"""The applicant's own case on the portal: the 补正 asked for, sent online; the reply's documents and the
告知书 as PDF, downloadable only by the session that entered the secret.

Calendar: the online application is confirmed Wednesday 2024-06-12; the 补正 is asked for on 06-13 with a
period to Friday 06-28. 2024-06-10 (端午节) is already behind.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from gongkai.core.choices import ApplicantType, Outcome
from gongkai.core.files import private_storage
from gongkai.core.models import AuditEvent, OutboxMessage
from gongkai.inforequests import services
from gongkai.inforequests.models import CorrectionSubmission, InfoRequest, RequestStatus
from gongkai.inforequests.released import validate_released_file
from gongkai.portal.services import application_submit
from gongkai.portal.uploads import MAX_UPLOAD_BYTES
from gongkai.workdays import Calendar, add_workdays
from inforequests.review_chain import sign_reply
from sample_files import pdf_bytes

pytestmark = pytest.mark.django_db

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
NAME = "上官补正人"
ITEMS = "1. 请写明所需验收报告的项目名称\n2. 请说明所需信息的年份"


@contextmanager
def on(day: dt.date) -> Iterator[None]:
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI), tick=True):
        yield


def application(office: Any, *, correction: bool = True) -> tuple[InfoRequest, str]:
    """An online application by e-mail, confirmed on 06-12; with a 补正 asked for on 06-13 if wanted."""
    with on(D(2024, 6, 12)):
        sub = application_submit(
            applicant_type=ApplicantType.NATURAL_PERSON,
            name=NAME,
            id_number="440524188001010014",
            phone="13600001111",
            email="shangguan@example.cn",
            description="老旧小区综合整治项目的验收报告",
            form_of_provision="email",
            scans=[],
        )
        req = sub.request
        services.inforequest_confirm(actor=office.clerk, request=req, confirmed_on=D(2024, 6, 12))
    if correction:
        with on(D(2024, 6, 13)):
            services.inforequest_request_correction(
                actor=office.clerk,
                request=req,
                notified_on=D(2024, 6, 13),
                items=ITEMS,
                respond_by=D(2024, 6, 28),
            )
    req.refresh_from_db()
    return req, sub.secret


def granted(req: InfoRequest, secret: str) -> Client:
    """A browser session that entered the tracking number and secret (valid for 30 minutes)."""
    client = Client()
    response = client.post("/apply/status/", {"tracking_number": req.reference, "secret": secret})
    assert response.status_code == 302
    return client


def pdf_upload(name: str = "项目说明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes("Project"), content_type="application/pdf")


def post(client: Client, req: InfoRequest, text: str, *files: SimpleUploadedFile) -> Any:
    return client.post(f"/apply/status/{req.reference}/correction/", {"text": text, "files": list(files)})


def stored(kind: str) -> list[Path]:
    root = Path(private_storage().location) / kind
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_status_page_lists_the_items_and_takes_the_correction(office: Any, calendar_db: Calendar) -> None:
    req, secret = application(office)
    with on(D(2024, 6, 17)):
        client = granted(req, secret)
        page = client.get(f"/apply/status/{req.reference}/").content.decode()
        assert "待您补正" in page and "请于 2024年6月28日 前补正" in page
        items = re.search(r'<ol id="correction-items">(.*?)</ol>', page, re.S).group(1)
        assert re.findall(r"<li>(.*?)</li>", items) == [
            "请写明所需验收报告的项目名称",
            "请说明所需信息的年份",
        ]
        assert 'action="/apply/status/' in page and 'name="text"' in page and 'type="file"' in page

        response = post(client, req, "项目名称为东花市北里综合整治工程，年份为2023年。", pdf_upload())
        assert response.status_code == 302 and response["Location"] == f"/apply/status/{req.reference}/"
        page = client.get(response["Location"]).content.decode()

    req.refresh_from_db()
    due = add_workdays(calendar_db, D(2024, 6, 17), 20)
    assert req.status == RequestStatus.OPEN and req.corrected_on == D(2024, 6, 17) and req.due_on == due
    assert due == D(2024, 7, 15)
    assert "您已于 2024年6月17日 在网上提交补正" in page and "2024年7月15日前" in page
    assert "需要补正的事项" not in page and 'name="text"' not in page
    sent = CorrectionSubmission.objects.get(request=req)
    assert sent.text == "项目名称为东花市北里综合整治工程，年份为2023年。" and sent.files.count() == 1
    (message,) = OutboxMessage.objects.filter(kind="inforequest.correction_submitted")
    assert message.payload == {"request_id": req.pk, "reference": req.reference, "handler_id": None}
    (event,) = AuditEvent.objects.filter(verb="inforequest.online_correction", object_id=str(req.pk))
    assert event.actor is None and event.ip == "127.0.0.1"

    with on(D(2024, 6, 18)):
        again = post(granted(req, secret), req, "再补充一次。")
    assert again.status_code == 400 and "您已于2024年6月17日提交补正，无需重复提交" in again.content.decode()
    req.refresh_from_db()
    assert req.corrected_on == D(2024, 6, 17) and CorrectionSubmission.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile(
                "说明.pdf", b"MZ\x90\x00\x03\x00" + b"\x00" * 300, content_type="application/pdf"
            ),
            "文件“说明.pdf”的内容不是 JPG、PNG、PDF 文件，无法接收",
        ),
        (
            SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"0" * MAX_UPLOAD_BYTES + b"\n%%EOF"),
            "每个文件不得超过 5 MB",
        ),
        (SimpleUploadedFile("说明.exe", b"MZ\x90\x00"), "不支持的文件类型“.exe”"),
    ],
)
def test_bad_files_are_refused_in_words_and_nothing_changes(office: Any, upload: Any, message: str) -> None:
    req, secret = application(office)
    with on(D(2024, 6, 17)):
        response = post(granted(req, secret), req, "年份为2023年。", upload)
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert "年份为2023年。" in page and "重新提交时请再次选择" in page  # the text is kept
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_CORRECTION and req.corrected_on is None
    assert not CorrectionSubmission.objects.exists() and stored("corrections") == []


def test_after_the_period_the_form_is_gone_and_a_post_is_refused(office: Any) -> None:
    req, secret = application(office)
    with on(D(2024, 7, 1)):
        client = granted(req, secret)
        page = client.get(f"/apply/status/{req.reference}/").content.decode()
        assert "补正期限已于2024年6月28日届满，无法再在网上提交补正" in page and 'name="text"' not in page
        response = post(client, req, "年份为2023年。", pdf_upload())
    assert response.status_code == 400 and "补正期限已于2024年6月28日届满" in response.content.decode()
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_CORRECTION and stored("corrections") == []


def test_no_correction_is_taken_without_one_asked_for(office: Any) -> None:
    req, secret = application(office, correction=False)
    with on(D(2024, 6, 17)):
        response = post(granted(req, secret), req, "补充说明。")
    assert response.status_code == 400 and "本申请当前不在待补正状态，无需补正" in response.content.decode()


def test_only_the_session_that_entered_the_secret_may_send_it(office: Any) -> None:
    req, _secret = application(office)
    other, other_secret = application(office)
    with on(D(2024, 6, 17)):
        for client in (Client(), granted(other, other_secret)):
            response = post(client, req, "冒名补正。", pdf_upload())
            assert response.status_code == 302 and response["Location"] == "/apply/status/"
    assert not CorrectionSubmission.objects.exists() and stored("corrections") == []
    csrf = Client(enforce_csrf_checks=True)
    assert post(csrf, req, "x").status_code == 403


def test_correction_posts_are_rate_limited_per_case(office: Any) -> None:
    req, secret = application(office)
    with on(D(2024, 6, 17)):
        client = granted(req, secret)
        for _ in range(5):
            assert post(client, req, "").status_code == 400
        blocked = post(client, req, "年份为2023年。")
    assert blocked.status_code == 429 and "提交过于频繁" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0
    assert not CorrectionSubmission.objects.exists()


# --- the reply's documents and the 告知书 as PDF ------------------------------------------------------------


def answered(office: Any) -> tuple[InfoRequest, str, list[Any]]:
    req, secret = application(office, correction=False)
    with on(D(2024, 6, 20)):
        files = [
            services.released_file_add(
                actor=office.clerk,
                request=req,
                upload=validate_released_file(SimpleUploadedFile("合同.pdf", pdf_bytes("Contract"))),
                title="施工合同",
                redacted=True,
            ),
            services.released_file_add(
                actor=office.clerk,
                request=req,
                upload=validate_released_file(SimpleUploadedFile("验收.pdf", pdf_bytes("Acceptance"))),
                title="验收报告",
            ),
        ]
        # The 科室 drafts, the office's chain signs, the 公开办 sends it out.
        services.inforequest_assign(
            actor=office.clerk, request=req, department=office.dept, handler=office.drafter
        )
        sign_reply(
            req,
            outcome=Outcome.PARTIAL,
            notice_body="经审查，施工合同中含有个人隐私，本机关已作区分处理，现提供可以公开的部分。",
            on=D(2024, 6, 20),
        )
        services.inforequest_answer(actor=office.clerk, request=req, issued_on=D(2024, 6, 20))
    req.refresh_from_db()
    return req, secret, files


def test_the_released_documents_download_only_in_the_granted_session(office: Any) -> None:
    req, secret, (contract, _report) = answered(office)
    other, other_secret = application(office, correction=False)
    with on(D(2024, 6, 21)):
        client = granted(req, secret)
        page = client.get(f"/apply/status/{req.reference}/").content.decode()
        assert "提供给您的政府信息" in page
        assert "施工合同（已作删除处理）.pdf" in page and "验收报告.pdf" in page
        url = f"/apply/status/{req.reference}/files/{contract.pk}/"
        assert url in page
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "no-store"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "%E6%96%BD%E5%B7%A5%E5%90%88%E5%90%8C" in response["Content-Disposition"]  # 施工合同, RFC 5987
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        (event,) = AuditEvent.objects.filter(verb="portal.released_file_download", object_id=str(req.pk))
        assert event.actor is None and event.after == {"file": contract.pk}

        assert Client().get(url).status_code == 403
        assert granted(other, other_secret).get(url).status_code == 403
        # A file of another case through this case's address: not there.
        assert client.get(f"/apply/status/{other.reference}/files/{contract.pk}/").status_code == 403
        assert client.get(f"/apply/status/{req.reference}/files/987654/").status_code == 404
    assert AuditEvent.objects.filter(verb="portal.released_file_download").count() == 1


def test_nothing_is_downloadable_before_the_notice_is_issued(office: Any) -> None:
    req, secret = application(office, correction=False)
    with on(D(2024, 6, 20)):
        draft = services.released_file_add(
            actor=office.clerk,
            request=req,
            upload=validate_released_file(SimpleUploadedFile("验收.pdf", pdf_bytes("Acceptance"))),
        )
        client = granted(req, secret)
        assert client.get(f"/apply/status/{req.reference}/files/{draft.pk}/").status_code == 404
        assert client.get(f"/apply/status/{req.reference}/notice.pdf").status_code == 404
        assert "提供给您的政府信息" not in client.get(f"/apply/status/{req.reference}/").content.decode()


def test_the_notice_downloads_as_pdf_with_the_applicant_facing_text(office: Any) -> None:
    req, secret, _files = answered(office)
    with on(D(2024, 6, 21)):
        client = granted(req, secret)
        assert (
            f"/apply/status/{req.reference}/notice.pdf"
            in client.get(f"/apply/status/{req.reference}/").content.decode()
        )
        response = client.get(f"/apply/status/{req.reference}/notice.pdf")
        assert Client().get(f"/apply/status/{req.reference}/notice.pdf").status_code == 403
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store" and response["Content-Disposition"].startswith(
        "attachment;"
    )
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")
    for expected in (
        "政府信息公开申请答复告知书",
        f"{NAME}：",
        "本机关于2024年6月12日收到您提出的政府信息公开申请",
        "经审查，施工合同中含有个人隐私，本机关已作区分处理，现提供可以公开的部分。",
        "东花市街道办事处2024年6月20日",
    ):
        assert expected in text, expected
