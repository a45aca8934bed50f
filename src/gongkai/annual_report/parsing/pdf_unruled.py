"""Tables printed without ruling lines, rebuilt from the positions of their text.

A row is a line with at least one number among several pieces (pieces are split at wide gaps).
Rows not far apart form a block; the x-ranges of their numbers are the value columns and
everything left of them is the label area. Then:

* labels: the label-area text of the block (row labels, their wrapped continuation lines, group
  labels, vertical labels printed one character per line) is cut into stacks per column — a stack
  continues while lines touch and the next line does not start with its own number ("（二）",
  "3.") — and each stack goes to the row it holds, else to the first row beside it, else to the
  nearest;
* header: the lines just above the first row are joined column by column, so a header printed one
  character per line ("商/业/企/业") reads as one word; a header spanning several columns stays whole
  on a line of its own.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from gongkai.annual_report.parsing.grid import clean_cell_text, is_value, join_fragments
from gongkai.annual_report.parsing.pdf_layout import ENUMERATOR, Piece, TextLine, split_piece

Rows = dict[int, list[Piece] | None]


@dataclass
class _Label:
    piece: Piece
    row: int | None  # index of the row line the piece sits on, None for a label-only line
    line: int
    innermost: bool  # the row's last label piece, next to its values


@dataclass
class _Stack:
    column: float  # left edge of the column it sits in
    pieces: list[Piece]
    row: int | None = None  # index of the row line whose own label it holds

    @property
    def top(self) -> float:
        return self.pieces[0].top

    @property
    def bottom(self) -> float:
        return self.pieces[-1].bottom

    def piece(self) -> Piece:
        text = ""
        for p in self.pieces:
            text = join_fragments(text, p.text)
        x0 = min(p.x0 for p in self.pieces)
        x1 = max(p.x1 for p in self.pieces)
        return Piece(clean_cell_text(text), x0, x1, self.top, self.bottom)


def unruled_rows(lines: list[TextLine]) -> Rows:
    """Rows of tables printed without rules, keyed by ``id`` of their line; ``None`` marks a line
    whose pieces were moved into a row (a wrapped label, a header fragment)."""
    rows: Rows = {}
    numeric = _numeric_rows(lines)
    if not numeric:
        return rows
    blocks: list[list[int]] = [[numeric[0]]]
    for i in numeric[1:]:
        prev = lines[blocks[-1][-1]]
        if lines[i].top - prev.bottom <= 8 * prev.em:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    for block in blocks:
        columns = _value_columns([lines[i] for i in block])
        em = lines[block[0]].em
        label_edge = min(x0 for x0, _ in columns) - 0.5 * em
        _split_at_columns(lines, block, columns, label_edge, rows)
        header = _header_zone(lines, block[0], label_edge, em, rows)
        for j in header:
            rows[id(lines[j])] = None
        _stack_headers(lines, header, columns, label_edge, em, rows)
        _attach_labels(lines, block, set(header), label_edge, em, rows)
    return rows


def _numeric_rows(lines: list[TextLine]) -> list[int]:
    """Lines that are table rows: labels, then only values; and either several values or values
    in line with another such row. A justified line of prose can space a number out like a cell
    ("部分公开   0   件；"), but text follows its number and nothing lines up with it."""

    def shaped(line: TextLine) -> bool:
        if not line.values or len(line.pieces) < 2 or any(len(p.text) > 40 for p in line.pieces):
            return False
        first = next(k for k, p in enumerate(line.pieces) if is_value(p.text))
        return all(is_value(p.text) for p in line.pieces[first:])

    candidates = [i for i, line in enumerate(lines) if shaped(line)]
    spans = {i: [(p.x0, p.x1) for p in lines[i].pieces if is_value(p.text)] for i in candidates}

    def aligned(i: int, j: int) -> bool:
        near = abs(lines[i].top - lines[j].top) <= 12 * lines[i].em
        return near and any(a0 < b1 and b0 < a1 for a0, a1 in spans[i] for b0, b1 in spans[j])

    return [i for i in candidates if lines[i].values >= 3 or any(aligned(i, j) for j in candidates if j != i)]


def _split_at_columns(
    lines: list[TextLine], block: list[int], columns: list[tuple[float, float]], label_edge: float, rows: Rows
) -> None:
    """Re-cut the pieces of the block's lines at the column boundaries: where the label columns
    start (left edges shared by several labels), where the values begin and between two value
    columns. Cells of a table with little padding otherwise run together into one piece."""
    # Header lines above the first row are cut too: a tall header stacks many lines.
    first, last = max(0, block[0] - 20), min(len(lines), block[-1] + 9)
    starts: dict[int, int] = {}
    for j in range(first, last):
        for p in lines[j].pieces:
            if p.x0 < label_edge:
                starts[round(p.x0)] = starts.get(round(p.x0), 0) + 1
    # Values are centred or right-aligned, so a value column ends where the gap to the next begins.
    gaps = {(a[1] + b[0]) / 2 for a, b in itertools.pairwise(columns)}
    boundaries = sorted({float(x) for x, n in starts.items() if n >= 2} | gaps | {label_edge})
    for j in range(first, last):
        line = lines[j]
        if id(line) in rows:
            continue
        pieces = [part for p in line.pieces for part in split_piece(p, boundaries)]
        if len(pieces) != len(line.pieces):
            line.pieces = pieces
            line.values = sum(1 for p in pieces if is_value(p.text))


def _value_columns(rows: list[TextLine]) -> list[tuple[float, float]]:
    spans = sorted((p.x0, p.x1) for line in rows for p in line.pieces if is_value(p.text))
    columns: list[tuple[float, float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + 2:
            columns[-1] = (columns[-1][0], max(columns[-1][1], x1))
        else:
            columns.append((x0, x1))
    return columns


def _in_labels(piece: Piece, label_edge: float) -> bool:
    return piece.x1 <= label_edge and not is_value(piece.text)


def _header_zone(lines: list[TextLine], first: int, label_edge: float, em: float, rows: Rows) -> list[int]:
    """Indexes of the header lines above the block's first row, top to bottom."""
    zone: list[int] = []
    edge = lines[first].top
    j = first - 1
    while j >= 0 and id(lines[j]) not in rows:
        line = lines[j]
        if edge - line.bottom > 2 * em or line.values:
            break
        # Text running from the label area across the value columns is body text, not header.
        if any(p.x0 < label_edge - em and p.x1 > label_edge + em for p in line.pieces):
            break
        zone.append(j)
        edge = line.top
        j -= 1
    zone.reverse()
    reaching = [k for k, j in enumerate(zone) if any(p.x1 > label_edge for p in lines[j].pieces)]
    if not reaching:
        return []
    # Label-only lines above the first column header are captions; those below the last belong
    # to the first row's label (its first lines when the row's numbers are vertically centred).
    return zone[reaching[0] : reaching[-1] + 1]


def _stack_headers(
    lines: list[TextLine],
    zone: list[int],
    columns: list[tuple[float, float]],
    label_edge: float,
    em: float,
    rows: Rows,
) -> None:
    if not zone:
        return
    spanning: list[Piece] = []
    stacked: dict[int, list[Piece]] = {}
    for j in zone:
        for p in lines[j].pieces:
            hit = [k for k, (x0, x1) in enumerate(columns) if p.x0 - em <= (x0 + x1) / 2 <= p.x1 + em]
            if len(hit) >= 2:
                spanning.append(p)
            elif p.x1 <= label_edge:
                stacked.setdefault(-1, []).append(p)
            else:
                key = hit[0] if hit else min(range(len(columns)), key=lambda k: abs(columns[k][0] - p.x0))
                stacked.setdefault(key, []).append(p)
    header = [_Stack(0.0, parts).piece() for _, parts in sorted(stacked.items())]
    if spanning:
        rows[id(lines[zone[0]])] = spanning
    if header:
        rows[id(lines[zone[-1]])] = (rows.get(id(lines[zone[-1]])) or []) + header


def _attach_labels(
    lines: list[TextLine], block: list[int], header: set[int], label_edge: float, em: float, rows: Rows
) -> None:
    # Candidates: the rows' own label pieces and the label-only lines around and between the rows.
    items: list[_Label] = []
    for j in range(max(0, block[0] - 8), min(len(lines), block[-1] + 9)):
        if j in header or (id(lines[j]) in rows and j not in block):
            continue
        line = lines[j]
        if j in block:
            labels = [p for p in line.pieces if _in_labels(p, label_edge)]
            items.extend(_Label(p, j, j, p is labels[-1]) for p in labels)
        elif line.pieces and all(_in_labels(p, label_edge) for p in line.pieces):
            items.extend(_Label(p, None, j, False) for p in line.pieces)
    stacks = _stacks(items, em)
    owner: dict[int, list[_Stack]] = {i: [] for i in block}
    moved: set[int] = set()
    for stack in stacks:
        row = stack.row
        if row is None:
            beside = [i for i in block if stack.top - 0.3 * em <= lines[i].cy <= stack.bottom + 0.3 * em]
            if beside:
                row = beside[0]
            else:
                middle = (stack.top + stack.bottom) / 2
                nearest = min(block, key=lambda i: (abs(lines[i].cy - middle), lines[i].cy > middle))
                if (
                    min(abs(lines[nearest].top - stack.bottom), abs(stack.top - lines[nearest].bottom))
                    > 1.5 * em
                ):
                    continue  # too far from any row: ordinary text near the table
                row = nearest
        owner[row].append(stack)
        moved.update(id(p) for p in stack.pieces)
    for j in {item.line for item in items if item.row is None}:
        if all(id(p) in moved for p in lines[j].pieces):
            rows[id(lines[j])] = None
    for i in block:
        labels = sorted((s.piece() for s in owner[i]), key=lambda p: p.x0)
        values = [p for p in lines[i].pieces if not _in_labels(p, label_edge)]
        rows[id(lines[i])] = labels + values


def _stacks(items: list[_Label], em: float) -> list[_Stack]:
    """Cut the label-area text into stacks, column by column, top to bottom."""
    stacks: list[_Stack] = []
    open_stacks: list[_Stack] = []
    for item in sorted(items, key=lambda it: (it.piece.top, it.piece.x0)):
        piece, row = item.piece, item.row
        current = next((s for s in open_stacks if abs(s.column - piece.x0) <= em), None)
        starts_afresh = (
            current is None
            or piece.top - current.bottom > 0.5 * em
            or bool(ENUMERATOR.match(piece.text))
            # Two rows' own labels (the column next to the values) are two labels even when
            # the rows touch; a group label beside them runs on over several rows.
            or (item.innermost and current.row is not None and row != current.row)
        )
        if starts_afresh:
            if current is not None:
                open_stacks.remove(current)
            current = _Stack(piece.x0, [piece], row)
            open_stacks.append(current)
            stacks.append(current)
        else:
            assert current is not None
            current.pieces.append(piece)
            if current.row is None:
                current.row = row
    return stacks
