"""信息处理费 by the 2020 schedule (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号; statute.md §3.12).

Both methods are 超额累进: each piece or page is priced by the band it falls in, and an application
is charged by one method only (第三条).

- 按件 (第四条): counted per applicant per calendar month. Pieces 1–10 are free, 11–30 cost 100 元
  each, and from the 31st on every further block of 10 pieces costs 100 元 more per piece
  (31–40: 200 元, 41–50: 300 元, …).
- 按量 (第五条): per application. Pages 1–30 are free, 31–100 cost 10 元, 101–200 cost 20 元, and
  every page from the 201st costs 40 元.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = ["FeeBand", "FeeMethod", "fee_amount", "page_bands", "page_rate", "piece_bands", "piece_rate"]


class FeeMethod(StrEnum):
    PER_PIECE = "per_piece"
    PER_PAGE = "per_page"


@dataclass(frozen=True)
class FeeBand:
    """Consecutive pieces or pages of one application priced at the same rate."""

    first: int  # 1-based position: within the month for pieces, within the application for pages
    last: int
    rate: int  # 元 per piece or page

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def subtotal(self) -> Decimal:
        return Decimal(self.count * self.rate)


def piece_rate(position: int) -> int:
    """The price of the applicant's ``position``-th piece in a calendar month."""
    if position < 1:
        raise ValueError("件数从 1 起算")
    if position <= 10:
        return 0
    if position <= 30:
        return 100
    return 100 * (2 + (position - 31) // 10)


def page_rate(position: int) -> int:
    """The price of the ``position``-th page of one application."""
    if position < 1:
        raise ValueError("页数从 1 起算")
    if position <= 30:
        return 0
    if position <= 100:
        return 10
    if position <= 200:
        return 20
    return 40


def _piece_band_end(position: int) -> int:
    if position <= 10:
        return 10
    if position <= 30:
        return 30
    return 31 + ((position - 31) // 10 + 1) * 10 - 1


def _page_band_end(position: int) -> int | None:
    for end in (30, 100, 200):
        if position <= end:
            return end
    return None


def piece_bands(pieces: int, *, earlier_pieces: int = 0) -> list[FeeBand]:
    """The bands of an application of ``pieces`` pieces when the same applicant already filed
    ``earlier_pieces`` pieces earlier in the same calendar month."""
    if pieces < 1:
        raise ValueError("按件计收的件数至少为 1")
    if earlier_pieces < 0:
        raise ValueError("本月此前的件数不能为负数")
    bands, pos, last = [], earlier_pieces + 1, earlier_pieces + pieces
    while pos <= last:
        end = min(_piece_band_end(pos), last)
        bands.append(FeeBand(pos, end, piece_rate(pos)))
        pos = end + 1
    return bands


def page_bands(pages: int) -> list[FeeBand]:
    if pages < 1:
        raise ValueError("按量计收的页数至少为 1")
    bands, pos = [], 1
    while pos <= pages:
        band_end = _page_band_end(pos)
        end = pages if band_end is None else min(band_end, pages)
        bands.append(FeeBand(pos, end, page_rate(pos)))
        pos = end + 1
    return bands


def fee_amount(method: str, quantity: int, *, earlier_pieces: int = 0) -> Decimal:
    """The fee in 元 for one application (``earlier_pieces`` only matters for 按件)."""
    method = FeeMethod(method)
    if method is FeeMethod.PER_PIECE:
        bands = piece_bands(quantity, earlier_pieces=earlier_pieces)
    else:
        bands = page_bands(quantity)
    return sum((b.subtotal for b in bands), Decimal(0)).quantize(Decimal("0.01"))
