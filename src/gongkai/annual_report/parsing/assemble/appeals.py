"""Table 四: the three groups of five results, printed vertically or in one horizontal row."""

from __future__ import annotations

from functools import lru_cache

from gongkai.annual_report.formats import (
    APPEAL_GROUPS,
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
    if "未经复议" in norm or "直接起诉" in norm:
        return "litigation_direct"
    if "复议后起诉" in norm:
        return "litigation_after_review"
    if norm.startswith("行政复议"):
        return "review"
    return ""


def read_appeals(
    doc: list[DocLine], region: tuple[int, int], fmt: ReportFormat
) -> tuple[TableResult, set[int]]:
    labels = matcher("appeals", fmt.id)
    cols = [(c.key, c.label, c.kind) for c in fmt.appeal_columns]
    groups = [g.key for g in APPEAL_GROUPS]
    runs: list[tuple[str, list[Placed]]] = []
    group = ""
    fresh = True
    table_lines: set[int] = set()
    for d in doc[region[0] : region[1]]:
        tokens = d.line.tokens
        if any(" " in t.text for t in tokens):  # else nothing to explode
            tokens = exploded_tokens(d.line)
        for token in tokens:
            value = read_value(token.text, token.cell)
            if value is not None:
                if fresh or not runs:
                    runs.append((group, []))
                    fresh = False
                runs[-1][1].append(Placed(token, value, d))
                table_lines.add(d.index)
                continue
            text = token.text.strip()
            if not text:
                continue
            found = appeal_group(text)
            if found:
                group = found
                fresh = True
                table_lines.add(d.index)
            elif labels.match(text) is not None or len(text) - text.count(" ") <= 12:
                table_lines.add(d.index)
    result = TableResult()
    n = len(cols)
    # A run of nothing but blank cells is an empty header cell of a two-level header (行政复议 |  |
    # 行政诉讼), not a group's figures.
    runs = [(g, run) for g, run in runs if any(p.value.kind != "blank" for p in run)]
    everything = [p for _, run in runs for p in run]
    if not everything:
        return result, table_lines
    assignment: dict[str, list[Placed]] = {}
    labelled = all(g for g, _ in runs) and len({g for g, _ in runs}) == len(runs)
    if labelled and (len(runs) > 1 or len(everything) != n * len(groups)):
        # Each group printed as its own row or sub-table under its own label, in any order.
        assignment = {g: run for g, run in runs}
    elif len(everything) == n * len(groups):
        assignment = {g: everything[i * n : (i + 1) * n] for i, g in enumerate(groups)}
    else:
        numbers = [p for p in everything if p.value.kind == "number"]
        if len(numbers) == n * len(groups):
            assignment = {g: numbers[i * n : (i + 1) * n] for i, g in enumerate(groups)}
        else:
            add_note(
                result,
                "table_unreadable",
                f"表四应有 {n * len(groups)} 个数值，读到 {len(everything)} 个，无法确定对应关系，未采用",
                everything[0].line.where,
                "appeals",
            )
            return result, table_lines
    for g in groups:
        run = assignment.get(g)
        label = next(x.label for x in APPEAL_GROUPS if x.key == g)
        if run is None:
            add_note(result, "row_missing", f"表四缺少“{label}”的数值", table="appeals", row=g)
            continue
        fake = Row(g, label, run[0].line, None, values=run)
        pairs = columns_for(fake, cols, [], "appeals", result, label)
        cells: dict[str, Cell] = {}
        if pairs is not None:
            for j, placed in pairs:
                readable, cell = cell_value(placed, cols[j][2], "appeals", g, cols[j], result, label)
                if readable:
                    cells[cols[j][0]] = cell
                    result.provenance[("appeals", g, cols[j][0])] = placed.token.where or placed.line.where
        result.data[g] = {c[0]: cells[c[0]] for c in cols if c[0] in cells}
    return result, table_lines
