"""The file dispatcher: types sniffed from content, and every unreadable input refused in one Chinese line."""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import docx
import pytest
from test_parse_files_pdf import _image_pdf
from test_parse_files_support import html_pdf

from gongkai.annual_report.parsing.base import UnreadableReport
from gongkai.annual_report.parsing.files import parse_bytes, parse_file, sniff


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("一、总体情况")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(html_pdf("<p>一、总体情况</p>"))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _ole(stream: str) -> bytes:
    # The OLE header and a directory entry naming the stream (UTF-16), padded like a real file.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + stream.encode("utf-16-le") + bytes(1024)


CASES = {
    "empty": (b"", "空"),
    "blank": (b" \n\t\n", "空"),
    "random bytes": (random.Random(7).randbytes(4096), "无法识别"),
    "zip, not a docx": (_zip({"a.txt": b"hello"}), "ZIP"),
    "xlsx": (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "Excel"),
    "truncated docx": (_docx()[:-200], "不完整"),
    "docx with broken XML": (
        _zip({"[Content_Types].xml": b"<x", "word/document.xml": b"<w:document"}),
        "损坏",
    ),
    "legacy doc": (_ole("WordDocument"), ".docx"),
    "encrypted Office file": (_ole("EncryptedPackage"), "密码"),
    "PNG image": (b"\x89PNG\r\n\x1a\n" + bytes(100), "OCR"),
    "RTF": (rb"{\rtf1\ansi \u25919?}", ".docx"),
    "encrypted PDF": (_encrypted_pdf(), "加密"),
    "scanned PDF": (_image_pdf(), "OCR"),
    "truncated PDF": (html_pdf("<p>一、总体情况</p>")[:3000], "不完整"),
}


@pytest.mark.parametrize("data, reason", list(CASES.values()), ids=list(CASES))
def test_unreadable_input_is_refused_with_one_chinese_line(data: bytes, reason: str, tmp_path: Path) -> None:
    path = tmp_path / "report.bin"
    path.write_bytes(data)
    for call in (lambda: parse_file(path), lambda: parse_bytes(data, name="report.bin")):
        with pytest.raises(UnreadableReport) as info:
            call()
        message = str(info.value)
        assert reason in message
        assert "\n" not in message
        assert re.search(r"[\u4e00-\u9fff]", message)


def test_oversized_file_names_size_limit_and_option(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(3 * 1024 * 1024))
    with pytest.raises(UnreadableReport) as info:
        parse_file(path, max_bytes=1024 * 1024)
    message = str(info.value)
    assert "3.0 MB" in message and "1.0 MB" in message and "--max-size" in message
    with pytest.raises(UnreadableReport, match="--max-size"):
        parse_bytes(path.read_bytes(), max_bytes=1024)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableReport, match="无法读取文件"):
        parse_file(tmp_path / "nope.pdf")


def test_type_comes_from_content_not_name() -> None:
    assert sniff(html_pdf("<p>一、总体情况</p>"), name="report.docx") == "pdf"
    assert sniff(_docx(), name="report.pdf") == "docx"
    assert sniff(b"<html><body><p>x</p></body></html>", name="report.txt") == "html"
    assert sniff("<div>网页片段</div>".encode(), name="report.htm") == "html"
    # Markdown and text may start with markup-like text; without a document tag they stay text.
    assert sniff("<p>说明</p>\n# 一、总体情况".encode(), name="report.md") == "text"
    assert sniff("一、总体情况\n本年度……".encode("gb18030")) == "text"
    assert sniff("\ufeff一、总体情况".encode("utf-16")) == "text"


@pytest.mark.parametrize(
    "name, data",
    [
        ("notice.html", "<html><body><h1>通知</h1><p>今天天气很好，请注意防暑。</p></body></html>".encode()),
        ("notice.pdf", html_pdf("<h1>通知</h1><p>今天天气很好，请注意防暑。</p>")),
        ("notice.md", "# 通知\n\n今天天气很好。".encode()),
    ],
)
def test_a_document_that_is_not_a_report(name: str, data: bytes) -> None:
    with pytest.raises(UnreadableReport, match="不是政府信息公开工作年度报告") as info:
        parse_bytes(data, name=name)
    assert "\n" not in str(info.value)
