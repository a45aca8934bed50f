"""The figures of one report year as rolled up from the ledger: plain values, no Django.

``rollup.ledger_figures`` fills a ``LedgerFigures`` with a fixed number of aggregate queries;
``narrative`` drafts section 一 from it and ``rollup.build_annual_report`` lays it out as an
``AnnualReport``. Keeping the figures apart from the queries lets the prose be tested on hand-made
numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.annual_report.model import TableData


@dataclass(frozen=True)
class ArchiveRecipient:
    name: str
    copies: int
    transfers: int
    months: int  # distinct calendar months with a transfer to this recipient
    first_on: str  # ISO date of the first transfer in the year


@dataclass(frozen=True)
class LedgerFigures:
    year: int
    format: str  # "2019" | "2021"
    organisation: str
    organisation_kind: str  # OrganisationKind value
    # Section 一: proactive disclosure.
    items_published: int = 0
    key_area_items: int = 0
    posts: dict[str, int] = field(default_factory=dict)  # PostChannel value -> posts in the year
    interpretations: int = 0
    archive: tuple[
        ArchiveRecipient, ...
    ] = ()  # in the order of the year's first transfers, as staff listed them
    # Tables 二, 三 and 四 in the report's format.
    proactive: TableData = field(default_factory=dict)
    requests: TableData = field(default_factory=dict)
    appeals: TableData = field(default_factory=dict)
    # 信息处理费 actually paid in the year, in 元 (A14 and the drafted 六 of a 2021-format report).
    fees_paid_yuan: Decimal = Decimal(0)
    # Cases closed in the year without an outcome: they cannot be placed in Table 三 (A1 shows the gap).
    closed_without_outcome: int = 0

    @property
    def archive_copies(self) -> int:
        return sum(r.copies for r in self.archive)

    def request_total(self, row: str, column: str = "total") -> int:
        value = self.requests.get(row, {}).get(column)
        return value if isinstance(value, int) else 0

    def appeal_total(self, group: str, column: str = "total") -> int:
        value = self.appeals.get(group, {}).get(column)
        return value if isinstance(value, int) else 0
