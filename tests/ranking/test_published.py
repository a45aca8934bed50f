"""Publishing a quarter freezes it; the pages, drill-down, XLSX, history and the dashboard link."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.core.models import AuditEvent
from gongkai.ranking import services
from gongkai.ranking.frozen import changes_since, ranking_of
from gongkai.ranking.queries import Quarter
from gongkai.ranking.selectors import ranking_history, weights_in_force
from staff_auth import sign_in

from .conftest import Q2_2025, RankingLedger, fill

NOW = dt.datetime(2025, 7, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def published(ledger: RankingLedger, staff: dict[str, Any]) -> Any:
    fill(ledger)
    with time_machine.travel(NOW, tick=False):
        return services.ranking_publish(actor=staff["officehead"], quarter=Quarter(*Q2_2025))


def _totals(pq: Any) -> dict[str, Any]:
    return {r.department: (r.total, r.rank) for r in ranking_of(pq).rows}


def test_published_quarter_is_frozen_against_later_edits(
    client: Any, published: Any, ledger: RankingLedger, staff: dict[str, Any]
) -> None:
    before = _totals(published)
    assert AuditEvent.objects.filter(verb="ranking.publish", actor=staff["officehead"]).count() == 1
    # Later edits: a late item for 党政办, the late reply back-dated to on time, new weights.
    ledger.pub(ledger.department, formed_on=dt.date(2025, 3, 3), published_on=dt.date(2025, 6, 20))
    from gongkai.inforequests.models import InfoRequest

    InfoRequest.objects.filter(department=ledger.department).update(closed_on=dt.date(2025, 6, 4))
    services.ranking_method_set(actor=staff["officehead"], weights=dict(weights_in_force(), pub_volume=0))
    published.refresh_from_db()
    assert _totals(published) == before
    with time_machine.travel(NOW, tick=False):
        changes = changes_since(published)
    assert "党政办公室 · 主动公开及时率：发布时 2/2 条按期，现在 2/3 条按期" in changes
    assert "党政办公室 · 依申请按期答复率：发布时 0/1 件按期，现在 1/1 件按期" in changes
    # The page shows the frozen figures and says what changed since.
    sign_in(client, staff["officehead"])
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("ranking:quarter", args=Q2_2025)).content.decode()
    assert "已发布" in page and "发布后记录的变化" in page and "现在 2/3 条按期" in page
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError, match="已经发布"):
        services.ranking_publish(actor=staff["officehead"], quarter=Quarter(*Q2_2025))


def test_a_quarter_is_published_only_after_it_ends(ledger: RankingLedger, staff: dict[str, Any]) -> None:
    end_of_june = dt.datetime(2025, 6, 30, 18, tzinfo=NOW.tzinfo)
    message = "2025年第2季度尚未结束，季度结束后才能发布排名"
    with time_machine.travel(end_of_june, tick=False), pytest.raises(ValidationError, match=message):
        services.ranking_publish(actor=staff["officehead"], quarter=Quarter(*Q2_2025))
    assert not AuditEvent.objects.filter(verb="ranking.publish").exists()


def test_drill_down_lists_the_records_behind_a_score(
    client: Any, published: Any, ledger: RankingLedger, staff: dict[str, Any]
) -> None:
    sign_in(client, staff["auditor"])
    late = ledger.pub(ledger.department, formed_on=dt.date(2025, 3, 3), published_on=dt.date(2025, 6, 20))
    with time_machine.travel(NOW, tick=False):
        frozen = client.get(reverse("ranking:drill", args=[*Q2_2025, ledger.other.pk, "pub_timely"]))
        mine = client.get(reverse("ranking:drill", args=[*Q2_2025, ledger.department.pk, "pub_timely"]))
        reqs = client.get(reverse("ranking:drill", args=[*Q2_2025, ledger.department.pk, "req_delay"]))
    text = frozen.content.decode()
    assert frozen.status_code == 200 and "共 2 条记录" in text and "否（超期）" in text
    # Frozen: the item published after the ranking was published is not among the records behind it.
    assert late.title not in mine.content.decode() and "共 2 条记录" in mine.content.decode()
    assert "<td>3</td>" in reqs.content.decode()
    assert "按公开类别" in text and "<td>2</td>" in text


def test_live_quarter_page_and_weights_form(
    client: Any, ledger: RankingLedger, staff: dict[str, Any]
) -> None:
    fill(ledger)
    sign_in(client, staff["officehead"])
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("ranking:quarter", args=Q2_2025)).content.decode()
        assert "未发布" in page and "督办任务按期完成率" in page and "（默认方法）" in page
        bad = client.post(reverse("ranking:method"), {**weights_in_force(), "pub_timely": "-3"}, follow=True)
        assert "权重不能小于 0" in bad.content.decode()
        good = client.post(
            reverse("ranking:method"),
            {**weights_in_force(), "req_timely": 0, "req_delay": 0, "back": "/workbench/ranking/2025/q2/"},
            follow=True,
        )
    text = good.content.decode()
    assert "考核方法已修改" in text and "（本机关设置）" in text
    assert text.index("党政办公室</th>") < text.index("城市管理办公室</th>")


def test_xlsx_has_a_sheet_per_published_quarter_and_the_method(
    client: Any, published: Any, staff: dict[str, Any]
) -> None:
    sign_in(client, staff["director"])
    response = client.get(reverse("ranking:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["2025年Q2", "考核方法"]
    header = [c.value for c in wb["2025年Q2"][1]]
    assert header[:3] == ["名次", "科室", "总分"] and header[3].startswith("主动公开及时率")
    assert [c.value for c in wb["2025年Q2"][2]][:2] == [1, "城市管理办公室"]
    assert "20 个工作日" in str(wb["考核方法"]["C2"].value)


def test_ranking_history_for_the_charts(published: Any) -> None:
    history = ranking_history()
    assert [(h["year"], h["quarter"], h["label"]) for h in history] == [(2025, 2, "2025年第2季度")]
    assert {s["department"]: s["rank"] for s in history[0]["scores"]} == {
        "城市管理办公室": 1,
        "党政办公室": 2,
    }


def test_dashboard_links_to_the_ranking_with_the_word(
    client: Any, ledger: RankingLedger, staff: dict[str, Any]
) -> None:
    sign_in(client, staff["officehead"])
    page = client.get(reverse("dashboard")).content.decode()
    assert "排名" in page and reverse("ranking:index") in page


def test_department_staff_cannot_open_or_publish(
    client: Any, ledger: RankingLedger, staff: dict[str, Any]
) -> None:
    sign_in(client, staff["staff"])
    assert client.get(reverse("ranking:quarter", args=Q2_2025)).status_code == 403
    sign_in(client, staff["clerk"])
    assert client.get(reverse("ranking:quarter", args=Q2_2025)).status_code == 200
    assert client.post(reverse("ranking:publish", args=Q2_2025)).status_code == 403
    assert client.get(reverse("ranking:quarter", args=[2099, 1])).status_code == 404


def test_letters_and_review_returns_score_and_drill_down(
    client: Any, ledger: RankingLedger, staff: dict[str, Any]
) -> None:
    from gongkai.engagement.models import Forwarding, Letter
    from gongkai.publications.models import PublicationReview

    tz = dt.timezone(dt.timedelta(hours=8))
    letters = [
        Letter.objects.create(
            reference=f"XX{n}", subject="来信", body="内容", received_on=dt.date(2025, 5, 1)
        )
        for n in range(3)
    ]
    # Due 10 June: one answered that evening (Beijing time, on time), one the day after, one recalled.
    answered = [dt.datetime(2025, 6, 10, 23, 30, tzinfo=tz), dt.datetime(2025, 6, 11, 9, 0, tzinfo=tz)]
    for letter, at in zip(letters, answered, strict=False):
        Forwarding.objects.create(
            letter=letter, department=ledger.department, due_on=dt.date(2025, 6, 10),
            forwarded_by=staff["clerk"], answer="已办理", answered_at=at, answered_by=staff["staff"],
        )  # fmt: skip
    Forwarding.objects.create(
        letter=letters[2], department=ledger.department, due_on=dt.date(2025, 6, 10),
        forwarded_by=staff["clerk"], recalled_at=dt.datetime(2025, 6, 1, tzinfo=tz),
    )  # fmt: skip
    item = ledger.pub(ledger.department, formed_on=dt.date(2025, 5, 6), published_on=dt.date(2025, 5, 9))
    for level, decision in ((1, "rejected"), (1, "approved"), (2, "approved"), (2, "approved")):
        PublicationReview.objects.create(
            publication=item, round=PublicationReview.objects.count() + 1, level=level,
            reviewer=staff["director"], decision=decision, decided_at=dt.datetime(2025, 5, 8, 10, tzinfo=tz),
        )  # fmt: skip
    sign_in(client, staff["officehead"])
    with time_machine.travel(NOW, tick=False):
        from gongkai.ranking.selectors import compute_ranking

        row = next(r for r in compute_ranking(Quarter(*Q2_2025)).rows if r.department == "党政办公室")
        letters_page = client.get(
            reverse("ranking:drill", args=[*Q2_2025, ledger.department.pk, "letters_timely"])
        )
        reviews_page = client.get(
            reverse("ranking:drill", args=[*Q2_2025, ledger.department.pk, "review_returned"])
        )
    assert row.scores["letters_timely"] == 50.0 and row.raw["letters_timely"] == "1/2 件按期"
    assert row.scores["review_returned"] == 75.0
    text = letters_page.content.decode()
    assert "共 2 条记录" in text and "XX0" in text and "XX1" in text and "XX2" not in text
    assert "2025-06-10" in text and "否（超期）" in text
    assert "共 4 条记录" in reviews_page.content.decode() and "退回" in reviews_page.content.decode()


def test_the_statistics_page_charts_the_published_quarters(
    client: Any, published: Any, staff: dict[str, Any]
) -> None:
    sign_in(client, staff["director"])
    with time_machine.travel(NOW, tick=False):
        page = client.get("/workbench/reports/statistics/?year=2025").content.decode()
        assert "各科室考核总分（已发布的季度）" in page and "2025年第2季度" in page
        totals = _totals(published)
        assert f"{totals['党政办公室'][0]}" in page
        sheet = client.get("/workbench/reports/statistics/ranking.xlsx")
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("application/vnd.openxmlformats")
