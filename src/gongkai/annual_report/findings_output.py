"""Human-readable output of findings and parse notes (rich tables), shared by `check`, `audit` and `demo`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def console() -> Console:
    # Wide enough that Chinese messages are not wrapped into unreadable slivers when piped.
    return Console(soft_wrap=False, width=None if Console().is_terminal else 140, highlight=False)


def print_findings(
    findings: Sequence[Any], *, title: str = "", out: Console | None = None, collapse: bool = True
) -> None:
    """A table of findings; with `collapse`, a table's many blank-cell warnings become one summary line."""
    out = out or console()
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    if not findings:
        out.print(f"[green]✓ {title}：未发现问题[/green]")
        return
    table = Table(title=f"{title}：{errors} 个错误，{warnings} 个警告", show_lines=False, expand=False)
    table.add_column("规则", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("说明")
    for rule, severity, message in _rows(findings, collapse):
        style = SEVERITY_STYLES.get(severity, "")
        table.add_row(rule, f"[{style}]{SEVERITY_LABELS.get(severity, severity)}[/{style}]", message)
    out.print(table)


BLANK_SUMMARY_THRESHOLD = 5
TABLE_NAMES = {"proactive": "表二", "requests": "表三", "appeals": "表四"}


def _rows(findings: Sequence[Any], collapse: bool) -> list[tuple[str, str, str]]:
    # Some offices leave whole blocks blank (上海 2019: ~130 cells); one line per cell would bury the errors.
    blanks: dict[str, list[Any]] = {}
    if collapse:
        for f in findings:
            if f.rule == "A11" and f.severity == "warning" and f.actual is None and f.table in TABLE_NAMES:
                blanks.setdefault(f.table, []).append(f)
    summarised = {t for t, fs in blanks.items() if len(fs) > BLANK_SUMMARY_THRESHOLD}
    rows: list[tuple[str, str, str]] = []
    done: set[str] = set()
    for f in findings:
        if f.table in summarised and f in blanks[f.table]:
            if f.table not in done:
                done.add(f.table)
                sample = "、".join(_cell_name(x) for x in blanks[f.table][:3])
                rows.append(
                    (
                        "A11",
                        "warning",
                        f"{TABLE_NAMES[f.table]}有 {len(blanks[f.table])} 个单元格空白或无法读取"
                        f"（例如 {sample} 等；加 -v 逐格列出）",
                    )
                )
            continue
        rows.append((f.rule, f.severity, f.message))
    return rows


def _cell_name(f: Any) -> str:
    return "·".join(x for x in (f.row_label, f.column_label) if x)


def print_notes(notes: Iterable[Any], *, out: Console | None = None) -> None:
    out = out or console()
    notes = list(notes)
    if not notes:
        return
    table = Table(title=f"解析说明（{len(notes)} 条）")
    table.add_column("位置", no_wrap=True)
    table.add_column("说明")
    for n in notes:
        table.add_row(n.where or "-", n.message)
    out.print(table)
