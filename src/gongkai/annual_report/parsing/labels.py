"""Label normalisation and matching: which statutory row, group, header or heading a piece of text is.

Published reports print the statutory labels with full- or half-width punctuation, letter spacing,
2019 or 2021 wording, numbering as ``1.`` / ``1、`` / ``（1）``, OCR slips, and cut in two by a line
break. Matching works on a *key*: NFKC-folded text without spaces, quotes or punctuation, split into
its numbering (``"(三)"``, ``"一"``, ``"1"``) and its body. A fragment matches a label when the bodies
are equal, when the fragment is the start of the label (the rest follows on another line), when the
fragment is the label plus trailing text, or — only for fragments long enough to be told apart —
within a small edit distance (reported so a person can see it was approximate).

Values are read here too: ``read_value`` tells numbers (``1,234``, ``１２``, ``251000元``), deliberate
non-numbers (``—``, ``无``, ``/``) and blanks from label text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal, NamedTuple

from gongkai.annual_report.formats import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    APPLICANT_COLUMNS,
    APPLICANT_HEADER,
    FORMATS,
    LEGAL_PERSONS_HEADER,
    LITIGATION_HEADER,
    OUTCOME_GROUPS,
    PROACTIVE_CONTENT_HEADER,
    REQUEST_HEADER_ALIASES,
    REQUEST_ROW_ALIASES,
    REQUEST_ROWS_2019,
    REQUEST_ROWS_2021,
    RESULTS_HEADER,
    SECTIONS,
)

Kind = Literal["row", "group", "header", "caption"]
How = Literal["exact", "prefix", "extended", "fuzzy"]

_SPACES = re.compile(r"\s+")
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")
# Whitespace, quotes and markdown marks: never part of what a label means.
_STRIP = re.compile("[\\s“”‘’\"'「」『』`*#]+")
_NON_WORD = re.compile(r"[\W_]+")
_NUMBERING = re.compile(
    r"^(?:\(([一二三四五六七八九十]{1,3})\)"  # （一）
    r"|([一二三四五六七八九十]{1,3})[、.,]"  # 一、
    r"|\((\d{1,2})\)"  # （1）
    r"|(\d{1,2})(?:[.、,)]|$)(?![\d.])"  # 1. 1、 1)
    r")"
)
# A numbering inside a text ("（三）4.保护…"): where a row label may start after a group label.
_INNER_NUMBERING = re.compile(r"\d{1,2}[.、](?!\d)|\(\d{1,2}\)|\([一二三四五六七]\)")
# Vertical headers printed one character per line end up glued in front of row labels
# ("三 （一）予以公开"); these are the characters such a header can leave behind.
_NOISE_CHARS = frozenset(RESULTS_HEADER)


# Circled numbers number rows too ("①本机关不掌握…"); NFKC would fold ① to a bare "1".
_CIRCLED = str.maketrans({chr(0x2460 + i): f"{i + 1}." for i in range(20)})


def normalize(text: str) -> str:
    """NFKC-folded (full width → half width), no whitespace, no quotes or markdown marks."""
    if not text.isascii():
        text = text.translate(_CIRCLED)
        # Full-width ASCII is most of what NFKC changes in a report; folding it first lets the
        # cheap is_normalized check skip the (slow) full normalisation for almost every line.
        text = _FULL_WIDTH.sub(_half_width, text)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return _STRIP.sub("", text)


def _half_width(m: re.Match[str]) -> str:
    return chr(ord(m.group()) - 0xFEE0)


def split_label(text: str) -> tuple[str, str]:
    """``(numbering, body)`` of a label: ``"(三)"`` / ``"一"`` / ``"1"`` and the words only."""
    norm = normalize(text)
    numbering, rest = _numbering(norm)
    if not numbering and norm[:1] in _NOISE_CHARS:
        # Drop up to three leftover characters of a vertical header, but only when a numbering
        # follows: "三(一)予以公开" is （一）予以公开, "本年新收…" is not noise.
        for cut in range(1, min(4, len(norm))):
            if norm[cut - 1] not in _NOISE_CHARS:
                break
            found, after = _numbering(norm[cut:])
            if found:
                numbering, rest = found, after
                break
    return numbering, _NON_WORD.sub("", rest)


def _numbering(norm: str) -> tuple[str, str]:
    m = _NUMBERING.match(norm)
    if not m:
        return "", norm
    paren_cn, cn, paren_digit, digit = m.groups()
    if paren_cn:
        return f"({paren_cn})", norm[m.end() :]
    if cn:
        return cn, norm[m.end() :]
    return (paren_digit or digit), norm[m.end() :]


def body_key(text: str) -> str:
    return split_label(text)[1]


def levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance, or ``limit + 1`` as soon as it is certain to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        best = i
        for j, cb in enumerate(b, 1):
            cost = previous[j - 1] + (ca != cb)
            if previous[j] + 1 < cost:
                cost = previous[j] + 1
            if current[j - 1] + 1 < cost:
                cost = current[j - 1] + 1
            current.append(cost)
            if cost < best:
                best = cost
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


# -- vocabularies --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One thing a table can print: a row label, a group label, a column header or a caption."""

    key: str  # row key / group id / header id
    kind: Kind
    label: str  # the statutory text
    numbering: str
    body: str
    group: str = ""  # for rows: the group id they sit under
    foreign: bool = False  # the other format's wording (matched, then reported)
    alias: bool = False  # non-statutory wording some offices use (matched, then reported)


@dataclass(frozen=True)
class Match:
    entry: Entry
    how: How
    distance: int = 0
    numbering: str = ""  # the fragment's own numbering ("1", "(三)", "一" or "")
    body: str = ""  # the fragment's body key

    @property
    def approximate(self) -> bool:
        return self.how == "fuzzy" or self.entry.foreign or self.entry.alias


def _entry(key: str, kind: Kind, label: str, group: str = "", foreign: bool = False) -> Entry:
    numbering, body = split_label(label)
    return Entry(key, kind, label, numbering, body, group, foreign)


def _request_entries(format_id: str) -> tuple[Entry, ...]:
    own = REQUEST_ROWS_2021 if format_id == "2021" else REQUEST_ROWS_2019
    other = REQUEST_ROWS_2019 if format_id == "2021" else REQUEST_ROWS_2021
    own_keys = {r.key for r in own}
    split = {r.group_key for r in other if r.group_key and r.group != RESULTS_HEADER}
    entries: list[Entry] = []
    for row in own:
        # Rows printed under a group label (（三）不予公开 …) know their group, and so does a group
        # printed as one row that the other format splits (2019: （六）其他处理).
        under = row.group_key if row.group != RESULTS_HEADER or row.group_key in split else ""
        entries.append(_entry(row.key, "row", row.label, under))
    for row in other:
        if row.key in own_keys:
            continue
        if row.group == RESULTS_HEADER:
            continue  # in 2021 （六）其他处理 is the group label, added below
        entries.append(_entry(row.key, "row", row.label, row.group_key, foreign=True))
    # The groups this format prints as a label over their rows.
    printed = dict.fromkeys(r.group for r in own if r.group_key and r.group != RESULTS_HEADER)
    entries += [_entry(g.key, "group", g.label) for g in OUTCOME_GROUPS if g.label in printed]
    # Wording some offices use instead of the statutory label.
    entries += [replace(_entry(key, "row", label), alias=True) for key, label in REQUEST_ROW_ALIASES]
    headers = [RESULTS_HEADER, APPLICANT_HEADER, LEGAL_PERSONS_HEADER]
    headers += [c.label for c in APPLICANT_COLUMNS if c.key not in ("other", "total")]
    headers += REQUEST_HEADER_ALIASES
    entries += [_entry("header", "header", h) for h in headers]
    return tuple(entries)


def _proactive_entries(format_id: str) -> tuple[Entry, ...]:
    entries: list[Entry] = []
    seen: set[tuple[str, str]] = set()
    own_first = [FORMATS[("2021", "national")], FORMATS[("2019", "beijing")]]
    if format_id == "2019":
        own_first.reverse()
    for fmt in own_first:
        foreign = fmt.id != format_id
        for block in fmt.proactive:
            entries.append(_entry(block.item, "caption", block.caption))
            for row in block.rows:
                numbering, body = split_label(row.label)
                if (row.key, body) in seen:
                    continue
                seen.add((row.key, body))
                group = "other_services" if row.optional else block.item
                entries.append(Entry(row.key, "row", row.label, numbering, body, group, foreign))
            for column in block.columns:
                entries.append(_entry("header", "header", column.label))
    for fmt in FORMATS.values():
        for block in fmt.proactive:
            for column in block.columns:
                entries.append(_entry("header", "header", column.label))
    entries.append(_entry("header", "header", PROACTIVE_CONTENT_HEADER))
    return tuple(dict.fromkeys(entries))


def _appeal_entries() -> tuple[Entry, ...]:
    entries = [_entry(g.key, "group", g.label) for g in APPEAL_GROUPS]
    entries.append(_entry("header", "header", LITIGATION_HEADER))
    entries += [_entry("header", "header", c.label) for c in APPEAL_COLUMNS]
    return tuple(entries)


# -- the matcher -----------------------------------------------------------------------------------

_MIN_PREFIX = 4  # a fragment shorter than this is only ever an exact match
_SHORT_BODY = 3  # bodies this short ("其他", "总计", "规章") never match across a different numbering


class LabelMatcher:
    """Finds the entry a text fragment stands for. Exact keys are a dictionary lookup; prefix and
    fuzzy comparison only run for fragments the lookup missed, and results are cached per text."""

    def __init__(self, entries: tuple[Entry, ...]) -> None:
        self.entries = entries
        self._by_body: dict[str, list[Entry]] = {}
        for e in entries:
            if e.body:
                self._by_body.setdefault(e.body, []).append(e)
        self._long = tuple(e for e in entries if len(e.body) >= _MIN_PREFIX)
        self._groups_by_numbering: dict[str, list[Entry]] = {}
        for e in entries:
            if e.kind == "group" and e.numbering:
                self._groups_by_numbering.setdefault(e.numbering, []).append(e)
        # Reports repeat their labels; bounded, since a hostile document can hold any number of them.
        self.match = lru_cache(maxsize=16384)(self._match_text)

    def _match_text(self, text: str, group: str = "") -> Match | None:
        """The best entry for ``text`` (``group``: the group the previous rows sat under)."""
        numbering, body = split_label(text)
        found = self._match(numbering, body, group)
        if found is None and body[-1:] in _NOISE_CHARS:
            # Characters of a vertical header (三、本年度办理结果) glued behind the label
            # ("2.其他法律行政止公开理结"): the label without them, when that is one.
            trimmed = body.rstrip("".join(_NOISE_CHARS))
            if len(trimmed) >= _MIN_PREFIX and len(body) - len(trimmed) <= 3:
                found = self._match(numbering, trimmed, group)
                body = trimmed if found is not None else body
        if found is None or found.entry.kind == "group" or found.how in ("extended", "fuzzy"):
            inner = self._inner(text, group)
            if inner is not None:
                numbering, body, found = inner
        return None if found is None else replace(found, numbering=numbering, body=body)

    def _inner(self, text: str, group: str) -> tuple[str, str, Match] | None:
        """A row label glued behind a group label or header debris on the same line ("（三） 4.保护
        第三方合法权益", "不予公开 5.属于三类内部事务信息"): the numbered part alone, when it is a
        row label exactly or as the start of one."""
        norm = normalize(text)
        for m in _INNER_NUMBERING.finditer(norm, 1):
            numbering, body = split_label(norm[m.start() :])
            found = self._match(numbering, body, group)
            if found is not None and found.entry.kind == "row" and found.how in ("exact", "prefix"):
                return numbering, body, found
        return None

    def _match(self, numbering: str, body: str, group: str) -> Match | None:
        if numbering and numbering in self._groups_by_numbering:
            for g in self._groups_by_numbering[numbering]:
                if not body or g.body.startswith(body) or body.startswith(g.body):
                    return Match(g, "exact" if body == g.body else "prefix")
        if not body:
            return None
        exact = self._by_body.get(body)
        if exact:
            best = self._pick(exact, numbering, group)
            if best is not None:
                return Match(best, "exact")
        if len(body) < _MIN_PREFIX:
            return self._numbered_start(numbering, body, group)
        prefix = [e for e in self._long if e.body.startswith(body)]
        if prefix:
            best = self._pick(prefix, numbering, group)
            if best is not None:
                return Match(best, "prefix")
        extended = [e for e in self._long if body.startswith(e.body)]
        if extended:
            longest = max(len(e.body) for e in extended)
            best = self._pick([e for e in extended if len(e.body) == longest], numbering, group)
            if best is not None:
                return Match(best, "extended")
        return self._fuzzy(numbering, body, group)

    def _numbered_start(self, numbering: str, body: str, group: str) -> Match | None:
        """A short first part of a label cut by a line break ("四、结转下" | "年度继续办理"): its own
        numbering must agree, which a fragment this short needs to be told apart."""
        if not numbering or len(body) < 2:
            return None
        found = [e for e in self._long if e.numbering == numbering and e.body.startswith(body)]
        best = self._pick(found, numbering, group) if found else None
        return Match(best, "prefix") if best is not None else None

    def _fuzzy(self, numbering: str, body: str, group: str) -> Match | None:
        scored: list[tuple[int, Entry]] = []
        for e in self._long:
            limit = max(1, len(e.body) // 4)
            d = levenshtein(body, e.body, limit)
            if d > limit and len(body) < len(e.body) and len(body) >= max(6, len(e.body) // 2):
                # A garbled first part of a label whose rest is on another line. It must be most
                # of the label, or continuation fragments of other labels would match by chance.
                limit = max(1, len(body) // 5)
                d = levenshtein(body, e.body[: len(body)], limit)
            if d <= limit:
                scored.append((d, e))
        if not scored:
            return None
        least = min(d for d, _ in scored)
        best = self._pick([e for d, e in scored if d == least], numbering, group)
        return Match(best, "fuzzy", least) if best is not None else None

    @staticmethod
    def _pick(candidates: list[Entry], numbering: str, group: str) -> Entry | None:
        """One entry among equally good ones: agreeing numbering first, then the current group.
        Ambiguity that neither settles is no match (a guess would put figures in the wrong row)."""
        usable = [
            e
            for e in candidates
            if not (
                len(e.body) <= _SHORT_BODY
                and numbering != e.numbering
                and (e.foreign or (numbering and e.numbering))
            )
        ]
        if not usable:
            return None
        keys = {(e.key, e.kind) for e in usable}
        if len(keys) == 1:
            return usable[0]
        if numbering:
            same = [e for e in usable if e.numbering == numbering]
            if len({(e.key, e.kind) for e in same}) == 1:
                return same[0]
        if group:
            same = [e for e in usable if e.group == group]
            if len({(e.key, e.kind) for e in same}) == 1:
                return same[0]
        return None


@lru_cache(maxsize=8)
def matcher(table: str, format_id: str) -> LabelMatcher:
    """The matcher for one table (``proactive``, ``requests``, ``appeals``) of one format."""
    if table == "requests":
        return LabelMatcher(_request_entries(format_id))
    if table == "proactive":
        return LabelMatcher(_proactive_entries(format_id))
    if table == "appeals":
        return LabelMatcher(_appeal_entries())
    raise KeyError(table)


# -- captions and notes ---------------------------------------------------------------------------

_CAPTION = re.compile(r"第二十条第?\(?([一二三四五六七八九十]{1,3})\)?项")
_ITEM_BY_NUMERAL = {"一": "art20_1", "五": "art20_5", "六": "art20_6", "八": "art20_8", "九": "art20_9"}


@lru_cache(maxsize=4096)
def match_caption(text: str) -> str | None:
    """``"art20_5"`` for "第二十条第（五）项" in any width or spacing, else None."""
    m = _CAPTION.search(normalize(text))
    if not m:
        return None
    return _ITEM_BY_NUMERAL.get(m.group(1), "art20_other")


def is_balance_note(text: str) -> bool:
    return "勾稽关系" in normalize(text)


# -- section headings -----------------------------------------------------------------------------

# "一、" is how sections are numbered; "（一）" too in some reports, but it also numbers sub-headings.
_HEADING_NUMERAL = re.compile(r"^(?:([一二三四五六七八九十])[、.,]|\(([一二三四五六七八九十])\))")


@dataclass(frozen=True)
class HeadingMatch:
    key: str  # section key
    how: How
    weak: bool = False  # numbered "（一）", which sub-headings use as well


def _heading_bodies() -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for section in SECTIONS:
        for heading in (section.heading, *section.aliases):
            out.append((section.key, _NON_WORD.sub("", _HEADING_NUMERAL.sub("", normalize(heading)))))
    return tuple(out)


_HEADINGS = _heading_bodies()
_HEADING_BY_BODY = {body: key for key, body in _HEADINGS}
_HEADING_MAX = max(len(b) for _, b in _HEADINGS)


def match_heading(text: str) -> HeadingMatch | None:
    """The section whose heading ``text`` is (e.g. "五、政府信息公开工作存在的主要问题及改进情况")."""
    return match_heading_normalized(normalize(text))


@lru_cache(maxsize=4096)
def match_heading_normalized(norm: str) -> HeadingMatch | None:
    """``match_heading`` for text already passed through ``normalize``."""
    if not norm or len(norm) > _HEADING_MAX + 8:
        return None
    m = _HEADING_NUMERAL.match(norm)
    body = _NON_WORD.sub("", norm[m.end() :] if m else norm)
    weak = bool(m and m.group(2))
    key = _HEADING_BY_BODY.get(body)
    if key is not None:
        return HeadingMatch(key, "exact", weak)
    if not m or len(body) < _MIN_PREFIX:
        return None
    best: tuple[int, str] | None = None
    for key, target in _HEADINGS:
        limit = max(1, len(target) // 5)
        d = levenshtein(body, target, limit)
        if d <= limit and (best is None or d < best[0]):
            best = (d, key)
    if best:
        return HeadingMatch(best[1], "fuzzy", weak)
    # Other wording of the same heading ("五、存在的主要问题及整改措施", "五、存在问题及改进情况"): most
    # of a section's words, in order, clearly more of them than of any other section's, and either
    # its opening words or its statutory numeral.
    scores = sorted(((similarity(body, target), key) for key, target in _HEADINGS), reverse=True)
    (top, key), runner_up = scores[0], next((s for s, k in scores if k != scores[0][1]), 0.0)
    target = dict((k, t) for k, t in reversed(_HEADINGS))[key]
    numbered_as_statute = m.group(1) == _SECTION_NUMERALS.get(key)
    if (
        top >= _HEADING_SIMILARITY
        and top - runner_up >= 0.2
        and (body[:4] == target[:4] or numbered_as_statute)
    ):
        return HeadingMatch(key, "fuzzy", weak)
    return None


# The numeral each section has in the statutory format ("五" for 存在的主要问题及改进情况).
_SECTION_NUMERALS = {s.key: s.heading[0] for s in SECTIONS}


# Share of a statutory heading's characters that a reworded heading keeps, in order.
_HEADING_SIMILARITY = 0.6


def similarity(text: str, target: str) -> float:
    """How much of ``target`` ``text`` keeps, in order: the longest common subsequence over the
    longer of the two (1.0 is equal; extra words in ``text`` lower it as much as missing ones)."""
    if not text or not target:
        return 0.0
    previous = [0] * (len(target) + 1)
    for ch in text:
        current = [0]
        for j, other in enumerate(target, 1):
            current.append(previous[j - 1] + 1 if ch == other else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1] / max(len(text), len(target))


@lru_cache(maxsize=4096)
def heading_prefix(norm: str) -> bool:
    """True when ``norm`` (normalised text) looks like the first part of a numbered heading cut by
    a line break."""
    m = _HEADING_NUMERAL.match(norm)
    if not m:
        return False
    body = _NON_WORD.sub("", norm[m.end() :])
    return len(body) >= 4 and any(t.startswith(body) and len(body) >= len(t) * 0.5 for _, t in _HEADINGS)


# -- values ----------------------------------------------------------------------------------------

ValueKind = Literal["number", "blank", "text"]


class Value(NamedTuple):
    kind: ValueKind
    number: Decimal | None = None
    unit: str = ""  # "元", "万元", "件" … as printed after the number
    text: str = ""  # the printed text (for notes)
    integer: bool = False  # ``number`` has no fractional part
    whole: int | None = None  # ``number`` as an int when it is one (the common case, read once)


_NUMBER = re.compile(r"^([+\-−]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(件|个|项|条|次|篇|份|人次|万元|元)?$")
_PLACEHOLDER = re.compile(r"^(?:[\-—–―─−~～/\\×xX*.·…]+|无|空|暂无|不适用|/无)$")
_CN_ONLY = re.compile(r"^[零〇一二三四五六七八九十百千万两]+$")
_PERCENT = re.compile(r"^[+\-]?\d+(?:\.\d+)?%$")


@lru_cache(maxsize=8192)
def read_value(text: str, cell: bool = False) -> Value | None:
    """The value a token stands for, or None when it is label text.

    A blank is a value only when the token was a whole table cell (``cell``): elsewhere an empty
    piece is layout debris. Dashes, "无" and "/" are deliberate non-numbers; a Chinese numeral alone
    counts as one only inside a real cell, since vertical headers leave single numerals ("三") behind."""
    norm = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    if not norm:
        return Value("blank") if cell else None
    m = _NUMBER.match(norm)
    if m:
        sign, digits, fraction, unit = m.groups()
        raw = digits.replace(",", "") + (f".{fraction}" if fraction else "")
        try:
            number = Decimal(raw)
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            return Value("text", text=text.strip())
        if sign in ("-", "−"):
            number = -number
        integer = not fraction or not fraction.strip("0")
        return Value("number", number, unit or "", text.strip(), integer, int(number) if integer else None)
    if _PLACEHOLDER.match(norm) or _PERCENT.match(norm) or (cell and _CN_ONLY.match(norm)):
        return Value("text", text=text.strip())
    return None


def cn_numeral_value(text: str) -> int | None:
    """``"二〇一九"`` → 2019 (digit by digit); ``"十二"`` → 12. None for anything else."""
    digits = "〇一二三四五六七八九"
    if text and all(ch in digits or ch == "零" for ch in text) and len(text) >= 2:
        return int("".join(str(digits.index(ch) if ch != "零" else 0) for ch in text))
    if text == "十":
        return 10
    m = re.fullmatch(r"([一二三四五六七八九]?)十([一二三四五六七八九]?)", text)
    if m:
        tens = digits.index(m.group(1)) if m.group(1) else 1
        ones = digits.index(m.group(2)) if m.group(2) else 0
        return tens * 10 + ones
    if len(text) == 1 and text in digits[1:]:
        return digits.index(text)
    return None


__all__ = [
    "Entry",
    "HeadingMatch",
    "LabelMatcher",
    "Match",
    "Value",
    "body_key",
    "cn_numeral_value",
    "heading_prefix",
    "is_balance_note",
    "levenshtein",
    "match_caption",
    "match_heading",
    "matcher",
    "normalize",
    "read_value",
    "similarity",
    "split_label",
]
