"""Reading numbers out of report prose: full-width digits, spaced digits and small Chinese numerals."""

from __future__ import annotations

import re

# One character for one character, so offsets in the normalised text are offsets in the original.
_FOLD_PAIRS = tuple(zip("０１２３４５６７８９．\u3000\u00a0", "0123456789.  ", strict=True))

CHINESE_DIGITS = "零〇一二两三四五六七八九"
CHINESE_UNITS = "十百千"
_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_DIGIT_VALUES |= {"八": 8, "九": 9}
_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}

# A count as printed: 12, 1,234 is not used in these reports; 两, 十二, 一百零五 are.
NUMBER = rf"(?P<n>\d+|[{CHINESE_DIGITS}{CHINESE_UNITS}]+)"
_SENTENCE_END = re.compile(r"[。！？!?\n]")


def fold(text: str) -> str:
    # str.translate with a mapping looks up every character (~60 ns each); a C-speed search for
    # each of the few folded characters, which most reports never print, is 20-50x faster. No
    # target is also a source, so replacing one after another equals translating at once.
    for source, target in _FOLD_PAIRS:
        if source in text:
            text = text.replace(source, target)
    return text


def chinese_to_int(text: str) -> int | None:
    """十二 → 12, 两 → 2, 一百零五 → 105, 二十 → 20; ``None`` for anything that is not one number."""
    if not text:
        return None
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in text:
        if ch in _DIGIT_VALUES:
            value = _DIGIT_VALUES[ch]
            if digit is not None and digit != 0 and value != 0:
                return None  # 二三 is not a number
            digit = value
        elif ch in _UNIT_VALUES:
            unit = _UNIT_VALUES[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            if digit == 0:
                return None
            digit = None
            last_unit = unit
        else:
            return None
    return total + (digit or 0)


def parse_count(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return chinese_to_int(text)


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pieces ending at 。！？ or a line break; the separator stays with its sentence."""
    out = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, text[start : m.end()]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


_PARAGRAPH_END = tuple("。！？；：!?;:")
_SHORT_LINE = 20


def paragraphs(text: str) -> list[str]:
    """Paragraphs of prose, re-joining lines that text extracted from a PDF broke mid-sentence.

    A line ends its paragraph when it ends a sentence, or is short (a heading such as
    "（二）依申请公开方面", or a paragraph's last line); otherwise the next line continues it.
    """
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            if current:
                out.append(current)
                current = ""
            continue
        current += stripped
        if stripped.endswith(_PARAGRAPH_END) or len(stripped) <= _SHORT_LINE:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out
