"""`gongkai audit`: read published reports (one file or hundreds) and run the rule catalogue on each.

One bad file never stops a batch: whatever goes wrong with a file becomes that file's "unreadable" result.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from gongkai.annual_report.checks import RULES, Finding, check_report
from gongkai.annual_report.checks.similarity import add_batch_reuse
from gongkai.annual_report.formats import FORMATS
from gongkai.annual_report.model import (
    AUDITED,
    READING_STATUS_LABELS,
    TABLE_KEYS,
    UNREADABLE,
    AnnualReport,
    ReportDataError,
    schema_for,
)
from gongkai.annual_report.parsing.base import ParseNote, UnreadableReport

REPORT_SUFFIXES = frozenset({".pdf", ".docx", ".doc", ".html", ".htm", ".txt", ".md", ".json"})
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass
class AuditResult:
    file: str
    status: str  # "audited" | "partial" | "unreadable" (model.AUDITED, PARTIAL, UNREADABLE)
    reason: str = ""
    report: AnnualReport | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[ParseNote] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def coverage(self) -> float | None:
        """Cells read / cells expected; None when nothing was read (unreadable) and 1.0 for a JSON report."""
        if self.report is None:
            return None
        return self.report.reading.coverage if self.report.reading is not None else 1.0

    def to_dict(self) -> dict[str, Any]:
        r = self.report
        return {
            "file": self.file,
            "status": self.status,
            "reason": self.reason,
            "coverage": None if self.coverage is None else round(self.coverage, 4),
            "reading": r.reading.to_dict() if r and r.reading else None,
            "agency": r.organisation if r else None,
            "year": r.year if r else None,
            "format": r.format if r else None,
            "report": r.to_dict() if r else None,
            "findings": [f.to_dict() for f in self.findings],
            "notes": [n.to_dict() for n in self.notes],
        }


def audit_file(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    published_on: dt.date | None = None,
    previous: AnnualReport | None = None,
) -> AuditResult:
    path = Path(path)
    try:
        report, notes = _read(path, max_bytes)
        if published_on is not None:
            report.published_on = published_on
        findings = _with_note_findings(check_report(report, previous=previous), notes)
    except UnreadableReport as exc:
        return AuditResult(str(path), UNREADABLE, reason=str(exc))
    except Exception as exc:  # a parser bug must cost one file, never the batch
        return AuditResult(
            str(path), "unreadable", reason=f"内部错误（请报告此文件）：{type(exc).__name__}: {exc}"
        )
    status = report.reading.status if report.reading is not None else AUDITED
    reason = _UNREAD if status == UNREADABLE else ""
    return AuditResult(str(path), status, reason=reason, report=report, findings=findings, notes=notes)


_UNREAD = "找到了年度报告，但表格中的数值一个也未能读取（可能是转换时单元格之间的分隔丢失）；解析说明列出了未能读取的部分"


# Parse notes that say something about the published document, not about the reading, and the
# rule, expected and actual value and message prefix each becomes.
_NOTE_FINDINGS = {
    # The model stores 万元: a cell written in 元 (converted on reading) is invisible to A10.
    "unit_converted": ("A10", "万元", "元", "单位不符："),
    # A row label misspelt or worded otherwise (read by its similarity to the statutory label).
    "label_variant": ("A8", "法定行名", None, "行名措辞不规范："),
}


def _with_note_findings(findings: list[Finding], notes: list[ParseNote]) -> list[Finding]:
    """Add the findings only the parser could see, as warnings: units it converted, labels it read
    by their likeness to the statutory wording."""
    extra = [
        Finding(
            rule=_NOTE_FINDINGS[n.code][0],
            severity="warning",
            table=n.table,
            row=n.row,
            column=n.column,
            row_label="",
            column_label="",
            expected=_NOTE_FINDINGS[n.code][1],
            actual=_NOTE_FINDINGS[n.code][2],
            message=_NOTE_FINDINGS[n.code][3] + n.message,
        )
        for n in notes
        if n.code in _NOTE_FINDINGS
    ]
    if not extra:
        return findings
    return sorted([*findings, *extra], key=lambda f: int(f.rule[1:]) if f.rule[1:].isdigit() else 99)


def _read(path: Path, max_bytes: int) -> tuple[AnnualReport, list[ParseNote]]:
    if path.suffix.lower() == ".json":
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise UnreadableReport(f"无法读取文件：{exc.strerror}") from None
        if size > max_bytes:
            raise UnreadableReport(
                f"文件过大：{size:,} 字节，超过上限 {max_bytes:,} 字节（可用 --max-size 调整）"
            )
        try:
            return AnnualReport.from_json(path.read_text(encoding="utf-8")), []
        except (ReportDataError, UnicodeDecodeError) as exc:
            raise UnreadableReport(f"不是有效的年度报告 JSON：{exc}") from None
    from gongkai.annual_report.parsing.files import parse_file

    return parse_file(path, max_bytes=max_bytes)


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus report-like files found under named folders (sorted, for stable output)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in REPORT_SUFFIXES
                    and not f.name.startswith(".")
                    # A sample's hand-checked figures and a folder's README are not reports.
                    and not f.name.endswith(".expected.json")
                    and not f.stem.upper().startswith(("README", "LICENSE", "CHANGELOG"))
                )
            )
        else:
            out.append(p)
    return out


def audit_paths(
    paths: Iterable[str | Path],
    *,
    jobs: int = 0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    published_on: dt.date | None = None,
    progress: bool = False,
    previous: AnnualReport | None = None,
) -> list[AuditResult]:
    files = collect_files(paths)
    jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    jobs = min(jobs, len(files)) or 1
    results: dict[int, AuditResult] = {}
    bar = _progress(len(files)) if progress else None
    try:
        if jobs == 1:
            for i, f in enumerate(files):
                results[i] = audit_file(f, max_bytes=max_bytes, published_on=published_on, previous=previous)
                if bar:
                    bar.advance(f)
        else:

            def done(i: int, result: AuditResult) -> None:
                results[i] = result
                if bar:
                    bar.advance(files[i])

            task = partial(audit_file, max_bytes=max_bytes, published_on=published_on, previous=previous)
            _audit_in_workers(files, jobs, task, done)
    finally:
        if bar:
            bar.close()
    audited = [results[i] for i in range(len(files))]
    add_batch_reuse(audited)  # A13 between the reports of this batch: needs every file read first
    return audited


def _audit_in_workers(
    files: list[Path],
    jobs: int,
    task: Callable[[Path], AuditResult],
    done: Callable[[int, AuditResult], None],
) -> None:
    """Run ``task`` on every file in ``jobs`` worker processes; ``done(i, result)`` as each finishes.

    Workers get only paths and return only results: the parent never holds a file's bytes. No more
    than ``jobs`` files are handed out at a time, because when the OS kills a worker (out of memory)
    ProcessPoolExecutor fails every file still in the pool. Those files are audited again one by one,
    each in a fresh process, so only the file that kills its worker is lost; the batch goes on in a
    fresh pool."""
    queue = list(reversed(range(len(files))))  # popped from the end: files in order
    while queue:
        in_doubt: list[int] = []
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            running: dict[Future[AuditResult], int] = {}
            while running or (queue and not in_doubt):
                while queue and not in_doubt and len(running) < jobs:
                    i = queue.pop()
                    running[pool.submit(_run_and_release, task, files[i])] = i
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    i = running.pop(future)
                    try:
                        done(i, future.result())
                    except BrokenProcessPool:
                        in_doubt.append(i)
                    except Exception as exc:
                        done(i, _worker_failed(files[i], exc))
        for i in sorted(in_doubt):
            done(i, _alone(task, files[i]))


def _alone(task: Callable[[Path], AuditResult], path: Path) -> AuditResult:
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(_run_and_release, task, path).result()
        except BrokenProcessPool:
            return AuditResult(
                str(path), "unreadable", reason="处理进程失败：处理该文件的进程被系统终止（很可能是内存不足）"
            )
        except Exception as exc:
            return _worker_failed(path, exc)


def _worker_failed(path: Path, exc: Exception) -> AuditResult:
    return AuditResult(str(path), "unreadable", reason=f"处理进程失败：{type(exc).__name__}: {exc}")


def _run_and_release(task: Callable[[Path], AuditResult], path: Path) -> AuditResult:
    """``task(path)`` in a worker, then the memory it freed goes back to the OS: glibc keeps freed heap
    for reuse, so an idle worker would otherwise hold the peak of the largest file it has read."""
    try:
        return task(path)
    finally:
        with contextlib.suppress(OSError, AttributeError):  # AttributeError: not glibc
            ctypes.CDLL(None).malloc_trim(0)


class _progress:
    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._p = Progress(
            TextColumn("审核中"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            transient=True,
        )
        self._p.start()
        self._task = self._p.add_task("", total=total)

    def advance(self, f: Path) -> None:
        self._p.update(self._task, advance=1, description=f.name[:40])

    def close(self) -> None:
        self._p.stop()


def exit_code(results: Sequence[AuditResult]) -> int:
    if any(r.status == "unreadable" for r in results):
        return 2
    if any(r.errors for r in results):
        return 1
    return 0


def print_audit(results: Sequence[AuditResult], *, verbose: bool = False) -> None:
    from gongkai.annual_report.findings_output import console, print_findings, print_notes

    out = console()
    for r in results:
        out.rule(r.file)
        rep = r.report
        if rep is None:
            out.print(f"[bold red]无法审核[/bold red]：{r.reason}")
            continue
        out.print(f"机关：{rep.organisation}　年度：{rep.year}　格式：{rep.format}（{rep.variant}）")
        out.print(_reading_line(r))
        if verbose:
            _print_tables(rep, out)
        if r.status == UNREADABLE:
            out.print("未作检查：没有读取到可依据的数值")
            print_notes(r.notes, out=out)
            continue
        print_findings(r.findings, title="检查结果", out=out, collapse=not verbose)
        shown = r.notes if verbose else [n for n in r.notes if n.severity != "info"]
        print_notes(shown, out=out)
    if len(results) > 1:
        counts = Counter(r.status for r in results)
        with_errors = sum(1 for r in results if r.errors)
        out.rule("汇总")
        out.print(
            f"共 {len(results)} 份：完整读取 {counts['audited']} 份、部分读取 {counts['partial']} 份"
            f"（其中 {with_errors} 份有错误），无法读取 {counts['unreadable']} 份"
        )


def _reading_line(r: AuditResult) -> str:
    """Status and coverage: what the findings rest on. Rules that needed an unread cell did not judge it."""
    rep = r.report
    assert rep is not None
    reading = rep.reading
    if reading is None:
        return "读取情况：结构化数据（JSON），全部单元格可用"
    line = (
        f"读取情况：{READING_STATUS_LABELS[reading.status]}，读取单元格 {reading.cells_read}/"
        f"{reading.cells_expected}（{reading.coverage:.1%}）"
    )
    if reading.status != AUDITED:
        unsure = "、".join(_TABLE_NAMES[t] for t in sorted(reading.unsure)) or "部分单元格"
        line += f"；{unsure}未能完整读取，涉及未读取单元格的规则不作判断（见解析说明）"
    if r.reason:
        line += f"\n{r.reason}"
    return line


_TABLE_NAMES = {"proactive": "表二", "requests": "表三", "appeals": "表四"}


def _print_tables(rep: AnnualReport, out: Any) -> None:
    from rich.table import Table

    fmt = rep.report_format
    t = Table(title="表三 收到和处理政府信息公开申请情况")
    t.add_column("项目")
    for c in fmt.request_columns:
        t.add_column(c.label, justify="right")
    for row in fmt.request_rows:
        vals = rep.requests.get(row.key, {})
        t.add_row(row.label[:24], *(_show(vals, c.key) for c in fmt.request_columns))
    out.print(t)


def _show(vals: dict[str, Any], key: str) -> str:
    if key not in vals:
        return "?"
    v = vals[key]
    return "" if v is None else str(v)


# -- dataset ---------------------------------------------------------------------------------------


def dataset_columns() -> list[str]:
    """Every cell of every known format, as table.row.column, in format order (union, no repeats)."""
    seen: dict[str, None] = {}
    for fmt in FORMATS.values():
        for table in TABLE_KEYS:
            for row, cols in schema_for(fmt, table).items():
                for col in cols:
                    seen.setdefault(f"{table}.{row}.{col}", None)
    return list(seen)


def dataset_rows(results: Sequence[AuditResult]) -> tuple[list[str], list[list[Any]]]:
    cells = dataset_columns()
    rule_ids = list(RULES)
    header = ["file", "status", "reason", "coverage", "agency", "year", "format", "variant", "published_on"]
    header += cells + [f"findings_{r}" for r in rule_ids] + ["errors", "warnings", "notes"]
    rows: list[list[Any]] = []
    for r in results:
        rep = r.report
        row: list[Any] = [r.file, r.status, r.reason, r.coverage]
        if rep is None:
            row += [None] * (len(header) - 4)
            rows.append(row)
            continue
        row += [rep.organisation, rep.year, rep.format, rep.variant, rep.published_on]
        for key in cells:
            table, rest = key.split(".", 1)
            row_key, col = rest.rsplit(".", 1)
            row.append(rep.table(table).get(row_key, {}).get(col))
        per_rule = Counter(f.rule for f in r.findings)
        row += [per_rule.get(rule, 0) for rule in rule_ids]
        row += [r.errors, sum(1 for f in r.findings if f.severity == "warning"), len(r.notes)]
        rows.append(row)
    return header, rows


def write_dataset(results: Sequence[AuditResult], path: Path) -> None:
    header, rows = dataset_rows(results)
    suffix = path.suffix.lower()
    tmp = path.with_name(path.name + ".part")
    if suffix == ".csv":
        # utf-8-sig so that Excel on a Chinese Windows desktop opens it without mojibake.
        with tmp.open("w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for row in rows:
                w.writerow(["" if v is None else v for v in row])
    elif suffix == ".xlsx":
        from openpyxl import Workbook  # type: ignore[import-untyped]

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("年报审核")
        ws.append(header)
        for row in rows:
            ws.append([_xlsx_value(v) for v in row])
        wb.save(tmp)
    else:
        raise ValueError(f"数据集只支持 .csv 或 .xlsx：{path}")
    os.replace(tmp, path)


def _xlsx_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return v
