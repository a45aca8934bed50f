"""What every rule shares: the ``Finding`` value, cell naming and reading cells as numbers.

A finding names one cell (or section) of the statutory format by its canonical keys *and* by the
exact statutory labels, so a CLI, the web UI and a JSON consumer can all point at the same place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from gongkai.annual_report.formats import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    LITIGATION_HEADER,
    RESULTS_HEADER,
    SECTIONS,
    ReportFormat,
)
from gongkai.annual_report.model import AnnualReport

ERROR = "error"
WARNING = "warning"
INFO = "info"

TABLE_NAMES = {"proactive": "表二", "requests": "表三", "appeals": "表四"}
_TABLE_ORDER = {"": 0, "sections": 1, "proactive": 2, "requests": 3, "appeals": 4}
_LITIGATION_GROUPS = frozenset({"litigation_direct", "litigation_after_review"})


@dataclass(frozen=True)
class Finding:
    rule: str  # "A1".."A14", the stable ids of statute.md §5.3
    severity: str  # "error" | "warning" | "info"
    table: str  # "requests" | "proactive" | "appeals" | "sections" | ""
    row: str  # canonical row key, section key, or ""
    column: str  # canonical column key or ""
    row_label: str
    column_label: str
    expected: object
    actual: object
    message: str  # Chinese, names the cell

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "row_label": self.row_label,
            "column_label": self.column_label,
            "expected": _json_safe(self.expected),
            "actual": _json_safe(self.actual),
            "message": self.message,
        }


def _json_safe(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def as_int(value: object) -> int | None:
    """A count cell as an int; ``None`` for a blank, an absent cell or anything that is not a count."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


class Cells:
    """Statutory labels of one format's cells, and findings built from them."""

    def __init__(self, report: AnnualReport, fmt: ReportFormat) -> None:
        self.report = report
        self.fmt = fmt
        self._rows: dict[str, dict[str, tuple[str, str]]] = {"proactive": {}, "requests": {}, "appeals": {}}
        self._columns: dict[str, dict[str, dict[str, str]]] = {"proactive": {}, "requests": {}, "appeals": {}}
        self._order: dict[str, dict[str, int]] = {"proactive": {}, "requests": {}, "appeals": {}}
        self._col_order: dict[str, dict[str, int]] = {"proactive": {}, "requests": {}, "appeals": {}}
        for block in fmt.proactive:
            for row in block.rows:
                self._rows["proactive"][row.key] = (
                    row.label,
                    block.caption + (f"·{row.group}" if row.group else ""),
                )
                self._columns["proactive"][row.key] = {c.key: c.label for c in block.columns}
                self._order["proactive"][row.key] = len(self._order["proactive"])
            for i, col in enumerate(block.columns):
                self._col_order["proactive"].setdefault(col.key, i)
        for i, row in enumerate(fmt.request_rows):
            group = "" if row.group in ("", RESULTS_HEADER) else row.group
            self._rows["requests"][row.key] = (row.label, group)
            self._columns["requests"][row.key] = {c.key: c.label for c in fmt.request_columns}
            self._order["requests"][row.key] = i
        self._col_order["requests"] = {c.key: i for i, c in enumerate(fmt.request_columns)}
        for i, group_col in enumerate(APPEAL_GROUPS):
            prefix = LITIGATION_HEADER if group_col.key in _LITIGATION_GROUPS else ""
            self._rows["appeals"][group_col.key] = (group_col.label, prefix)
            self._columns["appeals"][group_col.key] = {c.key: c.label for c in APPEAL_COLUMNS}
            self._order["appeals"][group_col.key] = i
        self._col_order["appeals"] = {c.key: i for i, c in enumerate(APPEAL_COLUMNS)}
        self._sections = {s.key: s.heading for s in SECTIONS}
        self._section_order = {s.key: i for i, s in enumerate(SECTIONS)}

    # -- labels -----------------------------------------------------------------------------------
    def row_label(self, table: str, row: str) -> str:
        if table == "sections":
            return self._sections.get(row, "")
        return self._rows.get(table, {}).get(row, (row, ""))[0]

    def column_label(self, table: str, row: str, column: str) -> str:
        labels = self._columns.get(table, {})
        if row in labels:
            return labels[row].get(column, column)
        for cols in labels.values():
            if column in cols:
                return cols[column]
        return column

    def name(self, table: str, row: str, column: str = "") -> str:
        """How a message names a cell: 表三（七）总计·自然人, 表四行政诉讼·复议后起诉·总计 …"""
        if table == "sections":
            return self._sections.get(row, row)
        label, prefix = self._rows.get(table, {}).get(row, (row, ""))
        parts = [p for p in (prefix, label) if p]
        if column:
            parts.append(self.column_label(table, row, column))
        return TABLE_NAMES.get(table, "") + "·".join(parts)

    def finding(
        self,
        rule: str,
        severity: str,
        table: str,
        row: str,
        column: str,
        expected: object,
        actual: object,
        message: str,
        *,
        row_label: str | None = None,
        column_label: str | None = None,
    ) -> Finding:
        return Finding(
            rule=rule,
            severity=severity,
            table=table,
            row=row,
            column=column,
            row_label=self.row_label(table, row) if row_label is None else row_label,
            column_label=(self.column_label(table, row, column) if column else "")
            if column_label is None
            else column_label,
            expected=expected,
            actual=actual,
            message=message,
        )

    # -- ordering ---------------------------------------------------------------------------------
    def sort_key(self, finding: Finding) -> tuple[int, int, int, int]:
        rule_number = int(finding.rule[1:]) if finding.rule[1:].isdigit() else 999
        table_index = _TABLE_ORDER.get(finding.table, 9)
        if finding.table == "sections":
            row_index = self._section_order.get(finding.row, 99)
            col_index = 0
        else:
            row_index = self._order.get(finding.table, {}).get(finding.row, -1 if not finding.row else 999)
            col_index = self._col_order.get(finding.table, {}).get(
                finding.column, -1 if not finding.column else 99
            )
        return (rule_number, table_index, row_index, col_index)
