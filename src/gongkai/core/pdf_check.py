"""What a PDF can do besides show pages, found by parsing it (qpdf, through pikepdf) rather than grepping.

A grep for ``/JavaScript`` misses ``/J#61vaScript`` (the same name, hex-escaped) and everything inside a
compressed object stream. Here qpdf reads the file: names come back decoded, object streams are
unpacked, and every object of the file is examined, whether or not anything points at it. An
incrementally updated file is examined once per revision (each ``%%EOF`` ends one): a viewer shows the
last, but the earlier ones are still in the bytes, and "save as" gives a clean file at no cost to the
uploader, so a file is refused if any revision has active content.

Refused, because a published document or a scanned ID needs none of them: JavaScript; actions run on
opening or on page/field events (``/OpenAction`` with an action other than going to a page, ``/AA``);
actions that reach outside the file (``/Launch``, ``/GoToR``, ``/GoToE``, ``/ImportData``, ``/Thread``);
embedded files; forms (AcroForm fields, XFA, widgets, submit/reset actions); rich media, 3D, movies and
sounds; links to anything but a web or mail address. Plain web links (``/URI`` with http, https or
mailto) are allowed: notices link to the regulation they implement, and a viewer asks before it opens
one. A file that needs a password to open cannot be inspected and is refused; one that only restricts
printing or copying (an empty user password) is decrypted by qpdf and examined like any other.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pikepdf

MAX_REVISIONS = 32
# Objects examined over all revisions together: bounds the time a hostile file can take.
MAX_OBJECTS = 300_000
_MAX_DEPTH = 64

SCRIPT, ACTION, OUTSIDE, ATTACHMENT, FORM, MEDIA, LINK = (
    "script",
    "action",
    "outside",
    "attachment",
    "form",
    "media",
    "link",
)
# What the refusal names, in the order it names them.
FINDING_LABELS = {
    SCRIPT: "脚本（JavaScript）",
    ACTION: "打开文件或操作页面时自动执行的动作",
    OUTSIDE: "启动程序或打开其他文件的动作",
    ATTACHMENT: "嵌入的附件",
    FORM: "可填写或提交的表单",
    MEDIA: "多媒体或三维内容",
    LINK: "指向网址以外位置的链接",
}

_ACTION_TYPES = {
    "/JavaScript": SCRIPT,
    "/Launch": OUTSIDE,
    "/GoToR": OUTSIDE,
    "/GoToE": OUTSIDE,
    "/ImportData": OUTSIDE,
    "/Thread": OUTSIDE,
    "/SubmitForm": FORM,
    "/ResetForm": FORM,
    "/Rendition": MEDIA,
    "/Movie": MEDIA,
    "/Sound": MEDIA,
    "/RichMediaExecute": MEDIA,
    "/GoTo3DView": MEDIA,
}
_SUBTYPES = {
    "/FileAttachment": ATTACHMENT,
    "/Widget": FORM,
    "/RichMedia": MEDIA,
    "/Screen": MEDIA,
    "/Movie": MEDIA,
    "/Sound": MEDIA,
    "/3D": MEDIA,
}
_KEYS = {
    "/JS": SCRIPT,
    "/JavaScript": SCRIPT,
    "/AA": ACTION,
    "/XFA": FORM,
    "/EmbeddedFiles": ATTACHMENT,
    "/EF": ATTACHMENT,
    "/RichMediaContent": MEDIA,
}
_WEB_SCHEMES = ("http://", "https://", "mailto:")
# Names long enough not to occur by chance in compressed data, looked for in the raw bytes too (decoded):
# an object no cross-reference table lists is invisible to qpdf, yet a viewer rebuilding a damaged file
# would find it.
_RAW_NAMES = {
    "JavaScript",
    "Launch",
    "EmbeddedFile",
    "EmbeddedFiles",
    "RichMedia",
    "SubmitForm",
    "ImportData",
}
_RAW_NAME = re.compile(rb"/((?:[A-Za-z]|#[0-9A-Fa-f]{2}){6,40})(?![A-Za-z#])")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")


class PdfUnreadable(ValueError):
    """qpdf could not open the file."""


class PdfEncrypted(ValueError):
    """The file needs a password to open."""


class PdfTooComplex(ValueError):
    """More revisions or objects than the caps allow."""


def pdf_findings(data: bytes) -> set[str]:
    """The kinds of active content (keys of ``FINDING_LABELS``) in any revision of the PDF ``data``.

    Raises ``PdfUnreadable``, ``PdfEncrypted`` or ``PdfTooComplex`` when the file cannot be examined.
    """
    found = _raw_findings(data)
    budget = [MAX_OBJECTS]
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise PdfUnreadable("no pages")
            found |= _document_findings(pdf, budget)
    except pikepdf.PasswordError:
        raise PdfEncrypted from None
    except (PdfTooComplex, PdfUnreadable):
        raise
    except Exception:  # qpdf's errors come in several types; any of them means "cannot be read"
        raise PdfUnreadable from None
    for prefix in _earlier_revisions(data):
        try:
            with pikepdf.open(io.BytesIO(prefix)) as pdf:
                found |= _document_findings(pdf, budget)
        except PdfTooComplex:
            raise
        except Exception:
            # A "%%EOF" inside a stream's bytes ends no revision: nothing opens there, nothing is shown.
            continue
    return found


def _earlier_revisions(data: bytes) -> list[bytes]:
    ends = [m.end() for m in re.finditer(rb"%%EOF", data)]
    if len(ends) > MAX_REVISIONS:
        raise PdfTooComplex("revisions")
    return [data[:end] for end in ends[:-1]]


def _raw_findings(data: bytes) -> set[str]:
    found: set[str] = set()
    for match in _RAW_NAME.finditer(data):
        name = _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1)).decode("latin-1")
        if name in _RAW_NAMES:
            found.add(_KEYS.get(f"/{name}") or _ACTION_TYPES.get(f"/{name}") or _raw_kind(name))
    return found


def _raw_kind(name: str) -> str:
    return ATTACHMENT if name.startswith("EmbeddedFile") else MEDIA


def _document_findings(pdf: pikepdf.Pdf, budget: list[int]) -> set[str]:
    found: set[str] = set()
    for obj in pdf.objects:
        budget[0] -= 1
        if budget[0] < 0:
            raise PdfTooComplex("objects")
        for dictionary in _dictionaries(obj):
            found |= _dictionary_findings(dictionary)
    return found


def _dictionaries(root: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """``root`` and the dictionaries nested in it directly (indirect ones are objects of their own)."""
    stack: list[tuple[pikepdf.Object, int]] = [(root, 0)]
    while stack:
        obj, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise PdfTooComplex("nesting")
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            yield obj
            children = [obj.get(key) for key in obj.keys()]  # noqa: SIM118 - pikepdf needs keys()
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        for child in children:
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect:
                stack.append((child, depth + 1))


def _dictionary_findings(d: pikepdf.Dictionary) -> set[str]:
    keys = set(d.keys())
    found = {_KEYS[k] for k in keys & _KEYS.keys()}
    kind = _name(d.get("/S"))
    if kind in _ACTION_TYPES:
        found.add(_ACTION_TYPES[kind])
    if kind == "/URI" and not _is_web_address(d.get("/URI")):
        found.add(LINK)
    subtype = _name(d.get("/Subtype"))
    if subtype in _SUBTYPES:
        found.add(_SUBTYPES[subtype])
    if _name(d.get("/Type")) == "/EmbeddedFile":
        found.add(ATTACHMENT)
    if "/OpenAction" in keys:
        action = d.get("/OpenAction")
        # A destination ([page /Fit]) only says where to open; an action dictionary does something.
        if isinstance(action, pikepdf.Dictionary) and _name(action.get("/S")) != "/GoTo":
            found.add(ACTION)
    if "/AcroForm" in keys:
        form = d.get("/AcroForm")
        fields = form.get("/Fields") if isinstance(form, pikepdf.Dictionary) else None
        if isinstance(fields, pikepdf.Array) and len(fields) > 0:
            found.add(FORM)
    return found


def _name(value: object) -> str | None:
    return str(value) if isinstance(value, pikepdf.Name) else None


def _is_web_address(value: object) -> bool:
    if not isinstance(value, pikepdf.String):
        return False
    target = bytes(value).decode("latin-1").strip().lower()
    return target.startswith(_WEB_SCHEMES)
