"""Charts drawn on the server as inline SVG (issue 14): no script, no CDN, nothing fetched from outside.

Each chart is a bar chart (grouped or stacked) or a line chart over a handful of categories (months,
quarters). It is an image with a title and a description for screen readers; the numbers themselves are
in the table that always goes with it (the pages render both). Colours are the Okabe–Ito palette, which
stays distinguishable for the common kinds of colour blindness and in greyscale print, helped by the
legend's order matching the stacking order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
_W, _H = 640, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 12, 30, 84


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


def _nice_max(value: float) -> float:
    """A round top for the axis whose four grid steps are round too (a step of 1, 2 or 5 × 10ⁿ, at least
    1 for the counts), so the labels never read 1.25 or 3.75."""
    if value <= 4:
        return 4.0
    step_exp = 10 ** math.floor(math.log10(value / 4))
    for step in (1, 2, 5, 10):
        if step * step_exp * 4 >= value:
            return float(step * step_exp * 4)
    return float(40 * step_exp)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _frame(chart_id: str, title: str, desc: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {_W} {_H}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # every text above is escaped


def _axes(top: float, unit: str) -> list[str]:
    plot_h = _H - _TOP - _BOTTOM
    out = []
    for i in range(5):
        value = top * i / 4
        y = _H - _BOTTOM - plot_h * i / 4
        out.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc" stroke-width="1"/>'
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" font-size="13" text-anchor="end" fill="#333">'
            f"{escape(_fmt(value))}</text>"
        )
    out.append(f'<text x="4" y="14" font-size="13" fill="#333">{escape(unit)}</text>')
    return out


def _labels(labels: Sequence[str], slot: float) -> list[str]:
    y = _H - _BOTTOM + 18
    return [
        f'<text x="{_LEFT + slot * (i + 0.5):.1f}" y="{y}" font-size="13" text-anchor="middle" fill="#333">'
        f"{escape(label)}</text>"
        for i, label in enumerate(labels)
    ]


def _legend(series: Sequence[Series]) -> list[str]:
    out, x, y = [], 8.0, _H - 44
    for i, s in enumerate(series):
        width = 18 + 13 * len(s.label) + 12
        if x + width > _W and x > 8:
            x, y = 8.0, y + 17
        out.append(
            f'<rect x="{x:.1f}" y="{y - 11}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{x + 16:.1f}" y="{y}" font-size="13" fill="#333">{escape(s.label)}</text>'
        )
        x += width
    return out


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "件",
    stacked: bool = True,
) -> SafeString:
    """Bars per label: one stack (``stacked``) or one bar per series side by side."""
    n = max(len(labels), 1)
    slot = (_W - _LEFT - _RIGHT) / n
    plot_h = _H - _TOP - _BOTTOM
    sums = [sum((s.values[i] or 0) for s in series) for i in range(len(labels))]
    peaks = (
        sums if stacked else [max([(s.values[i] or 0) for s in series] or [0]) for i in range(len(labels))]
    )
    top = _nice_max(max(peaks or [0]))
    body = _axes(top, unit)
    bar_w = slot * 0.7 / (1 if stacked else max(len(series), 1))
    for i in range(len(labels)):
        base = 0.0
        for k, s in enumerate(series):
            value = float(s.values[i] or 0)
            if value <= 0:
                continue
            h = plot_h * value / top
            x = _LEFT + slot * i + slot * 0.15 + (0 if stacked else bar_w * k)
            y = _H - _BOTTOM - plot_h * base / top - h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(labels[i])} {escape(s.label)}：'
                f"{escape(_fmt(value))}</title></rect>"
            )
            if stacked:
                base += value
    body += _labels(labels, slot) + _legend(series)
    total = sum(sums)
    desc = f"共 {_fmt(total)}{unit}；各项数字见图下的表格。"
    return _frame(chart_id, title, desc, body)


def line_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    top: float | None = None,
) -> SafeString:
    """One polyline per series; a missing value (None) breaks the line, with no point drawn."""
    n = max(len(labels), 1)
    slot = (_W - _LEFT - _RIGHT) / n
    plot_h = _H - _TOP - _BOTTOM
    present = [v for s in series for v in s.values if v is not None]
    axis_top = top if top is not None else _nice_max(max(present or [0]))
    body = _axes(axis_top, unit)
    for k, s in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        segment: list[str] = []
        for i, v in enumerate(s.values):
            if v is None:
                body += _polyline(segment, colour)
                segment = []
                continue
            x = _LEFT + slot * (i + 0.5)
            y = _H - _BOTTOM - plot_h * min(float(v), axis_top) / axis_top
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(labels[i])} '
                f"{escape(s.label)}：{escape(_fmt(float(v)))}{escape(unit)}</title></circle>"
            )
        body += _polyline(segment, colour)
    body += _labels(labels, slot) + _legend(series)
    return _frame(chart_id, title, "各项数字见图下的表格。", body)


def _polyline(points: list[str], colour: str) -> list[str]:
    if len(points) < 2:
        return []
    return [f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>']
