"""Highlighted titles and body snippets: the query's terms wrapped in <mark>, every other character escaped.

Matching is done on the text's skeleton (letters, digits and Han characters, normalised), so a query
typed as 东花市发[2019]3号 still marks 东花市发〔2019〕3号 in the document, punctuation included.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.search.tokens import normalise

_WORD = re.compile(r"[^\W_]+")
SNIPPET_CHARS = 90
_LEAD_CHARS = 24


def _skeleton(text: str) -> tuple[str, list[int]]:
    """The normalised letters/digits/Han of ``text`` and, for each, its index in ``text``."""
    parts: list[str] = []
    index: list[int] = []
    for m in _WORD.finditer(text):
        run = m.group()
        norm = normalise(run)
        if len(norm) == len(run):
            parts.append(norm)
            index.extend(range(m.start(), m.end()))
            continue
        for offset, ch in enumerate(run):  # a compatibility form changed length: map char by char
            for n in normalise(ch):
                if n.isalnum():
                    parts.append(n)
                    index.append(m.start() + offset)
    return "".join(parts), index


def match_spans(text: str, needles: Sequence[str]) -> list[tuple[int, int]]:
    """Merged [start, end) spans of ``text`` where any needle occurs."""
    skeleton, index = _skeleton(text)
    spans: list[tuple[int, int]] = []
    for needle in needles:
        if not needle:
            continue
        start = skeleton.find(needle)
        while start >= 0:
            end = start + len(needle)
            spans.append((index[start], index[end - 1] + 1))
            start = skeleton.find(needle, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _render(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    out: list[str] = []
    pos = 0
    for s, e in spans:
        s, e = max(s - offset, 0), min(e - offset, len(text))
        if e <= s or s < pos:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:]))
    return "".join(out)


def highlight(text: str, needles: Sequence[str]) -> SafeString:
    """The whole text, escaped, with matches marked."""
    return mark_safe(_render(text, match_spans(text, needles)))


def snippet(text: str, needles: Sequence[str], *, length: int = SNIPPET_CHARS) -> SafeString:
    """About ``length`` characters of ``text`` around its first match (its start if none), marked."""
    text = " ".join(text.split())
    spans = match_spans(text, needles)
    start = max(spans[0][0] - _LEAD_CHARS, 0) if spans else 0
    end = min(start + length, len(text))
    start = max(min(start, end - length), 0)
    window = text[start:end]
    inner = [(s, e) for s, e in spans if s < end and e > start]
    html = _render(window, inner, offset=start)
    return mark_safe(("…" if start > 0 else "") + html + ("…" if end < len(text) else ""))
