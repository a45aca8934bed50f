"""工作数据: the office's disclosure work in figures, for the public (issue 14, point 3).

Aggregates of the ledger only — counts by month, outcome group, category — never a case, a name or a
reference; computed on each visit, so it moves as records change, and its yearly figures are those the
annual report will carry (``reporting.statistics``; tests tie them to Table 三).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongkai.org.selectors import current_organisation, mailbox_name
from gongkai.reporting.stat_tables import PUBLIC_TABLES, StatTable, build
from gongkai.reporting.stat_xlsx import XLSX_TYPE, table_xlsx
from gongkai.reporting.statistics import YearStatistics, year_statistics


def _tables(stats: YearStatistics) -> list[StatTable]:
    return build(PUBLIC_TABLES, stats, mailbox_name=mailbox_name(), prefix="pub-")


def statistics(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    stats = year_statistics(year)
    share = stats.on_time_share
    return render(
        request,
        "portal/statistics.html",
        {
            "org": current_organisation(),
            "year": year,
            "stats": stats,
            "on_time_pct": None if share is None else round(100 * share, 1),
            "tables": _tables(stats),
            "mailbox_name": mailbox_name(),
        },
    )


def statistics_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    if key not in PUBLIC_TABLES:
        raise Http404("没有该统计表")
    year = timezone.localdate().year
    table = next(t for t in _tables(year_statistics(year)) if t.key == key)
    org = current_organisation()
    heading = f"{org.name if org else ''} {year}年 {table.title}（截至 {timezone.localdate():%Y-%m-%d}）"
    response = HttpResponse(table_xlsx(table, heading=heading), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{year}年{table.title}.xlsx")
    return response
