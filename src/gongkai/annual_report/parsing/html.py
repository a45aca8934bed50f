"""Web page (HTML) front end: headings, paragraphs and table rows as ``Line``s.

Block elements (headings, paragraphs, list items, divisions) each become a line, ``<br>`` starts a
new one. Data tables are laid out on a grid with ``rowspan``/``colspan`` expanded, so a merged label
is one cell; a table that holds other tables, or only one column, is page layout and its cells are
read as ordinary blocks. Scripts, styles, navigation and hidden elements are skipped.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]

from gongkai.annual_report.parsing.base import Line, Token, UnreadableReport
from gongkai.annual_report.parsing.grid import collapse_spaces, grid_lines, place_cells

_SKIP_TAGS = {
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "button",
    "select",
    "textarea",
    "input",
    "map",
}
_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "ul",
    "caption",
    "tr",
    "td",
    "th",
    "table",
    "thead",
    "tbody",
    "tfoot",
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_html(data: bytes) -> str:
    """Decode a page by its BOM, its declared charset, else UTF-8, else GB18030 (what Chinese
    government sites that declare nothing use)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        # GB2312 and GBK pages routinely contain characters only GB18030 defines.
        if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "euc-cn"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def html_lines(data: bytes | str) -> list[Line]:
    """The page's text blocks and table rows as ``Line``s, in reading order."""
    text = decode_html(data) if isinstance(data, bytes) else data
    # lxml refuses str input that carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise UnreadableReport("网页没有内容")
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableReport("网页无法解析（HTML 结构损坏）") from exc
    reader = _Reader()
    reader.block(root)
    reader.flush()
    published = _published_meta(root)
    if published:
        # Portals state the publication date in the page's metadata rather than in the text;
        # given as the labelled line the assembler looks for.
        where = "网页元数据"
        reader.lines.insert(0, Line([Token(f"发布日期：{published}", where=where)], where=where))
    return reader.lines


# Meta tags Chinese government portals (and Dublin Core / Open Graph pages) carry the date in.
_DATE_META = {
    "pubdate",
    "publishdate",
    "firstpublishedtime",
    "dcterms.issued",
    "dc.date.issued",
    "article:published_time",
}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def _published_meta(root: Any) -> str:
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name in _DATE_META:
            match = _DATE.search(meta.get("content") or "")
            if match:
                year, month, day = (int(g) for g in match.groups())
                return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


class _Reader:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buffer: list[str] = []
        self.blocks = 0
        self.tables = 0

    # -- flow text ---------------------------------------------------------------------------------
    def flush(self) -> None:
        text = collapse_spaces(re.sub(r"\s+", " ", "".join(self.buffer)))
        self.buffer.clear()
        if text:
            self.blocks += 1
            where = f"第 {self.blocks} 段"
            self.lines.append(Line([Token(text, where=where)], where=where))

    def block(self, element: Any) -> None:
        """Read ``element``'s content as flow: text into the current line, blocks on their own."""
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            self.node(child)
            if child.tail:
                self.buffer.append(child.tail)

    def node(self, element: Any) -> None:
        if _hidden(element):  # also comments and processing instructions
            return
        tag = element.tag.lower()
        if tag == "br":
            self.flush()
        elif tag == "table":
            self.flush()
            self.table(element)
        elif tag in _BLOCK_TAGS:
            self.flush()
            self.block(element)
            self.flush()
        else:
            self.block(element)

    # -- tables ------------------------------------------------------------------------------------
    def table(self, table: Any) -> None:
        rows = _rows(table)
        widest = max((sum(_span(c, "colspan") for c in cells) for cells in rows), default=0)
        if widest <= 1 or any(cell.find(".//table") is not None for cells in rows for cell in cells):
            # Layout: a page framed in tables, or a one-column box around text.
            for cells in rows:
                for cell in cells:
                    self.block(cell)
                    self.flush()
            return
        caption = table.find("caption")
        if caption is not None:
            self.block(caption)
            self.flush()
        self.tables += 1
        number = self.tables
        placed = place_cells(
            [[(_cell_text(c), _span(c, "rowspan"), _span(c, "colspan")) for c in cells] for cells in rows]
        )

        def where(row: int, col: int | None) -> str:
            return f"表 {number} 第 {row + 1} 行" + ("" if col is None else f"第 {col + 1} 列")

        self.lines.extend(grid_lines(placed, where=where))


def _hidden(element: Any) -> bool:
    if not isinstance(element.tag, str) or element.tag.lower() in _SKIP_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style") or ""))


def _rows(table: Any) -> list[list[Any]]:
    """The table's own rows (not those of nested tables) with their visible cells."""
    rows = []
    for section in [
        table,
        *(s for s in table if isinstance(s.tag, str) and s.tag.lower() in ("thead", "tbody", "tfoot")),
    ]:
        for tr in section:
            if isinstance(tr.tag, str) and tr.tag.lower() == "tr" and not _hidden(tr):
                rows.append(
                    [
                        c
                        for c in tr
                        if isinstance(c.tag, str) and c.tag.lower() in ("td", "th") and not _hidden(c)
                    ]
                )
    return rows


def _span(cell: Any, name: str) -> int:
    match = re.match(r"\s*(\d+)", cell.get(name) or "")
    # rowspan="0" means "to the end of the section"; place_cells clamps it to the table.
    value = int(match.group(1)) if match else 1
    if value == 0 and name == "rowspan":
        return 10_000
    return max(1, min(value, 1000))


def _cell_text(cell: Any) -> str:
    """A cell's text with ``<br>`` and block children as line breaks (joined later)."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        if element.text:
            parts.append(re.sub(r"\s+", " ", element.text))
        for child in element:
            if isinstance(child.tag, str) and not _hidden(child):
                tag = child.tag.lower()
                if tag == "br" or tag in _BLOCK_TAGS:
                    parts.append("\n")
                if tag != "br":
                    walk(child)
                if tag in _BLOCK_TAGS:
                    parts.append("\n")
            if child.tail:
                parts.append(re.sub(r"\s+", " ", child.tail))

    walk(cell)
    return "".join(parts)
