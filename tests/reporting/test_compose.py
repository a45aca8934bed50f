"""Section 一 drafted from figures: the seed's wording, and never a figure that A7 would flag."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.annual_report.checks import check_report
from gongkai.annual_report.formats import APPEAL_GROUPS, APPEAL_OUTCOME_KEYS, APPLICANT_KEYS, get_format
from gongkai.annual_report.model import AnnualReport
from gongkai.reporting import compose
from gongkai.reporting.queries import ArchiveRecipient, LedgerFigures

RECIPIENTS = (
    ArchiveRecipient("东城区档案局（馆）", 12, 12, 12, "2019-01-31"),
    ArchiveRecipient("东城区文化和旅游局", 12, 12, 12, "2019-01-31"),
    ArchiveRecipient("东城区行政服务管理局", 12, 12, 12, "2019-01-31"),
)


def _requests_table(fmt_id: str, counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    fmt = get_format(fmt_id)
    table = {}
    for row in fmt.request_rows:
        cells = {k: counts.get(row.key, {}).get(k, 0) for k in APPLICANT_KEYS}
        cells["total"] = sum(cells.values())
        table[row.key] = cells
    return table


def _seed_like() -> LedgerFigures:
    requests = _requests_table(
        "2019",
        {
            "new_received": {"natural_person": 2},
            "unavailable.not_held": {"natural_person": 2},
            "total": {"natural_person": 2},
        },
    )
    appeals = {g.key: {**dict.fromkeys(APPEAL_OUTCOME_KEYS, 0), "total": 0} for g in APPEAL_GROUPS}
    appeals["review"] = {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    return LedgerFigures(
        year=2019,
        format="2019",
        organisation="东花市街道办事处",
        organisation_kind="subdistrict",
        items_published=282,
        key_area_items=23,
        posts={"website": 282, "weibo": 340, "wechat": 300},
        interpretations=134,
        archive=RECIPIENTS,
        letters_received=13,
        letters_completed=13,
        requests=requests,
        appeals=appeals,
    )


def test_the_seed_figures_in_the_seed_wording() -> None:
    f = _seed_like()
    assert compose.draft_proactive(f) == (
        "2019年政府信息公开专栏全年主动公开政府信息282条。其中重点领域公开信息数23条。在政府网站公开信息282条。"
        "在街道政务微博和微信公开信息分别为340条和300条。"
        "每月向东城区档案局（馆）、文化和旅游局、行政服务管理局移送政府信息纸质文本，共36份。"
        "收到区长信箱信件13件，办结13件，办结率100%。政策解读发布稿件数134篇。"
    )
    assert compose.draft_requests(f) == (
        "2019年收到政府信息公开申请数量为2件，申请人类型为自然人。"
        "全年办结政府信息公开申请2件，其中无法提供2件（均为本机关不掌握相关政府信息）。结转下年度继续办理0件。"
        "因政府信息公开工作被申请行政复议1件（结果维持1件），未被提起行政诉讼。"
    )


def test_quiet_year_and_irregular_transfers() -> None:
    f = LedgerFigures(
        year=2023,
        format="2021",
        organisation="某区民政局",
        organisation_kind="department",
        posts={"wechat": 5},
        archive=(ArchiveRecipient("某区档案馆", 4, 2, 2, "2023-03-01"),),
        requests=_requests_table("2021", {}),
        appeals={g.key: {**dict.fromkeys(APPEAL_OUTCOME_KEYS, 0), "total": 0} for g in APPEAL_GROUPS},
    )
    assert compose.draft_proactive(f) == (
        "2023年政府信息公开专栏全年未主动公开政府信息。在政务微信公开信息5条。"
        "全年向某区档案馆移送政府信息纸质文本2次，共4份。"
    )
    assert compose.draft_requests(f) == (
        "2023年未收到政府信息公开申请。全年未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    )


@pytest.mark.parametrize(
    ("received", "completed", "sentence"),
    [
        (3, 1, "收到区长信箱信件3件，办结1件，办结率33.3%。"),
        (200, 199, "收到区长信箱信件200件，办结199件，办结率99.5%。"),
        (2000, 1999, "收到区长信箱信件2000件，办结1999件，办结率99.9%。"),  # never rounded up to 100%
        (4, 0, "收到区长信箱信件4件，办结0件，办结率0%。"),
    ],
)
def test_mailbox_sentence(received: int, completed: int, sentence: str) -> None:
    f = LedgerFigures(
        **{**_seed_like().__dict__, "letters_received": received, "letters_completed": completed}
    )
    assert sentence in compose.draft_proactive(f)
    quiet = LedgerFigures(**{**_seed_like().__dict__, "letters_received": 0, "letters_completed": 0})
    assert "区长信箱" not in compose.draft_proactive(quiet)


def test_fee_sentence_reads_back_as_the_ledger_amount() -> None:
    from gongkai.annual_report.checks.fees import stated_fee

    base = _seed_like()
    for amount in (Decimal("0"), Decimal("300.00"), Decimal("12.50")):
        f = LedgerFigures(**{**base.__dict__, "fees_paid_yuan": amount})
        stated = stated_fee(compose.draft_fee_sentence(f))
        assert stated is not None and stated[0] == amount


def test_numbering_replaces_numbers_staff_typed() -> None:
    text = compose.number_paragraphs(["甲。", "2. 乙。", "3、丙。", "10.5 万元用于……"])
    assert text == "1. 甲。\n2. 乙。\n3. 丙。\n4. 10.5 万元用于……"
    assert compose.extra_paragraphs("\n 3. 第一段 \n\n第二段\n") == ["第一段", "第二段"]


counts = st.integers(0, 40)


@st.composite
def figures(draw: st.DrawFn) -> LedgerFigures:
    fmt_id = draw(st.sampled_from(["2019", "2021"]))
    fmt = get_format(fmt_id)
    leaves = [r.key for r in fmt.outcome_leaves]
    raw: dict[str, dict[str, int]] = {}
    for key in ("new_received", "carried_over", "carried_forward"):
        raw[key] = {k: draw(counts) if draw(st.booleans()) else 0 for k in APPLICANT_KEYS}
    total = dict.fromkeys(APPLICANT_KEYS, 0)
    for leaf in draw(st.lists(st.sampled_from(leaves), max_size=5, unique=True)):
        raw[leaf] = {k: draw(counts) if draw(st.booleans()) else 0 for k in APPLICANT_KEYS}
        for k in APPLICANT_KEYS:
            total[k] += raw[leaf][k]
    raw["total"] = total
    appeals = {}
    for g in APPEAL_GROUPS:
        row = {k: draw(st.integers(0, 3)) for k in APPEAL_OUTCOME_KEYS}
        appeals[g.key] = {**row, "total": sum(row.values())}
    return LedgerFigures(
        year=2019 if fmt_id == "2019" else 2022,
        format=fmt_id,
        organisation="测试街道办事处",
        organisation_kind="subdistrict",
        items_published=draw(counts),
        key_area_items=draw(counts),
        posts={"website": draw(counts), "weibo": draw(counts), "wechat": draw(counts)},
        interpretations=draw(counts),
        letters_received=(letters := draw(counts)),
        letters_completed=draw(st.integers(0, letters)),
        requests=_requests_table(fmt_id, raw),
        appeals=appeals,
    )


@settings(max_examples=200, deadline=None)
@given(figures())
def test_drafted_overview_never_disagrees_with_the_tables(f: LedgerFigures) -> None:
    report = AnnualReport(
        organisation=f.organisation,
        year=f.year,
        format=f.format,
        sections={"overview": compose.number_paragraphs(list(compose.draft_paragraphs(f).values()))},
        requests=f.requests,
        appeals=f.appeals,
    )
    a7 = [x for x in check_report(report) if x.rule == "A7"]
    assert a7 == [], report.sections["overview"]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["北京市档案馆", "北京市图书馆"], "北京市档案馆、图书馆"),
        (["区档案馆", "市图书馆"], "区档案馆、市图书馆"),
        (["东城区档案局（馆）"], "东城区档案局（馆）"),
    ],
)
def test_recipient_list(names: list[str], expected: str) -> None:
    recipients = tuple(ArchiveRecipient(n, 1, 1, 1, "2020-01-01") for n in names)
    assert compose.recipient_list(recipients) == expected
