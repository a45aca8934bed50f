"""Word and Excel uploads are checked by their content types and relationships, not by their part names.

Each hostile package is an ordinary python-docx/openpyxl file changed the way an attacker would change
it; the benign ones are the same files with what offices really put in them (web links, printer settings).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.files import DOCX, XLSX, UploadRejected
from gongkai.publications.attachments import validate_attachment
from sample_files import docx_bytes, xlsx_bytes

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # how every VBA project and OLE object begins
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MS_REL = "http://schemas.microsoft.com/office/2006/relationships"
MHT = (
    b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
    b"Content-Type: text/html\r\n\r\n<html><body><script>document.location='http://x.example/'</script>"
    b"</body></html>\r\n--b--\r\n"
)


def repack(
    base: bytes,
    *,
    add: dict[str, bytes] | None = None,
    edit: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """``base`` with parts added and parts changed, every other entry copied as it was."""
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if edit and item.filename in edit:
                data = edit[item.filename](data)
            dst.writestr(item, data)
        for name, data in (add or {}).items():
            dst.writestr(name, edit[name](data) if edit and name in edit else data)
    return out.getvalue()


def content_type(part: str, kind: str) -> Callable[[bytes], bytes]:
    override = f'<Override PartName="/{part}" ContentType="{kind}"/>'.encode()
    return lambda xml: xml.replace(b"</Types>", override + b"</Types>")


def default_type(extension: str, kind: str) -> Callable[[bytes], bytes]:
    default = f'<Default Extension="{extension}" ContentType="{kind}"/>'.encode()
    return lambda xml: xml.replace(b"</Types>", default + b"</Types>")


def relationship(kind: str, target: str, external: bool = False) -> Callable[[bytes], bytes]:
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="rId900" Type="{kind}" Target="{target}"{mode}/>'.encode()
    return lambda xml: xml.replace(b"</Relationships>", rel + b"</Relationships>")


def both(*edits: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def apply(xml: bytes) -> bytes:
        for edit in edits:
            xml = edit(xml)
        return xml

    return apply


def refusal(content: bytes, name: str = "通知.docx") -> str:
    with pytest.raises(UploadRejected) as caught:
        validate_attachment(SimpleUploadedFile(name, content))
    message = str(caught.value)
    assert "\n" not in message and name in message
    return message


def zip_with(names: list[str]) -> bytes:
    """A Word file with extra entries under exactly these names (zipfile writes whatever it is given)."""
    base = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in base.infolist():
            dst.writestr(item, base.read(item.filename))
        for name in names:
            dst.writestr(zipfile.ZipInfo(name), b"x")
    return out.getvalue()


DOC_RELS = "word/_rels/document.xml.rels"
TYPES = "[Content_Types].xml"


# --- macros under any name ----------------------------------------------------------------------------


def test_a_vba_project_named_as_an_image_is_found_by_its_content_type() -> None:
    hostile = repack(
        docx_bytes(),
        add={"word/media/logo.png": b"<not-really-a-png/>"},
        edit={TYPES: content_type("word/media/logo.png", "application/vnd.ms-office.vbaProject")},
    )
    message = refusal(hostile)
    assert "包含宏、控件或嵌入对象（宏）" in message and "请另存为不含宏的普通文档后上传" in message


def test_a_vba_project_named_as_an_image_is_found_by_its_relationship() -> None:
    hostile = repack(
        docx_bytes(),
        add={"word/media/logo.png": b"\x89PNG\r\n\x1a\n"},
        edit={DOC_RELS: relationship(f"{MS_REL}/vbaProject", "media/logo.png")},
    )
    assert "（宏）" in refusal(hostile)


def test_a_vba_project_under_any_name_and_type_is_found_by_its_bytes() -> None:
    hostile = repack(docx_bytes(), add={"word/media/image7.png": OLE2})
    assert "包含宏、控件或嵌入对象" in refusal(hostile)


def test_a_macro_enabled_document_renamed_docx_is_refused() -> None:
    docm_main = "application/vnd.ms-word.document.macroEnabled.main+xml"
    hostile = repack(
        docx_bytes(),
        edit={TYPES: lambda xml: xml.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", docm_main.encode())},
    )  # fmt: skip
    assert "（宏）" in refusal(hostile)


def test_an_excel_4_macro_sheet_is_refused() -> None:
    hostile = repack(
        xlsx_bytes(),
        add={"xl/worksheets/sheet9.xml": b"<xm:macrosheet xmlns:xm='x'/>"},
        edit={TYPES: content_type("xl/worksheets/sheet9.xml", "application/vnd.ms-excel.macrosheet+xml")},
    )
    assert "（宏）" in refusal(hostile, "预算表.xlsx")


def test_a_remote_template_is_refused() -> None:
    hostile = repack(
        docx_bytes(),
        add={"word/_rels/settings.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'},
        edit={"word/_rels/settings.xml.rels": relationship(f"{REL}/attachedTemplate", "https://x.example/t.dotm", external=True)},
    )  # fmt: skip
    assert "附加的模板" in refusal(hostile)


@pytest.mark.parametrize(
    ("part", "kind", "what"),
    [
        ("word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml", "ActiveX 控件"),
        ("word/objects/ole1.dat", "application/vnd.openxmlformats-officedocument.oleObject", "嵌入对象"),
    ],
)
def test_controls_and_ole_objects_are_refused(part: str, kind: str, what: str) -> None:
    hostile = repack(docx_bytes(), add={part: b"<x/>"}, edit={TYPES: content_type(part, kind)})
    assert f"（{what}）" in refusal(hostile)


# --- imported chunks and links outside the package ----------------------------------------------------


def test_an_alt_chunk_mht_with_script_is_refused() -> None:
    hostile = repack(
        docx_bytes(),
        add={"word/afchunk.mht": MHT},
        edit={
            TYPES: default_type("mht", "message/rfc822"),
            DOC_RELS: relationship(f"{REL}/aFChunk", "afchunk.mht"),
        },
    )
    assert "嵌入的网页或其他文档（altChunk）" in refusal(hostile)


def test_an_alt_chunk_is_refused_whatever_it_is_called() -> None:
    hostile = repack(
        docx_bytes(),
        add={"word/styles2.xml": MHT},
        edit={DOC_RELS: relationship(f"{REL}/aFChunk", "styles2.xml")},
    )
    assert "altChunk" in refusal(hostile)


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        (f"{REL}/hyperlink", "file://fileserver/share/预算.xlsx"),
        (f"{REL}/hyperlink", "\\\\fileserver\\share\\a.docx"),
        (f"{REL}/image", "https://tracker.example/pixel.png"),
        (f"{REL}/oleObject", "file:///C:/Windows/system32/calc.exe"),
    ],
    ids=["file-link", "unc-link", "remote-image", "linked-object"],
)
def test_relationships_that_reach_outside_are_refused(kind: str, target: str) -> None:
    hostile = repack(docx_bytes(), edit={DOC_RELS: relationship(kind, target, external=True)})
    message = refusal(hostile)
    assert "指向外部位置的链接或引用" in message or "嵌入对象" in message


def test_a_file_link_in_an_excel_external_workbook_reference_is_refused() -> None:
    rels = b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
    hostile = repack(
        xlsx_bytes(),
        add={"xl/externalLinks/_rels/externalLink1.xml.rels": rels},
        edit={"xl/externalLinks/_rels/externalLink1.xml.rels": relationship(f"{REL}/externalLinkPath", "file://fileserver/share/2024.xlsx", external=True)},
    )  # fmt: skip
    assert "（file://fileserver/share/2024.xlsx）" in refusal(hostile, "预算表.xlsx")


def test_an_internal_target_that_climbs_out_of_the_package_is_refused() -> None:
    hostile = repack(docx_bytes(), edit={DOC_RELS: relationship(f"{REL}/image", "../../../../etc/passwd")})
    assert "异常的路径" in refusal(hostile)


# --- the ZIP itself -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [
        ["../../../x"],
        ["word/../../evil.sh"],
        ["/etc/cron.d/x"],
        ["word\\..\\..\\x.bat"],
        ["C:/Windows/x.dll"],
        ["word/media/a\nb.png"],
    ],
    ids=["climbs", "climbs-inside", "absolute", "backslash", "drive", "control-char"],
)
def test_entry_names_that_escape_are_refused(names: list[str]) -> None:
    message = refusal(zip_with(names))
    assert "压缩包内有异常的路径" in message


def test_a_duplicate_entry_is_refused() -> None:
    assert "重名的部件“word/Document.xml”" in refusal(zip_with(["word/Document.xml"]))


def test_an_encrypted_entry_is_refused() -> None:
    data = bytearray(docx_bytes())
    # Set the "encrypted" flag of every entry, in the local headers and the central directory alike.
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + flag_offset] |= 0x01
            start += 4
    assert "已加密，无法检查其内容" in refusal(bytes(data))


# --- what offices publish passes ----------------------------------------------------------------------


def test_ordinary_word_and_excel_files_pass() -> None:
    with_web_link = repack(
        docx_bytes(),
        edit={DOC_RELS: relationship(f"{REL}/hyperlink", "https://www.gov.cn/zhengce/", external=True)},
    )
    with_printer = repack(
        xlsx_bytes(),
        add={"xl/printerSettings/printerSettings1.bin": b"\x00\x01DEVMODE" + b"\0" * 200},
        edit={TYPES: default_type("bin", "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings")},
    )  # fmt: skip
    for name, data, kind in [
        ("通知.docx", docx_bytes(), DOCX),
        ("通知.docx", with_web_link, DOCX),
        ("预算表.xlsx", xlsx_bytes(), XLSX),
        ("预算表.xlsx", with_printer, XLSX),
    ]:
        clean = validate_attachment(SimpleUploadedFile(name, data))
        assert clean.content_type == kind and clean.content == data


def test_a_zip_that_is_no_office_package_is_not_taken_for_one() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr("readme.txt", "hello")
    assert "内容不是 PDF、DOCX、XLSX、JPG、PNG 文件" in refusal(out.getvalue())


def test_a_dtd_in_package_xml_is_refused() -> None:
    hostile = repack(
        docx_bytes(),
        edit={TYPES: lambda xml: xml.replace(b"<Types", b'<!DOCTYPE t [<!ENTITY a "aaaa">]><Types', 1)},
    )
    assert "结构异常" in refusal(hostile)
