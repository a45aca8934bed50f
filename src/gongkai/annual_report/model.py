"""The annual report as a value object, with its canonical JSON (DESIGN.md "Canonical keys").

Counts are ``int``, money (万元) is ``Decimal``, a cell the document leaves blank is ``None`` and a
cell nobody could read is simply absent from its row's dict. ``to_json``/``from_json`` round-trip
exactly; ``from_json`` refuses unknown tables, rows and columns with a message naming them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from gongkai.annual_report.formats import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    SECTION_KEYS,
    ReportFormat,
    UnknownFormat,
    get_format,
)

Cell = int | Decimal | None
TableData = dict[str, dict[str, Cell]]
TABLE_KEYS = ("proactive", "requests", "appeals")


class ReportDataError(ValueError):
    """Canonical JSON that does not describe an annual report; the message says what is wrong."""


AUDITED, PARTIAL, UNREADABLE = "audited", "partial", "unreadable"
READING_STATUS_LABELS = {AUDITED: "已完整读取", PARTIAL: "部分读取", UNREADABLE: "无法读取"}


@dataclass(frozen=True)
class Reading:
    """How much of a published document the reader placed with confidence ("reading is not judging").

    A rule may pass an error-level judgement only on what was read: ``unsure`` names the tables
    whose reading left something unplaced (a row it could not find or place, values it could not
    attribute), so a row missing from such a table is a gap in the reading, not in the report.
    Reports built from a ledger or from canonical JSON carry no reading: they were never read."""

    cells_expected: int
    cells_read: int
    unsure: frozenset[str] = frozenset()  # tables ("proactive", "requests", "appeals") read with gaps
    headings_found: int = 6

    @property
    def coverage(self) -> float:
        return self.cells_read / self.cells_expected if self.cells_expected else 1.0

    @property
    def status(self) -> str:
        if self.cells_read == 0:
            return UNREADABLE
        return AUDITED if self.cells_read >= self.cells_expected and not self.unsure else PARTIAL

    def sure_of(self, table: str) -> bool:
        return table not in self.unsure

    def to_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "coverage": round(self.coverage, 4),
            "cells_read": self.cells_read,
            "cells_expected": self.cells_expected,
            "unsure_tables": sorted(self.unsure),
        }


@dataclass
class AnnualReport:
    organisation: str
    year: int
    format: str
    variant: str = "national"
    published_on: dt.date | None = None
    # Section key -> body text. A section the document lacks is absent; "" is a present, empty one.
    sections: dict[str, str] = field(default_factory=dict)
    # The section headings in the order the document printed them (None: not recorded).
    headings: list[str] | None = None
    proactive: TableData = field(default_factory=dict)
    requests: TableData = field(default_factory=dict)
    appeals: TableData = field(default_factory=dict)
    # Where each cell was read from, keyed (table, row, column); parsers fill it. Not part of the
    # canonical JSON and not compared: two reports with equal figures are equal wherever they came from.
    provenance: dict[tuple[str, str, str], str] = field(default_factory=dict, compare=False, repr=False)
    # How much of the document the reader placed; None for a report that was not read from one.
    reading: Reading | None = field(default=None, compare=False, repr=False)

    @property
    def report_format(self) -> ReportFormat:
        return get_format(self.format, self.variant)

    def table(self, name: str) -> TableData:
        if name not in TABLE_KEYS:
            raise KeyError(name)
        data: TableData = getattr(self, name)
        return data

    def cell(self, table: str, row: str, column: str) -> Cell:
        """The value of one cell; ``None`` for blank *or* absent (use ``has_cell`` to tell)."""
        return self.table(table).get(row, {}).get(column)

    def has_cell(self, table: str, row: str, column: str) -> bool:
        return column in self.table(table).get(row, {})

    # -- canonical JSON ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "organisation": self.organisation,
            "year": self.year,
            "format": self.format,
            "variant": self.variant,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "sections": dict(self.sections),
        }
        if self.headings is not None:
            out["headings"] = list(self.headings)
        out["tables"] = {
            name: {row: {col: _cell_to_json(v) for col, v in cols.items()} for row, cols in table.items()}
            for name, table in ((n, self.table(n)) for n in TABLE_KEYS)
        }
        return out

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent) + "\n"

    @classmethod
    def from_dict(cls, data: Any) -> AnnualReport:
        if not isinstance(data, dict):
            raise ReportDataError("年度报告 JSON 的顶层必须是对象")
        unknown = set(data) - {
            "organisation",
            "year",
            "format",
            "variant",
            "published_on",
            "sections",
            "headings",
            "tables",
        }
        if unknown:
            raise ReportDataError(f"未知的顶层字段：{', '.join(sorted(unknown))}")
        for key in ("organisation", "year", "format", "tables"):
            if key not in data:
                raise ReportDataError(f"缺少字段 {key}")
        organisation = data["organisation"]
        if not isinstance(organisation, str) or not organisation.strip():
            raise ReportDataError("organisation 必须是非空字符串")
        year = data["year"]
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 < year < 2200:
            raise ReportDataError(f"year 不是有效年份：{year!r}")
        fmt_id = str(data["format"])
        variant = str(data.get("variant") or "national")
        try:
            fmt = get_format(fmt_id, variant)
        except UnknownFormat as exc:
            raise ReportDataError(str(exc)) from None
        published_on = _parse_date(data.get("published_on"))
        sections = data.get("sections") or {}
        if not isinstance(sections, dict):
            raise ReportDataError("sections 必须是对象")
        for key, text in sections.items():
            if key not in SECTION_KEYS:
                raise ReportDataError(f"未知的章节 {key}（应为 {', '.join(SECTION_KEYS)} 之一）")
            if not isinstance(text, str):
                raise ReportDataError(f"章节 {key} 的内容必须是字符串")
        headings = data.get("headings")
        if headings is not None and (
            not isinstance(headings, list) or not all(isinstance(h, str) for h in headings)
        ):
            raise ReportDataError("headings 必须是字符串数组")
        tables = data["tables"]
        if not isinstance(tables, dict):
            raise ReportDataError("tables 必须是对象")
        unknown_tables = set(tables) - set(TABLE_KEYS)
        if unknown_tables:
            raise ReportDataError(f"未知的表：{', '.join(sorted(unknown_tables))}")
        return cls(
            organisation=organisation,
            year=year,
            format=fmt_id,
            variant=variant,
            published_on=published_on,
            sections=dict(sections),
            headings=list(headings) if headings is not None else None,
            proactive=_read_table("proactive", tables.get("proactive", {}), _proactive_schema(fmt)),
            requests=_read_table("requests", tables.get("requests", {}), _requests_schema(fmt)),
            appeals=_read_table("appeals", tables.get("appeals", {}), _appeals_schema()),
        )

    @classmethod
    def from_json(cls, text: str) -> AnnualReport:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReportDataError(
                f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}"
            ) from None
        return cls.from_dict(data)


# -- schema of each table: row key -> {column key: kind} -------------------------------------------


def _proactive_schema(fmt: ReportFormat) -> dict[str, dict[str, str]]:
    return {row.key: {c.key: c.kind for c in block.columns} for block in fmt.proactive for row in block.rows}


# A 2021 report that printed （六）其他处理 as one row (the 2019 habit) is read with that group total
# under the 2019 key, so its figures survive a JSON round trip; no rule requires the row.
GROUP_TOTAL_ROWS = ("other",)


def _requests_schema(fmt: ReportFormat) -> dict[str, dict[str, str]]:
    columns: dict[str, str] = {c.key: c.kind for c in fmt.request_columns}
    schema = {row.key: dict(columns) for row in fmt.request_rows}
    for key in GROUP_TOTAL_ROWS:
        schema.setdefault(key, dict(columns))
    return schema


def _appeals_schema() -> dict[str, dict[str, str]]:
    return {g.key: {c.key: c.kind for c in APPEAL_COLUMNS} for g in APPEAL_GROUPS}


def schema_for(fmt: ReportFormat, table: str) -> dict[str, dict[str, str]]:
    """Row key -> column key -> cell kind ("count", "signed" or "money") for one table."""
    if table == "proactive":
        return _proactive_schema(fmt)
    if table == "requests":
        return _requests_schema(fmt)
    if table == "appeals":
        return _appeals_schema()
    raise KeyError(table)


def _read_table(name: str, raw: Any, schema: dict[str, dict[str, str]]) -> TableData:
    if not isinstance(raw, dict):
        raise ReportDataError(f"表 {name} 必须是对象")
    out: TableData = {}
    for row_key, cols in raw.items():
        if row_key not in schema:
            raise ReportDataError(f"表 {name} 中有未知的行 {row_key}")
        if not isinstance(cols, dict):
            raise ReportDataError(f"表 {name} 行 {row_key} 必须是对象")
        row: dict[str, Cell] = {}
        for col_key, value in cols.items():
            kind = schema[row_key].get(col_key)
            if kind is None:
                raise ReportDataError(f"表 {name} 行 {row_key} 中有未知的列 {col_key}")
            row[col_key] = _cell_from_json(value, kind, f"{name}.{row_key}.{col_key}")
        out[row_key] = row
    return out


def _cell_from_json(value: Any, kind: str, where: str) -> Cell:
    if value is None:
        return None
    if kind == "money":
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ReportDataError(f'{where}：金额必须写成十进制字符串，例如 "184.8083"')
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ReportDataError(f"{where}：{value!r} 不是金额") from None
        if not amount.is_finite():
            raise ReportDataError(f"{where}：{value!r} 不是金额")
        return amount
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReportDataError(f"{where}：{value!r} 不是整数")
    return value


def _cell_to_json(value: Cell) -> int | str | None:
    if isinstance(value, Decimal):
        return str(value)
    return value


def _parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ReportDataError(f"published_on 必须是 YYYY-MM-DD 字符串：{value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ReportDataError(f"published_on 不是有效日期：{value!r}") from None
