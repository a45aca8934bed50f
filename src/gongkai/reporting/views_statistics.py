"""The workbench's statistics page (统计): charts with their tables for a year, each table as XLSX."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongkai.org.access import staff_required
from gongkai.org.selectors import mailbox_name, organisation_name
from gongkai.reporting.stat_tables import STAFF_TABLES, StatTable, build
from gongkai.reporting.stat_xlsx import XLSX_TYPE, table_xlsx
from gongkai.reporting.statistics import year_statistics

FIRST_YEAR = 2019  # the first year of the 2019 regulations, and of any ledger gongkai holds


def parse_year(raw: str | None) -> tuple[int, str]:
    """The year asked for (default: this year) and a Chinese message when the input was not a usable year."""
    this_year = timezone.localdate().year
    if raw is None or raw == "":
        return this_year, ""
    if raw.isdigit() and FIRST_YEAR <= int(raw) <= this_year:
        return int(raw), ""
    return (
        this_year,
        f"年份“{raw[:10]}”无效：请选择 {FIRST_YEAR} 年至 {this_year} 年之间的年份。已显示 {this_year} 年。",
    )


RANKING_KEY = "ranking"


def ranking_history_slot() -> StatTable | None:
    """The published 考核排名 by quarter: quarters as rows, 科室 as columns, one line per 科室.

    Only published (frozen) quarters: a live quarter's scores still move, and the page shows history.
    """
    from gongkai.core.svg_charts import Series, line_chart
    from gongkai.ranking.selectors import ranking_history

    history = ranking_history()
    if not history:
        return None
    departments: list[str] = []
    for quarter in history:
        for score in quarter["scores"]:
            if score["department"] not in departments:
                departments.append(score["department"])
    totals = [{s["department"]: s["total"] for s in q["scores"]} for q in history]
    labels = [q["label"] for q in history]
    rows = [[label, *(t.get(d) for d in departments)] for label, t in zip(labels, totals, strict=True)]
    chart = line_chart(
        chart_id="chart-ranking",
        title="各科室考核总分（已发布的季度）",
        labels=[f"{q['year']}Q{q['quarter']}" for q in history],
        series=[Series(d, [t.get(d) for t in totals]) for d in departments],
        unit="分",
        top=100,
    )
    note = "总分按发布时冻结的记录和权重计算；未发布的季度不在此列。"
    return StatTable(RANKING_KEY, "考核排名的季度走势", ["季度", *departments], rows, note, (chart,))


def _tables(year: int) -> list[StatTable]:
    return build(STAFF_TABLES, year_statistics(year), mailbox_name=mailbox_name())


@staff_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    year, error = parse_year(request.GET.get("year"))
    this_year = timezone.localdate().year
    return render(
        request,
        "reporting/statistics.html",
        {
            "year": year,
            "error": error,
            "years": range(this_year, FIRST_YEAR - 1, -1),
            "tables": _tables(year),
            "ranking": ranking_history_slot(),
        },
        status=400 if error else 200,
    )


@staff_required
def statistics_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    year, error = parse_year(request.GET.get("year"))
    if key == RANKING_KEY and (ranking := ranking_history_slot()) is not None:
        table = ranking
    elif key not in STAFF_TABLES or error:
        raise Http404("没有该统计表")
    else:
        table = next(t for t in _tables(year) if t.key == key)
    heading = f"{organisation_name()} {year}年 {table.title}"
    response = HttpResponse(table_xlsx(table, heading=heading), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{year}年{table.title}.xlsx")
    return response
