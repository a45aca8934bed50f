"""Made-up but well-formed personal data for demo applicants (GB 11643 check digit, 1xx phone numbers)."""

from __future__ import annotations

import datetime as dt

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_number(birth: dt.date, serial: int, *, region: str = "110101") -> str:
    """A resident ID number of the right shape; region 110101 is 东城区."""
    body = f"{region}{birth:%Y%m%d}{serial % 1000:03d}"
    total = sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True))
    return body + _CHECK[total % 11]


def phone(n: int) -> str:
    return f"139{(10_000_000 + n * 7_919) % 100_000_000:08d}"
