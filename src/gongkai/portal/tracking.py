"""Tracking numbers and secrets of online applications.

The tracking number names the case (it becomes the application's reference until staff register it);
the secret proves the right to see it. Secrets are made, shown and hashed by ``core.tracking_codes``,
which the mailbox's query codes share.
"""

from __future__ import annotations

from django.utils import timezone

from gongkai.core.tracking_codes import (
    ALPHABET,
    SECRET_LENGTH,
    check_secret,
    display_secret,
    hash_secret,
    new_secret,
    normalise_secret,
    random_code,
)
from gongkai.core.tracking_codes import normalise_reference as normalise_tracking

__all__ = [
    "ALPHABET",
    "SECRET_LENGTH",
    "check_secret",
    "display_secret",
    "hash_secret",
    "new_secret",
    "new_tracking_number",
    "normalise_secret",
    "normalise_tracking",
]


def new_tracking_number() -> str:
    """e.g. WS20240612-K7Q3HX: W(ang)S(hen), the submission date, six random characters."""
    return f"WS{timezone.localdate():%Y%m%d}-{random_code(6)}"
