"""Table 二 and Table 三: rows read, placed and checked for missing statutory rows."""

from __future__ import annotations

from functools import lru_cache

from gongkai.annual_report.formats import (
    ReportFormat,
)
from gongkai.annual_report.parsing.assemble.document import DocLine
from gongkai.annual_report.parsing.assemble.placing import TableResult, add_note, fill_rows, orphan_notes
from gongkai.annual_report.parsing.assemble.rows import Row, RowReader
from gongkai.annual_report.parsing.labels import (
    body_key,
    matcher,
)

# -- the three tables ----------------------------------------------------------------------------


Columns = list[tuple[str, str, str]]
Layout = tuple[dict[str, Columns], dict[str, str], dict[str, int], frozenset[str]]


@lru_cache(maxsize=32)
def table_layout(fmt: ReportFormat, table: str) -> Layout:
    """Columns ``(key, label, kind)`` and statutory label of each row of Table 二 or 三, how many
    values each row takes, and the column headers that also read as row labels. The same for every
    report of a format, so built once per format. Callers only read."""
    columns_of: dict[str, Columns] = {}
    labels_of: dict[str, str] = {}
    header_like: frozenset[str] = frozenset()
    if table == "proactive":
        for block in fmt.proactive:
            for statutory in block.rows:
                columns_of[statutory.key] = [(c.key, c.label, c.kind) for c in block.columns]
                labels_of[statutory.key] = statutory.label
    else:
        cols: Columns = [(c.key, c.label, c.kind) for c in fmt.request_columns]
        columns_of = {row.key: cols for row in fmt.request_rows}
        labels_of = {row.key: row.label for row in fmt.request_rows}
        header_like = frozenset(body_key(c.label) for c in fmt.request_columns)
    return columns_of, labels_of, {k: len(v) for k, v in columns_of.items()}, header_like


def read_proactive(
    doc: list[DocLine], region: tuple[int, int], fmt: ReportFormat
) -> tuple[TableResult, set[int]]:
    columns_of, labels_of, expected, _ = table_layout(fmt, "proactive")
    reader = RowReader("proactive", matcher("proactive", fmt.id), expected, 3)
    for d in doc[region[0] : region[1]]:
        reader.feed(d)
    rows = reader.finish()
    result = TableResult()
    fill_rows("proactive", rows, columns_of, labels_of, result)
    orphan_notes("proactive", reader.orphans, result)
    # A parent row printed only to hold sub-rows (其他对外管理服务事项 → 行政检查/行政确认) has no
    # values of its own; the sub-rows carry them.
    for key in list(result.data):
        if not result.data[key] and any(k.startswith(key + ".") and result.data.get(k) for k in result.data):
            del result.data[key]
    empty_parents = {
        r.key for r in rows if r.key and not r.values and any(k.startswith(f"{r.key}.") for k in result.data)
    }
    for row in rows:
        if (
            row.key in columns_of
            and not row.values
            and row.key not in result.data
            and row.key not in empty_parents
        ):
            if any(r.key == row.key and r.values for r in rows):
                continue
            add_note(
                result,
                "row_empty",
                f"{row.line.where}表二“{labels_of[row.key]}”行没有数值",
                row.line.where,
                "proactive",
                row.key,
            )
    if result.data:
        for block in fmt.proactive:
            for statutory in block.rows:
                key = statutory.key
                if statutory.optional or key in result.data or key in empty_parents:
                    continue
                if any(k.startswith(key + ".") for k in result.data) or any(r.key == key for r in rows):
                    continue
                add_note(
                    result,
                    "row_missing",
                    f"表二{block.caption}缺少“{statutory.label}”行",
                    table="proactive",
                    row=key,
                )
    return result, reader.table_lines


# A 2021 report that prints （六）其他处理 as one row (the 2019 habit) gives its group total under the
# 2019 row key; the checks use it in place of the three sub-rows it stands for.
GROUP_TOTAL_ROW = "other"


def _single_row_group(rows: list[Row], fmt: ReportFormat) -> Row | None:
    """The （六）其他处理 line of a 2021 report that carries numbers and has no sub-rows, made the
    group's total row; None when the report prints the sub-rows (or is a 2019 report)."""
    if any(r.key == GROUP_TOTAL_ROW for r in rows) or GROUP_TOTAL_ROW in {r.key for r in fmt.request_rows}:
        return None
    members = {r.key for r in fmt.group_rows(GROUP_TOTAL_ROW)}
    if any(r.key in members and r.values for r in rows):
        return None
    for row in rows:
        if (
            row.key is None
            and row.group == GROUP_TOTAL_ROW
            and any(p.value.kind == "number" for p in row.values)
        ):
            row.key = GROUP_TOTAL_ROW
            return row
    return None


def read_requests(
    doc: list[DocLine], region: tuple[int, int], fmt: ReportFormat
) -> tuple[TableResult, set[int]]:
    columns_of, labels_of, expected, header_like = table_layout(fmt, "requests")
    reader = RowReader(
        "requests", matcher("requests", fmt.id), expected, len(fmt.request_columns), header_like
    )
    for d in doc[region[0] : region[1]]:
        reader.feed(d)
    rows = reader.finish()
    result = TableResult()
    grouped = _single_row_group(rows, fmt)
    if grouped is not None:
        columns_of = {**columns_of, GROUP_TOTAL_ROW: columns_of["total"]}
        labels_of = {**labels_of, GROUP_TOTAL_ROW: grouped.printed}
    seen = fill_rows("requests", rows, columns_of, labels_of, result)
    orphan_notes("requests", reader.orphans, result)
    if grouped is not None and GROUP_TOTAL_ROW in result.data:
        add_note(
            result,
            "group_as_row",
            f"{grouped.line.where}“{grouped.printed}”印成了一行（2019 版写法），2021 版应分为 1—3 项；"
            "按该组合计读取，各项无法核对",
            grouped.line.where,
            "requests",
            GROUP_TOTAL_ROW,
        )
    if result.data:
        for row in fmt.request_rows:
            if row.key in result.data:
                continue
            if GROUP_TOTAL_ROW in result.data and row.group_key == GROUP_TOTAL_ROW:
                continue  # printed as the group's one row, noted above
            if row.key in seen:
                add_note(
                    result,
                    "row_empty",
                    f"表三“{row.label}”行没有数值",
                    table="requests",
                    row=row.key,
                )
            else:
                add_note(result, "row_missing", f"表三缺少“{row.label}”行", table="requests", row=row.key)
    return result, reader.table_lines
