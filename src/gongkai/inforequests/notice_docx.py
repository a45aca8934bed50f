"""The 告知书 as a Word document (python-docx), laid out like an official letter.

A4 with GB/T 9704 margins, title in 宋体, body in 仿宋 三号 with a two-character first-line indent,
the organ and date right-aligned at the end. Every style names its East-Asian font so Word shows
Chinese in the intended face (and the fallback CJK fonts elsewhere).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from gongkai.annual_report.rendering.docx import set_style_font
from gongkai.inforequests.notice_text import NoticeContent

__all__ = ["render_notice_docx"]

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号


def render_notice_docx(notice: NoticeContent) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    normal = doc.styles["Normal"]
    set_style_font(normal, BODY_FONT)
    normal.font.size = BODY_SIZE
    fmt = normal.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(0)
    title_style = doc.styles["Title"]
    set_style_font(title_style, TITLE_FONT)
    title_style.font.size = TITLE_SIZE
    title_style.font.bold = True
    title_style.font.color.rgb = None
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_style.paragraph_format.space_after = Pt(12)
    # The built-in Title style draws a rule under the text; an official letter has none.
    ppr = title_style.element.pPr
    if ppr is not None:
        for border in ppr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr"):
            ppr.remove(border)

    props = doc.core_properties
    props.title = notice.title
    props.author = notice.organisation
    props.language = "zh-CN"
    props.comments = "gongkai"

    title = f"{notice.title}（草稿）" if notice.is_draft else notice.title
    doc.add_paragraph(title, style="Title")
    ref = doc.add_paragraph(notice.reference)
    ref.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if notice.signature_line:
        signed = doc.add_paragraph(notice.signature_line)
        signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    doc.add_paragraph(f"{notice.applicant_name}：")
    for text in [notice.opening, *notice.body_paragraphs, notice.basis_sentence, notice.remedy]:
        p = doc.add_paragraph(text)
        p.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    doc.add_paragraph("")
    for text in (notice.organisation, notice.date_line):
        p = doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
