"""The workbench dashboard is assembled from panels that each app registers in its AppConfig.ready().

A panel is a function of the request returning a ``Panel`` (or None when it has nothing for this user), so
core never imports the domain apps and each app decides what "my tasks", "due soon" and "overdue" mean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.safestring import SafeString


@dataclass
class PanelItem:
    text: str
    url: str = ""
    badge: str = ""  # short status text, e.g. "剩 3 个工作日"
    tone: str = ""  # "", "warn" or "danger": colours the badge


@dataclass
class Panel:
    title: str
    items: list[PanelItem] = field(default_factory=list)
    order: int = 100
    empty_text: str = "暂无"
    more_url: str = ""
    # A ready-made fragment (e.g. charts drawn by ``core.svg_charts``) shown under the items; a wide panel
    # spans the dashboard's whole width.
    html: SafeString | None = None
    more_text: str = "查看全部"
    wide: bool = False


PanelFn = Callable[[HttpRequest], Panel | None]
_PANELS: list[PanelFn] = []


def register_panel(fn: PanelFn) -> PanelFn:
    if fn not in _PANELS:
        _PANELS.append(fn)
    return fn


def panels_for(request: HttpRequest) -> list[Panel]:
    out = [p for fn in _PANELS if (p := fn(request)) is not None]
    return sorted(out, key=lambda p: p.order)
