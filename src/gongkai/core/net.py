"""The address a request came from, for rate limits, login throttling and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address; behind the configured reverse proxy, the one it appended.

    Only the last entry of ``X-Forwarded-For`` is the proxy's own: earlier ones are whatever the client
    sent, and trusting them would let anyone pick the address they are counted under.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
