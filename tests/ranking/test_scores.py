"""The ranking's scores from records, the office head's weights, and the fixed query count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.core.models import AuditEvent
from gongkai.ranking import services
from gongkai.ranking.queries import Quarter, earliest_formed
from gongkai.ranking.selectors import compute_ranking, weights_in_force

from .conftest import Q2_2025, RankingLedger, fill

TODAY = dt.date(2025, 7, 15)


def _by_name(ranking: Any) -> dict[str, Any]:
    return {r.department: r for r in ranking.rows}


def test_supervision_tasks_done_within_their_time_limit(ledger: RankingLedger) -> None:
    # Due in Q2 2025: one done in time, one done late, one still open past its limit (late);
    # one due in Q3 is not this quarter's.
    ledger.supervision(assigned_on=dt.date(2025, 4, 1), completed_on=dt.date(2025, 4, 20))
    ledger.supervision(assigned_on=dt.date(2025, 4, 10), completed_on=dt.date(2025, 5, 30))
    ledger.supervision(assigned_on=dt.date(2025, 5, 1), completed_on=None)
    ledger.supervision(assigned_on=dt.date(2025, 6, 20), completed_on=None)
    row = _by_name(compute_ranking(Quarter(*Q2_2025), today=TODAY))["党政办公室"]
    assert row.raw["supervision_timely"] == "1/3 件按期"
    assert row.scores["supervision_timely"] == 33.3


def test_art26_bound_is_twenty_working_days(calendar_db: Any) -> None:
    bounds = earliest_formed(calendar_db, Quarter(2025, 2))
    # Published on 6 May 2025: 20 working days after 3 April is 6 May (Qingming and Labour Day skipped).
    assert bounds[dt.date(2025, 5, 6)] == dt.date(2025, 4, 3)


def test_scores_come_from_the_records(ledger: RankingLedger) -> None:
    fill(ledger)
    rows = _by_name(compute_ranking(Quarter(*Q2_2025), today=TODAY))
    dz, cg = rows["党政办公室"], rows["城市管理办公室"]
    assert dz.scores["pub_timely"] == 100.0 and cg.scores["pub_timely"] == 50.0
    assert dz.scores["pub_volume"] == 100.0 and cg.scores["pub_volume"] == 100.0
    assert dz.scores["req_timely"] == 0.0 and cg.scores["req_timely"] == 100.0
    assert dz.raw["req_delay"] == "共超期 3 个工作日，平均 3.0"
    assert dz.scores["req_delay"] == 70.0 and cg.scores["req_delay"] == 100.0
    assert dz.scores["letters_timely"] is None and dz.scores["supervision_timely"] is None
    assert dz.categories == {"art20_15": 1, "art20_2": 1}
    # Default weights 30/15/25/10 over the indicators with records (no reviews, letters, supervision).
    assert dz.total == round((30 * 100 + 15 * 100 + 25 * 0 + 10 * 70) / 80, 1)
    assert cg.total == round((30 * 50 + 15 * 100 + 25 * 100 + 10 * 100) / 80, 1)
    assert (cg.rank, dz.rank) == (1, 2)


def test_open_overdue_request_counts_late_until_today(ledger: RankingLedger) -> None:
    ledger.req(ledger.department, received_on=dt.date(2025, 5, 7), due_on=dt.date(2025, 6, 5), closed_on=None)
    row = _by_name(compute_ranking(Quarter(*Q2_2025), today=dt.date(2025, 6, 9)))["党政办公室"]
    assert row.scores["req_timely"] == 0.0
    assert row.raw["req_delay"] == "共超期 2 个工作日，平均 2.0"


def test_office_head_changes_a_weight_and_the_ranking_moves(
    ledger: RankingLedger, staff: dict[str, Any]
) -> None:
    fill(ledger)
    q = Quarter(*Q2_2025)
    assert _by_name(compute_ranking(q, today=TODAY))["城市管理办公室"].rank == 1
    weights = dict(weights_in_force(), pub_timely=100, req_timely=0, req_delay=0)
    services.ranking_method_set(actor=staff["officehead"], weights=weights)
    rows = _by_name(compute_ranking(q, today=TODAY))
    assert (rows["党政办公室"].rank, rows["城市管理办公室"].rank) == (1, 2)
    event = AuditEvent.objects.get(verb="ranking.method_set")
    assert event.actor == staff["officehead"] and event.after["pub_timely"] == 100


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pub_timely": -1}, "权重应在 0 到 100 之间"),
        ({"pub_timely": "很多"}, "权重应为整数"),
        ({"nonsense": 5}, "未知的考核指标：nonsense"),
    ],
)
def test_bad_weights_are_refused_in_chinese(
    ledger: RankingLedger, staff: dict[str, Any], change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.ranking_method_set(actor=staff["officehead"], weights=dict(weights_in_force(), **change))
    assert message in "".join(exc.value.messages)
    assert not AuditEvent.objects.filter(verb="ranking.method_set").exists()


def test_all_zero_weights_are_refused(ledger: RankingLedger, staff: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="至少要有一项指标的权重大于 0"):
        services.ranking_method_set(actor=staff["officehead"], weights=dict.fromkeys(weights_in_force(), 0))


def test_only_the_office_head_sets_weights(ledger: RankingLedger, staff: dict[str, Any]) -> None:
    for name in ("clerk", "director", "staff"):
        with pytest.raises(PermissionDenied):
            services.ranking_method_set(actor=staff[name], weights=weights_in_force())


def _queries(q: Quarter) -> int:
    with CaptureQueriesContext(connection) as ctx:
        compute_ranking(q, today=TODAY)
    return len(ctx.captured_queries)


def test_ranking_query_count_does_not_grow_with_volume(ledger: RankingLedger) -> None:
    q = Quarter(*Q2_2025)
    fill(ledger, 1)
    compute_ranking(q, today=TODAY)  # the calendar cache
    small = _queries(q)
    fill(ledger, 12)
    assert _queries(q) == small
    assert small <= 11  # one GROUP BY per indicator family, the calendar, the departments
