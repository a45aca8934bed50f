"""A16: Table 三 recomputed from the case records equals the report (statute.md §5.3).

Only a case ledger can recompute Table 三, so the rule runs when ``check_report`` is given the ledger's
table (``ledger_requests``): gongkai's reporting app passes it for a submitted or published report, whose
frozen Table 三 drifts from the cases when one is corrected afterwards. A published report audited
without its ledger has no A16.
"""

from __future__ import annotations

from gongkai.annual_report.model import TableData

from .base import ERROR, Cells, Finding


def check_reconciliation(cells: Cells, ledger_requests: TableData | None) -> list[Finding]:
    if ledger_requests is None:
        return []
    fmt, requests = cells.fmt, cells.report.requests
    out = []
    for row in fmt.request_rows:
        for col in fmt.request_columns:
            expected = ledger_requests.get(row.key, {}).get(col.key)
            actual = requests.get(row.key, {}).get(col.key)
            if actual == expected:
                continue
            shown = actual if actual is not None else "空白"
            out.append(
                cells.finding(
                    "A16",
                    ERROR,
                    "requests",
                    row.key,
                    col.key,
                    expected,
                    actual,
                    f"{cells.name('requests', row.key, col.key)}：报告为 {shown}，按案件记录重新计算为 {expected}",
                )
            )
    return out
