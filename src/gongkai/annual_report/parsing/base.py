"""Shared vocabulary of the parsers: notes, tokens with provenance, and the unreadable-input error.

Every front end (plain text, PDF, DOCX, HTML) reduces its input to ``Line``s of ``Token``s in reading
order; one assembler (``assemble.py``) turns lines into an ``AnnualReport``. A token knows where it
came from, so every figure in the report can say which page/line/cell it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]


class UnreadableReport(ValueError):
    """Input that cannot be audited; ``str(exc)`` is a one-line reason a person can act on."""


@dataclass(frozen=True)
class ParseNote:
    code: str  # stable machine id, e.g. "cell_missing", "row_missing", "label_typo"
    message: str  # Chinese, names the place and the reason
    where: str = ""  # provenance, e.g. "第 3 页 第 12 行" / "第 2 个表格第 5 行第 3 列" (not 表二)
    table: str = ""
    row: str = ""
    column: str = ""
    severity: Severity = "warning"

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "where": self.where,
            "table": self.table,
            "row": self.row,
            "column": self.column,
        }


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    where: str = ""  # provenance of this token
    # Horizontal position (PDF x0 in points / table column index); None when the source has none.
    x: float | None = None
    # True when the token was a whole table cell (DOCX/HTML/ruled PDF), so it is never split further.
    cell: bool = False


@dataclass(slots=True)
class Line:
    tokens: list[Token] = field(default_factory=list)
    where: str = ""
    page: int | None = None

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)
