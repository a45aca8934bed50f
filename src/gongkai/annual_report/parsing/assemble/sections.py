"""The six section headings and the line range (region) of each table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.annual_report.formats import (
    APPEAL_GROUPS,
    APPLICANT_HEADER,
    LITIGATION_HEADER,
    REQUEST_ROWS_2019,
)
from gongkai.annual_report.parsing.assemble.document import (
    HEADING_NUMERALS,
    LONG,
    MARKDOWN_HEADING,
    SECTION_INDEX,
    TABLE_SECTIONS,
    DocLine,
)
from gongkai.annual_report.parsing.labels import (
    body_key,
    heading_prefix,
    match_caption,
    match_heading,
    match_heading_normalized,
    normalize,
)

# -- headings and regions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    key: str
    start: int
    end: int  # last line of the heading (a heading cut by a line break spans two)
    printed: str


def printed_heading(text: str) -> str:
    return MARKDOWN_HEADING.sub("", text).strip()


def find_headings(doc: list[DocLine]) -> list[Heading]:
    """The section headings in document order. A heading numbered "一、" wins over one numbered
    "（一）" (a sub-heading elsewhere may read like a section title), and a statutory heading over a
    reworded one for the same section; sections must come in order."""
    candidates: list[tuple[Heading, bool]] = []
    # Cheap test before normalising: a numbered heading opens with its numeral, an unnumbered one
    # must spell out its words, which all end in 情况 or 事项.
    numerals = HEADING_NUMERALS
    possible = [
        d
        for d in doc
        if len(d.text) <= LONG
        and (d.text.lstrip("# \t\u3000")[:1] in numerals or "情况" in d.text or "事项" in d.text)
    ]
    after = 0  # the second line of a heading cut in two starts nothing
    for d in possible:
        i = d.index
        if i < after:
            continue
        norm = d.norm
        if len(norm) > 60 or not norm:
            continue
        text = d.text
        match = match_heading_normalized(norm)
        end = i
        printed = printed_heading(text) if match is not None else ""
        if match is None and i + 1 < len(doc) and heading_prefix(norm):
            joined = printed_heading(text) + printed_heading(doc[i + 1].text)
            match = match_heading(joined)
            if match is not None:
                end, printed = i + 1, joined
        if match is not None:
            # A reworded heading ("三、主动公开工作情况") yields to the statutory one when both are printed.
            candidates.append((Heading(match.key, i, end, printed), match.weak or match.how == "fuzzy"))
            after = end + 1
            continue
        merged = _merged_heading(norm)
        if merged is not None:
            # One heading for two sections ("五、存在的主要问题及改进情况和其他需要报告的事项"):
            # both are present and share the text under it.
            candidates += [(Heading(key, i, end, printed_heading(text)), False) for key in merged]
            after = end + 1
    strong = {h.key for h, weak in candidates if not weak}
    found: list[Heading] = []
    last = -1
    for heading, weak in candidates:
        if weak and heading.key in strong:
            continue
        index = SECTION_INDEX[heading.key]
        if index > last:
            found.append(heading)
            last = index
    return found


# What marks Table 三 and Table 四 where their headings are missing: their own header words.
_APPLICANT_HEADER = normalize(APPLICANT_HEADER)
# The first words of 一、本年新收政府信息公开申请数量: a label broken by a line break keeps them together.
_NEW_RECEIVED = body_key(REQUEST_ROWS_2019[0].label)[:10]
_REVIEW = APPEAL_GROUPS[0].label

_CONNECTORS = re.compile("和|及|与|暨|、|以及")


def _merged_heading(norm: str) -> tuple[str, str] | None:
    """The two consecutive sections a numbered heading names together, if it does: the heading's
    words split at a connector into two headings that each match a section on their own."""
    numeral = norm[:2] if norm[:1] in HEADING_NUMERALS and norm[1:2] in "、.," else ""
    if not numeral:
        return None
    for cut in _CONNECTORS.finditer(norm, 2):
        first = match_heading_normalized(norm[: cut.start()])
        second = match_heading_normalized(numeral + norm[cut.end() :])
        if first and second and SECTION_INDEX[second.key] == SECTION_INDEX[first.key] + 1:
            return first.key, second.key
    return None


def with_unheaded_overview(
    doc: list[DocLine], headings: list[Heading], title_line: int | None
) -> list[Heading]:
    """Sections 二… found but no 一、总体情况 heading: the prose between the title and the first
    heading is the overview, printed without its heading (A8 says so)."""
    if not headings or headings[0].key == "overview" or len(headings) < 3:
        return headings
    start = (title_line or -1) + 1
    prose = [d for d in doc[start : headings[0].start] if len(d.text) >= 20]
    if not prose:
        return headings
    return [Heading("overview", start - 1, start - 1, ""), *headings]


def table_regions(doc: list[DocLine], headings: list[Heading]) -> dict[str, tuple[int, int]]:
    """Line ranges ``[start, end)`` of each table: its section when the heading is there, else from
    the table's own first recognisable line."""
    by_key = {h.key: h for h in headings}
    starts: dict[str, int] = {}
    for key in TABLE_SECTIONS:
        if key in by_key:
            starts[key] = by_key[key].end + 1
    if "proactive" not in starts:
        first = next((d.index for d in doc if match_caption(d.text)), None)
        if first is not None:
            starts["proactive"] = first
    if "requests" not in starts:
        after = starts.get("proactive", 0)
        first = next(
            (d.index for d in doc[after:] if "勾稽关系" in d.norm or _APPLICANT_HEADER in d.norm),
            None,
        )
        if first is None:
            first = next((d.index for d in doc[after:] if _NEW_RECEIVED in d.norm), None)
        if first is not None:
            starts["requests"] = first
    if "appeals" not in starts:
        after = starts.get("requests", starts.get("proactive", 0))
        for d in doc[after:]:
            norm = d.norm
            if norm.startswith(_REVIEW) or (_REVIEW in norm and LITIGATION_HEADER in norm and len(norm) < 60):
                starts["appeals"] = d.index
                break
    boundaries = sorted({h.start for h in headings} | set(starts.values()))
    regions: dict[str, tuple[int, int]] = {}
    for key, start in starts.items():
        end = next((b for b in boundaries if b > start), len(doc))
        # A table's own start inside another's heading region ends that region there.
        regions[key] = (start, end)
    return regions
