"""The issue's hostile uploads, through the pages that take them, and the sweep of files without records.

Each refusal is seen where a person sees it: the public application form (ID scans) and the workbench's
attachment form (files served to the public), with the one-line Chinese reason and nothing kept.
"""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from gongkai import cli
from gongkai.core.files import CleanUpload, image_size, private_storage, store_upload
from gongkai.core.orphans import GRACE
from gongkai.inforequests.models import InfoRequest
from gongkai.portal.models import ApplicationScan
from gongkai.publications.models import PublicationAttachment
from portal.conftest import jpeg_bytes
from sample_files import docx_bytes, pdf_bytes, pdf_compressed
from staff_auth import sign_in

pytestmark = pytest.mark.django_db

HEX_ESCAPED_PDF = pdf_bytes(catalog=b"/OpenAction 6 0 R", extra=(b"<</S/J#61vaScript/J#53(app.alert(1))>>",))
OBJECT_STREAM_PDF = pdf_compressed(
    pdf_bytes(catalog=b"/OpenAction 6 0 R", extra=(b"<</S/Launch/F(cmd.exe)>>",))
)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height``; its pixel data is a few bytes of nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"\x78\x9c") + chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG with its frame header (SOF0) rewritten to claim ``width``×``height``."""
    data = bytearray(jpeg_bytes((16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def escaping_zip() -> bytes:
    base = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in base.infolist():
            dst.writestr(item, base.read(item.filename))
        dst.writestr("../../../x", b"#!/bin/sh\n")
    return out.getvalue()


def macro_under_another_name() -> bytes:
    base = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    override = (
        b'<Override PartName="/word/media/logo.png" ContentType="application/vnd.ms-office.vbaProject"/>'
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in base.infolist():
            data = base.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", override + b"</Types>")
            dst.writestr(item, data)
        dst.writestr("word/media/logo.png", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return out.getvalue()


def application(scan: SimpleUploadedFile) -> dict[str, Any]:
    return {
        "applicant_type": "natural_person",
        "name": "上官申请人",
        "id_kind": "resident_id",
        "id_number": "440524188001010014",
        "phone": "13600001111",
        "email": "shangguan@example.cn",
        "address": "",
        "description": "2023年老旧小区综合整治项目的验收报告",
        "form_of_provision": "email",
        "pledge": "on",
        "homepage": "",
        "scans": [scan],
    }


def stored() -> list[Path]:
    root = Path(private_storage().location)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- ID scans on the public form ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "身份证.pdf",
            HEX_ESCAPED_PDF,
            "包含动态内容（脚本（JavaScript）、打开文件或操作页面时自动执行的动作）",
        ),
        ("身份证.pdf", OBJECT_STREAM_PDF, "启动程序或打开其他文件的动作"),
        ("身份证.png", png_claiming(30_000, 30_000), "尺寸过大（超过 50 百万像素），请缩小后上传"),
        ("身份证.jpg", jpeg_claiming(60_000, 60_000), "尺寸过大（超过 50 百万像素），请缩小后上传"),
        ("身份证.png", png_claiming(8_000, 7_000), "尺寸过大（超过 50 百万像素），请缩小后上传"),
    ],
    ids=["hex-escaped-pdf", "object-stream-pdf", "png-bomb", "jpeg-bomb", "png-56mp"],
)
def test_hostile_scans_are_refused_on_the_form_with_the_reason(
    client: Client, office: Any, name: str, content: bytes, reason: str
) -> None:
    started = time.monotonic()
    response = client.post("/apply/", application(SimpleUploadedFile(name, content)))
    assert time.monotonic() - started < 5  # nothing was decoded
    assert response.status_code == 400
    page = response.content.decode()
    assert f"文件“{name}”" in page or f"图片“{name}”" in page
    assert reason in page
    assert not InfoRequest.objects.exists() and stored() == []


def test_the_pixel_cap_is_read_from_the_header_and_a_phone_photo_passes() -> None:
    # The full-resolution modes of current phones: 48 MP (8064×6048) and 50 MP (8160×6120).
    assert image_size(jpeg_claiming(8064, 6048), "image/jpeg", "p.jpg") == (8064, 6048)
    assert image_size(jpeg_claiming(8160, 6120), "image/jpeg", "p.jpg") == (8160, 6120)


# --- attachments in the workbench ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("通知.pdf", HEX_ESCAPED_PDF, "包含动态内容（脚本（JavaScript）"),
        ("通知.pdf", OBJECT_STREAM_PDF, "启动程序或打开其他文件的动作"),
        ("通知.docx", macro_under_another_name(), "包含宏、控件或嵌入对象（宏）"),
        ("通知.docx", escaping_zip(), "压缩包内有异常的路径“../../../x”"),
        ("示意图.png", png_claiming(30_000, 30_000), "尺寸过大"),
    ],
    ids=["hex-escaped-pdf", "object-stream-pdf", "renamed-macro", "escaping-entry", "pixel-bomb"],
)
def test_hostile_attachments_are_refused_in_the_workbench(
    client: Client, ledger: Any, name: str, content: bytes, reason: str
) -> None:
    draft = ledger.items["draft"]
    before = stored()
    sign_in(client, ledger.drafter)
    response = client.post(
        reverse("publications:attachment_add", args=[draft.pk]),
        {"title": "附件", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert "附件未上传：" in response.content.decode() and reason in response.content.decode()
    assert draft.attachments.count() == 1 and stored() == before


def test_a_benign_word_file_is_still_attached(client: Client, ledger: Any) -> None:
    draft = ledger.items["draft"]
    sign_in(client, ledger.drafter)
    response = client.post(
        reverse("publications:attachment_add", args=[draft.pk]),
        {"title": "征求意见表", "file": SimpleUploadedFile("意见表.docx", docx_bytes())},
        follow=True,
    )
    assert "已添加附件“征求意见表”" in response.content.decode()


# --- files without records ----------------------------------------------------------------------------


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_tick_removes_old_orphans_and_keeps_fresh_ones_and_every_referenced_file(
    ledger: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(private_storage().location)
    referenced = [root / s.storage_name for s in ApplicationScan.objects.all()]
    referenced += [root / a.storage_name for a in PublicationAttachment.objects.all()]
    assert len(referenced) >= 4 and all(p.is_file() for p in referenced)
    scan = CleanUpload(jpeg_bytes(), "image/jpeg", "id.jpg")
    # What a worker killed between writing the scans and committing the application leaves behind.
    old_scan = root / store_upload(scan, folder="idscans")
    old_attachment = root / store_upload(
        CleanUpload(pdf_bytes(), "application/pdf", "a.pdf"), folder="attachments"
    )
    fresh_scan = root / store_upload(scan, folder="idscans")  # a request that is committing right now
    unknown = root / "elsewhere" / "kept.bin"  # a folder no app declares is left alone
    unknown.parent.mkdir(parents=True)
    unknown.write_bytes(b"x")
    for path in [*referenced, old_scan, old_attachment, unknown]:
        _age(path, GRACE.total_seconds() + 60)

    assert cli.main(["tick"]) == 0
    assert "已清理 2 个没有对应记录的上传文件" in capsys.readouterr().out
    assert not old_scan.exists() and not old_attachment.exists()
    assert fresh_scan.exists() and unknown.exists()
    assert all(p.is_file() for p in referenced)

    assert cli.main(["tick"]) == 0  # nothing more to do, and nothing said about it
    assert "已清理" not in capsys.readouterr().out


def test_a_stored_upload_is_on_disk_before_its_record_can_exist(
    office: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.portal import services
    from gongkai.portal.uploads import validate_upload

    register = services.inforequest_register
    seen: list[Path] = []

    def look_then_register(**kwargs: Any) -> Any:
        # Inside the transaction, before the scan rows: the scan file is complete on disk already.
        seen.extend(stored())
        assert seen[0].read_bytes().startswith(b"\xff\xd8\xff") and not ApplicationScan.objects.exists()
        return register(**kwargs)

    monkeypatch.setattr(services, "inforequest_register", look_then_register)
    services.application_submit(
        applicant_type="natural_person",
        name="上官申请人",
        id_number="440524188001010014",
        phone="13600001111",
        description="验收报告",
        form_of_provision="email",
        email="shangguan@example.cn",
        scans=[validate_upload(SimpleUploadedFile("id.jpg", jpeg_bytes()))],
    )
    assert len(seen) == 1
    assert [Path(private_storage().path(s.storage_name)) for s in ApplicationScan.objects.all()] == seen


def test_image_decoding_happens_only_after_the_header_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import ImageFile

    from gongkai.core.files import UploadRejected, reencode_image

    decoded: list[str] = []
    original = ImageFile.ImageFile.load

    def watched_load(self: ImageFile.ImageFile) -> Any:
        decoded.append(str(self.format))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", watched_load)
    reencode_image(_small_png(), "image/png", "ok.png")
    assert "PNG" in decoded  # the watch sees a decode when there is one
    decoded.clear()
    with pytest.raises(UploadRejected, match="尺寸过大"):
        reencode_image(png_claiming(30_000, 30_000), "image/png", "bomb.png")
    assert decoded == []


def _small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(out, format="PNG")
    return out.getvalue()
