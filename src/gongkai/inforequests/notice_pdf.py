"""The 告知书 as PDF (WeasyPrint), from the same ``NoticeContent`` as the Word document.

A4 with the GB/T 9704 margins, the title in bold 二号, the text in 三号 serif with a two-character
first-line indent and a 28 pt line pitch, the page number at the foot. The electronic copy carries no
seal, so the signature follows GB/T 9704's layout for a document without one: the organ's name two
characters in from the right margin, the date on the line below, starting two characters to the right of
the name (or, when the date is the longer of the two, the date two characters in and the name moved left
so as to keep that offset). The Noto CJK fonts are embedded; without a Chinese font the renderer refuses
(``annual_report.rendering.pdf.require_cjk_font``) rather than print empty boxes.
"""

from __future__ import annotations

from html import escape

from gongkai.annual_report.rendering.pdf import require_cjk_font
from gongkai.inforequests.notice_text import NoticeContent

__all__ = ["notice_html", "render_notice_pdf"]

SERIF = '"Noto Serif CJK SC", "Noto Sans CJK SC", "FangSong", serif'
SANS = '"Noto Sans CJK SC", "Noto Serif CJK SC", "SimHei", sans-serif'

_STYLE = f"""
@page {{
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-center {{ content: "— " counter(page) " —"; font-family: {SERIF}; font-size: 14pt; }}
}}
html {{ font-family: {SERIF}; font-size: 16pt; line-height: 28pt; color: #000; }}
body {{ margin: 0; }}
h1 {{ font-family: {SANS}; font-size: 22pt; line-height: 36pt; font-weight: bold; text-align: center;
      margin: 0 0 14pt; }}
h1 .draft {{ color: #b00; }}
p {{ margin: 0; }}
p.reference {{ text-align: right; margin-bottom: 14pt; }}
p.indent {{ text-indent: 2em; }}
.signature {{ display: table; margin: 56pt 2em 0 auto; page-break-inside: avoid; }}
.signature p {{ white-space: nowrap; }}
.signature .date {{ padding-left: 2em; }}
"""


def notice_html(notice: NoticeContent) -> str:
    """The printable page of the 告知书 (also what the PDF is made from)."""
    title = escape(notice.title)
    draft = '<span class="draft">（草稿）</span>' if notice.is_draft else ""
    paragraphs = [notice.opening, *notice.body_paragraphs, notice.basis_sentence, notice.remedy]
    body = "\n".join(f'<p class="indent">{escape(text)}</p>' for text in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}</title>
<meta name="author" content="{escape(notice.organisation)}">
<meta name="generator" content="gongkai">
<style>{_STYLE}</style></head>
<body>
<h1>{title}{draft}</h1>
<p class="reference">{escape(notice.reference)}</p>
<p>{escape(notice.applicant_name)}：</p>
{body}
<div class="signature">
<p class="organisation">{escape(notice.organisation)}</p>
<p class="date">{escape(notice.date_line)}</p>
</div>
</body></html>
"""


def render_notice_pdf(content: NoticeContent) -> bytes:
    """The 告知书 as PDF bytes; raises ``RenderError`` (with the Debian package to install) without a CJK font."""
    require_cjk_font()
    from weasyprint import HTML  # type: ignore[import-untyped]

    pdf: bytes = HTML(string=notice_html(content)).write_pdf()
    return pdf
