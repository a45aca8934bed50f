"""The 《政府信息公开申请与保密申请审核表》 of one item as DOCX, generated on demand from the records.

The paper form the office used before (seed report: "由街道各部门将需要公开的信息填写《…审核表》，由所在
部门负责人、主管主任双层审核签字同意后，方可公开"): the item, its drafter and both review levels with
name, decision, comment and date. The latest review round fills the form; earlier rounds (an item
returned and resubmitted) are listed beneath it so the trail is complete.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import cast

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
from gongkai.org.selectors import organisation_name
from gongkai.publications import selectors
from gongkai.publications.models import Publication, PublicationReview, ReviewDecision, ReviewLevel

FORM_TITLE = "政府信息公开申请与保密申请审核表"
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
TABLE_FONT = "宋体"
COLUMN_WIDTHS = (Cm(3.4), Cm(4.4), Cm(3.0), Cm(4.8))  # label, value, label, value: 15.6 cm of text width


def form_title(organisation_name: str) -> str:
    # The seed names it after the office, e.g. 《东花市街道政府信息公开申请与保密申请审核表》.
    return f"{organisation_name}{FORM_TITLE}" if organisation_name else FORM_TITLE


def chinese_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value, timezone.get_default_timezone()).date()
    return f"{value.year}年{value.month}月{value.day}日"


def _person(user: object | None) -> str:
    if user is None:
        return ""
    full = getattr(user, "get_full_name", lambda: "")()
    return full or getattr(user, "get_username", lambda: "")()


def decision_text(review: PublicationReview | None, *, pending: bool) -> str:
    if review is None:
        return "（待审核）" if pending else "（未审核）"
    return ReviewDecision(review.decision).label


def render_review_form(publication: Publication) -> bytes:
    """The 审核表 of ``publication`` as DOCX bytes."""
    org = organisation_name()
    doc = Document()
    _setup(doc)
    _set_properties(doc, org, publication)
    doc.add_paragraph(form_title(org), style="Title")
    number = doc.add_paragraph(f"编号：GK-{publication.pk:06d}", style="Normal")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _form_table(doc, publication)
    history = selectors.review_history(publication)
    earlier = [r for r in history if r.round != publication.review_round]
    if earlier:
        _earlier_rounds(doc, earlier)
    note = doc.add_paragraph(
        f"本表由政务公开工作台根据审核记录生成，生成日期：{chinese_date(timezone.now())}。", style="Normal"
    )
    note.runs[0].font.size = Pt(10)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_properties(doc: DocxDocument, org: str, publication: Publication) -> None:
    props = doc.core_properties
    props.title = f"{form_title(org)}：{publication.title}"[:250]
    props.author = org
    props.language = "zh-CN"
    props.comments = "gongkai"


def _form_table(doc: DocxDocument, publication: Publication) -> None:
    """The form itself: the item, both review levels of the latest round, publication and its end."""
    table = doc.add_table(rows=0, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _item_rows(table, publication)
    _current_review_rows(table, publication)
    _outcome_rows(table, publication)
    _widths(table)


def _item_rows(table: Table, publication: Publication) -> None:
    deadline = selectors.art26_status(publication)
    _row_wide(table, "信息名称", publication.title)
    _row_pair(table, "文号", publication.doc_number or "无", "申请科室", str(publication.department))
    _row_wide(table, "公开类别", f"第二十条{publication.get_category_display()}")
    _row_pair(
        table,
        "文件类型",
        publication.get_doc_kind_display(),
        "重点领域",
        "是" if publication.key_area else "否",
    )
    _row_pair(
        table,
        "形成或者变更日期",
        chinese_date(publication.formed_on),
        "法定公开期限",
        chinese_date(deadline.deadline) if deadline.deadline else deadline.message,
    )
    _row_pair(
        table,
        "起草人",
        _person(publication.drafter),
        "提交审核日期",
        chinese_date(publication.submitted_at) or "—",
    )
    _row_wide(table, "内容摘要", _excerpt(publication.body) or "—")


def _current_review_rows(table: Table, publication: Publication) -> None:
    reviews = selectors.current_reviews(publication)
    pending_level = {
        Publication.Status.PENDING_HEAD: ReviewLevel.HEAD,
        Publication.Status.PENDING_DIRECTOR: ReviewLevel.DIRECTOR,
    }.get(publication.status)
    for level, label in (
        (ReviewLevel.HEAD, "科室负责人\n审核意见"),
        (ReviewLevel.DIRECTOR, "主管主任\n审核意见"),
    ):
        _review_rows(table, label, reviews.get(level), pending=pending_level == level)


def _outcome_rows(table: Table, publication: Publication) -> None:
    _row_pair(
        table,
        "公开日期",
        chinese_date(publication.published_on) or "未公开",
        "当前状态",
        publication.get_status_display(),
    )
    if publication.withdrawn_on:
        _row_wide(
            table,
            "撤回",
            f"{chinese_date(publication.withdrawn_on)}撤回；理由：{publication.withdrawn_reason}",
        )
    if publication.repealed_on:
        _row_wide(
            table,
            "废止",
            f"{chinese_date(publication.repealed_on)}废止 {publication.repealed_reason}".strip(),
        )


def _earlier_rounds(doc: DocxDocument, earlier: list[PublicationReview]) -> None:
    """Reviews of earlier rounds (an item returned and resubmitted), so the trail is complete."""
    doc.add_paragraph("", style="Normal")
    doc.add_paragraph("此前各轮审核记录", style="Heading 2")
    trail = doc.add_table(rows=1, cols=5)
    trail.style = doc.styles["Table Grid"]
    trail.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(
        trail.rows[0].cells, ("轮次", "审核层级", "审核人", "结论及意见", "日期"), strict=True
    ):
        _write(cell, text, bold=True)
    for review in earlier:
        decision = ReviewDecision(review.decision).label
        texts = (
            f"第{review.round}轮",
            ReviewLevel(review.level).label,
            _person(review.reviewer),
            f"{decision}：{review.comment}" if review.comment else decision,
            chinese_date(review.decided_at),
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
        ("Table Grid", TABLE_FONT, 12, False),
    ):
        style = cast(ParagraphStyle, doc.styles[name])
        set_style_font(style, font)
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        if name == "Title":
            ppr = style.element.find(qn("w:pPr"))
            if ppr is not None:
                for border in ppr.findall(qn("w:pBdr")):
                    ppr.remove(border)
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            style.paragraph_format.space_after = Pt(12)
        style.font.color.rgb = None


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


def _row_wide(table: Table, label: str, value: str) -> None:
    cells = table.add_row().cells
    _write(cells[0], label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    merged = cells[1].merge(cells[3])
    _write(merged, value)


def _row_pair(table: Table, label1: str, value1: str, label2: str, value2: str) -> None:
    cells = table.add_row().cells
    _write(cells[0], label1, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _write(cells[1], value1)
    _write(cells[2], label2, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _write(cells[3], value2)


def _review_rows(table: Table, label: str, review: PublicationReview | None, *, pending: bool) -> None:
    """Opinion (decision + comment) on one row, signature and date on the next, label merged across both."""
    opinion = table.add_row()
    signature = table.add_row()
    head = opinion.cells[0].merge(signature.cells[0])
    _write(head, label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    text = decision_text(review, pending=pending)
    if review is not None and review.comment:
        text = f"{text}\n意见：{review.comment}"
    _write(opinion.cells[1].merge(opinion.cells[3]), text)
    _write(signature.cells[1], f"签字：{_person(review.reviewer) if review else ''}")
    _write(signature.cells[2], "日期", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _write(signature.cells[3], chinese_date(review.decided_at) if review else "")
    # Keep the two rows of one opinion on the same page.
    for row in (opinion, signature):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _widths(table: Table) -> None:
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
        column.width = width
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = sum(COLUMN_WIDTHS[col : col + span], Cm(0))
            col += span
