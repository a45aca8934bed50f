"""A published quarter: the snapshot stored when the office head publishes, and what changed since."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from gongkai.ranking.indicators import INDICATORS
from gongkai.ranking.models import PublishedQuarter
from gongkai.ranking.queries import Quarter
from gongkai.ranking.records import record_ids
from gongkai.ranking.selectors import Ranking, Row, compute_ranking


def snapshot_of(ranking: Ranking, today: dt.date) -> dict[str, Any]:
    return {
        "weights": ranking.weights,
        "method": {i.code: i.method for i in INDICATORS},
        "computed_on": today.isoformat(),
        "rows": [asdict(r) for r in ranking.rows],
        "records": record_ids(ranking.quarter, today),
    }


def ranking_of(pq: PublishedQuarter) -> Ranking:
    """The published quarter as a Ranking, exactly as it was frozen."""
    rows = [Row(**r) for r in pq.snapshot["rows"]]
    return Ranking(Quarter(pq.year, pq.quarter), dict(pq.snapshot["weights"]), rows)


def changes_since(pq: PublishedQuarter, live: Ranking | None = None) -> list[str]:
    """What the records say now that differs from the frozen figures, one sentence per change."""
    frozen = ranking_of(pq)
    live = live or compute_ranking(frozen.quarter, weights=frozen.weights)
    now = {r.department_id: r for r in live.rows}
    out: list[str] = []
    for old in frozen.rows:
        new = now.get(old.department_id)
        if new is None:
            out.append(f"{old.department}：已停用，不再参加排名")
            continue
        for indicator in INDICATORS:  # the code's order: jsonb does not keep the stored one
            before, after = old.raw.get(indicator.code), new.raw.get(indicator.code)
            if before is not None and after != before:
                out.append(f"{old.department} · {indicator.label}：发布时 {before}，现在 {after}")
        if new.total != old.total:
            out.append(
                f"{old.department} · 总分：发布时 {_score(old.total)}，按现在的记录为 {_score(new.total)}"
            )
    frozen_ids = {r.department_id for r in frozen.rows}
    out.extend(f"{r.department}：发布后新增的科室" for r in live.rows if r.department_id not in frozen_ids)
    return out


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def frozen_ids(pq: PublishedQuarter, family: str, department_id: int) -> list[int]:
    return list(pq.snapshot.get("records", {}).get(family, {}).get(str(department_id), []))
