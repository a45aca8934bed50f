"""Attachments of publication items: the upload checks, the services' rules, the workbench views."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.core.files import DOCX, PDF, PNG, XLSX, UploadRejected, private_storage
from gongkai.core.models import AuditEvent, User
from gongkai.org.models import Department
from gongkai.publications import services
from gongkai.publications.attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, validate_attachment
from gongkai.publications.models import Publication, PublicationAttachment
from gongkai.publications.services import ActionRefused
from publications.factories import PublicationFactory
from sample_files import docx_bytes, pdf_bytes, png_bytes, with_macro, xlsx_bytes, zip_bomb
from staff_auth import sign_in

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def checked(name: str, content: bytes) -> Any:
    return validate_attachment(upload(name, content))


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "private" / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- what may be attached ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("通知.pdf", pdf_bytes(), PDF),
        ("通知.docx", docx_bytes(), DOCX),
        ("预算表.xlsx", xlsx_bytes(), XLSX),
        ("示意图.png", png_bytes(), PNG),
    ],
)
def test_the_kinds_an_office_publishes_are_accepted(name: str, content: bytes, kind: str) -> None:
    clean = checked(name, content)
    assert clean.content_type == kind
    assert clean.original_name == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("通知.docx", with_macro(docx_bytes()), "包含宏、控件或嵌入对象"),
        ("预算表.docx", xlsx_bytes(), "扩展名与内容不符（内容为Excel 表格）"),
        ("通知.xlsx", docx_bytes(), "扩展名与内容不符（内容为Word 文档）"),
        ("通知.pdf", docx_bytes(), "扩展名与内容不符（内容为Word 文档）"),
        ("通知.docx", zip_bomb(), "解压后体积异常"),
        ("通知.docx", b"PK\x03\x04 this is no zip", "已损坏"),
        (
            "图.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
            "不支持的文件类型“.svg”",
        ),
        ("页面.html", b"<html><script>alert(1)</script></html>", "不支持的文件类型“.html”"),
        ("通知.pdf", b"<html><body>not a pdf</body></html>", "内容不是 PDF、DOCX、XLSX、JPG、PNG 文件"),
        ("通知.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "不支持的文件类型“.doc”"),
        ("通知.pdf", pdf_bytes().replace(b"%%EOF", b"/JavaScript (x)\n%%EOF"), "动态内容"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_disguised_active_or_broken_files_are_refused(name: str, content: bytes, message: str) -> None:
    with pytest.raises(UploadRejected, match=message):
        checked(name, content)


def test_an_oversized_attachment_is_refused_with_the_limit() -> None:
    big = pdf_bytes() + b" " * MAX_ATTACHMENT_BYTES
    with pytest.raises(UploadRejected, match=r"每个文件不得超过 20 MB"):
        checked("大文件.pdf", big)


# --- who may attach, and when ------------------------------------------------------------------


def test_the_drafter_attaches_to_a_draft_with_an_audit_row(draft: Publication, drafter: User) -> None:
    att = services.attachment_add(
        actor=drafter, publication=draft, upload=checked("便民服务时间表.pdf", pdf_bytes("Hours"))
    )
    assert att.title == "便民服务时间表"  # the file name without its extension when no title is given
    assert att.uploaded_by == drafter and att.size == len(pdf_bytes("Hours"))
    assert private_storage().open(att.storage_name).read() == pdf_bytes("Hours")
    event = AuditEvent.objects.get(verb="publication.attachment_add")
    assert event.actor == drafter and event.after["sha256"] == att.sha256


def test_only_the_drafter_and_only_while_a_draft(
    draft: Publication, drafter: User, head: User, director: User
) -> None:
    with pytest.raises(ActionRefused, match="只有起草人"):
        services.attachment_add(actor=head, publication=draft, upload=checked("a.pdf", pdf_bytes()))
    att = services.attachment_add(actor=drafter, publication=draft, upload=checked("a.pdf", pdf_bytes()))
    services.publication_submit(actor=drafter, publication=draft)
    with pytest.raises(ActionRefused, match="只有草稿可以增删附件"):
        services.attachment_add(actor=drafter, publication=draft, upload=checked("b.pdf", pdf_bytes()))
    with pytest.raises(ActionRefused, match="只有草稿可以增删附件"):
        services.attachment_remove(actor=drafter, attachment=att)
    # The reviewers approve the item with the file they saw.
    services.publication_approve(actor=head, publication=draft)
    services.publication_approve(actor=director, publication=draft)
    assert list(draft.attachments.all()) == [att]
    assert len(stored_files()) == 1


def test_a_rejected_item_is_a_draft_again_and_its_attachments_can_change(
    pending_head: Publication, drafter: User, head: User
) -> None:
    services.publication_reject(actor=head, publication=pending_head, reason="附件有误")
    att = services.attachment_add(
        actor=drafter, publication=pending_head, upload=checked("更正.pdf", pdf_bytes())
    )
    assert att.publication_id == pending_head.pk


def test_removing_deletes_the_file_after_commit(
    draft: Publication, drafter: User, django_capture_on_commit_callbacks: Any
) -> None:
    att = services.attachment_add(actor=drafter, publication=draft, upload=checked("a.pdf", pdf_bytes()))
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=drafter, attachment=att)
    assert not PublicationAttachment.objects.exists()
    assert stored_files() == []
    assert AuditEvent.objects.filter(verb="publication.attachment_remove", actor=drafter).count() == 1


def test_at_most_ten_attachments_and_the_refused_file_is_not_kept(draft: Publication, drafter: User) -> None:
    for n in range(MAX_ATTACHMENTS):
        services.attachment_add(actor=drafter, publication=draft, upload=checked(f"{n}.pdf", pdf_bytes()))
    with pytest.raises(ValidationError, match="最多 10 个附件"):
        services.attachment_add(actor=drafter, publication=draft, upload=checked("x.pdf", pdf_bytes()))
    assert len(stored_files()) == MAX_ATTACHMENTS


def test_titles_hostile_or_missing(draft: Publication, drafter: User, client: Client) -> None:
    clean = checked("a.pdf", pdf_bytes())
    att = services.attachment_add(
        actor=drafter, publication=draft, upload=clean, title="<script>alert(1)</script>"
    )
    assert att.title == "<script>alert(1)</script>"  # stored as text, escaped wherever it is shown
    sign_in(client, drafter)
    page = client.get(reverse("publications:detail", args=[draft.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    nameless = type(clean)(clean.content, PDF, ".pdf")
    with pytest.raises(ValidationError, match="请填写附件名称"):
        services.attachment_add(actor=drafter, publication=draft, upload=nameless, title="  ")
    assert len(stored_files()) == 1


def test_registered_paper_reviews_carry_their_attachments(
    clerk: User, drafter: User, head: User, director: User, dept: Department
) -> None:
    pub = services.publication_register_reviewed(
        actor=clerk,
        title="东花市街道2019年部门预算",
        category="art20_7",
        department=dept,
        formed_on=dt.date(2019, 2, 1),
        drafter=drafter,
        head=head,
        head_decided_on=dt.date(2019, 2, 2),
        director=director,
        director_decided_on=dt.date(2019, 2, 3),
        attachments=[("预算表", checked("budget.xlsx", xlsx_bytes()))],
    )
    (att,) = pub.attachments.all()
    assert att.title == "预算表" and att.content_type == XLSX and att.uploaded_by == clerk


# --- the workbench views -----------------------------------------------------------------------


def test_upload_through_the_detail_page_and_open_it(
    client: Client, draft: Publication, drafter: User
) -> None:
    sign_in(client, drafter)
    page = client.get(reverse("publications:detail", args=[draft.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page and "上传附件" in page
    response = client.post(
        reverse("publications:attachment_add", args=[draft.pk]),
        {"title": "服务时间表", "file": upload("hours.pdf", pdf_bytes("Hours"))},
        follow=True,
    )
    assert "已添加附件“服务时间表”" in response.content.decode()
    att = draft.attachments.get()
    opened = client.get(reverse("publications:attachment", args=[draft.pk, att.pk]))
    assert opened["Content-Type"] == "application/pdf"
    assert opened["Content-Disposition"].startswith("inline;")
    assert b"".join(opened.streaming_content) == pdf_bytes("Hours")
    downloaded = client.get(reverse("publications:attachment", args=[draft.pk, att.pk]) + "?download=1")
    assert downloaded["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E6%9C%8D" in downloaded["Content-Disposition"]


def test_a_refused_upload_says_why_and_keeps_nothing(
    client: Client, draft: Publication, drafter: User
) -> None:
    sign_in(client, drafter)
    response = client.post(
        reverse("publications:attachment_add", args=[draft.pk]),
        {"title": "关于便民服务的通知", "file": upload("notice.pdf", b"<html><script>x</script></html>")},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "附件未上传：" in text and "内容不是 PDF、DOCX、XLSX、JPG、PNG 文件" in text
    assert 'value="关于便民服务的通知"' in text  # the typed title is kept
    assert not PublicationAttachment.objects.exists() and stored_files() == []


def test_a_reviewer_sees_the_files_but_cannot_change_them(
    client: Client, pending_head: Publication, drafter: User, head: User
) -> None:
    services.publication_reject(actor=head, publication=pending_head, reason="补附件")
    att = services.attachment_add(
        actor=drafter, publication=pending_head, upload=checked("a.docx", docx_bytes())
    )
    services.publication_submit(actor=drafter, publication=pending_head)
    sign_in(client, head)
    page = client.get(reverse("publications:detail", args=[pending_head.pk])).content.decode()
    assert "a</a>" in page and "上传附件" not in page and "删除" not in page
    response = client.get(reverse("publications:attachment", args=[pending_head.pk, att.pk]))
    # Word files always download, never render.
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]
    removed = client.post(
        reverse("publications:attachment_remove", args=[pending_head.pk, att.pk]), follow=True
    )
    assert "只有起草人可以增删附件" in removed.content.decode()
    assert PublicationAttachment.objects.filter(pk=att.pk).exists()


def test_an_attachment_is_reached_only_through_its_own_item(
    client: Client, draft: Publication, drafter: User
) -> None:
    other = PublicationFactory(department=draft.department, published=True)
    att = services.attachment_add(actor=drafter, publication=draft, upload=checked("a.pdf", pdf_bytes()))
    sign_in(client, drafter)
    assert client.get(reverse("publications:attachment", args=[other.pk, att.pk])).status_code == 404


def test_the_served_length_and_nosniff_hold_for_the_workbench_too(
    client: Client, draft: Publication, drafter: User
) -> None:
    att = services.attachment_add(actor=drafter, publication=draft, upload=checked("a.pdf", pdf_bytes("Len")))
    sign_in(client, drafter)
    response = client.get(reverse("publications:attachment", args=[draft.pk, att.pk]))
    assert response["Content-Length"] == str(att.size) == str(len(pdf_bytes("Len")))
    assert response["X-Content-Type-Options"] == "nosniff"
