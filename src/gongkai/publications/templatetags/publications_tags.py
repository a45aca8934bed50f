"""Small display helpers for the publications templates."""

from __future__ import annotations

from django import template

from gongkai.publications.models import PublicationStatus

register = template.Library()

_TONES = {
    PublicationStatus.DRAFT: "",
    PublicationStatus.PENDING_HEAD: "warn",
    PublicationStatus.PENDING_DIRECTOR: "warn",
    PublicationStatus.PUBLISHED: "ok",
    PublicationStatus.WITHDRAWN: "danger",
}


@register.filter
def status_tone(status: str) -> str:
    """The badge colour of a publication status."""
    return _TONES.get(status, "")  # type: ignore[call-overload]
