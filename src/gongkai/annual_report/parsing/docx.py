"""Word (.docx) front end: paragraphs and tables in document order as ``Line``s.

The body XML is read directly, not through python-docx: python-docx lists paragraphs and tables
separately and hides content controls (the report's reading order is the order of ``w:p`` and
``w:tbl`` in the body), and it unpacks every part of the package into memory, so a zip bomb in any
part would exhaust it. Here only ``word/document.xml`` is unpacked, its declared size checked first
(``limits.open_part``), and parsed as a stream: each body paragraph or table is read when it is
complete and then dropped, so memory holds one block at a time.

Merged cells are resolved on the table grid (``w:gridSpan``, ``w:vMerge``, legacy ``w:hMerge``,
``w:gridBefore``), so a merged label is one cell, emitted once.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import lxml.etree  # type: ignore[import-untyped]

from gongkai.annual_report.parsing.base import Line, Token, UnreadableReport
from gongkai.annual_report.parsing.grid import GridCell, collapse_spaces, grid_lines
from gongkai.annual_report.parsing.limits import (
    MAX_ELEMENTS,
    MAX_LINES,
    MAX_TABLE_CELLS,
    MAX_TEXT_CHARS,
    open_part,
    table_too_large,
    too_many_lines,
    too_much_text,
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

DOCUMENT, BODY = _W + "document", _W + "body"
P, TBL, TR, TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_T, _TAB, _PTAB, _BR, _CR = _W + "t", _W + "tab", _W + "ptab", _W + "br", _W + "cr"
_NB_HYPHEN = _W + "noBreakHyphen"
_VAL = _W + "val"
# Containers whose children are blocks (or rows, or cells) of their parent.
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"}
# Subtrees whose text is not part of the visible paragraph: deleted revisions, field instructions,
# the duplicate fallback rendering of drawings, text boxes, properties.
_SKIP = {
    _W + "del",
    _W + "delText",
    _W + "instrText",
    _W + "delInstrText",
    _MC + "Fallback",
    _W + "txbxContent",
    _W + "pPr",
    _W + "rPr",
    _W + "sdtPr",
    _W + "tcPr",
    _W + "trPr",
    _W + "tblPr",
    _W + "footnoteReference",
    _W + "endnoteReference",
    _W + "commentReference",
}
# Formatting, the bulk of a Word file's XML, is never read (cell and row properties are: spans and
# merges); dropped as soon as it is parsed. Other skipped content may hold paragraphs that a table
# cell's text includes, so it stays.
_DROP = {_W + "pPr", _W + "rPr", _W + "sdtPr", _W + "tblPr"}


def docx_lines(data: bytes) -> list[Line]:
    """The document's paragraphs and table rows as ``Line``s, in reading order."""
    lines: list[Line] = []
    paragraph_no = table_no = chars = 0
    for block in _body_blocks(data):
        if block.tag == P:
            paragraph_no += 1
            new = paragraph_lines(_text(block), f"第 {paragraph_no} 段")
        else:
            table_no += 1
            new = _table_lines(block, table_no)
        lines.extend(new)
        # Counted as the blocks come, so that a document of endless text is refused while reading.
        chars += sum(len(t.text) for line in new for t in line.tokens)
        if chars > MAX_TEXT_CHARS:
            raise too_much_text()
        if len(lines) > MAX_LINES:
            raise too_many_lines()
    return lines


def paragraph_lines(text: str, where: str) -> list[Line]:
    """A paragraph with manual line breaks is one ``Line`` per visual line; tabs separate tokens
    (offices sometimes lay out a table with tabs instead of a table)."""
    lines = []
    for part in text.split("\n"):
        tokens = [Token(t, where=where) for t in (collapse_spaces(x) for x in part.split("\t")) if t]
        if tokens:
            lines.append(Line(tokens, where=where))
    return lines


def _body_blocks(data: bytes) -> Iterator[Any]:
    """The body's paragraphs and tables in document order (looking through content controls), each
    yielded once it is complete and cleared after, so the parsed tree never holds more than one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, open_part(archive, "word/document.xml") as part:
            yield from _stream_blocks(part)
    except (zipfile.BadZipFile, zlib.error, KeyError, EOFError, lxml.etree.XMLSyntaxError) as exc:
        raise UnreadableReport("Word 文档（.docx）已损坏或不完整，无法打开") from exc


def _stream_blocks(part: Any) -> Iterator[Any]:
    # For each open element: do its children sit at body level (the body, or a content control
    # in it)? A block is a paragraph or table whose parent does.
    holds_blocks: list[bool] = []
    held = 0  # elements parsed since the last block was dropped
    # No entity expansion, and libxml2's default size limits: the part is only data.
    events = lxml.etree.iterparse(part, events=("start", "end"), resolve_entities=False, remove_comments=True)
    for event, element in events:
        tag = element.tag
        if event == "start":
            held += 1
            if held > MAX_ELEMENTS:
                raise UnreadableReport(
                    f"Word 文档中有一个段落或表格含超过 {MAX_ELEMENTS // 10_000} 万个元素，不像一份年度报告"
                )
            if not holds_blocks:
                holds_blocks.append(False)  # the document element
            else:
                body = tag == BODY and len(holds_blocks) == 1
                holds_blocks.append(body or (holds_blocks[-1] and tag in _WRAPPERS))
            continue
        holds_blocks.pop()
        if tag in _DROP:
            element.clear(keep_tail=True)
        elif holds_blocks and holds_blocks[-1]:
            if tag in (P, TBL):
                yield element
            # Read (or not a block): its memory goes before the next block is parsed.
            held = 0
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)


def _children(container: Any, tag: str) -> Iterator[Any]:
    """Direct children with ``tag``, looking through content controls and custom XML."""
    for child in container:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _text(element: Any) -> str:
    parts: list[str] = []
    _collect(element, parts)
    return "".join(parts)


def _collect(element: Any, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag in (_TAB, _PTAB):
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NB_HYPHEN:
            parts.append("-")
        else:
            _collect(child, parts)


def _cell_text(tc: Any) -> str:
    # Every paragraph of the cell (nested tables included) on its own line; tabs inside a cell are
    # layout, not structure.
    return "\n".join(_text(p).replace("\t", " ") for p in tc.iter(P))


def _prop(element: Any, *path: str) -> Any:
    node = element
    for name in path:
        node = node.find(_W + name) if node is not None else None
    return node


def _int_val(node: Any, default: int) -> int:
    if node is None:
        return default
    try:
        return max(0, int(node.get(_VAL)))
    except (TypeError, ValueError):
        return default


def _table_lines(tbl: Any, table_no: int) -> list[Line]:
    cells: list[GridCell] = []
    owner: dict[tuple[int, int], GridCell] = {}
    for r, tr in enumerate(_children(tbl, TR)):
        # Cells skipped at the start of a row (w:gridBefore) shift the row right on the grid.
        col = _int_val(_prop(tr, "trPr", "gridBefore"), 0)
        for tc in _children(tr, TC):
            span = max(1, _int_val(_prop(tc, "tcPr", "gridSpan"), 1))
            text = _cell_text(tc)
            vmerge = _prop(tc, "tcPr", "vMerge")
            hmerge = _prop(tc, "tcPr", "hMerge")
            above = owner.get((r - 1, col))
            left = owner.get((r, col - 1))
            if vmerge is not None and vmerge.get(_VAL, "continue") == "continue" and above is not None:
                above.rowspan = r - above.row + 1
                if text.strip():
                    above.text += "\n" + text
                cell = above
            elif hmerge is not None and hmerge.get(_VAL, "continue") == "continue" and left is not None:
                left.colspan += span
                if text.strip():
                    left.text += "\n" + text
                cell = left
            else:
                cell = GridCell(text, r, col, 1, span)
                cells.append(cell)
            if len(owner) + span > MAX_TABLE_CELLS:  # w:gridSpan is unbounded in the file
                raise table_too_large(table_no)
            for c in range(col, col + span):
                owner[(r, c)] = cell
            col += span

    def where(row: int, col: int | None) -> str:
        return f"第 {table_no} 个表格第 {row + 1} 行" + ("" if col is None else f"第 {col + 1} 列")

    return grid_lines(cells, where=where)
