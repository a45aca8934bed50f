"""Checking and storing uploaded files whose bytes nobody vouches for.

Shared by the portal (identity scans from the public) and the workbench (attachments of published
items, which end up served to the public). Each caller decides which kinds it accepts and how large a
file may be; this module proves what a file is from its bytes, not from its name, and refuses what
can carry script or hide a second format:

* the type is sniffed from the first bytes and must agree with the file name's extension;
* images are refused above ``MAX_IMAGE_PIXELS`` from their header, before any decoding, then decoded and
  re-encoded by Pillow, which drops whatever rode along after the image data (polyglots, EXIF with GPS
  positions);
* PDFs must start with the PDF header at byte 0, end with ``%%EOF`` and, parsed by qpdf, carry no active
  content in any revision (``core.pdf_check``);
* Word and Excel files (OOXML) must be well-formed ZIP packages of the claimed kind, without macros under
  any name, ActiveX, embedded objects, imported chunks, links outside the package other than web links,
  entry names that climb out, or a decompressed size out of proportion (``core.ooxml_check``).

Every refusal is one line of Chinese naming the file and the reason.

Accepted files are stored under ``MEDIA_ROOT/private`` with a random name: that directory is not the
static root and no URL serves it; views hand files out after their own permission checks.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import warnings
import zipfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from gongkai.core import media_check, ooxml_check, pdf_check
from gongkai.core.media_check import M4A, MP3, MP4

# A 48 or 50 megapixel photo (the full-resolution mode of current phones: 8064×6048, 8160×6120) passes;
# the 108/200 MP modes give files above every size cap here anyway. Decoding one at the cap takes about
# 150 MB (RGB) to 200 MB (RGBA): the cap bounds memory per image, ``upload_slots`` bounds images at once.
MAX_IMAGE_PIXELS = 50_000_000
# Above this many pixels the JPEG is re-encoded without the optimizer's second pass, which holds every
# coefficient of the image in memory once more.
_OPTIMIZE_MAX_PIXELS = 12_000_000

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX,
              ".mp4": MP4, ".m4a": M4A, ".mp3": MP3}  # fmt: skip
STORED_EXTENSION = {JPEG: "jpg", PNG: "png", PDF: "pdf", DOCX: "docx", XLSX: "xlsx",
                    MP4: "mp4", M4A: "m4a", MP3: "mp3"}  # fmt: skip
KIND_LABEL = {JPEG: "JPEG 图片", PNG: "PNG 图片", PDF: "PDF 文件", DOCX: "Word 文档", XLSX: "Excel 表格",
              MP4: "MP4 视频", M4A: "M4A 音频", MP3: "MP3 音频"}  # fmt: skip
SHORT_LABEL = {JPEG: "JPG", PNG: "PNG", PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", MP4: "MP4", M4A: "M4A",
               MP3: "MP3"}  # fmt: skip
MEDIA = frozenset({MP4, M4A, MP3})
_PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG"}

# Markup that a browser sniffing the bytes could take for a page.
_MARKUP = re.compile(rb"<\s*(html|script|svg|body|iframe|object|embed|!doctype)", re.IGNORECASE)
# The main part's content type proves Word from Excel.
_OOXML_KIND = {ooxml_check.DOCX_MAIN: DOCX, ooxml_check.XLSX_MAIN: XLSX}


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
    # Audio and video are only suggested here; ``validate_file`` proves the container where media is taken.
    return media_check.sniff_media(head)


def display_name(name: str | None) -> str:
    """The file's name as a refusal may quote it: no folders, no line breaks or other control characters."""
    shown = "".join(ch for ch in Path(name or "").name if ch.isprintable())
    return shown[:80] or _("未命名文件")


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
        # Unpacking a ZIP is work worth doing only where Office files are taken at all.
        actual = _check_ooxml(data, name) if {DOCX, XLSX} & set(accept) else None
    if actual in MEDIA:
        actual = _check_media(data, name) if MEDIA & set(accept) else None
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


def _check_media(data: bytes, name: str) -> str:
    try:
        return media_check.check_media(data)
    except media_check.MediaInvalid as exc:
        raise UploadRejected(
            _("文件“%(name)s”不是完整的音视频文件：%(why)s") % {"name": name, "why": exc}
        ) from exc


def check_pdf(data: bytes, name: str) -> bytes:
    if not re.match(rb"%PDF-[12]\.\d", data):
        raise UploadRejected(_("文件“%(name)s”的 PDF 文件头无效") % {"name": name})
    end = data.rfind(b"%%EOF")
    if end < 0 or data[end + 5 :].strip():
        # Bytes after the end marker are where a second format (ZIP, HTML) hides in a polyglot.
        raise UploadRejected(
            _("文件“%(name)s”不是完整的 PDF 文件，或在文件末尾附带了其他内容") % {"name": name}
        )
    if _MARKUP.search(data[:4096]):
        raise UploadRejected(_("文件“%(name)s”夹带网页内容，无法接收") % {"name": name})
    try:
        found = pdf_check.pdf_findings(data)
    except pdf_check.PdfEncrypted:
        raise UploadRejected(
            _("文件“%(name)s”已加密，无法检查其内容，请去除打开密码后上传") % {"name": name}
        ) from None
    except pdf_check.PdfTooComplex:
        raise UploadRejected(
            _("文件“%(name)s”结构过于复杂（修改版本或对象过多），请另存为普通 PDF 后上传") % {"name": name}
        ) from None
    except pdf_check.PdfUnreadable:
        raise UploadRejected(
            _("文件“%(name)s”无法作为 PDF 打开（已损坏或没有页面），请重新导出后上传") % {"name": name}
        ) from None
    if found:
        what = "、".join(label for key, label in pdf_check.FINDING_LABELS.items() if key in found)
        raise UploadRejected(
            _("文件“%(name)s”包含动态内容（%(what)s），请另存为普通 PDF 后上传")
            % {"name": name, "what": what}
        )
    return data


def _check_ooxml(data: bytes, name: str) -> str | None:
    """The Office kind of a ZIP package (DOCX or XLSX), None if it is neither; refuses active parts."""
    damaged = UploadRejected(_("文件“%(name)s”已损坏，无法打开") % {"name": name})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            main = ooxml_check.ooxml_kind(package, len(data), name)
            if main is not None and package.testzip() is not None:
                raise damaged
    except ooxml_check.PackageRefused as exc:
        raise UploadRejected(str(exc)) from None
    except ooxml_check.READ_ERRORS:
        raise damaged from None
    return _OOXML_KIND.get(main or "")


def image_size(data: bytes, kind: str, name: str) -> tuple[int, int]:
    """Width and height from the image's header, refusing one above ``MAX_IMAGE_PIXELS``. Nothing is
    decoded: Pillow's ``open`` reads the header only (and its own bomb check, made an error here, stops
    a header claiming more than twice its default limit before our comparison)."""
    too_large = UploadRejected(
        _("图片“%(name)s”尺寸过大（超过 %(mp)d 百万像素），请缩小后上传")
        % {"name": name, "mp": MAX_IMAGE_PIXELS // 1_000_000}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[kind]]) as probe:
                width, height = probe.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise UploadRejected(_("图片“%(name)s”无法识别或已损坏") % {"name": name}) from None
    if width * height > MAX_IMAGE_PIXELS:
        raise too_large
    return width, height


def reencode_image(data: bytes, kind: str, name: str) -> bytes:
    width, height = image_size(data, kind, name)
    fmt = _PILLOW_FORMAT[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
                probe.verify()
            # verify() leaves the image unusable; decode afresh for the re-encoding.
            with Image.open(io.BytesIO(data), formats=[fmt]) as img:
                img.load()
                # In place: a transposed copy would hold a second full-size bitmap.
                ImageOps.exif_transpose(img, in_place=True)
                return _encode(img, kind, optimize=width * height <= _OPTIMIZE_MAX_PIXELS)
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise UploadRejected(_("图片“%(name)s”无法识别或已损坏") % {"name": name}) from None


def _encode(img: Image.Image, kind: str, *, optimize: bool) -> bytes:
    out = io.BytesIO()
    if kind == JPEG:
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        img.save(out, format="JPEG", quality=88, optimize=optimize)
    else:
        if img.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
            img = img.convert("RGBA")
        img.save(out, format="PNG", optimize=optimize)
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
    """Save the cleaned bytes under a random name; returns the storage name to keep on the record.

    Call it before the record that names the file is committed, never after: the file is on disk (flushed)
    before the record can exist, so a record never names a missing file; a crash in between leaves a file
    without a record, which ``gongkai tick`` removes (``core.orphans``)."""
    storage = private_storage()
    name = storage.save(
        f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{clean.extension}",
        ContentFile(clean.content),
    )
    _flush(Path(storage.path(name)))
    return name


@contextmanager
def stored_upload(clean: CleanUpload, *, folder: str) -> Iterator[str]:
    """``store_upload``, then the block that writes the record naming the file: if the block raises (the
    record was refused), the file goes with it. Should an enclosing transaction roll back later, the file
    stays unreferenced in private storage, where nothing serves it, until ``core.orphans`` sweeps it."""
    name = store_upload(clean, folder=folder)
    try:
        yield name
    except BaseException:
        private_storage().delete(name)
        raise


def _flush(path: Path) -> None:
    """Force the file and its directory entry to disk, so a power cut after the commit cannot lose it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
