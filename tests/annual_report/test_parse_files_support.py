"""Helpers for the parser front-end tests: documents built on the fly and views of their lines."""

from __future__ import annotations

import re
from pathlib import Path

from gongkai.annual_report.parsing.base import Line
from gongkai.annual_report.parsing.grid import is_value

SHARED = Path(__file__).resolve().parents[3] / "shared"
SAMPLES = SHARED / "samples"

CSS = """
@page { size: A4; margin: 2cm; @bottom-center { content: "- " counter(page) " -"; } }
body { font-family: 'Noto Sans CJK SC'; font-size: 10.5pt; }
"""


def html_pdf(body: str, css: str = "") -> bytes:
    """A PDF rendered by WeasyPrint from an HTML body (the way many offices' CMS print reports)."""
    import weasyprint

    html = f"<html><head><meta charset='utf-8'><style>{CSS}{css}</style></head><body>{body}</body></html>"
    result: bytes = weasyprint.HTML(string=html).write_pdf()
    return result


def texts(line: Line) -> list[str]:
    return [t.text for t in line.tokens]


def row_values(lines: list[Line]) -> dict[str, list[str]]:
    """Table rows by their row label (the last label token), with the value tokens after it."""
    rows: dict[str, list[str]] = {}
    for line in lines:
        tokens = texts(line)
        labels = [i for i, t in enumerate(tokens) if t and not is_value(t)]
        if not labels or labels[-1] == len(tokens) - 1:
            continue
        rows[normal_label(tokens[labels[-1]])] = tokens[labels[-1] + 1 :]
    return rows


def normal_label(label: str) -> str:
    """ "1、其他" and "1．其他" are how some offices print "1.其他"."""
    return re.sub(r"^(\d)[、．]", r"\1.", label.replace(" ", ""))


def line_with(lines: list[Line], text: str) -> Line:
    for line in lines:
        if any(t.text == text for t in line.tokens):
            return line
    raise AssertionError(f"no line has a token {text!r}: {[texts(ln) for ln in lines]}")


def table_number(line: Line) -> str:
    match = re.search(r"第 (\d+) 个表格", line.where)
    assert match, line.where
    return match.group(1)
