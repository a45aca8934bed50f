"""How much of a document was read: cells placed against cells the format expects, and which
tables the reader could not read without gaps ("reading is not judging", statute.md §5.3)."""

from __future__ import annotations

from gongkai.annual_report.formats import ReportFormat
from gongkai.annual_report.model import (
    GROUP_TOTAL_ROWS,
    TABLE_KEYS,
    AnnualReport,
    Reading,
    TableData,
    schema_for,
)
from gongkai.annual_report.parsing.assemble.document import TABLE_NAMES
from gongkai.annual_report.parsing.base import ParseNote

# Notes that say the reader saw something it could not place: a missing row in such a table may be
# on the page, so no rule may call it absent. (A row placed by position with a cell short,
# "cell_missing", lowers the coverage but leaves no row unaccounted for.)
GAP_NOTES = frozenset(
    {
        "cell_extra",
        "cell_unplaced",
        "row_duplicate",
        "row_format_mismatch",
        "table_cut",
        "table_missing",
        "table_unreadable",
        "value_orphan",
    }
)


def _rows(fmt: ReportFormat, table: str) -> list[str]:
    if table == "proactive":
        return fmt.proactive_row_keys(include_optional=False)
    if table == "requests":
        return [row.key for row in fmt.request_rows]
    return list(schema_for(fmt, table))


def _printed_columns(data: TableData, row: str, group: str = "") -> set[str]:
    """The columns read for ``row``: its own, or those of the rows printed in its place (a parent's
    sub-rows, or its group's one total row standing for the group's rows)."""
    if row in data:
        return set(data[row])
    if group in GROUP_TOTAL_ROWS and group in data:
        return set(data[group])
    subs = [cols for key, cols in data.items() if key.startswith(row + ".")]
    return set().union(*subs) if subs else set()


def cut_tables(
    regions: dict[str, tuple[int, int]],
    lines: int,
    title_line: int | None,
    report: AnnualReport,
    fmt: ReportFormat,
) -> list[ParseNote]:
    """Tables the document cuts off: one that runs to the end of the text without its last row, or
    one without its first row that the text reaches before any title (an extract, a page lost in
    conversion). Their missing rows are a gap in what was given to read, not rows the office left out."""
    notes = []
    for table, (start, end) in regions.items():
        rows = _rows(fmt, table)
        data = report.table(table)
        if not rows or not data:
            continue
        if end >= lines and not _printed_columns(data, rows[-1]):
            notes.append(
                ParseNote("table_cut", f"{TABLE_NAMES[table]}在文本末尾中断，其后各行未能读取", table=table)
            )
        elif (title_line is None or start <= title_line) and not _printed_columns(data, rows[0]):
            notes.append(
                ParseNote("table_cut", f"文本从{TABLE_NAMES[table]}中间开始，其前各行未能读取", table=table)
            )
    return notes


def reading_of(report: AnnualReport, fmt: ReportFormat, notes: list[ParseNote], headings: int) -> Reading:
    expected = read = 0
    for table in TABLE_KEYS:
        schema = schema_for(fmt, table)
        data = report.table(table)
        for row in _rows(fmt, table):
            columns = schema[row]
            expected += len(columns)
            group = fmt.request_row(row).group_key if table == "requests" else ""
            read += len(columns.keys() & _printed_columns(data, row, group))
    unsure = frozenset(n.table for n in notes if n.code in GAP_NOTES and n.table)
    return Reading(cells_expected=expected, cells_read=read, unsure=unsure, headings_found=headings)
