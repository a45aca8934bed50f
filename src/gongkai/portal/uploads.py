"""Identity-document scans uploaded with an online application.

The file comes from anyone on the internet, so nothing about it is trusted: the type is sniffed from
the first bytes and must agree with the file name's extension (a ``.jpg`` that is really a PDF or an
HTML page is refused, as is anything that is not JPEG, PNG or PDF — SVG and HTML can carry script);
images are decoded and re-encoded by Pillow, which drops whatever rode along after the image data
(polyglots, EXIF with GPS positions); PDFs must start with the PDF header at byte 0, end with
``%%EOF`` and carry no active content. Accepted files are stored under ``MEDIA_ROOT/private`` with a
random name: that directory is not the static root and no URL serves it — staff open a scan through
a workbench view that checks their role and records the access.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_FILES = 3

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
_EXTENSIONS = {".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".pdf": PDF}
_STORED_EXTENSION = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}
_KIND_LABEL = {JPEG: "JPEG 图片", PNG: "PNG 图片", PDF: "PDF 文件"}

# PDF features that run code or carry other files; an ID scan needs none of them.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA|SubmitForm|ImportData)\b")
# Markup that a browser sniffing the bytes could take for a page.
_MARKUP = re.compile(rb"<\s*(html|script|svg|body|iframe|object|embed|!doctype)", re.IGNORECASE)


class UploadRejected(ValueError):
    """The upload is refused; ``str(error)`` says why, in words the applicant can act on."""


@dataclass(frozen=True)
class CleanUpload:
    content: bytes
    content_type: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def extension(self) -> str:
        return _STORED_EXTENSION[self.content_type]


def sniff(head: bytes) -> str | None:
    """The content type the leading bytes prove, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def _read_capped(upload: UploadedFile) -> bytes:
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise UploadRejected(_too_big(upload.size))
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected(_too_big(len(data)))
    if not data:
        raise UploadRejected(_("文件“%(name)s”是空文件") % {"name": _display_name(upload.name)})
    return data


def _too_big(size: int) -> str:
    return _("文件过大（%(size).1f MB），每个文件不得超过 %(cap)d MB") % {
        "size": size / 1024 / 1024,
        "cap": MAX_UPLOAD_BYTES // 1024 // 1024,
    }


def _display_name(name: str | None) -> str:
    return Path(name or "").name[:80] or _("未命名文件")


def validate_upload(upload: UploadedFile) -> CleanUpload:
    """Check one uploaded scan and return its cleaned bytes, or raise ``UploadRejected``."""
    name = _display_name(upload.name)
    data = _read_capped(upload)
    ext = Path(name).suffix.lower()
    claimed = _EXTENSIONS.get(ext)
    actual = sniff(data[:16])
    if claimed is None:
        raise UploadRejected(
            _("不支持的文件类型“%(ext)s”：只接受 JPG、PNG 图片或 PDF 文件") % {"ext": ext or _("无扩展名")}
        )
    if actual is None:
        raise UploadRejected(
            _("文件“%(name)s”的内容不是 JPG、PNG 图片或 PDF 文件，无法接收") % {"name": name}
        )
    if actual != claimed:
        raise UploadRejected(
            _("文件“%(name)s”的扩展名与内容不符（内容为%(kind)s），请上传原始文件")
            % {"name": name, "kind": _KIND_LABEL[actual]}
        )
    if actual == PDF:
        return CleanUpload(_check_pdf(data, name), PDF, name)
    return CleanUpload(_reencode_image(data, actual, name), actual, name)


def _check_pdf(data: bytes, name: str) -> bytes:
    if not re.match(rb"%PDF-[12]\.\d", data):
        raise UploadRejected(_("文件“%(name)s”的 PDF 文件头无效") % {"name": name})
    end = data.rfind(b"%%EOF")
    if end < 0 or data[end + 5 :].strip():
        # Bytes after the end marker are where a second format (ZIP, HTML) hides in a polyglot.
        raise UploadRejected(
            _("文件“%(name)s”不是完整的 PDF 文件，或在文件末尾附带了其他内容") % {"name": name}
        )
    if _PDF_ACTIVE.search(data):
        raise UploadRejected(_("文件“%(name)s”包含脚本、附件或表单等动态内容，请上传扫描件") % {"name": name})
    if _MARKUP.search(data[:4096]):
        raise UploadRejected(_("文件“%(name)s”夹带网页内容，无法接收") % {"name": name})
    return data


def _reencode_image(data: bytes, kind: str, name: str) -> bytes:
    unreadable = UploadRejected(_("图片“%(name)s”无法识别或已损坏") % {"name": name})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise UploadRejected(_("图片“%(name)s”尺寸过大") % {"name": name})
                probe.verify()
            # verify() leaves the image unusable; decode afresh for the re-encoding.
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                img = ImageOps.exif_transpose(img)
                out = io.BytesIO()
                if kind == JPEG:
                    if img.mode not in ("RGB", "L"):
                        img = img.convert("RGB")
                    img.save(out, format="JPEG", quality=88, optimize=True)
                else:
                    if img.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
                        img = img.convert("RGBA")
                    img.save(out, format="PNG", optimize=True)
    except UploadRejected:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise unreadable from None
    return out.getvalue()


class PrivateStorage(FileSystemStorage):
    """A file system storage without URLs: a template asking for one fails instead of linking."""

    def url(self, name: str | None) -> str:
        raise ValueError("private uploads have no public URL; use the workbench view")


def private_storage() -> PrivateStorage:
    """Storage for uploads no URL serves: under MEDIA_ROOT, never under STATIC_ROOT."""
    root = Path(settings.MEDIA_ROOT) / "private"
    static_root = Path(settings.STATIC_ROOT).resolve() if settings.STATIC_ROOT else None
    if static_root is not None and (root.resolve() == static_root or static_root in root.resolve().parents):
        raise RuntimeError("MEDIA_ROOT/private must not lie inside STATIC_ROOT")
    return PrivateStorage(location=root, file_permissions_mode=0o600, directory_permissions_mode=0o700)


def store_upload(clean: CleanUpload, *, folder: str = "idscans") -> str:
    """Save the cleaned bytes under a random name; returns the storage name to keep on the record."""
    name = f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{clean.extension}"
    return private_storage().save(name, ContentFile(clean.content))
