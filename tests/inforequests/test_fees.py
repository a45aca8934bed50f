"""信息处理费 by the 2020 schedule: values worked out by hand, and a brute-force property."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.inforequests.fees import fee_amount, page_bands, piece_bands, piece_rate


@pytest.mark.parametrize(
    ("pieces", "earlier", "amount"),
    [
        (10, 0, "0"),  # ≤ 10 pieces a month are free
        (11, 0, "100"),
        (30, 0, "2000"),  # 20 × 100
        (35, 0, "3000"),  # 20 × 100 + 5 × 200
        (5, 30, "1000"),  # the 31st–35th piece of the month: 5 × 200
        (5, 8, "300"),  # pieces 9–13: 2 free, 3 × 100
        (1, 40, "300"),  # the 41st piece: 300
        (50, 0, "7000"),  # 20 × 100 + 10 × 200 + 10 × 300
    ],
)
def test_per_piece(pieces: int, earlier: int, amount: str) -> None:
    assert fee_amount("per_piece", pieces, earlier_pieces=earlier) == Decimal(amount)


@pytest.mark.parametrize(
    ("pages", "amount"),
    [
        (30, "0"),
        (31, "10"),
        (100, "700"),  # 70 × 10
        (101, "720"),
        (200, "2700"),  # 700 + 100 × 20
        (250, "4700"),  # 700 + 2000 + 50 × 40
    ],
)
def test_per_page(pages: int, amount: str) -> None:
    assert fee_amount("per_page", pages) == Decimal(amount)


def test_bands_explain_the_amount() -> None:
    bands = page_bands(250)
    assert [(b.first, b.last, b.rate) for b in bands] == [
        (1, 30, 0),
        (31, 100, 10),
        (101, 200, 20),
        (201, 250, 40),
    ]
    assert [(b.first, b.last, b.rate) for b in piece_bands(7, earlier_pieces=27)] == [
        (28, 30, 100),
        (31, 34, 200),
    ]


def test_invalid_input_is_refused() -> None:
    with pytest.raises(ValueError):
        fee_amount("per_piece", 0)
    with pytest.raises(ValueError):
        fee_amount("per_page", 0)
    with pytest.raises(ValueError):
        fee_amount("by_weight", 3)


def _ref_piece(k: int) -> int:
    # Spelled out differently from the implementation: the k-th piece's rate by table lookup of its block.
    if k <= 10:
        return 0
    if k <= 30:
        return 100
    block = 0
    limit = 40
    while k > limit:
        block += 1
        limit += 10
    return 200 + 100 * block


@given(st.integers(1, 120), st.integers(0, 120))
def test_per_piece_equals_the_sum_of_the_marginal_rates(pieces: int, earlier: int) -> None:
    expected = sum(_ref_piece(k) for k in range(earlier + 1, earlier + pieces + 1))
    assert fee_amount("per_piece", pieces, earlier_pieces=earlier) == Decimal(expected)
    assert piece_rate(earlier + 1) == _ref_piece(earlier + 1)


@given(st.integers(1, 1000))
def test_per_page_equals_the_sum_of_the_page_rates(pages: int) -> None:
    rate = [0 if p <= 30 else 10 if p <= 100 else 20 if p <= 200 else 40 for p in range(1, pages + 1)]
    assert fee_amount("per_page", pages) == Decimal(sum(rate))
