"""Lines of tokens → ``(AnnualReport, [ParseNote])``: the one assembler behind every front end.

The front ends (plain text, PDF, DOCX, HTML) only cut their input into lines of tokens in reading
order. This module finds the six section headings, the region of each table, and inside a table the
statutory row labels; a row's values are the value tokens that follow its label until the next label.
Labels are recognised by ``labels.LabelMatcher`` (never by position alone), so broken labels,
vertical headers split into characters, group labels printed between rows, pages cut through a table
and sub-tables with generic headers all read the same way.

Values are placed in columns by count when a row has all of them, by horizontal position (against
the nearest complete row) when it has fewer, and left to right only when the tokens are real table
cells. A blank cell is ``None``; a value that cannot be read or placed is left out and a ``ParseNote``
says where and why. Nothing is ever filled with 0.
"""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.annual_report.formats import FIRST_FORMAT_YEAR, SECTIONS, get_format
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.parsing.assemble.appeals import read_appeals
from gongkai.annual_report.parsing.assemble.coverage import cut_tables, reading_of
from gongkai.annual_report.parsing.assemble.document import TABLE_NAMES, DocLine, clean_lines
from gongkai.annual_report.parsing.assemble.placing import TableResult
from gongkai.annual_report.parsing.assemble.prose import section_texts
from gongkai.annual_report.parsing.assemble.sections import (
    find_headings,
    table_regions,
    with_unheaded_overview,
)
from gongkai.annual_report.parsing.assemble.tables import read_proactive, read_requests
from gongkai.annual_report.parsing.base import Line, ParseNote, UnreadableReport
from gongkai.annual_report.parsing.detect import Detection, detect, expected_columns
from gongkai.annual_report.parsing.labels import body_key

# -- assembling ------------------------------------------------------------------------------------


def missing_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return "、".join(names[:-1]) + " 和 " + names[-1]


def _titled_report_with_tables(doc: list[DocLine], detection: Detection) -> bool:
    """A document titled as an annual report whose Table 三 wording is there although no cell could
    be read (a conversion that ran every cell together): a report read with nothing placed, whose
    status says so, rather than "not a report"."""
    if not detection.year_from_title:
        return False
    text = "".join(d.norm for d in doc)
    fmt = get_format(detection.format, detection.variant)
    return all(body_key(fmt.request_row(key).label) in text for key in ("new_received", "carried_forward"))


def _report_year(detection: Detection) -> int:
    year = detection.year
    if year is None:
        raise UnreadableReport("无法确定报告年度：标题和正文中都没有“某某年”")
    if year < FIRST_FORMAT_YEAR:
        raise UnreadableReport(
            f"这是 {year} 年度的报告：法定格式（国办公开办函〔2019〕60号）自 {FIRST_FORMAT_YEAR} 年度起适用，"
            "更早的报告格式不同，不在审核范围"
        )
    return year


def assemble(lines: Sequence[Line], *, source: str = "") -> tuple[AnnualReport, list[ParseNote]]:
    """The annual report in ``lines`` and the notes on everything that could not be read exactly.

    Raises ``UnreadableReport`` (one line, in Chinese) when the lines are not an annual report."""
    doc = clean_lines(lines)
    if not any(d.text.strip() for d in doc):
        raise UnreadableReport("报告为空：没有可读取的文字")
    detection = detect([d.text for d in doc])
    headings = with_unheaded_overview(doc, find_headings(doc), detection.title_line)
    fmt = get_format(detection.format, detection.variant)
    regions = table_regions(doc, headings)
    notes: list[ParseNote] = []
    readers = {"proactive": read_proactive, "requests": read_requests, "appeals": read_appeals}
    results: dict[str, TableResult] = {}
    table_lines: set[int] = set()
    for key, read in readers.items():
        if key in regions:
            result, lines_used = read(doc, regions[key], fmt)
            results[key] = result
            table_lines |= lines_used
    found_tables = [k for k in readers if k in results and any(results[k].data.values())]
    if not found_tables and len(headings) < 3 and not _titled_report_with_tables(doc, detection):
        missing = [TABLE_NAMES[k] for k in readers]
        found = f"；法定的六个章节标题只找到 {len(headings)} 个" if headings else ""
        raise UnreadableReport(f"不是政府信息公开工作年度报告：未找到 {missing_list(missing)}{found}")
    year = _report_year(detection)
    where_title = doc[detection.title_line].where if detection.title_line is not None else ""
    if not detection.year_from_title:
        notes.append(
            ParseNote(
                "year_inferred",
                f"标题中没有报告年度，按正文推断为 {year} 年",
                severity="warning",
            )
        )
    organisation = detection.organisation
    if not organisation:
        organisation = "未识别的机关"
        notes.append(ParseNote("organisation_missing", "没有找到发布机关的名称（标题中应写明）", where_title))
    for key in readers:
        if key not in found_tables:
            notes.append(
                ParseNote(
                    "table_missing", f"没有找到{TABLE_NAMES[key]}或其中的数值", table=key, severity="warning"
                )
            )
    found_keys = {h.key for h in headings}
    for section in SECTIONS:
        if section.key not in found_keys:
            notes.append(
                ParseNote("section_missing", f"没有找到章节标题“{section.heading}”", severity="warning")
            )
    report = AnnualReport(
        organisation=organisation,
        year=year,
        format=fmt.id,
        variant=fmt.variant,
        published_on=detection.published_on,
        sections=section_texts(doc, headings, table_lines, detection),
        headings=[h.printed for h in headings] if headings else None,
    )
    for key, result in results.items():
        setattr(report, key, {row: cells for row, cells in result.data.items()})
        notes.extend(result.notes)
        report.provenance.update(result.provenance)
    notes += cut_tables(regions, len(doc), detection.title_line, report, fmt)
    report.reading = reading_of(report, fmt, notes, len(headings))
    if source:
        notes = [
            ParseNote(n.code, n.message, n.where or source, n.table, n.row, n.column, n.severity)
            for n in notes
        ]
    return report, notes


__all__ = ["TABLE_NAMES", "assemble", "expected_columns"]
