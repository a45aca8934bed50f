"""Masks for applicants' personal data in lists and for staff who do not handle the case."""

from __future__ import annotations

__all__ = ["mask_address", "mask_email", "mask_id_number", "mask_phone"]


def _keep(value: str, head: int, tail: int) -> str:
    value = value.strip()
    if not value:
        return ""
    # A value too short to keep both ends visible would be shown almost whole; hide all but the tail.
    if len(value) <= head + tail:
        keep = min(tail, len(value) // 3)
        return "*" * (len(value) - keep) + value[len(value) - keep :]
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def mask_id_number(value: str) -> str:
    """110101199001011234 → 1101**********1234."""
    return _keep(value, 4, 4)


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; landlines keep their first three and last four characters too."""
    return _keep(value, 3, 4)


def mask_address(value: str) -> str:
    """Keep the district-level beginning (six characters), hide the street and number."""
    value = value.strip()
    if not value:
        return ""
    return value[:6] + "****" if len(value) > 6 else value[:2] + "****"


def mask_email(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if "@" not in value:
        return value[:1] + "***"
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"
