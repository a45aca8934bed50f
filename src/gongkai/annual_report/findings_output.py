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


def print_findings(findings: Sequence[Any], *, title: str = "", out: Console | None = None) -> None:
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
    for f in findings:
        style = SEVERITY_STYLES.get(f.severity, "")
        table.add_row(f.rule, f"[{style}]{SEVERITY_LABELS.get(f.severity, f.severity)}[/{style}]", f.message)
    out.print(table)


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
