"""ID-scan uploads: sniffed types, disguises, polyglots, size caps and private storage."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongkai.portal import uploads
from gongkai.portal.uploads import UploadRejected, private_storage, store_upload, validate_upload
from sample_files import pdf_bytes


def _image(fmt: str, size: tuple[int, int] = (64, 40), mode: str = "RGB", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white").save(out, format=fmt, **save)
    return out.getvalue()


def _pdf(*extra: bytes) -> bytes:
    return pdf_bytes("Scan", extra=extra)


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_jpeg_is_reencoded_without_metadata() -> None:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    original = _image("JPEG", exif=exif.tobytes())
    assert b"CameraMaker" in original
    clean = validate_upload(_upload("身份证.JPG", original))
    assert clean.content_type == "image/jpeg"
    assert clean.content.startswith(b"\xff\xd8\xff")
    assert b"CameraMaker" not in clean.content
    with Image.open(io.BytesIO(clean.content)) as img:
        assert img.size == (64, 40)


def test_png_is_accepted_and_reencoded() -> None:
    clean = validate_upload(_upload("scan.png", _image("PNG", mode="RGBA")))
    assert clean.content_type == "image/png"
    with Image.open(io.BytesIO(clean.content)) as img:
        assert img.format == "PNG"


def test_pdf_scan_is_accepted_unchanged() -> None:
    data = _pdf()
    clean = validate_upload(_upload("scan.pdf", data))
    assert clean.content == data and clean.extension == "pdf"


def test_jpeg_html_polyglot_loses_its_payload() -> None:
    payload = b"<html><script>alert(document.cookie)</script></html>"
    clean = validate_upload(_upload("id.jpg", _image("JPEG") + payload))
    assert b"<script" not in clean.content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("id.jpg", _image("PNG"), "扩展名与内容不符（内容为PNG 图片）"),
        ("id.png", _pdf(), "扩展名与内容不符（内容为PDF 文件）"),
        ("id.jpg", b"<html><body>hi</body></html>", "内容不是 JPG、PNG、PDF 文件"),
        (
            "id.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
            "不支持的文件类型“.svg”",
        ),
        ("id.html", b"<html></html>", "不支持的文件类型“.html”"),
        ("id", _image("JPEG"), "不支持的文件类型“无扩展名”"),
        ("id.gif", b"GIF89a....", "不支持的文件类型“.gif”"),
        ("id.jpg", b"\xff\xd8\xff\xe0garbage-not-a-jpeg", "无法识别或已损坏"),
        ("id.jpg", b"", "空文件"),
        ("id.pdf", _pdf(b"<</S/JavaScript/JS(app.alert(1))>>"), "动态内容"),
        ("id.pdf", _pdf(b"<</Type/EmbeddedFile/Length 0>>stream\n\nendstream"), "动态内容"),
        ("id.pdf", _pdf() + b"PK\x03\x04zip-payload", "末尾附带了其他内容"),
        ("id.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "不是完整的 PDF 文件"),
        ("id.pdf", b"%PDF-9.9\n%%EOF", "PDF 文件头无效"),
        ("id.pdf", _pdf(b"(<html><script>x</script></html>)"), "网页内容"),
        ("id.pdf", pdf_bytes().replace(b"/Count 1", b"/Count 0").replace(b"[3 0 R]", b"[]"), "没有页面"),
    ],
)
def test_disguised_or_dangerous_files_are_refused(name: str, content: bytes, message: str) -> None:
    with pytest.raises(UploadRejected, match=message):
        validate_upload(_upload(name, content))


def test_oversized_file_is_refused_before_decoding() -> None:
    big = _image("JPEG") + b"\0" * uploads.MAX_UPLOAD_BYTES
    with pytest.raises(UploadRejected, match=r"文件过大（5\.0 MB），每个文件不得超过 5 MB"):
        validate_upload(_upload("id.jpg", big))


def test_decompression_bomb_is_refused() -> None:
    bomb = _image("PNG", size=(10_000, 5_001), mode="1")  # one row above the 50 megapixel cap
    assert len(bomb) < 100_000
    with pytest.raises(UploadRejected, match="尺寸过大（超过 50 百万像素）"):
        validate_upload(_upload("bomb.png", bomb))


def test_stored_under_private_media_with_a_random_name(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    clean = validate_upload(_upload("张三身份证.jpg", _image("JPEG")))
    first, second = store_upload(clean), store_upload(clean)
    assert first != second
    assert "张三" not in first and first.endswith(".jpg")
    path = Path(private_storage().path(first))
    assert path.is_relative_to(tmp_path / "media" / "private")
    assert path.read_bytes() == clean.content
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(ValueError):
        private_storage().url(first)


def test_private_storage_refuses_to_live_in_the_static_root(settings, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(RuntimeError):
        private_storage()
