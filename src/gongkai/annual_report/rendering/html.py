"""HTML rendering: the base layout, shared by the web app (fragment) and the PDF (whole page).

Tables are semantic: ``<thead>`` holds the official merged header cells, row labels are
``<th scope="row">``, and the rowspan/colspan values are those of the official tables. Table 二 blocks
carry their 第二十条第（X）项 as ``<caption>``; Tables 三 and 四 are labelled by their section heading
(``aria-labelledby``) rather than by a caption, so that the heading text occurs exactly once and a
parser reading the page back finds each statutory heading once. The page has no external resources:
the stylesheet is inline and every piece of text is escaped.
"""

from __future__ import annotations

import re
from html import escape

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering.layout import (
    GridCell,
    Heading,
    Paragraph,
    TableGrid,
    Title,
    document,
    report_format,
    report_title,
)

_GROUP_NUMBER = re.compile(r"^（[一二三四五六七八九十]+）")

SERIF = '"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif'
SANS = '"Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "SimHei", sans-serif'

# Scoped to .gk-report so the web app can embed the fragment next to its own styles.
REPORT_CSS = f"""
@page {{
  size: A4;
  margin: 2.2cm 2cm 2cm;
  @bottom-center {{ content: "— " counter(page) " —"; font-family: {SERIF}; font-size: 9pt; }}
}}
.gk-report {{ font-family: {SERIF}; font-size: 12pt; line-height: 1.65; color: #000; }}
.gk-report h1, .gk-report h2 {{ font-family: {SANS}; font-weight: bold; }}
.gk-report h1 {{ font-size: 18pt; text-align: center; margin: 0 0 1.2em; line-height: 1.4; }}
.gk-report h2 {{ font-size: 14pt; margin: 1.1em 0 0.5em; break-after: avoid; page-break-after: avoid; }}
.gk-report p {{
  text-indent: 2em; margin: 0 0 0.35em; text-align: justify; orphans: 2; widows: 2;
  /* pre-wrap keeps a space that falls at a line break in the PDF text layer, so the text reads back. */
  white-space: pre-wrap;
}}
.gk-report table {{
  border-collapse: collapse; width: 100%; table-layout: fixed;
  margin: 0.4em 0 1em; font-size: 9pt; line-height: 1.3;
}}
.gk-report caption {{
  caption-side: top; text-align: left; font-family: {SANS}; font-weight: bold;
  padding: 0.2em 0; break-after: avoid; page-break-after: avoid;
}}
.gk-report th, .gk-report td {{
  border: 0.75pt solid #000; padding: 2pt 3pt; text-align: center; vertical-align: middle;
  font-weight: normal; overflow-wrap: anywhere;
}}
.gk-report thead th {{ font-family: {SANS}; background: #f2f2f2; }}
.gk-report td {{ font-variant-numeric: tabular-nums; }}
.gk-report tbody th {{ text-align: left; }}
.gk-report tbody th[rowspan] {{ text-align: center; }}
.gk-report .gk-balanced {{ display: inline-block; }}
.gk-report .gk-nowrap {{ white-space: nowrap; }}
.gk-report tr {{ break-inside: avoid; page-break-inside: avoid; }}
.gk-report thead {{ display: table-header-group; }}
.gk-report table.gk-proactive {{ break-inside: avoid; page-break-inside: avoid; }}
.gk-report table.gk-appeals {{ font-size: 8.5pt; break-inside: avoid; page-break-inside: avoid; }}
.gk-report table.gk-appeals thead th {{ padding: 2pt 1pt; }}
@media screen {{
  .gk-report {{ max-width: 60em; margin: 2em auto; padding: 0 1em; }}
}}
""".strip()


def render_html_fragment(report: AnnualReport) -> str:
    """The report body as one ``<article>`` element, for embedding in another page."""
    parts: list[str] = ['<article class="gk-report" lang="zh-CN">']
    heading_ids: dict[str, str] = {}
    for block in document(report):
        if isinstance(block, Title):
            parts.append(f"<h1>{escape(block.text)}</h1>")
        elif isinstance(block, Heading):
            heading_id = f"gk-section-{block.section}"
            heading_ids[block.section] = heading_id
            parts.append(f'<h2 id="{heading_id}">{escape(block.text)}</h2>')
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{escape(block.text)}</p>")
        else:
            parts.append(_table(block, heading_ids.get(block.table, "")))
    parts.append("</article>")
    return "\n".join(parts) + "\n"


def render_html(report: AnnualReport) -> str:
    """A complete, self-contained HTML page (also the input of the PDF renderer)."""
    body = render_html_fragment(report)
    fmt = report_format(report)
    meta = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="author" content="{escape(report.organisation)}">',
        f'<meta name="description" content="{escape(fmt.title)}">',
        '<meta name="generator" content="gongkai">',
    ]
    if report.published_on:
        meta.append(f'<meta name="dcterms.issued" content="{report.published_on.isoformat()}">')
    head = "\n".join(meta)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n'
        f"{head}\n<title>{escape(report_title(report))}</title>\n"
        f"<style>\n{REPORT_CSS}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def render_bytes(report: AnnualReport) -> bytes:
    return render_html(report).encode("utf-8")


def _inner(cell: GridCell, grid: TableGrid) -> str | None:
    """Markup inside a narrow cell so its label breaks where a person would break it.

    Column headers wrap into even lines (结果/维持, not 结果维/持); a merged group label breaks only
    after its number (（四）/无法提供). The text itself is unchanged.
    """
    if grid.table == "proactive":
        return None
    n = len(cell.text)
    if cell.role == "header" and cell.colspan == 1 and n in (4, 6):
        return f'<span class="gk-balanced" style="width:{n // 2}em">{escape(cell.text)}</span>'
    number = _GROUP_NUMBER.match(cell.text)
    if cell.role == "label" and cell.rowspan > 1 and number and len(cell.text) - number.end() <= 4:
        head, rest = cell.text[: number.end()], cell.text[number.end() :]
        return f'<span class="gk-nowrap">{escape(head)}</span><span class="gk-nowrap">{escape(rest)}</span>'
    return None


def _table(grid: TableGrid, heading_id: str) -> str:
    attrs = f'class="gk-table gk-{grid.table}" data-table="{grid.table}"'
    if grid.block:
        attrs += f' data-block="{grid.block}"'
    if not grid.caption and heading_id:
        attrs += f' aria-labelledby="{heading_id}"'
    out = [f"<table {attrs}>"]
    if grid.caption:
        out.append(f"<caption>{escape(grid.caption)}</caption>")
    total = sum(grid.col_weights)
    out.append(
        "<colgroup>"
        + "".join(f'<col style="width:{w / total * 100:.2f}%">' for w in grid.col_weights)
        + "</colgroup>"
    )
    rows = grid.rows()
    out.append("<thead>")
    for cells in rows[: grid.header_rows]:
        out.append("<tr>" + "".join(_cell(c, header=True, inner=_inner(c, grid)) for c in cells) + "</tr>")
    out.append("</thead>\n<tbody>")
    for offset, cells in enumerate(rows[grid.header_rows :]):
        key = grid.row_keys[offset] if offset < len(grid.row_keys) else ""
        row_attr = f' data-row="{escape(key)}"' if key else ""
        out.append(
            f"<tr{row_attr}>"
            + "".join(_cell(c, header=False, inner=_inner(c, grid)) for c in cells)
            + "</tr>"
        )
    out.append("</tbody>\n</table>")
    return "\n".join(out)


def _cell(cell: GridCell, *, header: bool, inner: str | None = None) -> str:
    spans = ""
    if cell.rowspan > 1:
        spans += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        spans += f' colspan="{cell.colspan}"'
    text = escape(cell.text) if inner is None else inner
    if cell.role == "value":
        return f"<td{spans}>{text}</td>"
    if header:
        scope = "colgroup" if cell.colspan > 1 else "col"
    else:
        scope = "rowgroup" if cell.rowspan > 1 else "row"
    return f'<th scope="{scope}"{spans}>{text}</th>'
