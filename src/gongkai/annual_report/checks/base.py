"""What every rule shares: the ``Finding`` value, cell naming and reading cells as numbers.

A finding names one cell (or section) of the statutory format by its canonical keys *and* by the
exact statutory labels, so a CLI, the web UI and a JSON consumer can all point at the same place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongkai.annual_report.formats import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    LITIGATION_GROUPS,
    LITIGATION_HEADER,
    RESULTS_HEADER,
    SECTIONS,
    ReportFormat,
)
from gongkai.annual_report.model import AnnualReport, schema_for

ERROR = "error"
WARNING = "warning"
INFO = "info"

TABLE_NAMES = {"proactive": "表二", "requests": "表三", "appeals": "表四"}
_TABLE_ORDER = {"": 0, "sections": 1, "proactive": 2, "requests": 3, "appeals": 4}


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
    if value.__class__ is int or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return None


class _FormatLabels:
    """Everything about one format's cells that does not depend on the report: labels, the names
    messages use, positions for sorting, table schemas. Built once per format (the text audit must
    manage ≥ 500 reports/s per core; rebuilding these per report was a good part of the checks' time)."""

    def __init__(self, fmt: ReportFormat) -> None:
        self.rows: dict[str, dict[str, tuple[str, str]]] = {"proactive": {}, "requests": {}, "appeals": {}}
        self.columns: dict[str, dict[str, dict[str, str]]] = {"proactive": {}, "requests": {}, "appeals": {}}
        self.order: dict[str, dict[str, int]] = {"proactive": {}, "requests": {}, "appeals": {}}
        self.col_order: dict[str, dict[str, int]] = {"proactive": {}, "requests": {}, "appeals": {}}
        for block in fmt.proactive:
            for row in block.rows:
                self.rows["proactive"][row.key] = (
                    row.label,
                    block.caption + (f"·{row.group}" if row.group else ""),
                )
                self.columns["proactive"][row.key] = {c.key: c.label for c in block.columns}
                self.order["proactive"][row.key] = len(self.order["proactive"])
            for i, col in enumerate(block.columns):
                self.col_order["proactive"].setdefault(col.key, i)
        for i, row in enumerate(fmt.request_rows):
            group = "" if row.group in ("", RESULTS_HEADER) else row.group
            self.rows["requests"][row.key] = (row.label, group)
            self.columns["requests"][row.key] = {c.key: c.label for c in fmt.request_columns}
            self.order["requests"][row.key] = i
        self.col_order["requests"] = {c.key: i for i, c in enumerate(fmt.request_columns)}
        for i, group_col in enumerate(APPEAL_GROUPS):
            prefix = LITIGATION_HEADER if group_col.key in LITIGATION_GROUPS else ""
            self.rows["appeals"][group_col.key] = (group_col.label, prefix)
            self.columns["appeals"][group_col.key] = {c.key: c.label for c in APPEAL_COLUMNS}
            self.order["appeals"][group_col.key] = i
        self.col_order["appeals"] = {c.key: i for i, c in enumerate(APPEAL_COLUMNS)}
        self.sections = {s.key: s.heading for s in SECTIONS}
        self.section_order = {s.key: i for i, s in enumerate(SECTIONS)}
        # Memoised per format: (table, row, column) → name / row label / column label.
        self.names: dict[tuple[str, str, str], str] = {}
        self.row_labels: dict[tuple[str, str], str] = {}
        self.column_labels: dict[tuple[str, str, str], str] = {}
        self.sort_keys: dict[tuple[str, str, str, str], tuple[int, int, int, int]] = {}
        # A11's blank / unreadable findings: (table, row, column, unreadable) → finding.
        self.cell_findings: dict[tuple[str, str, str, bool], Finding] = {}
        # Other report-independent values a rule derives from the format, keyed by the rule.
        self.memo: dict[object, Any] = {}
        # Report-independent data other rules read per report.
        self.schemas = {table: schema_for(fmt, table) for table in ("proactive", "requests", "appeals")}
        self.outcome_leaf_keys = tuple(r.key for r in fmt.outcome_leaves)
        self.signed_rows = frozenset(
            (table, row)
            for table, schema in self.schemas.items()
            for row, kinds in schema.items()
            if "signed" in kinds.values()
        )
        self.sub_rows = {
            row.key: tuple(
                r.key for b in fmt.proactive for r in b.rows if r.optional and r.key.startswith(row.key + ".")
            )
            for block in fmt.proactive
            for row in block.rows
        }


_FORMAT_LABELS: dict[int, tuple[ReportFormat, _FormatLabels]] = {}


def format_labels(fmt: ReportFormat) -> _FormatLabels:
    """The cached ``_FormatLabels`` of ``fmt`` (by identity: formats are module constants)."""
    hit = _FORMAT_LABELS.get(id(fmt))
    if hit is not None and hit[0] is fmt:
        return hit[1]
    if len(_FORMAT_LABELS) > 32:  # formats built on the fly (tests) must not pile up
        _FORMAT_LABELS.clear()
    labels = _FormatLabels(fmt)
    _FORMAT_LABELS[id(fmt)] = (fmt, labels)
    return labels


_new = object.__new__


def _finding(
    rule: str,
    severity: str,
    table: str,
    row: str,
    column: str,
    row_label: str,
    column_label: str,
    expected: object,
    actual: object,
    message: str,
) -> Finding:
    """``Finding(...)``, built faster: a frozen dataclass's generated ``__init__`` sets every field
    through ``object.__setattr__``. Filling the instance dict builds an equal, equally hashable value."""
    finding = _new(Finding)
    finding.__dict__.update(
        rule=rule,
        severity=severity,
        table=table,
        row=row,
        column=column,
        row_label=row_label,
        column_label=column_label,
        expected=expected,
        actual=actual,
        message=message,
    )
    return finding


if hasattr(Finding, "__slots__"):  # a slotted Finding has no instance dict: use its own constructor
    _finding = Finding


class Cells:
    """Statutory labels of one format's cells, and findings built from them."""

    def __init__(self, report: AnnualReport, fmt: ReportFormat) -> None:
        self.report = report
        self.fmt = fmt
        labels = format_labels(fmt)
        self.labels = labels
        self._rows = labels.rows
        self._columns = labels.columns
        self._order = labels.order
        self._col_order = labels.col_order
        self._sections = labels.sections
        self._section_order = labels.section_order

    # -- labels -----------------------------------------------------------------------------------
    def row_label(self, table: str, row: str) -> str:
        try:
            return self.labels.row_labels[(table, row)]
        except KeyError:
            pass
        if table == "sections":
            label = self._sections.get(row, "")
        else:
            label = self._rows.get(table, {}).get(row, (row, ""))[0]
        self.labels.row_labels[(table, row)] = label
        return label

    def column_label(self, table: str, row: str, column: str) -> str:
        try:
            return self.labels.column_labels[(table, row, column)]
        except KeyError:
            pass
        label = self._column_label(table, row, column)
        self.labels.column_labels[(table, row, column)] = label
        return label

    def _column_label(self, table: str, row: str, column: str) -> str:
        labels = self._columns.get(table, {})
        if row in labels:
            return labels[row].get(column, column)
        for cols in labels.values():
            if column in cols:
                return cols[column]
        return column

    def name(self, table: str, row: str, column: str = "") -> str:
        """How a message names a cell: 表三（七）总计·自然人, 表四行政诉讼·复议后起诉·总计 …"""
        key = (table, row, column)
        try:
            return self.labels.names[key]
        except KeyError:
            pass
        if table == "sections":
            name = self._sections.get(row, row)
        else:
            label, prefix = self._rows.get(table, {}).get(row, (row, ""))
            parts = [p for p in (prefix, label) if p]
            if column:
                parts.append(self.column_label(table, row, column))
            name = TABLE_NAMES.get(table, "") + "·".join(parts)
        self.labels.names[key] = name
        return name

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
        return _finding(
            rule,
            severity,
            table,
            row,
            column,
            self.row_label(table, row) if row_label is None else row_label,
            (self.column_label(table, row, column) if column else "")
            if column_label is None
            else column_label,
            expected,
            actual,
            message,
        )

    # -- ordering ---------------------------------------------------------------------------------
    def sort_key(self, finding: Finding) -> tuple[int, int, int, int]:
        memo = (finding.rule, finding.table, finding.row, finding.column)
        try:
            return self.labels.sort_keys[memo]
        except KeyError:
            pass
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
        key = (rule_number, table_index, row_index, col_index)
        if len(self.labels.sort_keys) < 4096:  # rows and columns come from the format, rules are few
            self.labels.sort_keys[memo] = key
        return key
