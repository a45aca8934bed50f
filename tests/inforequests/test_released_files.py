"""The documents a 予以公开 / 部分公开 reply releases, and the 告知书 as PDF.

Who may add them and when (while drafting, frozen once issued), the upload checks, the rule the answer
checks (a file unless provided off line; 已作删除处理 for 部分公开, never for 予以公开; none for other
outcomes), the selector the e-mail delivery reads, and the PDF read back with pypdf.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from gongkai.core.choices import Outcome
from gongkai.core.files import private_storage
from gongkai.core.models import AuditEvent
from gongkai.inforequests import selectors, services
from gongkai.inforequests.models import (
    InfoRequest,
    ProvisionForm,
    ReleasedFile,
    ReplyNotice,
    ReplyReviewStatus,
    RequestStatus,
)
from gongkai.inforequests.released import (
    MAX_RELEASED_BYTES,
    released_file_problem,
    validate_released_file,
)
from inforequests.conftest import Office
from inforequests.review_chain import sign_reply
from inforequests.test_services import register
from inforequests.test_views import login
from sample_files import docx_bytes, pdf_bytes

D = dt.date
GRANTED, PARTIAL, REFUSED = Outcome.GRANTED, Outcome.PARTIAL, Outcome.REFUSED_THIRD_PARTY
EMAIL, PAPER, INSPECTION, MEDIUM = (
    ProvisionForm.EMAIL,
    ProvisionForm.PAPER,
    ProvisionForm.INSPECTION,
    ProvisionForm.MEDIUM,
)


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def by_email(office: Office) -> InfoRequest:
    return register(office, form_of_provision=EMAIL, applicant_email="zhang@example.cn")


def document(name: str = "验收报告.pdf", content: bytes | None = None) -> Any:
    data = pdf_bytes("Acceptance report") if content is None else content
    return validate_released_file(SimpleUploadedFile(name, data, content_type="application/octet-stream"))


def answer(office: Office, req: InfoRequest, outcome: str, body: str = "经审查，决定予以公开。") -> Any:
    """Draft, walk the review chain (which checks the documents before anyone reviews), issue."""
    req.refresh_from_db()
    sign_reply(req, outcome=outcome, notice_body=body, drafter=req.handler or office.staff)
    return services.inforequest_answer(actor=office.clerk, request=req, issued_on=D(2024, 5, 20))


# --- the rule -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "form", "flags", "problem"),
    [
        (GRANTED, EMAIL, [], "请先上传至少一份提供给申请人的文件"),
        (GRANTED, "", [], "未指定提供形式：请先上传"),
        (GRANTED, ProvisionForm.OTHER, [], "提供形式为“其他”：请先上传"),
        (GRANTED, EMAIL, [False], None),
        (GRANTED, PAPER, [], None),
        (GRANTED, INSPECTION, [], None),
        (GRANTED, MEDIUM, [], None),
        (GRANTED, EMAIL, [False, True], "不应标记为“已作删除处理”"),
        (PARTIAL, EMAIL, [], "请先上传至少一份"),
        (PARTIAL, EMAIL, [False, False], "请将删除了不予公开内容后提供的文件标记为“已作删除处理”"),
        (PARTIAL, EMAIL, [False, True], None),
        (PARTIAL, PAPER, [], None),
        (PARTIAL, PAPER, [False], "已作删除处理"),
        (REFUSED, EMAIL, [], None),
        (REFUSED, EMAIL, [False], "不向申请人提供文件，请先删除已上传的 1 份答复文件"),
    ],
)
def test_the_rule(outcome: str, form: str, flags: list[bool], problem: str | None) -> None:
    found = released_file_problem(outcome, form, flags)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


# --- through the services -------------------------------------------------------------------------------


def test_a_granted_reply_by_email_needs_a_document(office: Office) -> None:
    req = by_email(office)
    with pytest.raises(ValidationError) as exc:
        answer(office, req, GRANTED)
    (message,) = exc.value.message_dict["outcome"]
    assert message.startswith(
        "办理结果为“予以公开”，提供形式为“电子邮件”：请先上传至少一份提供给申请人的文件"
    )
    assert "“纸质文本”、“光盘或其他存储介质”、“当场查阅、抄录”" in message
    req.refresh_from_db()
    # Refused when the draft was sent for review: nobody reviews a reply without its documents.
    assert req.status == RequestStatus.OPEN
    assert ReplyNotice.objects.get(request=req).review_status == ReplyReviewStatus.DRAFT

    row = services.released_file_add(actor=office.staff, request=req, upload=document(), title="")
    assert (row.title, row.redacted, row.uploaded_by) == ("验收报告", False, office.staff)
    (event,) = AuditEvent.objects.filter(verb="inforequest.released_file_add", object_id=str(req.pk))
    assert event.after["sha256"] == row.sha256
    assert selectors.released_files(req) == []  # nothing goes out before the 告知书 is issued

    answer(office, req, GRANTED)
    req.refresh_from_db()
    (doc,) = selectors.released_files(req)
    assert (doc.filename, doc.content_type, doc.redacted) == ("验收报告.pdf", "application/pdf", False)
    assert doc.read().startswith(b"%PDF-") and doc.size == len(doc.read())

    with pytest.raises(ValidationError, match="答复告知书已签发，答复提供的文件不能再增删"):
        services.released_file_add(actor=office.clerk, request=req, upload=document("另一份.pdf"))
    with pytest.raises(ValidationError, match="已签发"):
        services.released_file_remove(actor=office.clerk, file=row)
    assert ReleasedFile.objects.filter(request=req).count() == 1


def test_provided_on_paper_or_for_inspection_no_document_is_needed(office: Office) -> None:
    req = by_email(office)
    services.inforequest_set_provision(actor=office.staff, request=req, provided_as=INSPECTION)
    req.refresh_from_db()
    assert req.provided_as == INSPECTION and req.form_of_provision == EMAIL
    assert AuditEvent.objects.filter(verb="inforequest.set_provision", object_id=str(req.pk)).exists()
    answer(office, req, GRANTED)
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED and selectors.released_files(req) == []
    with pytest.raises(ValidationError, match="请选择提供信息的形式"):
        services.inforequest_set_provision(actor=office.clerk, request=by_email(office), provided_as="fax")


def test_a_partial_reply_marks_its_redacted_copy_and_a_full_one_has_none(
    office: Office, django_capture_on_commit_callbacks: Any
) -> None:
    req = by_email(office)
    plain = services.released_file_add(
        actor=office.staff, request=req, upload=document("合同.pdf"), title="施工合同"
    )
    with pytest.raises(ValidationError, match="请将删除了不予公开内容后提供的文件标记为“已作删除处理”"):
        answer(office, req, PARTIAL, "经审查，部分内容涉及个人隐私，已作区分处理。")
    with django_capture_on_commit_callbacks(execute=True):
        services.released_file_remove(actor=office.staff, file=plain)
    assert not private_storage().exists(plain.storage_name)  # gone once the removal committed
    services.released_file_add(
        actor=office.staff, request=req, upload=document("合同.pdf"), title="施工合同", redacted=True
    )
    with pytest.raises(ValidationError, match="如删除了不应公开的内容，办理结果应为“部分公开”"):
        answer(office, req, GRANTED)
    answer(office, req, PARTIAL, "经审查，部分内容涉及个人隐私，已作区分处理。")
    req.refresh_from_db()
    (doc,) = selectors.released_files(req)
    assert doc.filename == "施工合同（已作删除处理）.pdf" and doc.redacted


def test_other_outcomes_release_nothing(office: Office) -> None:
    req = by_email(office)
    row = services.released_file_add(actor=office.staff, request=req, upload=document())
    with pytest.raises(ValidationError, match="不向申请人提供文件，请先删除已上传的 1 份答复文件"):
        answer(office, req, Outcome.UNAVAILABLE_NOT_HELD, "经检索，该政府信息不存在。")
    services.released_file_remove(actor=office.staff, file=row)
    answer(office, req, Outcome.UNAVAILABLE_NOT_HELD, "经检索，该政府信息不存在。")
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED and selectors.released_files(req) == []


def test_only_those_who_may_draft_manage_the_documents(office: Office) -> None:
    req = by_email(office)
    for stranger in (office.other_staff, office.auditor, office.director):
        with pytest.raises(PermissionDenied):
            services.released_file_add(actor=stranger, request=req, upload=document())
        with pytest.raises(PermissionDenied):
            services.inforequest_set_provision(actor=stranger, request=req, provided_as=PAPER)
    assert not ReleasedFile.objects.exists()


# --- the workbench ----------------------------------------------------------------------------------


def post_file(client: Any, req: InfoRequest, name: str, content: bytes, **extra: str) -> Any:
    data = {"released-file": SimpleUploadedFile(name, content), "released-title": "", **extra}
    return client.post(reverse("inforequests:released_file_add", args=[req.pk]), data)


def test_uploads_are_checked_and_refused_in_words(office: Office) -> None:
    req = by_email(office)
    c = login(office.staff)
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    r = post_file(c, req, "报告.pdf", exe)
    assert r.status_code == 400
    assert (
        "答复文件未上传：文件“报告.pdf”的内容不是 PDF、DOCX、XLSX、JPG、PNG 文件，无法接收"
        in r.content.decode()
    )
    big = b"%PDF-1.4\n" + b"0" * MAX_RELEASED_BYTES + b"\n%%EOF"
    r = post_file(c, req, "大文件.pdf", big)
    assert r.status_code == 400 and "每个文件不得超过 20 MB" in r.content.decode()
    assert not ReleasedFile.objects.exists()

    r = post_file(c, req, "合同.docx", docx_bytes("施工合同"), **{"released-redacted": "on"})
    assert r.status_code == 302
    row = ReleasedFile.objects.get()
    assert row.redacted and row.title == "合同" and row.extension == "docx"
    page = c.get(reverse("inforequests:detail", args=[req.pk])).content.decode()
    assert "答复提供的文件" in page and "已作删除处理" in page
    download = c.get(reverse("inforequests:released_file", args=[req.pk, row.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert (
        login(office.other_staff)
        .get(reverse("inforequests:released_file", args=[req.pk, row.pk]))
        .status_code
        == 403
    )

    r = c.post(reverse("inforequests:provision_set", args=[req.pk]), {"provision-provided_as": "paper"})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.provided_as == PAPER


def test_sending_for_review_says_why_a_document_is_missing(office: Office) -> None:
    req = by_email(office)
    services.inforequest_draft_reply(
        actor=office.staff, request=req, outcome=GRANTED, notice_body="经审查，决定予以公开。"
    )
    data = {"reply_submit-submitted_on": "2024-05-20"}
    r = login(office.staff).post(reverse("inforequests:reply_submit", args=[req.pk]), data)
    assert r.status_code == 400 and "请先上传至少一份提供给申请人的文件（答复文件）" in r.content.decode()


def test_a_changed_document_sends_a_reviewed_reply_back_to_draft(office: Office) -> None:
    req = by_email(office)
    row = services.released_file_add(actor=office.staff, request=req, upload=document(), title="验收报告")
    reply = sign_reply(req, outcome=GRANTED, notice_body="经审查，决定予以公开。", drafter=office.staff)
    assert reply.review_status == ReplyReviewStatus.SIGNED
    # What the reviewers signed was the text with this document: another document voids the signature.
    services.released_file_add(actor=office.staff, request=req, upload=document("附件二.pdf"), title="附件二")
    reply.refresh_from_db()
    assert reply.review_status == ReplyReviewStatus.DRAFT and reply.signed_by is None
    with pytest.raises(PermissionDenied):
        services.inforequest_answer(actor=office.clerk, request=req, issued_on=D(2024, 5, 20))
    # So does taking one away, and so does changing the form it is given in, once signed again.
    reply = sign_reply(req, outcome=GRANTED, notice_body="经审查，决定予以公开。", drafter=office.staff)
    services.released_file_remove(actor=office.staff, file=row)
    reply.refresh_from_db()
    assert reply.review_status == ReplyReviewStatus.DRAFT
    sign_reply(req, outcome=GRANTED, notice_body="经审查，决定予以公开。", drafter=office.staff)
    services.inforequest_set_provision(actor=office.staff, request=req, provided_as=PAPER)
    reply.refresh_from_db()
    assert reply.review_status == ReplyReviewStatus.DRAFT
    events = AuditEvent.objects.filter(object_id=str(req.pk), verb__startswith="inforequest.released_file")
    assert [e.after.get("review_restarted") for e in events.order_by("id")] == [False, True, True]


# --- the 告知书 as PDF -------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")


def test_the_notice_pdf_carries_the_applicant_facing_text(office: Office) -> None:
    req = register(office, applicant_name="欧阳测试")
    services.inforequest_draft_reply(actor=office.staff, request=req, outcome=Outcome.UNAVAILABLE_NOT_HELD)
    c = login(office.staff)
    draft = c.get(reverse("inforequests:notice_pdf", args=[req.pk]))
    assert draft.status_code == 200 and draft["Content-Type"] == "application/pdf"
    assert "（草稿）" in pdf_text(draft.content)

    answer(office, req, Outcome.UNAVAILABLE_NOT_HELD, "经检索，本机关没有制作或者获取您申请公开的政府信息。")
    response = c.get(reverse("inforequests:notice_pdf", args=[req.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.content)
    assert "政府信息不存在告知书" in text and "（草稿）" not in text
    for expected in (
        req.reference,
        "欧阳测试：",
        "本机关于2024年5月6日收到您提出的政府信息公开申请",
        "经检索，本机关没有制作或者获取您申请公开的政府信息。",
        "根据《中华人民共和国政府信息公开条例》第三十六条第（四）项的规定，特此告知。",
        "向北京市东城区人民政府申请行政复议",
        "东花市街道办事处2024年5月20日",  # the signature: the organ, then the date below it
    ):
        assert expected in text, expected
    assert text.index("特此告知") < text.index("东花市街道办事处2024年5月20日")
    assert login(office.other_staff).get(reverse("inforequests:notice_pdf", args=[req.pk])).status_code == 403
