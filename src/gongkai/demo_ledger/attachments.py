"""Files for the demo's published documents: the signed text as a PDF, a feedback form as Word.

Made the way an office makes them (WeasyPrint for the PDF, python-docx for the form) and then passed
through the same upload checks as a clerk's file, so the demo also proves those checks accept the
documents real tools produce.
"""

from __future__ import annotations

import io
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.files import CleanUpload
from gongkai.publications.attachments import validate_attachment

_PAGE_CSS = """
@page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 16pt; line-height: 1.75; }
h1 { font-size: 22pt; text-align: center; font-weight: bold; margin: 0 0 .5em; }
p.number { text-align: center; margin: 0 0 1.5em; }
p { text-indent: 2em; margin: 0; }
p.sign { text-align: right; text-indent: 0; margin-top: 2em; }
"""


def _checked(name: str, content: bytes) -> CleanUpload:
    return validate_attachment(SimpleUploadedFile(name, content, content_type="application/octet-stream"))


def document_pdf(
    *, title: str, doc_number: str, issuer: str, date_text: str, paragraphs: list[str]
) -> CleanUpload:
    from weasyprint import HTML  # type: ignore[import-untyped]

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = (
        f"<html lang='zh-CN'><head><meta charset='utf-8'><style>{_PAGE_CSS}</style></head><body>"
        f"<p class='number'>{escape(doc_number)}</p><h1>{escape(title)}</h1>{body}"
        f"<p class='sign'>{escape(issuer)}<br>{escape(date_text)}</p></body></html>"
    )
    return _checked(f"{doc_number or title}.pdf", HTML(string=html).write_pdf())


def feedback_form_docx(*, title: str, questions: list[str]) -> CleanUpload:
    from docx import Document  # type: ignore[import-untyped]

    doc = Document()
    doc.add_heading(title, level=1)
    table = doc.add_table(rows=1 + len(questions), cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "事项"
    table.rows[0].cells[1].text = "意见或建议"
    for row, question in zip(table.rows[1:], questions, strict=True):
        row.cells[0].text = question
    out = io.BytesIO()
    doc.save(out)
    return _checked("意见反馈表.docx", out.getvalue())
