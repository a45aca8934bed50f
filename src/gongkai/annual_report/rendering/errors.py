"""The one error every renderer raises for a report it cannot turn into a document."""

from __future__ import annotations


class RenderError(RuntimeError):
    """Rendering failed; ``str(exc)`` is a one-line Chinese message saying what to do about it."""
