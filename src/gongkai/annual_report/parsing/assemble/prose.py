"""Section texts: paragraphs re-joined from lines, table lines and signature left out."""

from __future__ import annotations

import re
from collections.abc import Sequence

from gongkai.annual_report.formats import TEXT_SECTION_KEYS
from gongkai.annual_report.parsing.assemble.document import (
    AUTOLINK,
    CLOSING,
    ENUMERATION,
    MARKDOWN_HEADING,
    SENTENCE_END,
    SPACED,
    UNSPACED,
    DocLine,
)
from gongkai.annual_report.parsing.assemble.sections import Heading
from gongkai.annual_report.parsing.detect import Detection
from gongkai.annual_report.parsing.labels import (
    normalize,
)

# -- section texts -------------------------------------------------------------------------------


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(CLOSING)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _is_subheading(text: str) -> bool:
    return len(text) <= 20 and bool(ENUMERATION.match(text)) and "，" not in text and "," not in text


def _spaced_style(lines: Sequence[DocLine]) -> bool:
    """Whether the prose puts a space between Chinese and numbers or Latin words ("共 36 份"): a
    line break at such a place then swallowed a space, which joining must put back."""
    text = "\n".join(d.text for d in lines)
    return len(SPACED.findall(text)) > len(UNSPACED.findall(text))


def _mixed_boundary(a: str, b: str) -> bool:
    """A Chinese character next to a digit or Latin letter."""
    return (_is_han(a) and b.isascii() and b.isalnum()) or (a.isascii() and a.isalnum() and _is_han(b))


# A number or Latin word set off by a space on one side ("行政诉讼 0" | "件", "共" | "36 份") was
# set off on both: the line break swallowed the other space, whatever the document's usual style.
_SPACED_TAIL = re.compile(r"[\u4e00-\u9fff] [0-9A-Za-z]+$")
_SPACED_HEAD = re.compile(r"^[0-9A-Za-z]+ [\u4e00-\u9fff]")


def _join(left: str, right: str, spaced: bool) -> str:
    if (
        left
        and right
        and _mixed_boundary(left[-1], right[0])
        and (spaced or _SPACED_TAIL.search(left[-40:]) or _SPACED_HEAD.match(right))
    ):
        return f"{left} {right}"
    return left + right


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def paragraphs(lines: Sequence[DocLine]) -> str:
    """Paragraphs joined with "\\n": a line continues the previous one unless that one ends a
    sentence, is a short numbered sub-heading, or is a block of its own (a markdown heading or a
    whole cell of flattened HTML)."""
    spaced: bool | None = None  # decided on the first join that needs it
    paragraphs: list[str] = []
    current = ""
    current_lines = 0
    closed = True
    for d in lines:
        raw = d.text
        heading = raw.lstrip().startswith("#")
        text = (MARKDOWN_HEADING.sub("", raw) if heading else raw).strip()
        if "<" in text:
            text = AUTOLINK.sub(r"\1", text)
        if not text:
            continue
        tokens = d.line.tokens
        block = len(tokens) == 1 and tokens[0].cell
        join = current and not closed and not heading and not block
        if join:
            # ends_sentence(current), inline: this runs for every line of prose.
            tail = current.rstrip().rstrip(CLOSING)
            join = not (tail and tail[-1] in SENTENCE_END) and not (
                current_lines == 1 and _is_subheading(current)
            )
        if join:
            if spaced is None and _mixed_boundary(current[-1], text[0]):
                spaced = _spaced_style(lines)
            current = _join(current, text, bool(spaced))
            current_lines += 1
        else:
            if current:
                paragraphs.append(current)
            current = text
            current_lines = 1
        closed = heading or block
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def prose_lines(span: Sequence[DocLine], table_lines: set[int]) -> list[DocLine]:
    """The lines of a table section that are prose, not table."""
    out: list[DocLine] = []
    previous_prose = False
    for d in span:
        if d.index in table_lines:
            previous_prose = False
            continue
        text = d.text.strip()
        if not text:
            continue
        continuing = previous_prose and out and not ends_sentence(out[-1].text)
        if continuing or (len(text) >= 20 and any(ch in text for ch in "，。；,;")):
            out.append(d)
            previous_prose = True
        else:
            previous_prose = False
    return out


def strip_signature(lines: list[DocLine], detection: Detection) -> list[DocLine]:
    """Drop the organisation name and date printed under the last section."""
    org = normalize(detection.organisation)
    out = list(lines)
    while out:
        norm = normalize(out[-1].text)
        is_date = bool(re.fullmatch(r"[(（]?\d{4}年\d{1,2}月\d{1,2}日[)）]?", norm))
        if is_date or (org and norm in (org, org.removesuffix("办事处"))):
            out.pop()
            continue
        break
    return out


def section_texts(
    doc: list[DocLine], headings: Sequence[Heading], table_lines: set[int], detection: Detection
) -> dict[str, str]:
    """Each found section's text: its prose, without the table lines and, after the last heading,
    without the signature."""
    sections: dict[str, str] = {}
    for i, heading in enumerate(headings):
        # Two sections under one merged heading share its text: the span ends at the next heading line.
        following = [h.start for h in headings[i + 1 :] if h.start != heading.start]
        end = following[0] if following else len(doc)
        span = doc[heading.end + 1 : end]
        if heading.key in TEXT_SECTION_KEYS:
            body = [d for d in span if d.index not in table_lines]
            if not following:
                body = strip_signature(body, detection)
            sections[heading.key] = paragraphs(body)
        else:
            sections[heading.key] = paragraphs(prose_lines(span, table_lines))
    return sections
