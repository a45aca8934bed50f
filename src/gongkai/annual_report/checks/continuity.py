"""A5 and A6: figures that must carry over from last year's report, and Table 二's own arithmetic.

These are warnings, not errors: amendments, re-counting and corrections of last year's report make
a break in continuity possible even in a correct report, but it always deserves a look.
"""

from __future__ import annotations

from gongkai.annual_report.model import AnnualReport

from .base import WARNING, Cells, Finding, as_int


def check_carry_over(cells: Cells, previous: AnnualReport) -> list[Finding]:
    """A5: this year's 二、上年结转 equals last year's 四、结转下年度, per column."""
    findings = []
    for col in cells.fmt.request_columns:
        now = as_int(cells.report.requests.get("carried_over", {}).get(col.key))
        before = as_int(previous.requests.get("carried_forward", {}).get(col.key))
        if now is None or before is None or now == before:
            continue
        findings.append(
            cells.finding(
                "A5",
                WARNING,
                "requests",
                "carried_over",
                col.key,
                before,
                now,
                f"{cells.name('requests', 'carried_over', col.key)}：上年度报告结转下年度继续办理 {before} 件，"
                f"本年度报告上年结转 {now} 件",
            )
        )
    return findings


def _proactive(report: AnnualReport, row: str, column: str) -> int | None:
    return as_int(report.proactive.get(row, {}).get(column))


def check_proactive(cells: Cells, previous: AnnualReport | None) -> list[Finding]:
    """A6: Table 二 — 2021: 现行有效件数 continuity; 2019: 新公开 ≤ 总数 and 上一年项目数量 continuity."""
    if cells.fmt.id == "2021":
        return _check_in_force(cells, previous) if previous is not None else []
    findings = _check_published_within_total(cells)
    if previous is not None and previous.format == "2019":
        findings += _check_previous_items(cells, previous)
    return findings


def _check_in_force(cells: Cells, previous: AnnualReport) -> list[Finding]:
    if previous.format != "2021":
        # 2019's 对外公开总数量 counts what was ever published, not what is in force: not comparable.
        return []
    findings = []
    for block in cells.fmt.proactive:
        columns = {c.key for c in block.columns}
        if not {"issued", "repealed", "in_force"} <= columns:
            continue
        for row in block.rows:
            issued = _proactive(cells.report, row.key, "issued")
            repealed = _proactive(cells.report, row.key, "repealed")
            in_force = _proactive(cells.report, row.key, "in_force")
            before = _proactive(previous, row.key, "in_force")
            if issued is None or repealed is None or in_force is None or before is None:
                continue
            expected = before + issued - repealed
            if expected == in_force:
                continue
            findings.append(
                cells.finding(
                    "A6",
                    WARNING,
                    "proactive",
                    row.key,
                    "in_force",
                    expected,
                    in_force,
                    f"{cells.name('proactive', row.key, 'in_force')}：上年现行有效 {before} 件，加本年制发 "
                    f"{issued} 件、减本年废止 {repealed} 件应为 {expected} 件，报告为 {in_force} 件",
                )
            )
    return findings


def _check_published_within_total(cells: Cells) -> list[Finding]:
    findings = []
    for block in cells.fmt.proactive:
        if not {"published", "total"} <= {c.key for c in block.columns}:
            continue
        for row in block.rows:
            published = _proactive(cells.report, row.key, "published")
            total = _proactive(cells.report, row.key, "total")
            if published is None or total is None or published <= total:
                continue
            findings.append(
                cells.finding(
                    "A6",
                    WARNING,
                    "proactive",
                    row.key,
                    "total",
                    published,
                    total,
                    f"{cells.name('proactive', row.key, 'total')}：对外公开总数量 {total} 小于本年新公开数量 "
                    f"{published}",
                )
            )
    return findings


def _check_previous_items(cells: Cells, previous: AnnualReport) -> list[Finding]:
    findings = []
    for block in cells.fmt.proactive:
        if not {"previous", "change"} <= {c.key for c in block.columns}:
            continue
        for row in block.rows:
            now = _proactive(cells.report, row.key, "previous")
            before = _proactive(previous, row.key, "previous")
            change = _proactive(previous, row.key, "change")
            if now is None or before is None or change is None or before + change == now:
                continue
            findings.append(
                cells.finding(
                    "A6",
                    WARNING,
                    "proactive",
                    row.key,
                    "previous",
                    before + change,
                    now,
                    f"{cells.name('proactive', row.key, 'previous')}：上年度报告上一年项目数量 {before}、"
                    f"本年增/减 {change}，本年应为 {before + change}，报告为 {now}",
                )
            )
    return findings
