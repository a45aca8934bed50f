"""The layout the office's paper forms share, as DOCX: the publications' 审核表 and the replies' 审批表.

An A4 page with a 宋体 title and 仿宋 text, one four-column table (label, value, label, value) whose rows are
either a label with a value across three columns or two label/value pairs, an opinion row with its
signature-and-date row under it (kept on one page), and a trail of earlier review rounds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django.utils import timezone
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell

from gongkai.annual_report.rendering.docx import set_document_font, set_style_font

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
COLUMN_WIDTHS = (Cm(3.4), Cm(4.4), Cm(3.0), Cm(4.8))  # label, value, label, value: 15.6 cm of text width


def chinese_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value, timezone.get_default_timezone()).date()
    return f"{value.year}年{value.month}月{value.day}日"


def person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def excerpt(text: str, limit: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def setup(doc: DocxDocument) -> None:
    """A4, the margins of an official form, and the styles the form uses."""
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


def form_table(doc: DocxDocument) -> Table:
    table = doc.add_table(rows=0, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    return table


def write(cell: _Cell, text: str, *, bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None) -> None:
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


def wide_row(table: Table, label: str, value: str) -> None:
    cells = table.add_row().cells
    write(cells[0], label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    write(cells[1].merge(cells[3]), value)


def pair_row(table: Table, label1: str, value1: str, label2: str, value2: str) -> None:
    cells = table.add_row().cells
    for cell, text, is_label in zip(
        cells, (label1, value1, label2, value2), (True, False, True, False), strict=True
    ):
        write(cell, text, bold=is_label, align=WD_ALIGN_PARAGRAPH.CENTER if is_label else None)


def opinion_rows(table: Table, label: str, opinion: str, signer: str, date: str) -> None:
    """The opinion on one row, signature and date on the next, the label merged across both."""
    top = table.add_row()
    bottom = table.add_row()
    write(top.cells[0].merge(bottom.cells[0]), label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    write(top.cells[1].merge(top.cells[3]), opinion)
    write(bottom.cells[1], f"签字：{signer}")
    write(bottom.cells[2], "日期", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    write(bottom.cells[3], date)
    # Keep the two rows of one opinion on the same page.
    for row in (top, bottom):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def fix_widths(table: Table) -> None:
    """Word reads the cells' widths, not the columns': set both, merged cells spanning their columns."""
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
        column.width = width
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = sum(COLUMN_WIDTHS[col : col + span], Cm(0))
            col += span


def earlier_rounds(doc: DocxDocument, second_column: str, rows: Sequence[Sequence[str]]) -> None:
    """The decisions of earlier review rounds (a draft returned and resubmitted), so the trail is complete."""
    doc.add_paragraph("", style="Normal")
    doc.add_paragraph("此前各轮审核记录", style="Heading 2")
    trail = doc.add_table(rows=1, cols=5)
    trail.style = doc.styles["Table Grid"]
    trail.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(
        trail.rows[0].cells, ("轮次", second_column, "审核人", "结论及意见", "日期"), strict=True
    ):
        write(cell, text, bold=True)
    for texts in rows:
        for cell, text in zip(trail.add_row().cells, texts, strict=True):
            write(cell, text)
