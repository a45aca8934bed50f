"""The online Art. 29 application: form, one-time secret, status page, rate limits and uploads."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from PIL import Image

from gongkai.core.models import AuditEvent
from gongkai.inforequests.models import InfoRequest, RequestStatus
from gongkai.inforequests.services import (
    inforequest_answer,
    inforequest_assign,
    inforequest_confirm,
    inforequest_set_provision,
)
from gongkai.portal import ratelimit
from gongkai.portal.middleware import MAX_PUBLIC_POST_BYTES, SecurityHeadersMiddleware
from gongkai.portal.models import ApplicationScan
from gongkai.portal.tracking import check_secret
from gongkai.portal.uploads import MAX_UPLOAD_BYTES, private_storage
from inforequests.review_chain import sign_reply
from staff_auth import sign_in

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 12)
NAME, ID_NUMBER, PHONE = "上官申请人", "440524188001010014", "13600001111"
DESCRIPTION = "2023年东花市街道老旧小区综合整治项目的验收报告"


@pytest.fixture(autouse=True)
def _june_2024() -> Iterator[None]:
    with time_machine.travel(
        dt.datetime(2024, 6, 12, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=True
    ):
        yield


def jpeg(size: tuple[int, int] = (160, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 120, 150)).save(out, format="JPEG")
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="PNG")
    return out.getvalue()


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "applicant_type": "natural_person",
        "name": NAME,
        "id_kind": "resident_id",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "email": "shangguan@example.cn",
        "address": "",
        "description": DESCRIPTION,
        "form_of_provision": "email",
        "pledge": "on",
        "homepage": "",
        "scans": [SimpleUploadedFile("身份证.jpg", jpeg(), content_type="image/jpeg")],
    }
    data.update(overrides)
    return data


def submit(client: Client, **overrides: Any) -> tuple[str, str]:
    response = client.post("/apply/", form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    done = client.get(response["Location"]).content.decode()
    tracking = re.search(r'id="tracking-number">([^<]+)<', done).group(1)
    secret = re.search(r'id="secret">([^<]+)<', done).group(1)
    return tracking, secret


def lookup(client: Client, tracking: str, secret: str) -> Any:
    return client.post("/apply/status/", {"tracking_number": tracking, "secret": secret})


def test_application_is_filed_awaiting_confirmation_with_a_one_time_secret(
    client: Client, office: Any
) -> None:
    tracking, secret = submit(client)
    assert re.fullmatch(r"WS20240612-[0-9A-Z]{6}", tracking)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", secret)
    again = client.get("/apply/done/").content.decode()
    assert "查询码已显示过" in again and secret not in again

    req = InfoRequest.objects.get(reference=tracking)
    assert req.status == RequestStatus.AWAITING_CONFIRMATION and req.received_on is None
    assert req.channel == "online" and req.submitted_on == TODAY
    assert (req.applicant_name, req.applicant_id_number, req.applicant_phone) == (NAME, ID_NUMBER, PHONE)
    assert req.description == DESCRIPTION and req.form_of_provision == "email"
    assert secret.replace("-", "") not in req.portal_secret_hash
    assert check_secret(secret, req.portal_secret_hash) and not check_secret(
        "AAAA-AAAA-AAAA", req.portal_secret_hash
    )

    (scan,) = ApplicationScan.objects.filter(request=req)
    path = Path(private_storage().path(scan.storage_name))
    assert path.read_bytes().startswith(b"\xff\xd8\xff") and scan.size == path.stat().st_size
    assert "身份证" not in scan.storage_name
    assert AuditEvent.objects.filter(verb="portal.application_submit", object_id=str(req.pk)).exists()


def test_status_page_follows_the_case_from_confirmation_to_the_notice(client: Client, office: Any) -> None:
    tracking, secret = submit(client)
    response = lookup(client, tracking, secret)
    assert response.status_code == 302 and response["Location"] == f"/apply/status/{tracking}/"
    page = client.get(response["Location"]).content.decode()
    assert "已提交，待工作人员确认收到" in page and "确认收到后计算" in page

    req = InfoRequest.objects.get(reference=tracking)
    inforequest_confirm(actor=office.clerk, request=req, confirmed_on=TODAY)
    page = client.get(f"/apply/status/{tracking}/").content.decode()
    assert "办理中" in page and "2024年6月12日" in page
    req.refresh_from_db()
    assert req.due_on is not None and f"{req.due_on.year}年{req.due_on.month}月{req.due_on.day}日前" in page

    # Handed over on paper, so the 予以公开 answer needs no uploaded document (inforequests.released).
    inforequest_set_provision(actor=office.clerk, request=req, provided_as="paper")
    # The 科室 drafts, the chain signs, the 公开办 sends it out.
    inforequest_assign(actor=office.clerk, request=req, department=office.dept, handler=office.drafter)
    sign_reply(req, outcome="granted", notice_body="现将验收报告随本告知书提供。", on=TODAY)
    inforequest_answer(
        actor=office.clerk,
        request=req,
        outcome="granted",
        notice_body="现将验收报告随本告知书提供。",
        issued_on=TODAY,
    )
    page = client.get(f"/apply/status/{tracking}/").content.decode()
    assert "已答复" in page and "现将验收报告随本告知书提供。" in page
    docx = client.get(f"/apply/status/{tracking}/notice.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert "wordprocessingml" in docx["Content-Type"]


def test_a_wrong_secret_reveals_nothing(client: Client, office: Any) -> None:
    tracking, secret = submit(client)
    wrong = lookup(client, tracking, "AAAA-AAAA-AAAA")
    unknown = lookup(client, "WS20240612-AAAAAA", secret)
    for response in (wrong, unknown):
        page = response.content.decode()
        assert response.status_code == 403
        assert "查询号或查询码不正确" in page
        for secret_fact in (NAME, DESCRIPTION, "待工作人员确认", "办理中"):
            assert secret_fact not in page
    # Identical answers for an existing and a made-up number.
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(wrong.content.decode()) == strip(unknown.content.decode())
    # Without the secret, the status URL only leads back to the form.
    other = Client()
    assert other.get(f"/apply/status/{tracking}/")["Location"] == "/apply/status/"
    assert other.get(f"/apply/status/{tracking}/notice.docx").status_code == 403


def test_guessing_stops_the_guessers_address_not_the_applicant(client: Client, office: Any) -> None:
    tracking, secret = submit(client)
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(ratelimit.LOOKUP_FAIL_PER_CASE.max_hits):
        assert lookup(guesser, tracking, "AAAA-AAAA-AAAA").status_code == 403
    blocked = lookup(guesser, tracking, secret)  # from the guessing address, even the right secret
    assert blocked.status_code == 429
    assert re.search(r"提交过于频繁，请 \d+ 分钟后再试", blocked.content.decode())
    assert int(blocked["Retry-After"]) <= ratelimit.LOOKUP_FAIL_PER_CASE.window_seconds
    # The case is not locked: the applicant, from their own address, gets in.
    assert lookup(Client(REMOTE_ADDR="198.51.100.7"), tracking, secret).status_code == 302
    with time_machine.travel(dt.datetime(2024, 6, 12, 10, 20, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        assert lookup(guesser, tracking, secret).status_code == 302  # the window has passed


def test_right_secrets_do_not_use_up_the_limit(client: Client, office: Any) -> None:
    tracking, secret = submit(client)
    applicant = Client(REMOTE_ADDR="198.51.100.8")
    for _ in range(ratelimit.LOOKUP_FAIL_PER_IP.max_hits + 2):
        assert lookup(applicant, tracking, secret).status_code == 302


def test_an_ipv6_guesser_counts_as_its_whole_network(client: Client, office: Any) -> None:
    tracking, secret = submit(client)
    for i in range(ratelimit.LOOKUP_FAIL_PER_CASE.max_hits):
        assert (
            lookup(Client(REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}"), tracking, "AAAA-AAAA-AAAA").status_code
            == 403
        )
    assert lookup(Client(REMOTE_ADDR="2001:db8:1:2:ffff::1"), tracking, secret).status_code == 429
    assert lookup(Client(REMOTE_ADDR="2001:db8:1:3::1"), tracking, secret).status_code == 302  # another /64


def test_per_address_limit_covers_many_tracking_numbers(client: Client, office: Any) -> None:
    guesser = Client(REMOTE_ADDR="203.0.113.10")
    for i in range(ratelimit.LOOKUP_FAIL_PER_IP.max_hits):
        assert lookup(guesser, f"WS20240612-AAAAA{i}", "AAAA-AAAA-AAAA").status_code == 403
    assert lookup(guesser, "WS20240612-AAAAAX", "AAAA-AAAA-AAAA").status_code == 429


def test_invalid_identity_number_is_refused_and_the_form_is_kept(client: Client, office: Any) -> None:
    response = client.post("/apply/", form_data(id_number="440524188001010015"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "身份证号码校验位不正确" in page
    assert DESCRIPTION in page and f'value="{NAME}"' in page and f'value="{PHONE}"' in page
    assert not InfoRequest.objects.exists()


def test_organisation_needs_a_valid_credit_code(client: Client, office: Any) -> None:
    bad = client.post(
        "/apply/",
        form_data(applicant_type="commercial", name="某某科技有限公司", id_number="91350100M000100Y44"),
    )
    assert bad.status_code == 400 and "统一社会信用代码校验位不正确" in bad.content.decode()
    tracking, _ = submit(client, applicant_type="commercial", name="某某科技有限公司", id_number="91350100m000100y43",
                         contact_person="李联系")  # fmt: skip
    req = InfoRequest.objects.get(reference=tracking)
    assert req.applicant_type == "commercial" and req.applicant_id_number == "91350100M000100Y43"
    assert req.applicant_name == "某某科技有限公司（联系人：李联系）"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("身份证.jpg", png(), content_type="image/jpeg"), "扩展名与内容不符"),
        (
            SimpleUploadedFile(
                "身份证.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
            ),
            "不是 JPG、PNG、PDF 文件",
        ),
        (
            SimpleUploadedFile(
                "scan.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml"
            ),
            "不支持的文件类型",
        ),
        (
            SimpleUploadedFile("big.jpg", jpeg() + b"\0" * MAX_UPLOAD_BYTES, content_type="image/jpeg"),
            "文件过大",
        ),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_the_form_is_kept(
    client: Client, office: Any, upload: Any, message: str
) -> None:
    response = client.post("/apply/", form_data(scans=[upload]))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert DESCRIPTION in page and f'value="{ID_NUMBER}"' in page
    assert "重新提交时请再次选择" in page
    assert not InfoRequest.objects.exists() and not ApplicationScan.objects.exists()
    assert not list((Path(private_storage().location)).rglob("*.*"))


def test_missing_fields_and_provision_details_are_explained(client: Client, office: Any) -> None:
    response = client.post(
        "/apply/", form_data(form_of_provision="paper", address="", description="", scans=[])
    )
    page = response.content.decode()
    assert "选择纸质文本或存储介质时，请填写通信地址" in page
    assert "请上传身份证明材料" in page
    assert 'href="#id_description"' in page  # the error summary links to the field


def test_honeypot_submission_is_not_filed(client: Client, office: Any) -> None:
    response = client.post("/apply/", form_data(homepage="http://spam.example"))
    assert response.status_code == 400 and "提交未成功" in response.content.decode()
    assert not InfoRequest.objects.exists()


def test_submissions_are_rate_limited_per_address(office: Any) -> None:
    client = Client(REMOTE_ADDR="192.0.2.44")
    for i in range(ratelimit.APPLICATION_PER_IP.max_hits):
        submit(client, phone=f"1360000{i:04d}")
    response = client.post("/apply/", form_data(phone="13600009999"))
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert DESCRIPTION in response.content.decode()  # what was typed is still there
    assert InfoRequest.objects.count() == ratelimit.APPLICATION_PER_IP.max_hits


def test_csrf_is_enforced(office: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/apply/", form_data()).status_code == 403
    assert client.post("/mailbox/write/", {"subject": "x", "body": "y", "anonymous": "on"}).status_code == 403


def test_oversized_posts_are_refused_before_they_are_read() -> None:
    request = RequestFactory().post("/apply/", data=b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(MAX_PUBLIC_POST_BYTES + 1)
    reached: list[bool] = []
    response = SecurityHeadersMiddleware(lambda r: reached.append(True))(request)  # type: ignore[arg-type,return-value]
    assert response.status_code == 413 and not reached
    assert "提交的内容过大" in response.content.decode()


def test_staff_open_scans_with_an_audit_event_others_are_refused(client: Client, office: Any) -> None:
    tracking, _ = submit(client)
    scan = ApplicationScan.objects.get(request__reference=tracking)
    url = f"/workbench/portal/scans/{scan.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert Client().get(f"/media/private/{scan.storage_name}").status_code == 404
    staff = Client()
    sign_in(staff, office.drafter)  # a department's staff member, not handling this case
    assert staff.get(url).status_code == 403
    sign_in(staff, office.clerk)
    response = staff.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    assert AuditEvent.objects.filter(verb="inforequest.id_scan_view", actor=office.clerk).count() == 1


def test_the_case_page_links_the_scans_for_those_who_may_open_them(client: Client, office: Any) -> None:
    tracking, _ = submit(client)
    scan = ApplicationScan.objects.get(request__reference=tracking)
    case_url = f"/workbench/requests/{scan.request_id}/"
    scan_url = f"/workbench/portal/scans/{scan.pk}/"
    staff = Client()
    sign_in(staff, office.clerk)
    page = staff.get(case_url).content.decode()
    assert "身份证明材料" in page and f'href="{scan_url}"' in page
    sign_in(staff, office.auditor)  # reads every case, masked: not the applicant's documents
    text = staff.get(case_url).content.decode()
    assert "1 份（仅承办人、承办科室负责人和公开办可查看）" in text and scan_url not in text
