"""Word and Excel files (OOXML packages) checked by what the package declares, not by what its parts are called.

A macro is a part that Office loads because ``[Content_Types].xml`` or a relationship says it is a VBA
project — whatever its name — so the checks read both: every content type, every relationship of every
``_rels/*.rels``, and the first bytes of every part (an OLE2 compound file inside a package is a VBA
project or an embedded object, a ZIP inside it an embedded package). Refused:

* macros under any name (VBA projects and their data, Excel 4.0 macro sheets, macro-enabled main parts),
  ActiveX controls, OLE objects and embedded packages, and ``altChunk`` imports (an ``.mht`` or HTML
  chunk that Word pulls in when it opens the file, script included);
* relationships to anything outside the package except web and mail links: a ``file://`` or
  ``\\\\server\\share`` target leaks the reader's Windows credentials when Office follows it, and a remote
  template or image fetches content chosen after the review. Hyperlinks to ``http(s)``/``mailto`` are
  allowed: published notices link to the web, and Office asks before following one;
* ZIP entries whose names climb out (``..``), are absolute, use backslashes or control characters, or
  repeat another entry's name (part names are case-insensitive, and which copy a reader takes is up to
  the reader); encrypted entries; decompressed sizes out of proportion (ZIP bombs).

Legacy binary ``.doc``/``.xls`` files are not accepted at all (``core.files`` takes only ``.docx`` and
``.xlsx``): their macros live inside the OLE2 container and cannot be ruled out as cheaply.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import unquote
from xml.etree import ElementTree

from django.utils.translation import gettext as _

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

MAX_ENTRIES = 2000
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
_MAX_XML = 4 * 1024 * 1024

MACRO, TEMPLATE, CONTROL, EMBEDDED, CHUNK = "macro", "template", "control", "embedded", "chunk"
_WHAT = {
    MACRO: "宏",
    TEMPLATE: "附加的模板，可从模板带入宏",
    CONTROL: "ActiveX 控件",
    EMBEDDED: "嵌入对象",
    CHUNK: "嵌入的网页或其他文档（altChunk）",
}
# Substrings of a content type (lower case) and what they mean.
_CONTENT_TYPES = (
    ("vbaproject", MACRO),
    ("vbadata", MACRO),
    ("macroenabled", MACRO),
    ("macrosheet", MACRO),
    ("keymapcustomizations", MACRO),
    ("attachedtoolbars", MACRO),
    ("activex", CONTROL),
    ("oleobject", EMBEDDED),
    ("officedocument.package", EMBEDDED),
    ("x-msdownload", EMBEDDED),
    ("message/rfc822", CHUNK),
    ("multipart/related", CHUNK),
    ("text/html", CHUNK),
    ("xhtml", CHUNK),
)
# The last segment of a relationship type (lower case) and what it means.
_RELATIONSHIPS = {
    "vbaproject": MACRO,
    "vbaprojectsignature": MACRO,
    "vbaprojectsignatureagile": MACRO,
    "vbaprojectsignaturev3": MACRO,
    "wordvbadata": MACRO,
    "xlmacrosheet": MACRO,
    "xlintlmacrosheet": MACRO,
    "dialogsheet": MACRO,
    "keymapcustomizations": MACRO,
    "attachedtoolbars": MACRO,
    # Remote-template injection: Word loads the template, macros included, from wherever it points.
    "attachedtemplate": TEMPLATE,
    "activexcontrol": CONTROL,
    "activexcontrolbinary": CONTROL,
    "control": CONTROL,
    "oleobject": EMBEDDED,
    "package": EMBEDDED,
    "subdocument": EMBEDDED,
    "frame": EMBEDDED,
    "afchunk": CHUNK,
}
_PART_NAMES = re.compile(
    r"(^|/)(activeX|embeddings)/|\.(exe|dll|js|vbs|vbe|wsf|hta|ps1|bat|cmd|scr|jar|mht|mhtml|htm|html)$", re.I
)
_PRINTER_SETTINGS = "printersettings"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WEB_SCHEMES = ("http://", "https://", "mailto:")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


class PackageRefused(ValueError):
    """The package is refused; ``str(error)`` is the one-line Chinese reason."""


@dataclass(frozen=True)
class _Relationship:
    source_dir: str
    kind: str
    target: str
    external: bool


def ooxml_kind(package: zipfile.ZipFile, size: int, name: str) -> str | None:
    """The main part's content type (``DOCX_MAIN``/``XLSX_MAIN``, or another Office main part's), or None
    when the ZIP is no Office package. Raises ``PackageRefused`` for what the module docstring lists."""
    entries = package.infolist()
    _check_entries(entries, size, name)
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names:
        return None
    defaults, overrides = _content_types(_read_xml(package, "[Content_Types].xml", name))

    def content_type(part: str) -> str:
        return overrides.get(part.lower()) or defaults.get(
            posixpath.splitext(part)[1].lstrip(".").lower(), ""
        )

    for entry in entries:
        if not entry.is_dir():
            _check_part(package, entry, content_type(entry.filename), name)
    main = None
    for rel in _relationships(package, names, name):
        _check_relationship(rel, name)
        if rel.kind == "officedocument" and rel.source_dir == "" and not rel.external:
            main = content_type(_resolve(rel))
    # A macro-enabled main part (a .docm renamed .docx) was refused with the other parts above.
    return main


def _refuse_active(name: str, what: str) -> PackageRefused:
    return PackageRefused(
        _("文件“%(name)s”包含宏、控件或嵌入对象（%(what)s），请另存为不含宏的普通文档后上传")
        % {"name": name, "what": _WHAT[what]}
    )


def _shown(value: str) -> str:
    """A part name or link as it may be quoted on one line of a refusal."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in value)
    return clean if len(clean) <= 60 else clean[:57] + "…"


def _check_entries(entries: list[zipfile.ZipInfo], size: int, name: str) -> None:
    if len(entries) > MAX_ENTRIES:
        raise PackageRefused(_("文件“%(name)s”结构异常（部件过多），无法接收") % {"name": name})
    unpacked = sum(e.file_size for e in entries)
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(size, 1):
        raise PackageRefused(_("文件“%(name)s”解压后体积异常，无法接收") % {"name": name})
    seen: set[str] = set()
    for entry in entries:
        if not _safe_entry_name(entry.filename):
            raise PackageRefused(
                _("文件“%(name)s”的压缩包内有异常的路径“%(part)s”，无法接收")
                % {"name": name, "part": _shown(entry.filename)}
            )
        key = entry.filename.rstrip("/").casefold()
        if key in seen:
            raise PackageRefused(
                _("文件“%(name)s”的压缩包内有重名的部件“%(part)s”，无法接收")
                % {"name": name, "part": _shown(entry.filename)}
            )
        seen.add(key)
        if entry.flag_bits & 0x1:
            raise PackageRefused(_("文件“%(name)s”已加密，无法检查其内容，请去除密码后上传") % {"name": name})


def _safe_entry_name(filename: str) -> bool:
    if not filename or filename.startswith("/") or "\\" in filename or re.match(r"^[A-Za-z]:", filename):
        return False
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in filename):
        return False
    segments = filename[:-1].split("/") if filename.endswith("/") else filename.split("/")
    return all(segment not in ("", ".", "..") for segment in segments)


def _read_xml(package: zipfile.ZipFile, part: str, name: str) -> ElementTree.Element:
    with package.open(part) as stream:
        data = stream.read(_MAX_XML + 1)
    if len(data) > _MAX_XML or _DTD.search(data):
        # Package XML never needs a DTD; one is how entity expansion and external entities get in.
        raise PackageRefused(_("文件“%(name)s”结构异常，无法接收") % {"name": name})
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise PackageRefused(_("文件“%(name)s”已损坏，无法打开") % {"name": name}) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _content_types(root: ElementTree.Element) -> tuple[dict[str, str], dict[str, str]]:
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for element in root.iter():
        kind = element.get("ContentType", "")
        if _local(element.tag) == "Default":
            defaults[element.get("Extension", "").lower()] = kind
        elif _local(element.tag) == "Override":
            overrides[element.get("PartName", "").lstrip("/").lower()] = kind
    return defaults, overrides


def _check_part(package: zipfile.ZipFile, entry: zipfile.ZipInfo, content_type: str, name: str) -> None:
    lowered = content_type.lower()
    for needle, what in _CONTENT_TYPES:
        if needle in lowered:
            raise _refuse_active(name, MACRO if needle == "macroenabled" else what)
    if _PART_NAMES.search(entry.filename):
        raise _refuse_active(
            name, CHUNK if entry.filename.lower().endswith(("htm", "html", "mht")) else EMBEDDED
        )
    if entry.filename.lower().endswith(".bin") and _PRINTER_SETTINGS not in lowered:
        # Printer settings are the one binary part Office writes into an ordinary file.
        raise _refuse_active(name, EMBEDDED)
    with package.open(entry) as stream:
        head = stream.read(len(_OLE2))
    if head == _OLE2:
        raise _refuse_active(name, MACRO if "vba" in entry.filename.lower() else EMBEDDED)
    if head.startswith(b"PK\x03\x04"):
        raise _refuse_active(name, EMBEDDED)


def _relationships(package: zipfile.ZipFile, names: set[str], name: str) -> list[_Relationship]:
    found = []
    for part in sorted(names):
        match = re.fullmatch(r"((?:.*/)?)_rels/([^/]*)\.rels", part)
        if not match:
            continue
        source_dir = match.group(1)
        for element in _read_xml(package, part, name).iter():
            if _local(element.tag) != "Relationship":
                continue
            found.append(
                _Relationship(
                    source_dir=source_dir,
                    kind=element.get("Type", "").rstrip("/").rsplit("/", 1)[-1].lower(),
                    target=element.get("Target", ""),
                    external=element.get("TargetMode", "").lower() == "external",
                )
            )
    return found


def _check_relationship(rel: _Relationship, name: str) -> None:
    if rel.kind in _RELATIONSHIPS:
        raise _refuse_active(name, _RELATIONSHIPS[rel.kind])
    target = rel.target.strip()
    if rel.external:
        if rel.kind == "hyperlink" and target.lower().startswith(_WEB_SCHEMES):
            return
        raise PackageRefused(
            _("文件“%(name)s”包含指向外部位置的链接或引用（%(target)s），请删除后上传")
            % {"name": name, "target": _shown(target) or _("空地址")}
        )
    if target.startswith("#"):
        return  # a bookmark in the same document
    resolved = _resolve(rel)
    if "\\" in target or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//", target) or resolved.startswith(".."):
        raise PackageRefused(
            _("文件“%(name)s”的压缩包内有异常的路径“%(part)s”，无法接收")
            % {"name": name, "part": _shown(target)}
        )


def _resolve(rel: _Relationship) -> str:
    target = unquote(rel.target.strip())
    joined = target.lstrip("/") if target.startswith("/") else rel.source_dir + target
    return posixpath.normpath(joined) if joined else ""


# The errors a damaged package raises while it is read; each means "cannot be opened".
READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    NotImplementedError,
    RuntimeError,
)
