"""A12: publication by the statutory deadline (条例第四十九条).

A 县级以上人民政府部门 — and, by the 60号 notice's "提前了两个月", a 街道办事处 — publishes by 1月31日;
the 本级人民政府's own report is due by 3月31日 (statute.md §0).
"""

from __future__ import annotations

import datetime as dt
import re

from gongkai.annual_report.model import AnnualReport

from .base import ERROR, Cells, Finding

ORG_KINDS = {"government": "本级人民政府", "department": "部门"}
_DEADLINES = {"government": (3, 31), "department": (1, 31)}


# A report titled by the jurisdiction itself ("平潭综合实验区", "东城区") is its government's report.
_JURISDICTION = re.compile(r"(?:省|市|县|区|旗|州|盟)$")
_NOT_JURISDICTION = re.compile(r"(?:街道|社区|园区|开发区|景区|管理区)$")


def infer_org_kind(organisation: str) -> str:
    """An organisation named …人民政府, or a report named by its jurisdiction alone, is the
    本级人民政府's report; anything else (…局, …办公厅, …街道办事处) is a department's."""
    name = organisation.strip()
    if name.endswith("人民政府") or (_JURISDICTION.search(name) and not _NOT_JURISDICTION.search(name)):
        return "government"
    return "department"


def deadline(year: int, org_kind: str) -> dt.date:
    if org_kind not in _DEADLINES:
        raise ValueError(f"未知的机关类型 {org_kind!r}（应为 government 或 department）")
    month, day = _DEADLINES[org_kind]
    return dt.date(year + 1, month, day)


def check_deadline(cells: Cells, report: AnnualReport, published_on: dt.date, org_kind: str) -> list[Finding]:
    due = deadline(report.year, org_kind)
    if published_on <= due:
        return []
    late = (published_on - due).days
    return [
        cells.finding(
            "A12",
            ERROR,
            "",
            "",
            "",
            due.isoformat(),
            published_on.isoformat(),
            f"报告于 {published_on.isoformat()} 发布，晚于法定期限 {due.isoformat()}"
            f"（{ORG_KINDS[org_kind]}年度报告应于 {due.month}月{due.day}日前公布）{late} 天",
            row_label="",
        )
    ]
