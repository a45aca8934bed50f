"""Web page (HTML) front end: headings, paragraphs and table rows as ``Line``s.

Block elements (headings, paragraphs, list items, divisions) each become a line, ``<br>`` starts a
new one. Data tables are laid out on a grid with ``rowspan``/``colspan`` expanded, so a merged label
is one cell; a table that holds other tables, or only one column, is page layout and its cells are
read as ordinary blocks. Scripts, styles, navigation and hidden elements are skipped.

Saved pages can be tens of MB of inline scripts, styles and base64 images around a report of a few
hundred KB, so the tree is built from the parser's events (``_Builder``): skipped elements are
dropped while parsing and only the attributes the reader looks at are kept (a ``data:`` URI never
reaches the tree). The text and the elements kept are counted on the way and a page past the caps of
``limits`` is refused.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import lxml.etree  # type: ignore[import-untyped]

from gongkai.annual_report.parsing.base import Line, Token, UnreadableReport
from gongkai.annual_report.parsing.grid import collapse_spaces, grid_lines, place_cells
from gongkai.annual_report.parsing.limits import (
    MAX_ELEMENTS,
    MAX_LINES,
    MAX_TABLE_CELLS,
    MAX_TEXT_CHARS,
    table_too_large,
    too_many_lines,
    too_much_text,
)

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
    root, published = _parse(text)
    reader = _Reader()
    reader.block(root)
    reader.flush()
    if published:
        # Portals state the publication date in the page's metadata rather than in the text;
        # given as the labelled line the assembler looks for.
        where = "网页元数据"
        reader.lines.insert(0, Line([Token(f"发布日期：{published}", where=where)], where=where))
    return reader.lines


# Attributes the reader looks at; everything else (src, href, on…, data-…) is dropped on parsing.
_KEPT_ATTRIBUTES = {"rowspan", "colspan", "style", "hidden", "aria-hidden", "name", "property", "content"}
# Subtrees the reader skips that hold no text for it: dropped while parsing. The head stays (its
# meta tags carry the publication date).
_DROPPED_TAGS = _SKIP_TAGS - {"head"}
_CSS_URL = re.compile(r"url\([^)]*\)", re.I)
_CHUNK = 1024 * 1024


def _parse(text: str) -> tuple[Any, str]:
    """The page's tree without what the reader skips, and the publication date in its metadata."""
    builder = _Builder()
    # huge_tree lifts libxml2's 10 MB limit on one text node, which otherwise ends the parse
    # silently at the first big inline script or image; the caps here are ours.
    parser = lxml.etree.HTMLParser(target=builder, huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        for start in range(0, len(text), _CHUNK):
            parser.feed(text[start : start + _CHUNK])
        root = parser.close()
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        # lxml reports an exception raised by the target as its own parse error.
        if builder.refused is not None:
            raise builder.refused from None
        raise UnreadableReport("网页无法解析（HTML 结构损坏）") from exc
    if root is None:
        raise UnreadableReport("网页无法解析（HTML 结构损坏）")
    return root, builder.published


class _Builder:
    """Parser target that builds the page's tree without what the reader would skip anyway."""

    def __init__(self) -> None:
        self.tree = lxml.etree.TreeBuilder()
        self.skipping = 0  # depth inside a dropped element
        self.elements = 0
        self.chars = 0
        self.refused: UnreadableReport | None = None  # why the page is refused, once it is
        self.published = ""  # from the first meta tag that gives a date, wherever it is

    def refuse(self, reason: UnreadableReport) -> None:
        self.refused = reason
        raise reason  # stops the parser

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == "meta" and not self.published:
            self.published = _meta_date(attrib)
        if self.skipping or tag in _DROPPED_TAGS or _hidden_attributes(attrib):
            self.skipping += 1
            return
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            self.refuse(
                UnreadableReport(
                    f"网页元素超过 {MAX_ELEMENTS // 10_000} 万个（脚本、样式和隐藏的部分不计），"
                    "不像一份年度报告的网页"
                )
            )
        kept = {k: v for k, v in attrib.items() if k in _KEPT_ATTRIBUTES}
        if "style" in kept:
            kept["style"] = _CSS_URL.sub("", kept["style"])  # inline images in CSS
        self.tree.start(_element_name(tag), kept)

    def end(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= 1
        else:
            self.tree.end(_element_name(tag))

    def data(self, data: str) -> None:
        if self.skipping:
            return
        # Whitespace is not counted: pretty-printed pages are mostly indentation.
        self.chars += len(data) - data.count(" ") - data.count("\n") - data.count("\t") - data.count("\r")
        if self.chars > MAX_TEXT_CHARS:
            self.refuse(too_much_text())
        self.tree.data(data)

    def close(self) -> Any:
        return self.tree.close()


def _element_name(tag: str) -> str:
    """A name the tree accepts. Pages saved from Word are full of ``<o:p>``, ``<st1:chsdate>``: the
    HTML parser keeps the prefix, which is not a valid element name on its own; the reader knows
    none of them, so any stand-in name reads the same."""
    if _ELEMENT_NAME.fullmatch(tag):
        return tag
    name = tag.replace(":", "_")
    return name if _ELEMENT_NAME.fullmatch(name) else "span"


_ELEMENT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def _hidden_attributes(attrib: Any) -> bool:
    if attrib.get("hidden") is not None or attrib.get("aria-hidden") == "true":
        return True
    return bool(_HIDDEN_STYLE.search(attrib.get("style") or ""))


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


def _meta_date(meta: Any) -> str:
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
            self.check()

    def check(self) -> None:
        # Refused as soon as it is certain, before a page of endless blocks becomes endless lines.
        if len(self.lines) > MAX_LINES:
            raise too_many_lines()

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
        spans = [[(_span(c, "rowspan"), _span(c, "colspan")) for c in cells] for cells in rows]
        # The grid takes rowspan × colspan slots per cell (a rowspan stops at the table's end).
        slots = sum(min(rs, len(rows) - r) * cs for r, row in enumerate(spans) for rs, cs in row)
        if slots > MAX_TABLE_CELLS:
            raise table_too_large(number)
        placed = place_cells(
            [
                [(_cell_text(c), *span) for c, span in zip(cells, row, strict=True)]
                for cells, row in zip(rows, spans, strict=True)
            ]
        )

        def where(row: int, col: int | None) -> str:
            return f"第 {number} 个表格第 {row + 1} 行" + ("" if col is None else f"第 {col + 1} 列")

        self.lines.extend(grid_lines(placed, where=where))
        self.check()


def _hidden(element: Any) -> bool:
    if not isinstance(element.tag, str) or element.tag.lower() in _SKIP_TAGS:
        return True
    return _hidden_attributes(element.attrib)


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
