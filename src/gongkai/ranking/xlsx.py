"""Every published quarter to one workbook: a sheet per quarter (indicators as columns), the method last."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from gongkai.ranking.frozen import ranking_of
from gongkai.ranking.indicators import BY_CODE, INDICATORS, TOTAL_METHOD
from gongkai.ranking.models import PublishedQuarter

BOLD = Font(bold=True)


def workbook_bytes(published: list[PublishedQuarter]) -> bytes:
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for pq in published:
        ranking = ranking_of(pq)
        ws = wb.create_sheet(title=f"{pq.year}年Q{pq.quarter}")
        # Indicator order from the code, not from the stored JSON (PostgreSQL's jsonb reorders keys).
        codes = [i.code for i in INDICATORS if i.code in ranking.weights]
        ws.append(
            ["名次", "科室", "总分", *(f"{BY_CODE[c].label}（权重 {ranking.weights[c]}）" for c in codes)]
        )
        for row in ranking.rows:
            ws.append([row.rank, row.department, row.total, *(row.scores.get(c) for c in codes)])
        ws.append([])
        ws.append(["发布时间", pq.published_at.strftime("%Y-%m-%d %H:%M")])
        for cell in ws[1]:
            cell.font = BOLD
        ws.column_dimensions["B"].width = 18
    method = wb.create_sheet(title="考核方法")
    method.append(["指标", "默认权重", "计算方法"])
    for cell in method[1]:
        cell.font = BOLD
    for indicator in INDICATORS:
        method.append([indicator.label, indicator.default_weight, indicator.method])
    method.append(["总分", "", TOTAL_METHOD])
    for pq in published:
        method.append([f"{pq.year}年第{pq.quarter}季度所用权重", "", _weights_text(pq)])
    method.column_dimensions["A"].width = 24
    method.column_dimensions["C"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _weights_text(pq: PublishedQuarter) -> str:
    weights = pq.snapshot["weights"]
    return "；".join(f"{i.label} {weights[i.code]}" for i in INDICATORS if i.code in weights)
