"""The tables (and their charts) of the statistics pages, built from ``statistics.YearStatistics``.

A table is the single source of what a page shows: the chart is drawn from it, the page prints it under
the chart, and the XLSX download writes the same rows. The workbench page and the portal's 工作数据 choose
their tables by key (``STAFF_TABLES``, ``PUBLIC_TABLES``); none of them holds anything of a single case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from gongkai.annual_report.formats import APPLICANT_COLUMNS, OUTCOME_GROUPS
from gongkai.core.choices import Art20Category
from gongkai.core.svg_charts import Series, bar_chart, line_chart
from gongkai.reporting.statistics import MONTHS, YearStatistics

Value = int | float | str | None
MONTH_LABELS: tuple[str, ...] = tuple(f"{m}月" for m in MONTHS)
TOTAL = "合计"
CHART_SERIES = 8  # the palette of core.svg_charts
_NUMBERING = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass(frozen=True)
class StatTable:
    key: str
    title: str
    columns: Sequence[str]  # the header row, first cell included
    rows: Sequence[Sequence[Value]]  # each row: its label, then one value per remaining column
    note: str = ""
    charts: Sequence[SafeString] = field(default_factory=tuple)


def _col(rows: Sequence[Sequence[Value]], i: int) -> list[float | None]:
    """Column ``i`` of the twelve month rows, as a chart series' values."""
    return [v if isinstance(v, int | float) else None for v in (r[i] for r in rows[:12])]


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def requests_by_outcome(s: YearStatistics, prefix: str = "") -> StatTable:
    groups = [g.label for g in OUTCOME_GROUPS]
    rows: list[list[Value]] = []
    for m, label in zip(MONTHS, MONTH_LABELS, strict=True):
        values = [s.closed[m].get(g.key, 0) for g in OUTCOME_GROUPS]
        rows.append([label, *values, sum(values)])
    by_group = s.closed_by_group()
    rows.append([TOTAL, *(by_group[g.key] for g in OUTCOME_GROUPS), s.closed_total])
    chart = bar_chart(
        chart_id=f"{prefix}chart-outcome",
        title=f"{s.year}年每月办结的政府信息公开申请（按办理结果）",
        labels=MONTH_LABELS,
        series=[Series(g.label, _col(rows, i + 1)) for i, g in enumerate(OUTCOME_GROUPS)],
    )
    return StatTable(
        "outcome",
        "每月办结申请（按办理结果）",
        ["月份", *groups, TOTAL],
        rows,
        note="按办结日期计；合计行与年度报告表三各项办理结果及总计一致。",
        charts=(chart,),
    )


def requests_by_applicant(s: YearStatistics, prefix: str = "") -> StatTable:
    kinds = [c for c in APPLICANT_COLUMNS if c.key != "total"]
    rows: list[list[Value]] = []
    for m, label in zip(MONTHS, MONTH_LABELS, strict=True):
        values = [s.received[m].get(c.key, 0) for c in kinds]
        rows.append([label, *values, sum(values)])
    totals = s.received_by_applicant()
    rows.append([TOTAL, *(totals[c.key] for c in kinds), s.received_total])
    chart = bar_chart(
        chart_id=f"{prefix}chart-applicant",
        title=f"{s.year}年每月收到的政府信息公开申请（按申请人类型）",
        labels=MONTH_LABELS,
        series=[Series(c.label, _col(rows, i + 1)) for i, c in enumerate(kinds)],
    )
    return StatTable(
        "applicant",
        "每月收到申请（按申请人类型）",
        ["月份", *(c.label for c in kinds), TOTAL],
        rows,
        note="按收到申请之日计；合计行与年度报告表三的本年新收申请数一致。",
        charts=(chart,),
    )


def timeliness(s: YearStatistics, prefix: str = "") -> StatTable:
    rows: list[list[Value]] = []
    for m, label in zip(MONTHS, MONTH_LABELS, strict=True):
        d = s.answer_days[m]
        timed, on_time = s.answered_timed[m], s.answered_on_time[m]
        rows.append([label, timed, on_time, _pct(on_time, timed), d.median])
    year = s.answer_days_year()
    rows.append([TOTAL, s.timed_total, s.on_time_total, _pct(s.on_time_total, s.timed_total), year.median])
    rate = line_chart(
        chart_id=f"{prefix}chart-ontime",
        title=f"{s.year}年每月按期答复率",
        labels=MONTH_LABELS,
        series=[Series("按期答复率", _col(rows, 3))],
        unit="%",
        top=100,
    )
    median = line_chart(
        chart_id=f"{prefix}chart-median",
        title=f"{s.year}年每月答复用时中位数（工作日）",
        labels=MONTH_LABELS,
        series=[Series("答复用时中位数", _col(rows, 4))],
        unit="工作日",
    )
    return StatTable(
        "timeliness",
        "按期答复率与答复用时",
        ["月份", "已答复（有答复期限）", "在法定期限内答复", "按期答复率（%）", "答复用时中位数（工作日）"],
        rows,
        note=(
            "按答复日期计，只计出具告知书的申请。答复用时自收到申请之日（经补正的，自收到补正后申请之日）"
            "起算，含征求意见、缴费等不计入法定期限的时间。"
        ),
        charts=(rate, median),
    )


def _category_short(label: str) -> str:
    match = _NUMBERING.match(label)
    return match.group(0) if match else label


def _top_series(rows: Sequence[Sequence[Value]], keep: int = CHART_SERIES) -> list[Series]:
    """The ``keep`` categories with most items as their own series, the rest as one: more colours than the
    palette's would repeat, and a repeated colour makes a chart lie. The table has every category."""
    ranked = sorted(rows, key=lambda r: -int(r[-1] or 0))
    top = ranked if len(ranked) <= keep else ranked[: keep - 1]
    shown = [r for r in rows if r in top]  # in the statute's order, as the table lists them
    series = [Series(_category_short(str(r[0])), [int(v or 0) for v in r[1:13]]) for r in shown]
    rest = [r for r in ranked if r not in shown]
    if rest:
        series.append(Series("其他类别", [sum(int(r[i] or 0) for r in rest) for i in range(1, 13)]))
    return series


def publications(s: YearStatistics, prefix: str = "") -> StatTable:
    cats = [c for c in Art20Category if any(s.publications[m].get(c.value, 0) for m in MONTHS)]
    rows: list[list[Value]] = []
    for c in cats:
        values = [s.publications[m].get(c.value, 0) for m in MONTHS]
        rows.append([str(c.label), *values, sum(values)])
    monthly = [sum(s.publications[m].values()) for m in MONTHS]
    rows.append([TOTAL, *monthly, s.publications_total])
    chart = bar_chart(
        chart_id=f"{prefix}chart-publications",
        title=f"{s.year}年每月主动公开的政府信息（按《条例》第二十条类别）",
        labels=MONTH_LABELS,
        series=_top_series(rows[:-1]),
        unit="条",
    )
    return StatTable(
        "publications",
        "每月主动公开（按类别）",
        ["类别", *MONTH_LABELS, TOTAL],
        rows,
        note="按公开日期计；合计即年度报告“主动公开政府信息”条数。",
        charts=(chart,),
    )


def mailbox(s: YearStatistics, prefix: str = "", name: str = "信箱") -> StatTable:
    rows: list[list[Value]] = []
    for m, label in zip(MONTHS, MONTH_LABELS, strict=True):
        rows.append([label, s.letters_received[m], s.letters_replied[m], s.letter_days[m].median])
    rows.append(
        [
            TOTAL,
            sum(s.letters_received.values()),
            sum(s.letters_replied.values()),
            s.letter_days_year().median,
        ]
    )
    counts = bar_chart(
        chart_id=f"{prefix}chart-letters",
        title=f"{s.year}年每月{name}来信与答复",
        labels=MONTH_LABELS,
        series=[Series("来信", _col(rows, 1)), Series("答复", _col(rows, 2))],
        unit="件",
        stacked=False,
    )
    days = line_chart(
        chart_id=f"{prefix}chart-letter-days",
        title=f"{s.year}年{name}答复用时中位数（工作日）",
        labels=MONTH_LABELS,
        series=[Series("答复用时中位数", _col(rows, 3))],
        unit="工作日",
    )
    return StatTable(
        "mailbox",
        f"{name}来信与答复用时",
        ["月份", "收到来信", "答复", "答复用时中位数（工作日）"],
        rows,
        note=f"来信按收信日期、答复按答复日期计；本年收到 {s.letters_received_total} 件，"
        f"其中已办结 {s.letters_completed_total} 件（即年度报告所载数字）。",
        charts=(counts, days),
    )


def public_summary(s: YearStatistics, prefix: str = "", name: str = "信箱") -> StatTable:
    share = s.on_time_share
    rows: list[list[Value]] = [
        ["本年收到政府信息公开申请", s.received_total, "件"],
        ["本年办结政府信息公开申请", s.closed_total, "件"],
        ["在法定期限内答复的比例", None if share is None else round(100 * share, 1), "%"],
        ["本年主动公开政府信息", s.publications_total, "条"],
        [f"本年{name}收到来信", s.letters_received_total, "件"],
        ["其中已办结", s.letters_completed_total, "件"],
    ]
    return StatTable("summary", "年度概况", ["项目", "数量", "单位"], rows)


TableFn = Callable[..., StatTable]
STAFF_TABLES: dict[str, TableFn] = {
    "outcome": requests_by_outcome,
    "applicant": requests_by_applicant,
    "timeliness": timeliness,
    "publications": publications,
    "mailbox": mailbox,
}
PUBLIC_TABLES: dict[str, TableFn] = {
    "summary": public_summary,
    "outcome": requests_by_outcome,
    "publications": publications,
    "mailbox": mailbox,
}


_NAMES_MAILBOX = {"mailbox", "summary"}


def build(
    tables: dict[str, TableFn], s: YearStatistics, *, mailbox_name: str, prefix: str = ""
) -> list[StatTable]:
    out = []
    for key, fn in tables.items():
        out.append(fn(s, prefix, mailbox_name) if key in _NAMES_MAILBOX else fn(s, prefix))
    return out
