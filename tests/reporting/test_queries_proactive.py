"""Table 二 and the section 一 figures from hand-made publication records, in both formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gongkai.reporting.compose import resolve_format
from gongkai.reporting.models import AnnualReportRecord
from gongkai.reporting.queries import ledger_figures
from gongkai.reporting.selectors import build_annual_report
from ledger_fixtures import LedgerMaker

D = dt.date


def _documents(ledger: LedgerMaker) -> None:
    nd = {"category": "art20_1", "doc_kind": "normative_documents"}
    ledger.publication(
        formed_on=D(2019, 12, 20), published_on=D(2020, 1, 8), **nd
    )  # made 2019, published 2020
    ledger.publication(formed_on=D(2020, 3, 1), published_on=D(2020, 3, 10), **nd)
    ledger.publication(formed_on=D(2020, 11, 1), published_on=None, **nd)  # made, not yet published
    ledger.publication(formed_on=D(2018, 5, 1), published_on=D(2018, 5, 9), repealed_on=D(2020, 6, 1), **nd)
    ledger.publication(formed_on=D(2017, 5, 1), published_on=D(2017, 5, 9), **nd)  # in force throughout
    ledger.publication(formed_on=D(2020, 2, 1), published_on=D(2020, 2, 3), withdrawn_on=D(2021, 1, 4), **nd)
    ledger.publication(
        formed_on=D(2020, 4, 1), published_on=D(2020, 4, 2), category="art20_1", doc_kind="rules"
    )
    ledger.publication(
        formed_on=D(2020, 4, 1), published_on=D(2020, 4, 2), category="art20_1"
    )  # not a document


def test_2019_format_documents_made_published_and_in_force(ledger: LedgerMaker) -> None:
    _documents(ledger)
    report = build_annual_report(2020)
    assert report.proactive["art20_1.normative_documents"] == {"made": 3, "published": 3, "total": 4}
    assert report.proactive["art20_1.rules"] == {"made": 1, "published": 1, "total": 1}


def test_2021_format_documents_issued_repealed_in_force(ledger: LedgerMaker) -> None:
    _documents(ledger)
    report = build_annual_report(2020, format="2021")
    assert report.proactive["art20_1.normative_documents"] == {"issued": 3, "repealed": 1, "in_force": 4}
    # Withdrawn in 2021: out of force at the end of 2021.
    assert build_annual_report(2021).proactive["art20_1.normative_documents"]["in_force"] == 3


def test_2019_format_matters_decisions_and_procurement(ledger: LedgerMaker) -> None:
    ledger.matter(kind="licensing", established_on=D(2018, 1, 1))
    ledger.matter(kind="licensing", established_on=D(2019, 3, 1), abolished_on=D(2020, 5, 1))
    ledger.matter(kind="licensing", established_on=D(2020, 7, 1))
    ledger.matter(kind="licensing", established_on=D(2016, 1, 1), abolished_on=D(2018, 1, 1))
    ledger.matter(kind="inspection", established_on=D(2020, 2, 1))
    ledger.matter(kind="confirmation", established_on=D(2017, 2, 1))
    ledger.matter(kind="fee_item", established_on=D(2015, 2, 1), abolished_on=D(2020, 12, 31))
    ledger.decision(kind="licensing", decided_on=D(2020, 3, 3), count=4)
    ledger.decision(kind="licensing", decided_on=D(2021, 3, 3), count=9)
    ledger.decision(kind="inspection", decided_on=D(2020, 3, 3), count=2)
    ledger.decision(kind="penalty", decided_on=D(2020, 8, 3), count=1)
    ledger.procurement(on=D(2020, 5, 1), amount_wan="100.1234")
    ledger.procurement(on=D(2020, 6, 1), amount_wan="84.6849")
    ledger.procurement(on=D(2019, 6, 1), amount_wan="1.0000")
    report = build_annual_report(2020)
    p = report.proactive
    assert p["art20_5.licensing"] == {"previous": 2, "change": 0, "decisions": 4}
    assert p["art20_5.other_services.inspection"] == {"previous": 0, "change": 1, "decisions": 2}
    assert p["art20_5.other_services.confirmation"] == {"previous": 1, "change": 0, "decisions": 0}
    assert "art20_5.other_services" not in p
    assert p["art20_6.penalty"] == {"previous": 0, "change": 0, "decisions": 1}
    assert p["art20_8.fees"] == {"previous": 1, "change": -1}
    assert p["art20_9.procurement"] == {"projects": 2, "amount_wan": Decimal("184.8083")}
    assert str(p["art20_9.procurement"]["amount_wan"]) == "184.8083"

    # Without the local sub-rows, 其他对外管理服务事项 is one row.
    AnnualReportRecord.objects.create(year=2020, split_other_services=False)
    merged = build_annual_report(2020).proactive
    assert merged["art20_5.other_services"] == {"previous": 1, "change": 1, "decisions": 2}
    assert "art20_5.other_services.inspection" not in merged


def test_2021_format_decisions_and_fees(ledger: LedgerMaker) -> None:
    ledger.decision(kind="licensing", decided_on=D(2022, 3, 3), count=4)
    ledger.decision(kind="enforcement", decided_on=D(2022, 9, 3), count=2)
    ledger.decision(kind="inspection", decided_on=D(2022, 9, 3), count=7)  # no 2021-format row
    ledger.fee_collection(on=D(2022, 1, 5), amount_wan="0.1250")
    ledger.fee_collection(on=D(2022, 12, 31), amount_wan="2.0005")
    ledger.fee_collection(on=D(2023, 1, 1), amount_wan="9.0000")
    report = build_annual_report(2022)
    assert report.proactive == {
        "art20_1.rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "art20_1.normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
        "art20_5.licensing": {"decisions": 4},
        "art20_6.penalty": {"decisions": 0},
        "art20_6.enforcement": {"decisions": 2},
        "art20_8.fees": {"amount_wan": Decimal("2.1255")},
    }


def test_section_one_figures(ledger: LedgerMaker) -> None:
    policy = ledger.publication(published_on=D(2019, 3, 1), key_area=True, category="art20_11")
    ledger.publication(published_on=D(2019, 4, 1), withdrawn_on=D(2019, 5, 1))  # was published in 2019
    ledger.publication(published_on=D(2018, 4, 1))
    ledger.publication(published_on=None)
    for channel, n in (("website", 3), ("weibo", 2), ("wechat", 1)):
        for i in range(n):
            ledger.post(channel=channel, posted_on=D(2019, 1 + i, 2))
    ledger.post(channel="weibo", posted_on=D(2020, 1, 2))
    ledger.interpretation(policy=policy, published_on=D(2019, 3, 2))
    ledger.interpretation(policy=policy, published_on=D(2020, 3, 2))
    for month in range(1, 13):
        ledger.transfer(on=D(2019, month, 20), recipient="东城区档案局（馆）")
    ledger.transfer(on=D(2019, 2, 20), recipient="东城区文化和旅游局", copies=3)
    fmt = resolve_format(2019, None, "national")
    figures = ledger_figures(2019, fmt)
    assert (figures.items_published, figures.key_area_items) == (2, 1)
    assert figures.posts == {"website": 3, "weibo": 2, "wechat": 1}
    assert figures.interpretations == 1
    assert [(r.name, r.copies, r.transfers, r.months) for r in figures.archive] == [
        ("东城区档案局（馆）", 12, 12, 12),
        ("东城区文化和旅游局", 3, 1, 1),
    ]
    assert figures.archive_copies == 15


def _letter(received_on: dt.date, completed_on: dt.date | None) -> None:
    from gongkai.engagement.models import Letter, LetterStatus

    Letter.objects.create(
        reference=f"XX{Letter.objects.count() + 1:04d}",
        subject="来信",
        body="来信内容",
        anonymous=True,
        received_on=received_on,
        status=LetterStatus.COMPLETED if completed_on else LetterStatus.NEW,
        completed_on=completed_on,
    )


def test_section_one_mailbox_letters(ledger: LedgerMaker) -> None:
    from gongkai.org.services import organisation_set

    _letter(D(2019, 3, 1), D(2019, 3, 5))
    _letter(D(2019, 12, 30), D(2020, 1, 3))  # completed after the year ended: not 办结 in 2019
    _letter(D(2019, 7, 1), None)
    _letter(D(2018, 12, 1), D(2019, 1, 2))  # last year's letter
    figures = ledger_figures(2019, resolve_format(2019, None, "national"))
    assert (figures.letters_received, figures.letters_completed) == (3, 1)
    overview = build_annual_report(2019).sections["overview"]
    # A 街道's mailbox is the 主任信箱 unless the office names it otherwise (the 东花市 seed: 区长信箱).
    assert "收到主任信箱信件3件，办结1件，办结率33.3%。" in overview.splitlines()[0]
    assert "信箱" not in build_annual_report(2020).sections["overview"]
    org = ledger.organisation
    organisation_set(actor=None, name=org.name, kind=org.kind, mailbox_name="区长信箱")
    overview = build_annual_report(2019).sections["overview"]
    assert "收到区长信箱信件3件，办结1件，办结率33.3%。" in overview.splitlines()[0]
