"""CJK-aware tokens shared by the SQLite and PostgreSQL indexes (pure Python, no database).

Chinese has no spaces, so a text is cut into runs: runs of Han characters and runs of other letters
or digits; everything else (punctuation, 〔〕, spaces) separates. A Han run becomes its overlapping
character bigrams (养老服务 → 养老 老服 服务) and, separately, its single characters, so a
one-character query has something to match; a letter/digit run is one lower-cased word. Within a
field the bigrams and words form one stream in reading order, so a query is a phrase over the same
stream: 东花市发〔2019〕3号 → 东花 花市 市发 2019 3 (+ the single character 号).

A Han run of one character yields no bigram; in a query it becomes a single-character condition,
because in a document the same character may sit inside a longer run (3号 in 第3号文).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

# Bodies are indexed up to this many characters on both backends (PostgreSQL keeps word positions
# only up to 16383), so both answer the same question.
MAX_BODY_CHARS = 16_000
MAX_QUERY_TERMS = 8
MAX_TERM_CHARS = 40
MAX_WORD_CHARS = 40


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x2FA1F
        or cp == 0x3007  # 〇, written in dates and numbers
    )


def normalise(text: str) -> str:
    """Full-width to half-width, compatibility forms folded, lower case."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def runs(text: str) -> list[tuple[bool, str]]:
    """(is_han, run) for every run of Han characters or of other letters and digits, in order."""
    out: list[tuple[bool, str]] = []
    current: list[str] = []
    current_han = False
    for ch in normalise(text):
        han = is_han(ch)
        if han or ch.isalnum():
            if current and han != current_han:
                out.append((current_han, "".join(current)))
                current = []
            current_han = han
            current.append(ch)
        elif current:
            out.append((current_han, "".join(current)))
            current = []
    if current:
        out.append((current_han, "".join(current)))
    return out


@dataclass
class FieldTokens:
    """One field's stream of bigrams and words (reading order) and its single Han characters.

    ``positions[i]`` is the stream position of ``stream[i]`` and ``char_positions[j]`` the position
    given to ``chars[j]`` (the bigram it starts, or the last one of its run), for PostgreSQL."""

    stream: list[str] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)
    char_positions: list[int] = field(default_factory=list)


def field_tokens(text: str) -> FieldTokens:
    out = FieldTokens()
    pos = 0
    for han, run in runs(text):
        if han:
            if len(run) == 1:
                out.chars.append(run)
                out.char_positions.append(pos)
                continue
            for i, ch in enumerate(run):
                out.chars.append(ch)
                out.char_positions.append(pos + min(i, len(run) - 2))
            out.stream.extend(run[i : i + 2] for i in range(len(run) - 1))
            pos += len(run) - 1
        else:
            out.stream.append(run[:MAX_WORD_CHARS])
            pos += 1
    return out


@dataclass(frozen=True)
class DocumentTokens:
    title: FieldTokens
    doc_number: FieldTokens
    body: FieldTokens
    facets: tuple[str, ...]


def facet_tokens(
    *, category: str | None = None, department_id: int | None = None, year: int | None = None
) -> tuple[str, ...]:
    """Filters are indexed as tokens so that a filter narrows the index lookup itself; the same
    function spells the tokens of a document and of a filtered query."""
    out = []
    if category:
        out.append(f"cat_{category}")
    if year is not None:
        out.append(f"year_{int(year)}")
    if department_id is not None:
        out.append(f"dept_{int(department_id)}")
    return tuple(out)


def document_tokens(
    *, title: str, doc_number: str, body: str, category: str, department_id: int | None, year: int
) -> DocumentTokens:
    return DocumentTokens(
        title=field_tokens(title),
        doc_number=field_tokens(doc_number),
        body=field_tokens(body[:MAX_BODY_CHARS]),
        facets=facet_tokens(category=category, department_id=department_id, year=year),
    )


@dataclass(frozen=True)
class QueryTerm:
    """One whitespace-separated term: phrases over the bigram/word stream plus single characters.

    ``needle`` is the term reduced to its letters, digits and Han characters, used to highlight."""

    needle: str
    phrases: tuple[tuple[str, ...], ...]
    chars: tuple[str, ...]


def parse_query(query: str) -> list[QueryTerm]:
    """The searchable terms of a query; empty when it holds no letter, digit or Han character."""
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    for raw in normalise(query).split():
        term_runs = _truncate(runs(raw), MAX_TERM_CHARS)
        needle = "".join(run for _, run in term_runs)
        if not needle or needle in seen:
            continue
        seen.add(needle)
        phrases: list[tuple[str, ...]] = []
        chars: list[str] = []
        current: list[str] = []
        for han, run in term_runs:
            if han and len(run) == 1:
                chars.append(run)
                if current:
                    phrases.append(tuple(current))
                    current = []
            elif han:
                current.extend(run[i : i + 2] for i in range(len(run) - 1))
            else:
                current.append(run[:MAX_WORD_CHARS])
        if current:
            phrases.append(tuple(current))
        terms.append(QueryTerm(needle=needle, phrases=tuple(phrases), chars=tuple(chars)))
        if len(terms) == MAX_QUERY_TERMS:
            break
    return terms


def _truncate(term_runs: list[tuple[bool, str]], budget: int) -> list[tuple[bool, str]]:
    out = []
    for han, run in term_runs:
        if budget <= 0:
            break
        out.append((han, run[:budget]))
        budget -= len(run)
    return out
