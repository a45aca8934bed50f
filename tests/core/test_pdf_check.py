"""PDF uploads are parsed, not grepped: decoded names, object streams, every revision of an updated file.

Each hostile file is built here; the benign ones are the real kinds an office uploads (a plain page, a
page with a web link, a table of contents that opens on page one, a permissions-only encrypted file).
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core import pdf_check
from gongkai.core.files import UploadRejected
from gongkai.portal.uploads import validate_upload
from gongkai.publications.attachments import validate_attachment
from sample_files import pdf_bytes, pdf_compressed, pdf_update

JS_ACTION = b"<</S/JavaScript/JS(app.alert(document.cookie))>>"


def refusal(content: bytes, name: str = "扫描件.pdf") -> str:
    with pytest.raises(UploadRejected) as caught:
        validate_upload(SimpleUploadedFile(name, content))
    message = str(caught.value)
    assert "\n" not in message and name in message
    return message


def accepted(content: bytes) -> bytes:
    return validate_attachment(SimpleUploadedFile("通知.pdf", content)).content


def objects_of(pdf: bytes) -> dict[str, int]:
    """Object numbers of the catalog, the page tree and the catalog's /OpenAction, as qpdf reads them."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return {
            "root": doc.Root.objgen[0],
            "pages": doc.Root.Pages.objgen[0],
            "action": doc.Root.OpenAction.objgen[0] if "/OpenAction" in doc.Root else 0,
        }


# --- the two files of the issue: a hex-escaped name, a catalog inside an object stream -----------------


def test_a_hex_escaped_javascript_name_is_read_as_javascript() -> None:
    hostile = pdf_bytes(catalog=b"/OpenAction 6 0 R", extra=(b"<</S/J#61vaScript/J#53(app.alert(1))>>",))
    assert b"/JavaScript" not in hostile and b"/JS" not in hostile  # what the grep looked for
    message = refusal(hostile)
    assert "包含动态内容（脚本（JavaScript）、打开文件或操作页面时自动执行的动作）" in message
    assert "请另存为普通 PDF 后上传" in message


def test_a_catalog_inside_a_compressed_object_stream_is_read() -> None:
    hostile = pdf_compressed(pdf_bytes(catalog=b"/OpenAction 6 0 R", extra=(JS_ACTION,)))
    for plain in (b"JavaScript", b"OpenAction", b"/Catalog"):
        assert plain not in hostile  # nothing of it in the bytes
    assert "脚本（JavaScript）" in refusal(hostile)


@pytest.mark.parametrize(
    ("catalog", "extra", "reason"),
    [
        (b"/OpenAction 6 0 R", (b"<</S/Launch/F(cmd.exe)/Win<</F(cmd.exe)/P(/c calc)>>>>",), "启动程序或打开其他文件的动作"),
        (b"/OpenAction 6 0 R", (b"<</S/GoToR/F(\\\\\\\\evil\\\\share\\\\x.pdf)/D[0/Fit]>>",), "启动程序或打开其他文件的动作"),
        (b"/Names<</EmbeddedFiles<</Names[(a.exe)6 0 R]>>>>", (b"<</Type/Filespec/F(a.exe)/EF<</F 7 0 R>>>>", b"<</Type/EmbeddedFile/Length 2>>stream\nMZ\nendstream"), "嵌入的附件"),
        (b"/AcroForm 6 0 R", (b"<</Fields[]/XFA 7 0 R>>", b"<</Length 6>>stream\n<xdp/>\nendstream"), "可填写或提交的表单"),
        (b"/AcroForm<</Fields[6 0 R]>>", (b"<</FT/Tx/T(name)/Subtype/Widget/Rect[0 0 10 10]>>",), "可填写或提交的表单"),
        (b"/OpenAction 6 0 R", (b"<</S/SubmitForm/F<</FS/URL/F(http://x.example/)>>>>",), "可填写或提交的表单"),
        (b"/AA<</WC 6 0 R>>", (b"<</S/GoTo/D[3 0 R/Fit]>>",), "打开文件或操作页面时自动执行的动作"),
        (b"/OpenAction 6 0 R", (b"<</S/URI/URI(http://tracker.example/open)>>",), "打开文件或操作页面时自动执行的动作"),
        (b"/Outlines 6 0 R", (b"<</A<</S/URI/URI(file://server/share/x)>>>>",), "指向网址以外位置的链接"),
        (b"/Outlines 6 0 R", (b"<</A<</S/URI/URI(javascript:alert(1))>>>>",), "指向网址以外位置的链接"),
        (b"/Extra 6 0 R", (b"<</Type/Annot/Subtype/RichMedia/Rect[0 0 1 1]>>",), "多媒体或三维内容"),
    ],
    ids=["launch", "gotor-unc", "embedded-file", "xfa", "form-field", "submit", "page-event", "open-url", "file-link", "js-link", "richmedia"],
)  # fmt: skip
def test_active_content_is_refused_plain_and_compressed(
    catalog: bytes, extra: tuple[bytes, ...], reason: str
) -> None:
    plain = pdf_bytes(catalog=catalog, extra=extra)
    assert reason in refusal(plain)
    assert reason in refusal(pdf_compressed(plain))


def test_an_incremental_update_that_adds_an_open_action_is_refused() -> None:
    original = pdf_bytes()
    updated = pdf_update(original, {1: b"<</Type/Catalog/Pages 2 0 R/OpenAction 6 0 R>>", 6: JS_ACTION})
    assert updated.startswith(original)
    assert original == accepted(original)
    assert "打开文件或操作页面时自动执行的动作" in refusal(updated)


def test_an_update_adding_a_compressed_action_to_a_compressed_file_is_refused() -> None:
    original = pdf_compressed(pdf_bytes())
    ids = objects_of(original)
    with pikepdf.open(io.BytesIO(original)) as doc:
        size = len(doc.objects) + 1
    updated = pdf_update(
        original,
        {
            ids["root"]: b"<</Type/Catalog/Pages %d 0 R/OpenAction %d 0 R>>" % (ids["pages"], size),
            size: JS_ACTION,
        },
    )
    assert "脚本（JavaScript）" in refusal(updated)


def test_script_left_in_an_earlier_revision_is_still_refused() -> None:
    # The script sits compressed in the first revision; an update takes it out of the catalog and blanks
    # its object. A viewer shows the clean last revision, but the script is still in the file's bytes,
    # so the file is refused (a "save as" gives a clean one).
    first = pdf_compressed(pdf_bytes(catalog=b"/OpenAction 6 0 R", extra=(JS_ACTION,)))
    ids = objects_of(first)
    cleaned = pdf_update(
        first, {ids["root"]: b"<</Type/Catalog/Pages %d 0 R>>" % ids["pages"], ids["action"]: b"null"}
    )
    with pikepdf.open(io.BytesIO(cleaned)) as last:
        assert "/OpenAction" not in last.Root
        assert pdf_check._document_findings(last, [10_000]) == set()  # the last revision alone is clean
    assert pdf_check._raw_findings(cleaned) == set()  # and no plain bytes give it away
    assert "脚本（JavaScript）" in refusal(cleaned)


def test_an_object_no_cross_reference_lists_is_found_in_the_bytes() -> None:
    hidden = pdf_bytes().replace(b"xref\n", b"9 0 obj<</S/J#61vaScript/JS(1)>>endobj\nxref\n", 1)
    assert "脚本（JavaScript）" in refusal(hidden)


def test_a_file_with_a_password_cannot_be_inspected() -> None:
    with pikepdf.open(io.BytesIO(pdf_bytes())) as doc:
        out = io.BytesIO()
        doc.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    assert "已加密，无法检查其内容" in refusal(out.getvalue())


def test_a_damaged_pdf_is_refused_with_a_reason() -> None:
    broken = b"%PDF-1.4\n" + b"\x00garbage" * 100 + b"\n%%EOF\n"
    assert "无法作为 PDF 打开" in refusal(broken)


def test_too_many_revisions_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_check, "MAX_REVISIONS", 3)
    data = pdf_bytes()
    for n in range(3):
        data = pdf_update(data, {5 + 1 + n: b"<<>>"})
    assert "修改版本或对象过多" in refusal(data)


# --- what an office publishes passes ------------------------------------------------------------------


def test_ordinary_pdfs_pass_unchanged() -> None:
    benign = [
        pdf_bytes(),
        pdf_compressed(pdf_bytes()),
        # A web link, an outline entry and an open-at-page-one destination.
        pdf_bytes(
            catalog=b"/OpenAction[3 0 R/Fit]/Outlines 6 0 R",
            extra=(b"<</A<</S/URI/URI(https://www.gov.cn/zhengce/)>>/Dest[3 0 R/XYZ 0 792 0]>>",),
        ),
        # An empty AcroForm dictionary, as some exporters leave behind.
        pdf_bytes(catalog=b"/AcroForm<</Fields[]>>"),
        # An update that only changes the metadata.
        pdf_update(pdf_bytes(), {6: b"<</Title(Notice)>>"}),
    ]
    for data in benign:
        assert accepted(data) == data


def test_a_permissions_only_encryption_is_inspected_and_accepted() -> None:
    # "禁止复制" PDFs: no password to open, so qpdf decrypts and every object is examined.
    with pikepdf.open(io.BytesIO(pdf_bytes())) as doc:
        out = io.BytesIO()
        doc.save(
            out,
            encryption=pikepdf.Encryption(user="", owner="owner", allow=pikepdf.Permissions(extract=False)),
        )
    assert accepted(out.getvalue()) == out.getvalue()
    with pikepdf.open(io.BytesIO(pdf_bytes(catalog=b"/OpenAction 6 0 R", extra=(JS_ACTION,)))) as doc:
        hostile = io.BytesIO()
        doc.save(hostile, encryption=pikepdf.Encryption(user="", owner="owner"))
    assert "脚本（JavaScript）" in refusal(hostile.getvalue())
