"""The formats' outcome groups, the 2019 collapse of （六）1–3, and the wording that tells formats apart."""

from __future__ import annotations

import pytest

from gongkai.annual_report.formats import (
    ALL_OUTCOME_LEAVES,
    BEIJING_MARKER,
    FORMATS,
    OUTCOME_GROUPS,
    RESULTS_HEADER,
    format_markers,
    get_format,
    outcome_leaf_keys,
)


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=lambda f: f"{f.id}/{f.variant}")
def test_every_outcome_row_is_in_exactly_one_group(fmt):
    grouped = [r.key for g in fmt.groups() for r in fmt.group_rows(g.key)]
    assert sorted(grouped) == sorted(r.key for r in fmt.outcome_leaves)
    assert len(grouped) == len(set(grouped))
    for group in fmt.groups():
        for row in fmt.group_rows(group.key):
            assert row.group_key == group.key
            # A row under its group label, or the group printed as one row under 三、本年度办理结果.
            assert row.group == group.label or (
                row.group == RESULTS_HEADER and row.label.startswith(group.label)
            )


def test_group_labels_are_number_and_short_name():
    assert [g.label for g in OUTCOME_GROUPS] == [
        "（一）予以公开",
        "（二）部分公开",
        "（三）不予公开",
        "（四）无法提供",
        "（五）不予处理",
        "（六）其他处理",
    ]


def test_2019_counts_other_leaves_under_one_row():
    fmt_2019, fmt_2021 = get_format("2019"), get_format("2021")
    assert [r.key for r in fmt_2019.group_rows("other")] == ["other"]
    assert [r.key for r in fmt_2021.group_rows("other")] == [
        "other.no_correction",
        "other.unpaid_fee",
        "other.other",
    ]
    for leaf in ALL_OUTCOME_LEAVES:
        assert fmt_2021.row_for_outcome(leaf.key) == leaf.key
        expected = "other" if leaf.group_key == "other" else leaf.key
        assert fmt_2019.row_for_outcome(leaf.key) == expected
    assert fmt_2019.row_for_outcome("other") == "other"
    for not_an_outcome in ("other", "total", "new_received", "refused", "nonsense"):
        if not_an_outcome != "other":
            assert fmt_2019.row_for_outcome(not_an_outcome) is None
        assert fmt_2021.row_for_outcome(not_an_outcome) is None


def _labels(format_id: str) -> list[str]:
    fmts = [f for (fid, _v), f in FORMATS.items() if fid == format_id]
    labels = [c.label for f in fmts for b in f.proactive for c in b.columns]
    labels += [r.label for f in fmts for b in f.proactive for r in b.rows]
    return labels + [r.label for f in fmts for r in f.request_rows]


@pytest.mark.parametrize(("own", "other"), [("2019", "2021"), ("2021", "2019")])
def test_markers_are_wording_of_one_format_only(own, other):
    for marker in format_markers(own):
        plain = marker.replace("／", "/")
        assert any(plain in label for label in _labels(own)), marker
        assert not any(plain in label for label in _labels(other)), marker


def test_beijing_marker_is_in_the_beijing_variant_only():
    def amounts(variant):
        return [c.label for b in FORMATS[("2019", variant)].proactive for c in b.columns]

    assert any(BEIJING_MARKER in label for label in amounts("beijing"))
    assert not any(BEIJING_MARKER in label for label in amounts("national"))


def test_outcome_leaf_keys_select_a_group_or_one_leaf():
    assert outcome_leaf_keys("other") == ("other.no_correction", "other.unpaid_fee", "other.other")
    assert len(outcome_leaf_keys("refused")) == 8
    assert outcome_leaf_keys("granted") == ("granted",)
    assert outcome_leaf_keys("refused.query") == ("refused.query",)
