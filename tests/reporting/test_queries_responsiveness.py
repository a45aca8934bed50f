"""Section 一's responsiveness figures come from the ledgers: one aggregate query per source table, and a
record added moves its figure (issue 13, point 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.annual_report.formats import get_format
from gongkai.reporting.compose import draft_proactive
from gongkai.reporting.queries import ledger_figures
from gongkai.reporting.selectors import build_annual_report
from gongkai.responsiveness import services
from ledger_fixtures import LedgerMaker

D = dt.date
SOURCES = {
    "responsiveness_hottopicresponse": "hot-topic responses",
    "responsiveness_supervisiontask": "supervision tasks",
    "engagement_letter": "mailbox letters",
    "publications_publication": "items published (and Table 二's documents)",
    "publications_channelpost": "website / Weibo / WeChat posts",
    "publications_policyinterpretation": "interpretations",
    "publications_archivetransfer": "archive copies",
}


def _respond(ledger: LedgerMaker, clerk: Any, channel: str, on: dt.date) -> None:
    services.hot_topic_record(actor=clerk, subject="停车难", source="media", response="已回应", channel=channel,
                              responded_on=on, department=ledger.department)  # fmt: skip


def _complete_task(ledger: LedgerMaker, clerk: Any, on: dt.date) -> None:
    task = services.supervision_task_create(actor=clerk, issuer="government", title="整治", assigned_on=D(2019, 1, 2),
                                            deadline=D(2019, 12, 31), department=ledger.department)  # fmt: skip
    services.supervision_task_complete(actor=clerk, task=task, completed_on=on, evidence="报告")


def test_one_aggregate_query_per_source(ledger: LedgerMaker, staff: dict[str, Any]) -> None:
    for i in range(5):
        _respond(ledger, staff["clerk"], ("weibo", "website")[i % 2], D(2019, 1 + i, 3))
        _complete_task(ledger, staff["clerk"], D(2019, 6, 1 + i))
    with CaptureQueriesContext(connection) as ctx:
        figures = ledger_figures(2019, get_format("2019"))
    assert (figures.hot_topic_responses, figures.social_responses, figures.supervision_completed) == (5, 3, 5)
    sql = [q["sql"] for q in ctx.captured_queries]
    for table, what in SOURCES.items():
        if table == "publications_publication":
            continue  # items published and Table 二's documents are two different questions of one table
        reads = [q for q in sql if f'"{table}"' in q]
        assert len(reads) == 1 and ("COUNT(" in reads[0] or "SUM(" in reads[0]), (what, sql)


def test_each_figure_follows_its_records(ledger: LedgerMaker, staff: dict[str, Any]) -> None:
    clerk = staff["clerk"]
    base = ledger_figures(2019, get_format("2019"))
    assert (base.hot_topic_responses, base.social_responses, base.supervision_completed) == (0, 0, 0)
    assert "回应公众关注热点" not in draft_proactive(base)
    _respond(ledger, clerk, "wechat", D(2019, 12, 31))
    _respond(ledger, clerk, "website", D(2019, 1, 1))
    _respond(ledger, clerk, "weibo", D(2020, 1, 1))  # next year's
    _complete_task(ledger, clerk, D(2019, 7, 1))
    open_task = services.supervision_task_create(actor=clerk, issuer="committee", title="未办结",
                                                 assigned_on=D(2019, 1, 2), deadline=D(2019, 2, 1),
                                                 department=ledger.department)  # fmt: skip
    assert open_task.completed_on is None
    text = draft_proactive(ledger_figures(2019, get_format("2019")))
    assert "本年度回应公众关注热点或重大舆情数2次。" in text
    assert "完成区委区政府督查督办1件。" in text
    assert "微博微信回应事件数1次。" in text
    report = build_annual_report(2019)
    assert "本年度回应公众关注热点或重大舆情数2次" in report.sections["overview"]


def test_staff_edit_the_prose_but_not_the_figures(ledger: LedgerMaker, staff: dict[str, Any]) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    from gongkai.reporting import services as report_services
    from gongkai.reporting.models import AnnualReportRecord

    clerk = staff["clerk"]
    _respond(ledger, clerk, "weibo", D(2019, 3, 4))
    _complete_task(ledger, clerk, D(2019, 7, 1))
    report_services.report_draft_refresh(actor=clerk, year=2019)
    with pytest.raises(ValidationError) as exc:
        report_services.report_update_text(
            actor=clerk,
            year=2019,
            paragraphs={
                "proactive": "街道积极回应关切，回应公众关注热点或重大舆情数 5 次，完成区委区政府督查督办1件。"
            },
        )
    assert exc.value.messages == [
        "“回应公众关注热点或重大舆情数”台账为1，段落中写作5：数字由台账生成，请勿改写"
    ]
    text = "街道积极回应关切，全年回应公众关注热点或重大舆情数1次，完成区委区政府督查督办1件。"
    report_services.report_update_text(actor=clerk, year=2019, paragraphs={"proactive": text})
    assert AnnualReportRecord.objects.get(year=2019).overview_overrides == {"proactive": text}
