"""Placing a row's values into the statutory columns, with notes on what cannot be placed."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.annual_report.model import Cell, TableData
from gongkai.annual_report.parsing.assemble.document import SHORT_TABLE_NAMES
from gongkai.annual_report.parsing.assemble.rows import Placed, Row
from gongkai.annual_report.parsing.base import ParseNote, Token
from gongkai.annual_report.parsing.labels import Value

# -- placing values into columns ---------------------------------------------------------------


@dataclass
class TableResult:
    data: TableData = field(default_factory=dict)
    notes: list[ParseNote] = field(default_factory=list)
    provenance: dict[tuple[str, str, str], str] = field(default_factory=dict)


def add_note(
    result: TableResult,
    code: str,
    message: str,
    where: str = "",
    table: str = "",
    row: str = "",
    column: str = "",
    severity: str = "warning",
) -> None:
    result.notes.append(ParseNote(code, message, where, table, row, column, severity))  # type: ignore[arg-type]


def x_positions(values: list[Placed]) -> list[float] | None:
    xs = [p.token.x for p in values]
    if any(x is None for x in xs):
        return None
    return [float(x) for x in xs if x is not None]


def map_by_x(xs: list[float], reference: list[float]) -> list[int] | None:
    """Column index for each value by the nearest reference position; None when two values would
    share a column or the order would be broken (the positions do not line up)."""
    if len(reference) < 2:
        return None
    widest = max(b - a for a, b in itertools.pairwise(reference))
    out: list[int] = []
    for x in xs:
        j = min(range(len(reference)), key=lambda k: abs(reference[k] - x))
        if abs(reference[j] - x) > max(widest, 1.0):
            return None
        if out and j <= out[-1]:
            return None
        out.append(j)
    return out


def reference_positions(row: Row, complete: list[Row], n: int) -> list[float] | None:
    """Positions of the values of the nearest complete row with the same number of columns."""
    best: tuple[int, list[float]] | None = None
    for other in complete:
        if len(other.values) != n:
            continue
        xs = x_positions(other.values)
        if xs is None or xs != sorted(xs):
            continue
        distance = abs(other.line.index - row.line.index)
        if best is None or distance < best[0]:
            best = (distance, xs)
    return best[1] if best else None


def trim_blanks(values: list[Placed], n: int) -> list[Placed]:
    """Drop explicit blank cells at the ends of a row that has too many (empty merged cells)."""
    values = list(values)
    while len(values) > n and values and values[-1].value.kind == "blank":
        values.pop()
    while len(values) > n and values and values[0].value.kind == "blank":
        values.pop(0)
    return values


def columns_for(
    row: Row,
    columns: Sequence[tuple[str, str, str]],
    complete: list[Row],
    table: str,
    result: TableResult,
    label: str,
) -> list[tuple[int, Placed]] | None:
    """``(column index, value)`` pairs for a row, or None when its values cannot be placed."""
    n = len(columns)
    values = row.values
    # In text extracted from PDFs an empty cell is layout debris; only real cells keep blanks.
    if len(values) > n:
        values = trim_blanks(values, n)
    if len(values) > n:
        numbers = [p for p in values if p.value.kind != "blank" or not p.token.cell]
        if len(numbers) == n:
            values = numbers
    if len(values) == n:
        return list(enumerate(values))
    where = row.line.where
    if len(values) > n:
        add_note(
            result,
            "cell_extra",
            f"{SHORT_TABLE_NAMES[table]}“{label}”行有 {len(values)} 个数值，应有 {n} 个，无法确定对应的列，未采用",
            where,
            table,
            row.key or "",
        )
        return None
    xs = x_positions(values)
    placed: list[int] | None = None
    reference = reference_positions(row, complete, n)
    if xs is not None and reference is not None:
        placed = map_by_x(xs, reference)
    if placed is None and values and all(p.token.cell for p in values):
        placed = list(range(len(values)))
    if placed is None:
        add_note(
            result,
            "cell_unplaced",
            f"{SHORT_TABLE_NAMES[table]}“{label}”行只有 {len(values)} 个数值（应有 {n} 个），"
            "无法判断各数值所在的列，未采用",
            where,
            table,
            row.key or "",
        )
        return None
    pairs = list(zip(placed, values, strict=True))
    if reference is not None and xs is not None:
        pairs += _blank_by_position(row, reference, set(placed))
        placed = sorted(j for j, _ in pairs)
        pairs.sort(key=lambda pair: pair[0])
    present = set(placed)
    missing = [columns[j][1] for j in range(n) if j not in present]
    got = [columns[j][1] for j in placed]
    if missing:
        add_note(
            result,
            "cell_missing",
            f"{SHORT_TABLE_NAMES[table]}“{label}”行只有 {len(values)} 个数值（应有 {n} 个），"
            f"按位置对应到 {'、'.join(got) or '（无）'}；{'、'.join(missing)} 缺失",
            where,
            table,
            row.key or "",
        )
    return pairs


def _blank_by_position(row: Row, reference: list[float], placed: set[int]) -> list[tuple[int, Placed]]:
    """Columns of a positioned row (layout text, PDF) that nothing is printed under: blank cells,
    which such text shows only as space. A column whose position a label covers (a sub-row label
    pushed into the first value column) stays unread: what it held is not on the page."""
    if len(reference) < 2:
        return []
    tolerance = min(b - a for a, b in itertools.pairwise(reference)) / 2
    occupied = [t.x for t in row.line.line.tokens if t.x is not None and t.text.strip()]
    blanks = []
    for j, x in enumerate(reference):
        if j in placed or any(abs(x - o) < tolerance for o in occupied):
            continue
        token = Token("", row.line.where, x, cell=True)
        blanks.append((j, Placed(token, Value("blank"), row.line)))
    return blanks


def cell_value(
    placed: Placed,
    kind: str,
    table: str,
    row_key: str,
    column: tuple[str, str, str],
    result: TableResult,
    row_label: str = "",
) -> tuple[bool, Cell]:
    """``(readable, value)`` of one placed token for a column of ``kind``."""
    value = placed.value
    if value.kind == "blank":
        return True, None  # before the note texts below: reports leave many cells blank
    col_key, col_label, _ = column
    where = placed.token.where or placed.line.where
    place = f"{SHORT_TABLE_NAMES[table]}“{row_label}”行 {col_label} 列" if row_label else col_label
    if value.kind == "text":
        add_note(
            result,
            "non_numeric",
            f"{where}{place}印的是“{value.text}”，不是数字，按空白处理",
            where,
            table,
            row_key,
            col_key,
        )
        return True, None
    number = value.number
    assert number is not None
    if kind == "money":
        if value.unit == "元":
            converted = number / Decimal(10000)
            add_note(
                result,
                "unit_converted",
                f"{where}{place}写作“{value.text}”（单位：元），已换算为 {converted} 万元",
                where,
                table,
                row_key,
                col_key,
            )
            return True, converted
        return True, number
    if not value.integer:
        add_note(
            result,
            "not_integer",
            f"{where}{place}的“{value.text}”不是整数，未采用",
            where,
            table,
            row_key,
            col_key,
        )
        return False, None
    return True, value.whole if value.whole is not None else int(number)


def fill_rows(
    table: str,
    rows: list[Row],
    columns_of: Mapping[str, Sequence[tuple[str, str, str]]],
    labels_of: dict[str, str],
    result: TableResult,
) -> set[str]:
    """Put each row's values into ``result.data``; returns the keys of the rows found with a label."""
    seen: set[str] = set()
    complete = [r for r in rows if r.key is not None and len(r.values) == len(columns_of.get(r.key, ()))]
    for row in rows:
        if row.key is None:
            _group_values_note(table, row, result)
            continue
        if row.key not in columns_of:
            if row.values:
                add_note(
                    result,
                    "row_format_mismatch",
                    f"{SHORT_TABLE_NAMES[table]}“{row.printed}”行属于另一版格式，与本报告的格式不符，其数值未采用",
                    row.line.where,
                    table,
                    row.key,
                )
            continue
        seen.add(row.key)
        if not row.values:
            continue
        if row.key in result.data:
            add_note(
                result,
                "row_duplicate",
                f"{SHORT_TABLE_NAMES[table]}“{labels_of[row.key]}”行出现了不止一次，只采用第一次的数值",
                row.line.where,
                table,
                row.key,
            )
            continue
        _label_variant_note(table, row, labels_of[row.key], result)
        columns = columns_of[row.key]
        pairs = columns_for(row, columns, complete, table, result, labels_of[row.key])
        result.data[row.key] = (
            {} if pairs is None else _cells(table, row.key, pairs, columns, labels_of, result)
        )
    return seen


def _group_values_note(table: str, row: Row, result: TableResult) -> None:
    """Figures printed on a group label's line belong to no statutory row (a 2021 report's one-row
    （六） is taken as the group total before this; what is left here is refused)."""
    if not any(p.value.kind == "number" for p in row.values):
        return
    if table == "requests" and row.group == "other":
        add_note(
            result,
            "row_format_mismatch",
            f"{row.line.where}“{row.printed}”印成了一行数值（2019 版写法），2021 版应分为 1—3 项，无法分配到各项，未采用",
            row.line.where,
            table,
            "other",
        )
    else:
        add_note(
            result,
            "group_values",
            f"{SHORT_TABLE_NAMES[table]}分组标题“{row.printed}”一行印有数值（如小计），不属于任何法定行，未采用",
            row.line.where,
            table,
            severity="info",
        )


def _label_variant_note(table: str, row: Row, statutory: str, result: TableResult) -> None:
    if row.match is None or not row.match.approximate:
        return
    foreign = row.match.entry.foreign and row.match.how != "fuzzy"
    how = "是另一版格式的写法" if foreign else "不完全一致，按近似匹配识别"
    add_note(
        result,
        "label_variant",
        f"{row.line.where}的“{row.printed}”与法定行名“{statutory}”{how}",
        row.line.where,
        table,
        row.key or "",
        severity="info",
    )


def _cells(
    table: str,
    key: str,
    pairs: list[tuple[int, Placed]],
    columns: Sequence[tuple[str, str, str]],
    labels_of: dict[str, str],
    result: TableResult,
) -> dict[str, Cell]:
    """The row's cells in the format's column order (placement never reorders values), each with
    its provenance; a value that cannot be read is left out (its note says why)."""
    cells: dict[str, Cell] = {}
    for j, placed in pairs:
        column = columns[j]
        whole = placed.value.whole
        if whole is not None and column[2] != "money":
            cells[column[0]] = whole  # the common case: a plain count
        else:
            readable, cell = cell_value(placed, column[2], table, key, column, result, labels_of[key])
            if not readable:
                continue
            cells[column[0]] = cell
        result.provenance[(table, key, column[0])] = placed.token.where or placed.line.where
    return cells


def orphan_notes(table: str, orphans: list[Placed], result: TableResult) -> None:
    for placed in orphans:
        if placed.value.kind != "number":
            continue
        add_note(
            result,
            "value_orphan",
            f"{placed.line.where}的数值“{placed.value.text}”不属于{SHORT_TABLE_NAMES[table]}中任何可识别的行，未采用",
            placed.token.where or placed.line.where,
            table,
        )
