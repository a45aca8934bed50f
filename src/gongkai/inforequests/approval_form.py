"""The 《政府信息公开申请答复审批表》 of one case as DOCX, generated on demand from the records.

The paper form an office files with the 告知书: the case, the reply's outcome and text, and one row per
step of the review chain with its reviewer, opinion and date — the last step's reviewer being the signer
(签发人). The current round fills the form; decisions of earlier rounds (a draft returned and sent again)
are listed beneath it, so the trail is complete. Like the publications' 审核表, the layout is a 4-column
grid (label, value, label, value) in 宋体/仿宋. Only the applicant's name is printed, never their ID
number, phone or address.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell

from gongkai.annual_report.rendering.docx import set_document_font, set_style_font
from gongkai.inforequests.models import InfoRequest, ReplyNotice, ReplyReview, ReplyReviewDecision
from gongkai.inforequests.review_selectors import Progress, StepRow
from gongkai.org.selectors import organisation_name

__all__ = ["FORM_TITLE", "form_title", "render_approval_form"]

FORM_TITLE = "政府信息公开申请答复审批表"
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
COLUMN_WIDTHS = (Cm(3.4), Cm(4.4), Cm(3.0), Cm(4.8))  # label, value, label, value: 15.6 cm


def form_title(organisation: str) -> str:
    return f"{organisation}{FORM_TITLE}" if organisation else FORM_TITLE


def cn_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.get_username()) if user is not None else ""


def render_approval_form(req: InfoRequest, reply: ReplyNotice, progress: Progress) -> bytes:
    """The 审批表 of the case's reply as DOCX bytes."""
    org = organisation_name()
    doc = Document()
    _setup(doc)
    props = doc.core_properties
    props.title, props.author, props.language, props.comments = form_title(org), org, "zh-CN", "gongkai"
    doc.add_paragraph(form_title(org), style="Title")
    number = doc.add_paragraph(f"案号：{req.reference}", style="Normal")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = doc.add_table(rows=0, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _case_rows(table, req, reply)
    for step in progress.steps:
        _step_rows(table, step)
    _outcome_rows(table, reply)
    _widths(table)
    if progress.earlier:
        _earlier_rounds(doc, progress.earlier)
    note = doc.add_paragraph(
        f"本表由政务公开工作台根据审核记录生成（第 {progress.round or 1} 轮审核），"
        f"生成日期：{cn_date(timezone.now())}。",
        style="Normal",
    )
    note.runs[0].font.size = Pt(10)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _case_rows(table: Table, req: InfoRequest, reply: ReplyNotice) -> None:
    _pair(table, "收到申请日期", cn_date(req.received_on), "申请人类型", req.get_applicant_type_display())
    _wide(table, "申请人", req.applicant_name)
    _wide(table, "申请内容", _excerpt(req.description, 200))
    handler = _person(req.handler) or "未指定"
    _pair(table, "承办科室", req.department.name if req.department else "未分派", "承办人", handler)
    _pair(table, "答复期限", cn_date(req.due_on) or "—", "办理结果", reply.get_outcome_display())
    _wide(table, "告知书标题", reply.title)
    _wide(table, "答复内容摘要", _excerpt(reply.body) or "—")
    _wide(table, "法律依据", reply.legal_basis or "—")
    _pair(table, "拟稿人", _person(reply.drafted_by), "送审日期", cn_date(reply.submitted_on) or "未送审")


def _step_rows(table: Table, step: StepRow) -> None:
    """Opinion on one row, signature and date on the next, the step's name merged across both."""
    opinion = table.add_row()
    signature = table.add_row()
    label = f"{step.name}\n（{step.who}）"
    _write(opinion.cells[0].merge(signature.cells[0]), label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    review = step.review
    text = f"（{step.state}）" if review is None else str(ReplyReviewDecision(review.decision).label)
    if review is not None and review.is_approved and step.signing:
        text = "同意，签发"
    if review is not None and review.opinion:
        text = f"{text}\n{'理由' if not review.is_approved else '意见'}：{review.opinion}"
    _write(opinion.cells[1].merge(opinion.cells[3]), text)
    _write(signature.cells[1], f"签字：{_person(review.reviewer) if review else ''}")
    _write(signature.cells[2], "日期", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _write(signature.cells[3], cn_date(review.decided_on) if review else "")
    for row in (opinion, signature):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _outcome_rows(table: Table, reply: ReplyNotice) -> None:
    _pair(table, "签发人", _person(reply.signed_by) or "未签发", "签发日期", cn_date(reply.signed_on) or "—")
    _pair(table, "答复日期", cn_date(reply.issued_on) or "未发出", "发出人", _person(reply.issued_by) or "—")


def _earlier_rounds(doc: DocxDocument, earlier: list[ReplyReview]) -> None:
    doc.add_paragraph("", style="Normal")
    doc.add_paragraph("此前各轮审核记录", style="Heading 2")
    trail = doc.add_table(rows=1, cols=5)
    trail.style = doc.styles["Table Grid"]
    trail.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(trail.rows[0].cells, ("轮次", "步骤", "审核人", "结论及意见", "日期"), strict=True):
        _write(cell, text, bold=True)
    for review in earlier:
        decision = str(ReplyReviewDecision(review.decision).label)
        texts = (
            f"第{review.round}轮",
            review.step_name,
            _person(review.reviewer),
            f"{decision}：{review.opinion}" if review.opinion else decision,
            cn_date(review.decided_on),
        )
        for cell, text in zip(trail.add_row().cells, texts, strict=True):
            _write(cell, text)


# -- layout ---------------------------------------------------------------------------------------


def _setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.7)
    set_document_font(doc, BODY_FONT)
    for name, font, size, bold in (
        ("Normal", BODY_FONT, 12, False),
        ("Title", TITLE_FONT, 18, True),
        ("Heading 2", TITLE_FONT, 14, True),
        ("Table Grid", TITLE_FONT, 12, False),
    ):
        style = cast(ParagraphStyle, doc.styles[name])
        set_style_font(style, font)
        style.font.size, style.font.bold, style.font.italic = Pt(size), bold, False
        style.font.color.rgb = None
        if name == "Title":
            ppr = style.element.find(qn("w:pPr"))
            for border in ppr.findall(qn("w:pBdr")) if ppr is not None else []:
                ppr.remove(border)
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            style.paragraph_format.space_after = Pt(12)


def _excerpt(text: str, limit: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _write(cell: _Cell, text: str, *, bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = text.split("\n")
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        if index < len(lines) - 1:
            run.add_break()
    if align is not None:
        paragraph.alignment = align


def _wide(table: Table, label: str, value: str) -> None:
    cells = table.add_row().cells
    _write(cells[0], label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _write(cells[1].merge(cells[3]), value)


def _pair(table: Table, label1: str, value1: str, label2: str, value2: str) -> None:
    cells = table.add_row().cells
    for cell, text, is_label in zip(
        cells, (label1, value1, label2, value2), (True, False, True, False), strict=True
    ):
        _write(cell, text, bold=is_label, align=WD_ALIGN_PARAGRAPH.CENTER if is_label else None)


def _widths(table: Table) -> None:
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
        column.width = width
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = sum(COLUMN_WIDTHS[col : col + span], Cm(0))
            col += span
