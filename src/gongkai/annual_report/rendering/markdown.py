"""Markdown rendering: GitHub tables, with the merged header cells flattened into the header text.

A GitHub table has one header row and no spans, so each column's header joins the header cells
above it ("申请人情况 / 法人或其他组织 / 商业企业"), and a label merged down over several rows is
repeated in each of them so every row reads on its own. A label merged across several columns
stays in the first of them. Markdown punctuation in text is backslash-escaped, which also keeps
``<script>`` and the like from reaching a page that renders the Markdown.
"""

from __future__ import annotations

import re

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering.layout import (
    GridCell,
    Heading,
    Paragraph,
    TableGrid,
    Title,
    document,
)

HEADER_JOINER = " / "
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")


def escape_markdown(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def render_markdown(report: AnnualReport) -> str:
    parts: list[str] = []
    for block in document(report):
        if isinstance(block, Title):
            parts.append(f"# {_one_line(block.text)}")
        elif isinstance(block, Heading):
            parts.append(f"## {_one_line(block.text)}")
        elif isinstance(block, Paragraph):
            parts.append(_paragraph(block.text))
        else:
            if block.caption:
                parts.append(escape_markdown(block.caption))
            parts.append(_table(block))
    return "\n\n".join(parts) + "\n"


def render_bytes(report: AnnualReport) -> bytes:
    return render_markdown(report).encode("utf-8")


def _one_line(text: str) -> str:
    return escape_markdown(" ".join(text.split()))


def _paragraph(text: str) -> str:
    # Leading blanks would make an indented code block; a leading "-"/"+" would make a bullet.
    # ("1. …" stays as it is: a one-item ordered list shows the same number.)
    return re.sub(r"^([-+])", r"\\\1", escape_markdown(text.lstrip(" \t")))


def flat_header(grid: TableGrid) -> list[str]:
    """One header text per grid column: the distinct header cells above it, top to bottom."""
    matrix = grid.matrix()
    texts: list[str] = []
    previous: list[GridCell] | None = None
    for col in range(grid.n_cols):
        stack: list[GridCell] = []
        for row in range(grid.header_rows):
            cell = matrix[row][col]
            if not stack or stack[-1] is not cell:
                stack.append(cell)
        # A column whose header cells are all shared with the column to its left is part of a label
        # merged across columns; its text was already given there.
        same_as_left = (
            previous is not None
            and len(previous) == len(stack)
            and all(a is b for a, b in zip(previous, stack, strict=True))
        )
        texts.append("" if same_as_left else HEADER_JOINER.join(c.text for c in stack if c.text))
        previous = stack
    return texts


def flat_body(grid: TableGrid) -> list[list[str]]:
    matrix = grid.matrix()
    rows: list[list[str]] = []
    for row in range(grid.header_rows, grid.n_rows):
        line: list[str] = []
        for col in range(grid.n_cols):
            cell = matrix[row][col]
            merged_from_left = col > 0 and matrix[row][col - 1] is cell
            line.append("" if merged_from_left else cell.text)
        rows.append(line)
    return rows


def _table(grid: TableGrid) -> str:
    header = flat_header(grid)
    lines = [
        _line(header),
        "| " + " | ".join("---" if i < grid.label_cols else "---:" for i in range(grid.n_cols)) + " |",
    ]
    lines += [_line(row) for row in flat_body(grid)]
    return "\n".join(lines)


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(escape_markdown(c) for c in cells) + " |"
