"""A8–A11: the report has the statutory shape, the right format for its year, sane units and cells."""

from __future__ import annotations

import unicodedata
from collections.abc import ValuesView
from decimal import Decimal
from functools import cache, lru_cache
from typing import cast

from gongkai.annual_report.formats import (
    OUTCOME_GROUP_BY_KEY,
    SECTIONS,
    TEXT_SECTION_KEYS,
    UnknownFormat,
    format_for_year,
)
from gongkai.annual_report.model import GROUP_TOTAL_ROWS, AnnualReport

from .base import ERROR, TABLE_NAMES, WARNING, Cells, Finding

_TABLES = ("proactive", "requests", "appeals")
_FOUR_PLACES = -4
_YUAN_THRESHOLD = Decimal(10000)


@lru_cache(maxsize=1024)
def normalise_heading(text: str) -> str:
    """Headings compare equal across full-width/half-width forms and stray spaces."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace()).rstrip(":：。.")


@cache
def _heading_forms(key: str) -> frozenset[str]:
    section = next(s for s in SECTIONS if s.key == key)
    return frozenset(normalise_heading(h) for h in (section.heading, *section.aliases))


# -- A8 ---------------------------------------------------------------------------------------------


def has_content(text: str) -> bool:
    """Whether a section's text says anything: a letter, a digit or a Chinese character.

    Whitespace and punctuation alone ("", "。", "——", "/") are empty. "无" and
    "本年度无其他需要报告的事项" are content: for 六、其他需要报告的事项 saying there is nothing to report is
    an answer. Whether 五's text is more than a formality is A15's question, not A8's."""
    return any(ch.isalnum() for ch in text)


# Headings found, of six, before a missing one counts as absent rather than unread.
_HEADINGS_FOR_JUDGEMENT = 4


def _section_number(heading: str) -> str:
    return heading.split("、")[0]


def check_sections(cells: Cells) -> list[Finding]:
    """A8: all six sections present and, when the headings were recorded, statutory and in order; a
    text section (一、五、六) whose heading was found but with nothing under it is an error too.

    Sections 二、三、四 hold a table: the reader keeps only their prose in ``sections`` (the table goes to
    ``report.proactive`` / ``requests`` / ``appeals``), so their prose may rightly be empty. One of them is
    empty when it has neither prose nor its table, and that is ``check_tables``' "缺少表X" finding."""
    report = cells.report
    findings = []
    # A document the reader could not read with confidence (most headings unfound, or a table with
    # gaps: a conversion that lost structure) says nothing about which sections are absent.
    reading = report.reading
    judged = reading is None or (reading.headings_found >= _HEADINGS_FOR_JUDGEMENT and not reading.unsure)
    for section in cells.fmt.sections:
        number = _section_number(section.heading)
        if section.key not in report.sections:
            if not judged or (section.key in _TABLES and report.table(section.key)):
                continue  # unread, or a heading the reader missed above a table it did read
            findings.append(
                cells.finding(
                    "A8",
                    ERROR,
                    "sections",
                    section.key,
                    "",
                    section.heading,
                    None,
                    f"缺少第{number}部分“{section.heading}”",
                )
            )
        elif section.key in TEXT_SECTION_KEYS and not has_content(report.sections[section.key]):
            findings.append(
                cells.finding(
                    "A8",
                    ERROR,
                    "sections",
                    section.key,
                    "",
                    section.heading,
                    "",
                    f"第{number}部分“{section.heading}”只有标题，没有内容"
                    + ("（无其他事项也应写明“无”）" if section.key == "other" else ""),
                )
            )
    if report.headings is not None:
        findings += _check_headings(cells, report.headings)
    return findings


def _check_headings(cells: Cells, headings: list[str]) -> list[Finding]:
    """Wording (warning) and order (error) of the printed headings. A missing section is
    ``check_sections``' finding; a heading worded or numbered otherwise still marks its section."""
    sections = cells.fmt.sections
    forms = {s.key: _heading_forms(s.key) for s in sections}
    keys_in_order = list(cells.report.sections)
    # A reader stores one section per printed heading, in the order printed; for a report from
    # JSON the two lists need not line up, and a heading is then named by its wording alone.
    aligned = len(keys_in_order) == len(headings)
    matched: dict[str, int] = {}
    findings = []
    for i, heading in enumerate(headings):
        norm = normalise_heading(heading)
        key = next((k for k, f in forms.items() if norm in f and k not in matched), None)
        if key is not None:
            matched[key] = i
            continue
        statutory = next((s for s in sections if aligned and s.key == keys_in_order[i]), None)
        if statutory is not None and not heading:
            matched[statutory.key] = i
            message = f"“{statutory.heading}”的内容没有印出标题"
        elif statutory is not None:
            matched[statutory.key] = i
            message = f"标题“{heading}”与法定标题“{statutory.heading}”的措辞或编号不同"
        else:
            message = f"标题“{heading}”不是法定格式的章节标题"
        findings.append(
            cells.finding(
                "A8",
                WARNING,
                "sections",
                statutory.key if statutory else "",
                "",
                statutory.heading if statutory else None,
                heading,
                message,
                row_label="" if statutory is None else None,
            )
        )
    order = [k for k, _ in sorted(matched.items(), key=lambda kv: kv[1])]
    statutory_order = [s.key for s in sections if s.key in matched]
    if order != statutory_order:
        printed = "、".join(headings[matched[k]] for k in order)
        findings.append(
            cells.finding(
                "A8",
                ERROR,
                "sections",
                "",
                "",
                "、".join(cells.row_label("sections", k) for k in statutory_order),
                printed,
                f"章节顺序与法定格式不符：报告顺序为 {printed}",
                row_label="",
            )
        )
    return findings


def check_tables(cells: Cells) -> list[Finding]:
    """A8: the three tables are present with every non-optional row of the format."""
    findings = _group_rows(cells)
    reading = cells.report.reading
    for table in _TABLES:
        if reading is not None and not reading.sure_of(table):
            continue  # the reader left part of this table unplaced: a gap in the reading, not the report
        data = cells.report.table(table)
        if not data:
            findings.append(
                cells.finding(
                    "A8",
                    ERROR,
                    table,
                    "",
                    "",
                    None,
                    None,
                    f"缺少{TABLE_NAMES[table]}（{_table_title(table)}）" + _empty_section_note(cells, table),
                    row_label="",
                )
            )
            continue
        for row in _required_rows(cells, table):
            if _row_present(cells, table, row):
                continue
            findings.append(
                cells.finding(
                    "A8",
                    ERROR,
                    table,
                    row,
                    "",
                    None,
                    None,
                    f"{cells.name(table, row)}：缺少此行",
                )
            )
    return findings


def _empty_section_note(cells: Cells, table: str) -> str:
    """A table section with its heading but neither table nor prose is empty: say so in the one finding."""
    prose = cells.report.sections.get(table)
    if prose is None or has_content(prose):
        return ""
    heading = cells.row_label("sections", table)
    return f"，第{_section_number(heading)}部分“{heading}”只有标题，没有内容"


def _table_title(table: str) -> str:
    return {"proactive": "主动公开政府信息情况", "requests": "收到和处理政府信息公开申请情况"}.get(
        table, "政府信息公开行政复议、行政诉讼情况"
    )


def _required_rows(cells: Cells, table: str) -> list[str]:
    if table == "proactive":
        return cells.fmt.proactive_row_keys(include_optional=False)
    if table == "requests":
        return [row.key for row in cells.fmt.request_rows]
    return list(cells.labels.schemas[table])


def _row_present(cells: Cells, table: str, row: str) -> bool:
    data = cells.report.table(table)
    if row in data:
        return True
    group = cells.fmt.request_row(row).group_key if table == "requests" else ""
    if group in GROUP_TOTAL_ROWS and group in data:
        return True  # the group printed as one total row: A8's format warning says so
    # A parent row such as 其他对外管理服务事项 may be printed only through its local sub-rows.
    return table == "proactive" and any(sub in data for sub in cells.labels.sub_rows.get(row, ()))


def _group_rows(cells: Cells) -> list[Finding]:
    """A8 (warning): a 2021 report that printed （六）其他处理 as one row, the 2019 habit. Its
    total is read and checked; the three sub-rows the format asks for cannot be."""
    requests = cells.report.requests
    statutory = {row.key for row in cells.fmt.request_rows}
    return [
        cells.finding(
            "A8",
            WARNING,
            "requests",
            group,
            "",
            "、".join(
                cells.row_label("requests", k) for k in sorted(r.key for r in cells.fmt.group_rows(group))
            ),
            "一行合计",
            f"表三“{OUTCOME_GROUP_BY_KEY[group].label}”印成了一行（2019 版写法），{cells.fmt.id} 版应分项填报",
        )
        for group in GROUP_TOTAL_ROWS
        if group in requests and group not in statutory
    ]


# -- A9 ---------------------------------------------------------------------------------------------


def check_format_year(report: AnnualReport, cells: Cells | None) -> list[Finding]:
    """A9: the format matches the report year (2019 for 2019–2020, 2021 from 2021 on)."""
    try:
        expected = format_for_year(report.year)
    except UnknownFormat as exc:
        message = f"报告年度 {report.year}：{exc}"
        expected_id: str | None = None
    else:
        if expected == report.format:
            return []
        expected_id = expected
        message = f"{report.year} 年度报告应使用 {expected} 版格式，报告使用的是 {report.format} 版格式"
    if cells is None:
        return [Finding("A9", ERROR, "", "", "", "", "", expected_id, report.format, message)]
    return [cells.finding("A9", ERROR, "", "", "", expected_id, report.format, message, row_label="")]


# -- A10 --------------------------------------------------------------------------------------------


def check_units(cells: Cells) -> list[Finding]:
    """A10: 万元 amounts — four decimals in the Beijing 2019 variant, and no amount that looks like 元."""
    findings = []
    for block in cells.fmt.proactive:
        for col in block.columns:
            if col.kind != "money":
                continue
            for row in block.rows:
                value = cells.report.proactive.get(row.key, {}).get(col.key)
                if not isinstance(value, Decimal):
                    continue
                name = cells.name("proactive", row.key, col.key)
                if cells.fmt.variant == "beijing" and value.as_tuple().exponent != _FOUR_PLACES:
                    findings.append(
                        cells.finding(
                            "A10",
                            WARNING,
                            "proactive",
                            row.key,
                            col.key,
                            str(value.quantize(Decimal("0.0001"))),
                            str(value),
                            f"{name}：应以万元为单位保留四位小数，报告为 {value}",
                        )
                    )
                # Written without decimals and this large: most likely copied in 元 (上海 2019: "251000元").
                exponent = value.as_tuple().exponent
                if isinstance(exponent, int) and exponent >= 0 and value >= _YUAN_THRESHOLD:
                    as_wan = (value / _YUAN_THRESHOLD).quantize(Decimal("0.0001"))
                    findings.append(
                        cells.finding(
                            "A10",
                            WARNING,
                            "proactive",
                            row.key,
                            col.key,
                            str(as_wan),
                            str(value),
                            f"{name}：单位应为万元，报告的 {value} 疑似以元为单位（折合 {as_wan} 万元）",
                        )
                    )
    return findings


# -- A11 --------------------------------------------------------------------------------------------


def check_cells(cells: Cells) -> list[Finding]:
    """A11: blank and unreadable cells (warnings) and negative counts or amounts (errors)."""
    findings = []
    labels = cells.labels
    sub_rows = labels.sub_rows
    # A blank or unreadable cell's finding depends on the format alone: built once, then shared
    # (findings are immutable). Reports leave dozens of cells blank.
    known = labels.cell_findings
    signed = labels.signed_rows
    for table in _TABLES:
        data = cells.report.table(table)
        schema = labels.schemas[table]
        for row, kinds in schema.items():
            if row not in data:
                continue  # a missing row is A8's; a missing optional row is fine
            if table == "proactive" and any(sub in data for sub in sub_rows.get(row, ())):
                continue  # the sub-rows carry this row's figures
            values = data[row]
            if (
                values.keys() == kinds.keys()
                and (table, row) not in signed
                and None not in values.values()
                and min(cast("ValuesView[int | Decimal]", values.values())) >= 0
            ):
                continue  # every cell there, none blank or negative: the common row, tested in C
            for column, kind in kinds.items():
                present = values.get(column)
                if present is not None and (kind == "signed" or present >= 0):
                    continue
                if present is None:
                    missing = column not in values
                    if missing and cells.report.reading is not None:
                        continue  # unread, not unprinted: the reader's note says where, no rule judges it
                    try:
                        findings.append(known[(table, row, column, missing)])
                    except KeyError:
                        finding = _blank_finding(cells, table, row, column, missing)
                        known[(table, row, column, missing)] = finding
                        findings.append(finding)
                elif kind != "signed" and present < 0:
                    findings.append(
                        cells.finding(
                            "A11",
                            ERROR,
                            table,
                            row,
                            column,
                            None,
                            str(present) if isinstance(present, Decimal) else present,
                            f"{cells.name(table, row, column)}：不应为负数，报告为 {present}",
                        )
                    )
    return findings


def _blank_finding(cells: Cells, table: str, row: str, column: str, missing: bool) -> Finding:
    name = cells.name(table, row, column)
    message = f"{name}：未能读取该单元格" if missing else f"{name}：单元格空白（应填写数字，无则填 0）"
    return cells.finding("A11", WARNING, table, row, column, None, None, message)
