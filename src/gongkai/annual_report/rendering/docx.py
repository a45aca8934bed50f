"""DOCX rendering with python-docx, in the layout offices publish.

Title, the six headings as ``Heading 1`` paragraphs, one ``Normal`` paragraph per line of section
text, and each statutory table as a Word table with the official merged cells (gridSpan/vMerge).
Table 二 is one table per 第二十条第（X）项 block, its caption in a first row merged across, as in the
published tables. Every style the document uses names an East-Asian font (仿宋/宋体/黑体, the fonts
of official documents), and the font table maps each one to Noto CJK as its alternative, so the
file shows Chinese on a machine without the Windows fonts too.
"""

from __future__ import annotations

import io
from typing import cast

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle, ParagraphStyle
from docx.table import Table, _Cell
from lxml import etree  # type: ignore[import-untyped]

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering.layout import (
    GridCell,
    Heading,
    Paragraph,
    TableGrid,
    Title,
    clean_text,
    document,
    report_format,
    report_title,
)

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"
# East-Asian font -> the Noto CJK family a machine without it should use instead.
FONT_FALLBACKS = {
    BODY_FONT: "Noto Serif CJK SC",
    TITLE_FONT: "Noto Serif CJK SC",
    TABLE_FONT: "Noto Serif CJK SC",
    HEADING_FONT: "Noto Sans CJK SC",
}

TABLE_STYLE = "Table Grid"
TABLE_TEXT_STYLE = "报告表格"  # paragraph style of table cells (smaller, no first-line indent)
SPACER_STYLE = "报告表后空行"  # the empty paragraph that keeps two tables from fusing in Word

# A4 with the margins of GB/T 9704 (党政机关公文格式).
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6


def render_docx(report: AnnualReport) -> bytes:
    blocks = document(report)
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _font_table(doc)
    fmt = report_format(report)
    props = doc.core_properties
    props.title = report_title(report)
    props.author = clean_text(report.organisation)
    props.subject = fmt.title
    props.language = "zh-CN"
    props.comments = "gongkai"
    for block in blocks:
        if isinstance(block, Title):
            doc.add_paragraph(block.text, style="Title")
        elif isinstance(block, Heading):
            doc.add_paragraph(block.text, style="Heading 1")
        elif isinstance(block, Paragraph):
            doc.add_paragraph(block.text, style="Normal")
        else:
            _table(doc, block)
            doc.add_paragraph("", style=SPACER_STYLE)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_bytes(report: AnnualReport) -> bytes:
    return render_docx(report)


# -- page and styles -------------------------------------------------------------------------------


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]


_AFTER_RPR = {qn(tag) for tag in ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")}


def set_document_font(doc: DocxDocument, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Public helper for other DOCX writers (notices, review forms): make ``east_asian`` (e.g. 仿宋) and
    ``latin`` the default fonts of every run in ``doc`` (its docDefaults), with zh-CN as the East-Asian
    language, so that Word's theme fonts do not replace them."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        _name_fonts(rpr_default, east_asian, latin)


def set_style_font(style: BaseStyle, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Public helper for other DOCX writers: give one python-docx style (``doc.styles["Normal"]``, a
    table style …) the East-Asian font ``east_asian`` and the Latin font ``latin``, named explicitly
    so that the theme cannot override them, as the report's own styles are."""
    _name_fonts(style.element, east_asian, latin)


def _name_fonts(element: etree._Element, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts of an ``rPr`` owner (style, docDefaults); theme fonts would override them."""
    rpr = element.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        # The schema puts a style's run properties before its table properties (Table Grid has those).
        successor = next((child for child in element if child.tag in _AFTER_RPR), None)
        if successor is None:
            element.append(rpr)
        else:
            successor.addprevious(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style(
    doc: DocxDocument, name: str, east_asian: str, size: float, *, bold: bool = False
) -> ParagraphStyle:
    style = cast(ParagraphStyle, doc.styles[name])
    set_style_font(style, east_asian)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    return style


def _add_style(doc: DocxDocument, name: str, style_id: str, base: ParagraphStyle) -> None:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id  # an ASCII id, as Word itself writes for styles with Chinese names
    style.base_style = base


def _styles(doc: DocxDocument) -> None:
    set_document_font(doc, BODY_FONT)

    normal = _style(doc, "Normal", BODY_FONT, 16)
    fmt = normal.paragraph_format
    fmt.first_line_indent = Pt(32)  # two characters, as Chinese prose is set
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    title = _style(doc, "Title", TITLE_FONT, 22, bold=True)
    # The template's Title has a coloured bottom rule and its own spacing; an official title has neither.
    ppr = title.element.find(qn("w:pPr"))
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.space_after = Pt(24)

    heading = _style(doc, "Heading 1", HEADING_FONT, 16, bold=False)
    heading.paragraph_format.first_line_indent = Pt(32)
    heading.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    heading.paragraph_format.line_spacing = Pt(28)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)
    heading.paragraph_format.keep_with_next = True

    _add_style(doc, TABLE_TEXT_STYLE, "GkTableText", normal)
    cell_style = _style(doc, TABLE_TEXT_STYLE, TABLE_FONT, 9)
    cell_fmt = cell_style.paragraph_format
    cell_fmt.first_line_indent = Pt(0)
    cell_fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cell_fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell_fmt.space_before = cell_fmt.space_after = Pt(0)

    _add_style(doc, SPACER_STYLE, "GkTableSpacer", normal)
    spacer = _style(doc, SPACER_STYLE, BODY_FONT, 6)
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    spacer.paragraph_format.first_line_indent = Pt(0)

    set_style_font(doc.styles[TABLE_STYLE], TABLE_FONT)


def _font_table(doc: DocxDocument) -> None:
    """Declare the Chinese fonts with a Noto CJK alternative name (used where they are missing)."""
    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype == RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    w = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alternative in FONT_FALLBACKS.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alternative})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})  # GB2312
        etree.SubElement(
            font, f"{{{w}}}family", {f"{{{w}}}val": "roman" if name != HEADING_FONT else "modern"}
        )
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    # python-docx keeps parts it does not model as raw bytes; replacing them is the only way to edit one.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- tables ----------------------------------------------------------------------------------------


def _table(doc: DocxDocument, grid: TableGrid) -> Table:
    offset = 1 if grid.caption else 0
    n_rows = grid.n_rows + offset
    table = doc.add_table(rows=n_rows, cols=grid.n_cols)
    table.style = doc.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    size = 8 if grid.table == "appeals" else 9

    cells: list[tuple[GridCell, int]] = [(c, c.row + offset) for c in grid.cells]
    if grid.caption:
        caption = GridCell(grid.caption, 0, 0, colspan=grid.n_cols, role="header")
        cells.insert(0, (caption, 0))
    # Table.cell() re-walks the whole table on every call; with the <w:tc> elements of the still
    # unmerged grid in hand, each merge and each write is local. Merged areas never overlap, so
    # the corners of a later merge are never swallowed by an earlier one.
    tcs = [list(tr.tc_lst) for tr in table._tbl.tr_lst]
    for cell, row in cells:
        if cell.rowspan > 1 or cell.colspan > 1:
            bottom, right = row + cell.rowspan - 1, cell.col + cell.colspan - 1
            _Cell(tcs[row][cell.col], table).merge(_Cell(tcs[bottom][right], table))
    style_id = doc.styles[TABLE_TEXT_STYLE].style_id
    for cell, row in cells:
        target = _Cell(tcs[row][cell.col], table)
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph._p.get_or_add_pPr().style = style_id  # the public setter looks the style up each time
        is_caption = row == 0 and bool(grid.caption)
        if is_caption or (cell.role == "label" and cell.rowspan == 1):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if cell.text:
            run = paragraph.add_run(cell.text)
            run.font.size = Pt(size)
            if is_caption:
                run.bold = True

    _widths(table, grid)
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))  # a table row never breaks across pages
        if index < grid.header_rows + offset:
            tr_pr.append(OxmlElement("w:tblHeader"))  # header rows repeat on the next page
    return table


def _widths(table: Table, grid: TableGrid) -> None:
    total = sum(grid.col_weights)
    widths = [Cm(TEXT_WIDTH_CM * w / total) for w in grid.col_weights]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    # Each cell's own width must equal the grid columns it spans, or Word re-flows the table.
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = sum(widths[col : col + span], Cm(0))
            col += span
