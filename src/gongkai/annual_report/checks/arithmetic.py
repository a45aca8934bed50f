"""A1–A4: the arithmetic printed in (or implied by) Tables 三 and 四.

A blank cell is not a zero: any sum that involves a blank or unreadable cell is skipped here, and
A11 reports the blank instead. Where every number is present the arithmetic is always checked.
"""

from __future__ import annotations

from collections.abc import Mapping

from gongkai.annual_report.formats import APPEAL_GROUPS, APPEAL_OUTCOME_KEYS, APPLICANT_KEYS
from gongkai.annual_report.model import GROUP_TOTAL_ROWS, AnnualReport

from .base import ERROR, Cells, Finding, as_int

_BALANCE_ROWS = ("new_received", "carried_over", "total", "carried_forward")
_NO_ROW: dict[str, object] = {}


def _request(report: AnnualReport, row: str, column: str) -> int | None:
    return as_int(report.requests.get(row, _NO_ROW).get(column))


def _sum(values: list[int | None]) -> int | None:
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def _row_sum(cols: Mapping[str, object], keys: tuple[str, ...]) -> int | None:
    """The sum of ``cols[k]`` over ``keys`` when every one is a count, else None (a plain loop: this
    runs for every row and column of Table 三 of every report)."""
    total = 0
    for key in keys:
        value = cols.get(key)
        if value.__class__ is not int:
            value = as_int(value)
            if value is None:
                return None
        total += value
    return total


def _leaf_keys(cells: Cells) -> tuple[str, ...]:
    """The outcome rows whose sum is （七）总计: the format's leaves, except that a group the report
    printed as one total row (a 2021 report's single （六）其他处理) stands for its sub-rows."""
    keys = cells.labels.outcome_leaf_keys
    requests = cells.report.requests
    for group in GROUP_TOTAL_ROWS:
        if group in requests and group not in keys:
            members = {r.key for r in cells.fmt.group_rows(group)}
            if not any(k in requests for k in members):
                keys = (*(k for k in keys if k not in members), group)
    return keys


def _leaf_sum(cells: Cells, column: str) -> int | None:
    requests = cells.report.requests
    total = 0
    for key in _leaf_keys(cells):
        value = requests.get(key, _NO_ROW).get(column)
        if value.__class__ is not int:
            value = as_int(value)
            if value is None:
                return None
        total += value
    return total


def _cross_column_value(cells: Cells, row: str, column: str) -> int | None:
    """What the other columns of the same row say this cell should be."""
    report = cells.report
    if column == "total":
        return _sum([_request(report, row, c) for c in APPLICANT_KEYS])
    total = _request(report, row, "total")
    others = _sum([_request(report, row, c) for c in APPLICANT_KEYS if c != column])
    if total is None or others is None:
        return None
    return total - others


def _blame(
    cells: Cells, column: str, values: dict[str, int], previous: AnnualReport | None
) -> tuple[str, int]:
    """The balance row most plausibly wrong in ``column`` and the value that would restore 一+二=三（七）+四.

    A row is preferred when another, independent statement of the report corroborates a value for it
    that restores the balance: the leaf rows for （七）总计, last year's 结转 for 上年结转, the other
    columns of the same row. Without corroboration the derived row （七）总计 is blamed, unless the
    leaves confirm it, in which case 结转下年度 (usually computed as the remainder) is.
    """
    n, c, t, f = (values[k] for k in _BALANCE_ROWS)

    def restores(row: str, value: int) -> bool:
        trial = dict(values, **{row: value})
        return trial["new_received"] + trial["carried_over"] == trial["total"] + trial["carried_forward"]

    leaves = _leaf_sum(cells, column)
    if leaves is not None and leaves != t and restores("total", leaves):
        return "total", leaves
    if previous is not None:
        before = as_int(previous.requests.get("carried_forward", {}).get(column))
        if before is not None and before != c and restores("carried_over", before):
            return "carried_over", before
    for row in ("total", "carried_forward", "carried_over", "new_received"):
        alt = _cross_column_value(cells, row, column)
        if alt is not None and alt >= 0 and alt != values[row] and restores(row, alt):
            return row, alt
    total_confirmed = leaves is not None and leaves == t
    if not total_confirmed and n + c - f >= 0:
        return "total", n + c - f
    if n + c - t >= 0:
        return "carried_forward", n + c - t
    return "new_received", t + f - c


def check_balance(cells: Cells, previous: AnnualReport | None) -> list[Finding]:
    """A1: 一、本年新收 + 二、上年结转 == 三（七）总计 + 四、结转下年度, for every column."""
    findings = []
    requests = cells.report.requests
    balance_rows = [(row, requests.get(row, _NO_ROW)) for row in _BALANCE_ROWS]
    for col in cells.fmt.request_columns:
        values: dict[str, int] = {}
        for row, cols in balance_rows:
            value = as_int(cols.get(col.key))
            if value is None:
                break
            values[row] = value
        if len(values) != len(_BALANCE_ROWS):
            continue
        left = values["new_received"] + values["carried_over"]
        right = values["total"] + values["carried_forward"]
        if left == right:
            continue
        row, expected = _blame(cells, col.key, values, previous)
        findings.append(
            cells.finding(
                "A1",
                ERROR,
                "requests",
                row,
                col.key,
                expected,
                values[row],
                f"{cells.name('requests', row, col.key)}：按勾稽关系应为 {expected}，报告为 {values[row]}"
                f"（第一项加第二项之和为 {left}，第三项加第四项之和为 {right}）",
            )
        )
    return findings


def check_row_sums(cells: Cells) -> list[Finding]:
    """A2: every row's 总计 equals the sum of the six applicant columns."""
    findings = []
    requests = cells.report.requests
    for row in cells.fmt.request_rows:
        cols = requests.get(row.key, _NO_ROW)
        total = as_int(cols.get("total"))
        if total is None:
            continue
        parts = _row_sum(cols, APPLICANT_KEYS)
        if parts is None or total == parts:
            continue
        findings.append(
            cells.finding(
                "A2",
                ERROR,
                "requests",
                row.key,
                "total",
                parts,
                total,
                f"{cells.name('requests', row.key, 'total')}：六类申请人之和为 {parts}，报告为 {total}",
            )
        )
    return findings


def check_outcome_sum(cells: Cells) -> list[Finding]:
    """A3: （七）总计 equals the sum of the leaf outcome rows, for every column."""
    findings = []
    total_row = cells.report.requests.get("total", _NO_ROW)
    for col in cells.fmt.request_columns:
        total = as_int(total_row.get(col.key))
        if total is None:
            continue
        leaves = _leaf_sum(cells, col.key)
        if leaves is None or total == leaves:
            continue
        findings.append(
            cells.finding(
                "A3",
                ERROR,
                "requests",
                "total",
                col.key,
                leaves,
                total,
                f"{cells.name('requests', 'total', col.key)}：各项办理结果之和为 {leaves}，报告为 {total}",
            )
        )
    return findings


def check_appeal_sums(cells: Cells) -> list[Finding]:
    """A4: 总计 == 结果维持 + 结果纠正 + 其他结果 + 尚未审结, for 行政复议 and both 行政诉讼 groups."""
    findings = []
    for group in APPEAL_GROUPS:
        row = cells.report.appeals.get(group.key, {})
        total = as_int(row.get("total"))
        parts = _row_sum(row, APPEAL_OUTCOME_KEYS)
        if total is None or parts is None or total == parts:
            continue
        findings.append(
            cells.finding(
                "A4",
                ERROR,
                "appeals",
                group.key,
                "total",
                parts,
                total,
                f"{cells.name('appeals', group.key, 'total')}：结果维持、结果纠正、其他结果、尚未审结之和为 "
                f"{parts}，报告为 {total}",
            )
        )
    return findings
