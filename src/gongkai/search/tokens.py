"""CJK-aware tokens shared by the SQLite and PostgreSQL indexes (pure Python, no database).

Chinese has no spaces, so a text is cut into runs: runs of Han characters and runs of other letters
or digits; everything else (punctuation, 〔〕, spaces) separates. A Han run becomes its overlapping
character bigrams (养老服务 → 养老 老服 服务) and, separately, its single characters, so a
one-character query has something to match; a letter/digit run is one lower-cased word. Within a
field the bigrams and words form one stream in reading order, so a query is a phrase over the same
stream: 东花市发〔2019〕3号 → 东花 花市 市发 2019 3 (+ the single character 号).

A Han run of one character yields no bigram; in a query it becomes a single-character condition,
because in a document the same character may sit inside a longer run (3号 in 第3号文).

Title and document-number tokens carry a prefix (t_养老, n_2019), body tokens none: "in the title"
is then a lookup of its own tokens, not a filter over positions, on both databases. Content tokens
never contain "_" (it is not a letter or digit), so prefixed and filter tokens cannot collide with them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Bodies are indexed up to this many characters on both backends (PostgreSQL keeps word positions
# only up to 16383), so both answer the same question.
MAX_BODY_CHARS = 16_000
MAX_QUERY_TERMS = 8
MAX_TERM_CHARS = 40
MAX_WORD_CHARS = 40


_HAN_RANGES = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"  # 〇 is written in dates
_RUN = re.compile(f"([{_HAN_RANGES}]+)|([^\\W_{_HAN_RANGES}]+)")


_HAN = re.compile(f"[{_HAN_RANGES}]")


def is_han(ch: str) -> bool:
    return bool(_HAN.fullmatch(ch))


def normalise(text: str) -> str:
    """Full-width to half-width, compatibility forms folded, lower case."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def runs(text: str) -> list[tuple[bool, str]]:
    """(is_han, run) for every run of Han characters or of other letters and digits, in order."""
    return [(m.group(1) is not None, m.group()) for m in _RUN.finditer(normalise(text))]


@dataclass
class FieldTokens:
    """One field's stream of bigrams and words, in reading order, and its single Han characters."""

    stream: list[str] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)


def field_tokens(text: str) -> FieldTokens:
    out = FieldTokens()
    for m in _RUN.finditer(normalise(text)):
        run = m.group()
        if m.group(1) is not None:
            out.chars.extend(run)
            out.stream.extend([run[i : i + 2] for i in range(len(run) - 1)])
        else:
            out.stream.append(run[:MAX_WORD_CHARS])
    return out


TITLE = "t_"
DOC_NUMBER = "n_"
STRONG_PREFIXES = (TITLE, DOC_NUMBER)


@dataclass(frozen=True)
class DocumentTokens:
    title: FieldTokens
    doc_number: FieldTokens
    body: FieldTokens
    facets: tuple[str, ...]

    @property
    def stream(self) -> list[str]:
        """Title, document-number and body streams one after the other, prefixed: each token's index is
        its position, and the prefixes keep a phrase from straddling two fields."""
        t, n = self.title.stream, self.doc_number.stream
        return [TITLE + x for x in t] + [DOC_NUMBER + x for x in n] + self.body.stream

    @property
    def bag(self) -> list[str]:
        """Single characters (prefixed like the stream) and filter tokens; their positions do not matter."""
        t, n = self.title.chars, self.doc_number.chars
        return [TITLE + c for c in t] + [DOC_NUMBER + c for c in n] + self.body.chars + list(self.facets)


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
