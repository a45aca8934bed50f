"""Server-drawn SVG charts (issue 14): well-formed, accessible, escaped, no outside reference."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from gongkai.core.svg_charts import PALETTE, Series, _nice_max, bar_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"
MONTHS = [f"{m}月" for m in range(1, 13)]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # our own output, parsed to prove it is well-formed


def test_stacked_bars_are_an_image_with_a_title_and_one_rect_per_nonzero_value() -> None:
    svg = bar_chart(
        chart_id="c1",
        title="每月办结",
        labels=MONTHS[:3],
        series=[Series("予以公开", [1, 0, 2]), Series("部分公开", [3, None, 1])],
    )
    root = _parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find(f"{NS}title").text == "每月办结"
    assert "共 7件" in root.find(f"{NS}desc").text
    bars = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert [r.find(f"{NS}title").text for r in bars] == [
        "1月 予以公开：1",
        "1月 部分公开：3",
        "3月 予以公开：2",
        "3月 部分公开：1",
    ]
    # Stacked: the second bar of January sits on the first, in the second colour.
    first, second = bars[0], bars[1]
    assert float(second.get("y")) + float(second.get("height")) == pytest.approx(
        float(first.get("y")), abs=0.2
    )
    assert second.get("fill") == PALETTE[1]


def test_text_is_escaped_and_nothing_is_fetched() -> None:
    svg = bar_chart(
        chart_id="x", title="<script>alert(1)</script>", labels=["a&b"], series=[Series("<i>", [1])]
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a&amp;b" in svg
    _parse(svg)
    assert "href" not in svg and "url(" not in svg


def test_a_missing_value_breaks_the_line() -> None:
    svg = line_chart(
        chart_id="l",
        title="按期答复率",
        labels=MONTHS[:5],
        series=[Series("率", [100, 50, None, 80, 90])],
        unit="%",
        top=100,
    )
    root = _parse(svg)
    lines = list(root.iter(f"{NS}polyline"))
    assert len(lines) == 2 and len(lines[0].get("points").split()) == 2
    assert len(list(root.iter(f"{NS}circle"))) == 4


def test_grouped_bars_sit_side_by_side() -> None:
    svg = bar_chart(
        chart_id="g",
        title="来信与答复",
        labels=["1月"],
        series=[Series("来信", [4]), Series("答复", [4])],
        stacked=False,
    )
    bars = [r for r in _parse(svg).iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert bars[0].get("y") == bars[1].get("y") and float(bars[1].get("x")) > float(bars[0].get("x"))


@pytest.mark.parametrize(
    ("value", "top"), [(0, 4), (3, 4), (5, 8), (9, 20), (17, 20), (33, 40), (150, 200), (1234, 2000)]
)
def test_axis_tops_give_round_grid_steps(value: float, top: float) -> None:
    assert _nice_max(value) == top
