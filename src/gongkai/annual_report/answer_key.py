"""Scoring an audit against a hand-written answer key (``<report>.truth.json``).

An answer key is written by a person from the published document, never from gongkai's output: the
headline figures as printed (Table 三's 总计 column for 新收, 上年结转, 予以公开, 部分公开, the four
outcome groups' sums, （七）总计 and 结转; Table 四's three 总计 cells; ``null`` where the document
leaves the cell blank) and each real internal contradiction with the rule that should find it. The
corpus test and the benchmark's accuracy table both score with this module, so they cannot disagree.

A key may say ``"expect": "partial"`` for a document whose tables a conversion destroyed (cells run
together, labels torn from their values): then no figure is owed, but every figure read must still
be right and no error may be raised that the key does not list.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from gongkai.annual_report.audit import AuditResult
from gongkai.annual_report.formats import APPEAL_GROUPS, get_format
from gongkai.annual_report.model import AnnualReport

REQUEST_FIGURES = (
    "new_received",
    "carried_over",
    "granted",
    "partial",
    "refused",
    "unavailable",
    "not_processed",
    "other",
    "total",
    "carried_forward",
)
OUTCOME_GROUPS = ("refused", "unavailable", "not_processed", "other")
MISSING = "未读取"  # a figure the reader did not place (distinct from a blank cell, None)


@dataclass
class KeyScore:
    """How one audited report compares with its answer key."""

    name: str
    kind: str
    expect: str  # "full" or "partial"
    status: str
    figures_total: int = 0
    figures_exact: int = 0
    wrong: list[str] = field(default_factory=list)  # figures read with another value than printed
    unread: list[str] = field(default_factory=list)  # figures owed but not read
    listed: int = 0
    found: int = 0
    missed: list[str] = field(default_factory=list)  # listed inconsistencies not found
    false_errors: list[str] = field(default_factory=list)  # error findings the key does not list
    header_mismatch: list[str] = field(default_factory=list)  # year / format / agency

    @property
    def passed(self) -> bool:
        owed = self.expect == "full"
        return (
            not self.wrong
            and not self.false_errors
            and not self.missed
            and not self.header_mismatch
            and (not owed or (not self.unread and self.status != "unreadable"))
        )


def load_key(path: Path) -> dict[str, Any]:
    key: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return key


def report_path(key_path: Path) -> Path:
    """The report a key describes: the file beside it with the same stem."""
    stem = key_path.name.removesuffix(".truth.json")
    matches = [p for p in key_path.parent.iterdir() if p.stem == stem and not p.name.endswith(".json")]
    if len(matches) != 1:
        raise FileNotFoundError(f"{key_path.name}: expected one report file named {stem}.*, found {matches}")
    return matches[0]


def group_sum(report: AnnualReport, group: str) -> int | Decimal | str | None:
    """The 总计 column summed over a group's rows as read: ``MISSING`` when a row or cell was not
    read, None when every cell is blank."""
    fmt = get_format(report.format, report.variant)
    rows = [r.key for r in fmt.group_rows(group)]
    if group in report.requests and group not in rows:
        rows = [group]  # printed as the group's one total row
    values = []
    for row in rows:
        cells = report.requests.get(row)
        if cells is None or "total" not in cells:
            return MISSING
        values.append(cells["total"])
    numbers = [v for v in values if v is not None]
    if not numbers:
        return None
    return sum(int(v) for v in numbers)


def read_figures(report: AnnualReport) -> dict[str, dict[str, int | Decimal | str | None]]:
    requests: dict[str, int | Decimal | str | None] = {}
    for name in REQUEST_FIGURES:
        if name in OUTCOME_GROUPS:
            requests[name] = group_sum(report, name)
            continue
        requests[name] = report.requests.get(name, {}).get("total", MISSING)
    appeals: dict[str, int | Decimal | str | None] = {}
    for group in APPEAL_GROUPS:
        appeals[group.key] = report.appeals.get(group.key, {}).get("total", MISSING)
    return {"requests": requests, "appeals": appeals}


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _same_agency(printed: str, key: str) -> bool:
    """Loose: a report may name itself with or without its parent ("洪泽区人民政府" for 淮安市洪泽区人民政府),
    and a conversion may carry an OCR slip; one name must hold all but one character of the other."""
    a, b = _fold(printed), _fold(key)
    if a in b or b in a:
        return True
    shorter, longer = sorted((a, b), key=len)
    return (
        len(shorter) >= 4
        and sum(1 for x, y in zip(shorter, longer[-len(shorter) :], strict=True) if x != y) <= 1
    )


def _matches(item: dict[str, Any], finding: Any) -> bool:
    if finding.rule != item["rule"]:
        return False
    return all(getattr(finding, k) == item[k] for k in ("table", "row", "column") if item.get(k))


def score(name: str, key: dict[str, Any], result: AuditResult) -> KeyScore:
    expect = key.get("expect", "full")
    out = KeyScore(name=name, kind=key["kind"], expect=expect, status=result.status)
    report = result.report
    figures = key["figures"]
    out.figures_total = sum(len(v) for v in figures.values())
    listed = key.get("inconsistencies", [])
    out.listed = len(listed)
    if report is None:
        out.unread = [f"{t}.{k}" for t, v in figures.items() for k in v]
        out.missed = [i["rule"] for i in listed]
        return out
    if report.year != key["year"]:
        out.header_mismatch.append(f"year {report.year} != {key['year']}")
    if report.format != key["format"]:
        out.header_mismatch.append(f"format {report.format} != {key['format']}")
    if report.organisation != "未识别的机关" and not _same_agency(report.organisation, key["agency"]):
        out.header_mismatch.append(f"agency {report.organisation} != {key['agency']}")
    read = read_figures(report)
    for table, expected in figures.items():
        for figure, value in expected.items():
            got = read[table][figure]
            label = f"{table}.{figure}"
            if got == MISSING:
                out.unread.append(label)
            elif got != value:
                out.wrong.append(f"{label}: read {got}, printed {value}")
            else:
                out.figures_exact += 1
    errors = [f for f in result.findings if f.severity == "error"]
    for item in listed:
        if any(_matches(item, f) for f in result.findings):
            out.found += 1
        else:
            out.missed.append(f"{item['rule']} {item.get('row', '')} {item.get('column', '')}".strip())
    for finding in errors:
        if not any(_matches(item, finding) for item in listed):
            out.false_errors.append(f"{finding.rule}: {finding.message}")
    return out


__all__ = ["MISSING", "KeyScore", "load_key", "read_figures", "report_path", "score"]
