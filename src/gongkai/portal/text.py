"""Plain text written by staff (item bodies, the guide) as paragraphs and headings; never as markup."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(
    r"^(第[一二三四五六七八九十百]+[章节]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)"
)


@dataclass(frozen=True)
class Paragraph:
    text: str
    heading: bool


def paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per non-empty line; a short line opening with 一、 or （一） is a heading."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            out.append(Paragraph(line, heading=bool(_HEADING.match(line)) and len(line) <= 40))
    return out
