"""Checking and storing uploaded files whose bytes nobody vouches for.

Shared by the portal (identity scans from the public) and the workbench (attachments of published
items, which end up served to the public). Each caller decides which kinds it accepts and how large a
file may be; this module proves what a file is from its bytes, not from its name, and refuses what
can carry script or hide a second format:

* the type is sniffed from the first bytes and must agree with the file name's extension;
* images are decoded and re-encoded by Pillow, which drops whatever rode along after the image data
  (polyglots, EXIF with GPS positions);
* PDFs must start with the PDF header at byte 0, end with ``%%EOF`` and carry no active content;
* Word and Excel files (OOXML) must be well-formed ZIP packages of the claimed kind, without macros,
  ActiveX or embedded objects, and without a decompressed size out of proportion (ZIP bombs).

Accepted files are stored under ``MEDIA_ROOT/private`` with a random name: that directory is not the
static root and no URL serves it; views hand files out after their own permission checks.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import warnings
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_PIXELS = 40_000_000

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX}
STORED_EXTENSION = {JPEG: "jpg", PNG: "png", PDF: "pdf", DOCX: "docx", XLSX: "xlsx"}
KIND_LABEL = {JPEG: "JPEG 图片", PNG: "PNG 图片", PDF: "PDF 文件", DOCX: "Word 文档", XLSX: "Excel 表格"}
SHORT_LABEL = {JPEG: "JPG", PNG: "PNG", PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX"}

# PDF features that run code or carry other files; a published document or a scan needs none of them.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA|SubmitForm|ImportData)\b")
# Markup that a browser sniffing the bytes could take for a page.
_MARKUP = re.compile(rb"<\s*(html|script|svg|body|iframe|object|embed|!doctype)", re.IGNORECASE)

# The part every package of the kind has; which one is present proves Word from Excel.
_OOXML_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
# Parts that run code or carry other programs' objects inside an Office file.
_OOXML_ACTIVE = re.compile(r"(vbaProject\.bin|vbaData\.xml|/activeX/|/embeddings/|\.(bin|exe|dll|js)$)", re.I)
_OOXML_MAX_ENTRIES = 2000
_OOXML_MAX_UNPACKED = 200 * 1024 * 1024
_OOXML_MAX_RATIO = 200


class UploadRejected(ValueError):
    """The upload is refused; ``str(error)`` says why, in words the uploader can act on."""


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
        return STORED_EXTENSION[self.content_type]


def sniff(head: bytes) -> str | None:
    """The content type the leading bytes prove, or None. A ZIP is reported as DOCX here; which
    Office kind it really is (or whether it is one at all) is settled by ``_check_ooxml``."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return DOCX
    return None


def display_name(name: str | None) -> str:
    return Path(name or "").name[:80] or _("未命名文件")


def too_big(size: int, cap: int) -> str:
    return _("文件过大（%(size).1f MB），每个文件不得超过 %(cap)d MB") % {
        "size": size / 1024 / 1024,
        "cap": cap // 1024 // 1024,
    }


def read_capped(upload: UploadedFile, cap: int) -> bytes:
    """The upload's bytes, refusing more than ``cap`` without reading past it."""
    if upload.size is not None and upload.size > cap:
        raise UploadRejected(too_big(upload.size, cap))
    upload.seek(0)
    data = upload.read(cap + 1)
    if len(data) > cap:
        raise UploadRejected(too_big(len(data), cap))
    if not data:
        raise UploadRejected(_("文件“%(name)s”是空文件") % {"name": display_name(upload.name)})
    return data


def validate_file(upload: UploadedFile, *, accept: Collection[str], cap: int) -> CleanUpload:
    """Check one uploaded file against the accepted content types and the size cap.

    Returns the cleaned bytes (images re-encoded) or raises ``UploadRejected``.
    """
    name = display_name(upload.name)
    accepted = "、".join(dict.fromkeys(SHORT_LABEL[t] for t in accept))
    data = read_capped(upload, cap)
    ext = Path(name).suffix.lower()
    claimed = EXTENSIONS.get(ext)
    if claimed is None or claimed not in accept:
        raise UploadRejected(
            _("不支持的文件类型“%(ext)s”：只接受 %(accepted)s 文件")
            % {"ext": ext or _("无扩展名"), "accepted": accepted}
        )
    actual = sniff(data[:16])
    if actual == DOCX:
        actual = _check_ooxml(data, name)
    if actual is None or actual not in accept:
        raise UploadRejected(
            _("文件“%(name)s”的内容不是 %(accepted)s 文件，无法接收") % {"name": name, "accepted": accepted}
        )
    if actual != claimed:
        raise UploadRejected(
            _("文件“%(name)s”的扩展名与内容不符（内容为%(kind)s），请上传原始文件")
            % {"name": name, "kind": KIND_LABEL[actual]}
        )
    if actual == PDF:
        return CleanUpload(check_pdf(data, name), PDF, name)
    if actual in (JPEG, PNG):
        return CleanUpload(reencode_image(data, actual, name), actual, name)
    return CleanUpload(data, actual, name)


def check_pdf(data: bytes, name: str) -> bytes:
    if not re.match(rb"%PDF-[12]\.\d", data):
        raise UploadRejected(_("文件“%(name)s”的 PDF 文件头无效") % {"name": name})
    end = data.rfind(b"%%EOF")
    if end < 0 or data[end + 5 :].strip():
        # Bytes after the end marker are where a second format (ZIP, HTML) hides in a polyglot.
        raise UploadRejected(
            _("文件“%(name)s”不是完整的 PDF 文件，或在文件末尾附带了其他内容") % {"name": name}
        )
    if _PDF_ACTIVE.search(data):
        raise UploadRejected(
            _("文件“%(name)s”包含脚本、附件或表单等动态内容，请另存为普通 PDF 后上传") % {"name": name}
        )
    if _MARKUP.search(data[:4096]):
        raise UploadRejected(_("文件“%(name)s”夹带网页内容，无法接收") % {"name": name})
    return data


def _check_ooxml(data: bytes, name: str) -> str | None:
    """The Office kind of a ZIP package (DOCX or XLSX), None if it is neither; refuses active parts."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
            if len(entries) > _OOXML_MAX_ENTRIES:
                raise UploadRejected(_("文件“%(name)s”结构异常（部件过多），无法接收") % {"name": name})
            unpacked = sum(e.file_size for e in entries)
            if unpacked > _OOXML_MAX_UNPACKED or unpacked > _OOXML_MAX_RATIO * max(len(data), 1):
                raise UploadRejected(_("文件“%(name)s”解压后体积异常，无法接收") % {"name": name})
            names = {e.filename for e in entries}
            if "[Content_Types].xml" not in names:
                return None
            if any(_OOXML_ACTIVE.search(n) for n in names):
                raise UploadRejected(
                    _("文件“%(name)s”包含宏、控件或嵌入对象，请另存为不含宏的普通文档后上传") % {"name": name}
                )
            content_types = package.read("[Content_Types].xml")
            if b"macroEnabled" in content_types:
                raise UploadRejected(
                    _("文件“%(name)s”是启用宏的文档，请另存为不含宏的普通文档后上传") % {"name": name}
                )
            if package.testzip() is not None:
                raise UploadRejected(_("文件“%(name)s”已损坏，无法打开") % {"name": name})
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, NotImplementedError):
        raise UploadRejected(_("文件“%(name)s”已损坏，无法打开") % {"name": name}) from None
    for kind, part in _OOXML_MAIN_PART.items():
        if part in names:
            return kind
    return None


def reencode_image(data: bytes, kind: str, name: str) -> bytes:
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
        raise ValueError("private uploads have no public URL; serve them through a view")


def private_storage() -> PrivateStorage:
    """Storage for uploads no URL serves: under MEDIA_ROOT, never under STATIC_ROOT."""
    root = Path(settings.MEDIA_ROOT) / "private"
    static_root = Path(settings.STATIC_ROOT).resolve() if settings.STATIC_ROOT else None
    if static_root is not None and (root.resolve() == static_root or static_root in root.resolve().parents):
        raise RuntimeError("MEDIA_ROOT/private must not lie inside STATIC_ROOT")
    return PrivateStorage(location=root, file_permissions_mode=0o600, directory_permissions_mode=0o700)


def store_upload(clean: CleanUpload, *, folder: str) -> str:
    """Save the cleaned bytes under a random name; returns the storage name to keep on the record."""
    name = f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{clean.extension}"
    return private_storage().save(name, ContentFile(clean.content))
