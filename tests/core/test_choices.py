"""The ledger's statutory choices are the formats' vocabulary: same keys, same labels, same order."""

from __future__ import annotations

from gongkai.annual_report import formats
from gongkai.core.choices import AppealKind, AppealResult, ApplicantType, Outcome


def _pairs(choices):
    return [(c.value, c.label) for c in choices]


def test_applicant_types_are_table_3_columns():
    assert _pairs(ApplicantType) == [(c.key, c.label) for c in formats.APPLICANT_COLUMNS if c.key != "total"]
    assert tuple(ApplicantType.values) == formats.APPLICANT_KEYS


def test_outcomes_are_the_outcome_leaves():
    assert _pairs(Outcome) == [(r.key, formats.outcome_title(r)) for r in formats.ALL_OUTCOME_LEAVES]
    assert [o.value for o in Outcome] == [r.key for r in formats.get_format("2021").outcome_leaves]
    assert Outcome.REFUSED_STATE_SECRET.label == "（三）不予公开 1.属于国家秘密"
    assert Outcome.GRANTED.label == "（一）予以公开"


def test_appeal_kinds_are_table_4_groups():
    assert _pairs(AppealKind) == [(g.key, formats.appeal_group_title(g)) for g in formats.APPEAL_GROUPS]
    assert AppealKind.LITIGATION_DIRECT.label == "行政诉讼（未经复议直接起诉）"


def test_appeal_results_are_table_4_columns():
    assert _pairs(AppealResult) == [(c.key, c.label) for c in formats.APPEAL_COLUMNS if c.key != "total"]
    assert tuple(AppealResult.values) == formats.APPEAL_OUTCOME_KEYS


def test_member_names_spell_their_keys():
    for choices in (ApplicantType, Outcome, AppealKind, AppealResult):
        for member in choices:
            assert member.name == member.value.upper().replace(".", "_")
