"""Table 四: the three groups of five results, printed vertically or in one horizontal row."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.annual_report.formats import (
    APPEAL_GROUPS,
    LITIGATION_GROUPS,
    ReportFormat,
)
from gongkai.annual_report.model import Cell
from gongkai.annual_report.parsing.assemble.document import DocLine
from gongkai.annual_report.parsing.assemble.placing import TableResult, add_note, cell_value, columns_for
from gongkai.annual_report.parsing.assemble.rows import Placed, Row, exploded_tokens
from gongkai.annual_report.parsing.labels import (
    matcher,
    normalize,
    read_value,
)


@lru_cache(maxsize=4096)
def appeal_group(text: str) -> str:
    """The Table 四 group a label names: "行政诉讼（复议后起诉）", "未经复议直接起诉", "行政复议 / 结果维持"."""
    norm = normalize(text)
    for group in _LITIGATION:  # named anywhere in the label
        if any(word in norm for word in (group.label, *group.aliases)):
            return group.key
    for group in _OTHER_GROUPS:  # named at its start ("行政复议 / 结果维持")
        if norm.startswith(group.label):
            return group.key
    return ""


_LITIGATION = tuple(g for g in APPEAL_GROUPS if g.key in LITIGATION_GROUPS)
_OTHER_GROUPS = tuple(g for g in APPEAL_GROUPS if g.key not in LITIGATION_GROUPS)


def _read_by_result(lines: list[DocLine], fmt: ReportFormat, result: TableResult) -> set[int] | None:
    """Table 四 printed transposed: one row per result (结果维持 … 总计), one column per group. The
    groups' order is the order their headers were printed in; the statutory order when they were not.
    A result's figures are the values after its label, on its line or (a table flattened one cell
    per line) on the lines after it. None when the table is not printed so (fewer than four result
    rows of three figures each)."""
    results = {normalize(c.label): c for c in fmt.appeal_columns}
    rows: dict[str, list[Placed]] = {}
    header_order: list[str] = []
    used: set[int] = set()
    current: str | None = None
    for d in lines:
        tokens = exploded_tokens(d.line) if any(" " in t.text for t in d.line.tokens) else d.line.tokens
        for token in tokens:
            value = read_value(token.text, token.cell)
            if value is not None:
                if current is not None and not (value.kind == "blank" and not rows[current]):
                    rows[current].append(Placed(token, value, d))
                    used.add(d.index)
                continue
            text = token.text.strip()
            if not text:
                continue
            group = appeal_group(text)
            if group and group not in header_order:
                header_order.append(group)
            column = results.get(normalize(text))
            current = column.key if column is not None and column.key not in rows else None
            if current is not None:
                rows[current] = []
    width = len(APPEAL_GROUPS)
    figures: dict[str, list[Placed]] = {}
    for key, values in rows.items():
        three = _three(values, width)
        if three is not None:
            figures[key] = three
    if len(figures) < len(fmt.appeal_columns) - 1:
        return None
    groups = [g.key for g in APPEAL_GROUPS]
    order = header_order if sorted(header_order) == sorted(groups) else groups
    for i, group in enumerate(order):
        label = next(x.label for x in APPEAL_GROUPS if x.key == group)
        cells: dict[str, Cell] = {}
        for column in fmt.appeal_columns:
            if column.key not in figures:
                continue
            placed = figures[column.key][i]
            spec = (column.key, column.label, column.kind)
            readable, cell = cell_value(placed, column.kind, "appeals", group, spec, result, label)
            if readable:
                cells[column.key] = cell
                result.provenance[("appeals", group, column.key)] = placed.token.where or placed.line.where
        result.data[group] = {c.key: cells[c.key] for c in fmt.appeal_columns if c.key in cells}
    missing = [c.label for c in fmt.appeal_columns if c.key not in figures]
    if missing:
        add_note(result, "row_missing", f"表四缺少“{'、'.join(missing)}”行", table="appeals")
    return used


def _three(values: list[Placed], width: int) -> list[Placed] | None:
    """A transposed row's figure for each group: all its cells when it has one per group (blanks
    included), else its non-blank ones when those are one per group; None otherwise."""
    if len(values) == width:
        return values
    filled = [p for p in values if p.value.kind != "blank"]
    return filled if len(filled) == width else None


@dataclass
class _Runs:
    """Table 四's figures as runs, each under the group label printed before it."""

    runs: list[tuple[str, list[Placed]]] = field(default_factory=list)
    header_order: list[str] = field(default_factory=list)  # groups in the order their headers were printed
    # 结果维持 … printed between one group's figures: a layout not read here. (A group's own
    # sub-table repeats them after the previous group's figures, under its own group label.)
    labels_after_figures: bool = False
    table_lines: set[int] = field(default_factory=set)


def _group_runs(lines: list[DocLine], fmt: ReportFormat) -> _Runs:
    labels = matcher("appeals", fmt.id)
    result_labels = {normalize(c.label) for c in fmt.appeal_columns}
    out = _Runs()
    group = ""
    fresh = True
    figures_since_group = False
    for d in lines:
        tokens = exploded_tokens(d.line) if any(" " in t.text for t in d.line.tokens) else d.line.tokens
        # Blank cells on a row of cells with no figure are the empty cells of a multi-level header
        # (a lone blank cell of a table flattened one cell per line may be a figure left blank).
        header_line = len(tokens) > 1 and not any(
            (v := read_value(t.text, t.cell)) is not None and v.kind != "blank" for t in tokens
        )
        for token in tokens:
            value = read_value(token.text, token.cell)
            if value is not None:
                if header_line:
                    continue
                if fresh or not out.runs:
                    out.runs.append((group, []))
                    fresh = False
                out.runs[-1][1].append(Placed(token, value, d))
                figures_since_group = True
                out.table_lines.add(d.index)
                continue
            text = token.text.strip()
            if not text:
                continue
            if figures_since_group and normalize(text) in result_labels:
                out.labels_after_figures = True
            found = appeal_group(text)
            if found:
                figures_since_group = False
                if found not in out.header_order:
                    out.header_order.append(found)
                group, fresh = found, True
                out.table_lines.add(d.index)
            elif labels.match(text) is not None or len(text) - text.count(" ") <= 12:
                out.table_lines.add(d.index)
    return out


def _assign(found: _Runs, width: int, result: TableResult) -> dict[str, list[Placed]] | None:
    """Each group's figures: under its own label (a row or sub-table per group, in any order), or
    one row of all three left to right in the order the headers were printed (the statutory order
    when they were not all printed). None, with a note, when the figures cannot be told apart."""
    groups = [g.key for g in APPEAL_GROUPS]
    everything = [p for _, run in found.runs for p in run]
    where = everything[0].line.where
    if found.labels_after_figures:
        add_note(
            result,
            "table_unreadable",
            "表四的结果名称（结果维持等）印在数值之间，无法判断各数值属于哪一组、哪一项，未采用",
            where,
            "appeals",
        )
        return None
    runs = found.runs
    labelled = all(g for g, _ in runs) and len({g for g, _ in runs}) == len(runs)
    if labelled and (len(runs) > 1 or len(everything) != width * len(groups)):
        return {g: run for g, run in runs}
    order = found.header_order if sorted(found.header_order) == sorted(groups) else groups
    numbers = [p for p in everything if p.value.kind == "number"]
    for figures in (everything, numbers):
        if len(figures) == width * len(groups):
            return {g: figures[i * width : (i + 1) * width] for i, g in enumerate(order)}
    add_note(
        result,
        "table_unreadable",
        f"表四应有 {width * len(groups)} 个数值，读到 {len(everything)} 个，无法确定对应关系，未采用",
        where,
        "appeals",
    )
    return None


def read_appeals(
    doc: list[DocLine], region: tuple[int, int], fmt: ReportFormat
) -> tuple[TableResult, set[int]]:
    lines = doc[region[0] : region[1]]
    found = _group_runs(lines, fmt)
    result = TableResult()
    by_result = _read_by_result(lines, fmt, result)
    if by_result is not None:
        return result, found.table_lines | by_result
    cols = [(c.key, c.label, c.kind) for c in fmt.appeal_columns]
    if not any(run for _, run in found.runs):
        return result, found.table_lines
    assignment = _assign(found, len(cols), result)
    if assignment is None:
        return result, found.table_lines
    for group in APPEAL_GROUPS:
        run = assignment.get(group.key)
        if run is None:
            add_note(result, "row_missing", f"表四缺少“{group.label}”的数值", table="appeals", row=group.key)
            continue
        row = Row(group.key, group.label, run[0].line, None, values=run)
        pairs = columns_for(row, cols, [], "appeals", result, group.label) or []
        cells: dict[str, Cell] = {}
        for j, placed in pairs:
            readable, cell = cell_value(
                placed, cols[j][2], "appeals", group.key, cols[j], result, group.label
            )
            if readable:
                cells[cols[j][0]] = cell
                result.provenance[("appeals", group.key, cols[j][0])] = (
                    placed.token.where or placed.line.where
                )
        result.data[group.key] = {c[0]: cells[c[0]] for c in cols if c[0] in cells}
    return result, found.table_lines
