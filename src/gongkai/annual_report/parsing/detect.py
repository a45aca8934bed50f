"""What a document is, from its content: report year, organisation, format (2019/2021) and variant,
publication date when it states one, and how many values each table row should carry.

Everything is decided from the text, never from a file name: the title line(s) give year and
organisation, the column headers and row wording give the format (2021 replaced Table 二's columns
and split （六）其他处理), and the procurement header "万元，保留四位小数" marks the Beijing variant.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.annual_report.formats import BEIJING_MARKER, ReportFormat, format_for_year, format_markers
from gongkai.annual_report.parsing.labels import cn_numeral_value, match_heading_normalized, normalize

_YEAR = r"(\d{4}|[〇零一二三四五六七八九]{4})"
_TITLE = re.compile(rf"(?:关于)?{_YEAR}年度?(.*?)政府信息(?:与政务)?公开(?:工作)?(?:年度)?(?:工作)?报告")
_TITLE_YEAR_AFTER = re.compile(rf"^(.*?)政府信息(?:与政务)?公开(?:工作)?(?:年度)?报告\(?{_YEAR}年?度?\)?")
_PERIOD = re.compile(r"(?:统计期限|统计时限|统计期间|统计时间)[^。]{0,12}?(\d{4})年0?1月0?1日")
_ANY_YEAR = re.compile(r"(20\d{2})年")
_LABELLED_DATE = re.compile(
    r"(?:发布|公开|成文|印发|生成)(?:日期|时间)[:：]?\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})"
)
_DATE_LINE = re.compile(r"^[(（]?\s*(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?\s*[)）]?$")
_ORG_SUFFIXES = (
    "人民政府",
    "政府",
    "办公厅",
    "办公室",
    "办事处",
    "街道",
    "委员会",
    "管委会",
    "局",
    "厅",
    "委",
    "署",
    "院",
    "镇",
    "乡",
    "中心",
    "办",
)
_ORG_STRIP = " \t:：-—#*|()（）《》的"

# Wording that exists in only one format, compared without spaces.
MARKERS_2021 = format_markers("2021")
MARKERS_2019 = format_markers("2019")


@dataclass(frozen=True)
class Detection:
    organisation: str  # "" when the document does not say
    year: int | None
    format: str
    variant: str
    published_on: dt.date | None
    year_from_title: bool  # False: the year was inferred from elsewhere in the text
    title_line: int | None  # index of the line that completes the title


def detect(lines: Sequence[str]) -> Detection:
    """Year, organisation, format/variant and publication date of the document in ``lines``."""
    year, organisation, title_line = _title(lines)
    year_from_title = year is not None
    raw = "".join(lines)
    if year is None:
        year = infer_year(normalize(raw))
    if organisation and organisation.endswith("街道") and f"{organisation}办事处" in raw:
        organisation += "办事处"
    if not organisation:
        organisation = _signature_organisation(lines, title_line)
    # Markers live in table headers, which may be letter-spaced: compare without any whitespace.
    fmt, variant = detect_format("".join(raw.split()), year)
    return Detection(
        organisation=organisation,
        year=year,
        format=fmt,
        variant=variant,
        published_on=detect_published_on(lines, year),
        year_from_title=year_from_title,
        title_line=title_line,
    )


def detect_format(norm_text: str, year: int | None) -> tuple[str, str]:
    """``(format id, variant)`` from the wording of the tables; the year breaks a tie."""
    score_2021 = sum(1 for m in MARKERS_2021 if m in norm_text)
    score_2019 = sum(1 for m in MARKERS_2019 if m in norm_text)
    if score_2021 > score_2019:
        fmt = "2021"
    elif score_2019 > score_2021:
        fmt = "2019"
    else:
        fmt = format_for_year(year) if year and year >= 2019 else "2019"
    variant = "beijing" if fmt == "2019" and BEIJING_MARKER in norm_text else "national"
    return fmt, variant


def _year_of(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return cn_numeral_value(text)


# Saved web pages print their metadata as "标题：…" / "发布机构：…": the label is not the name.
_FIELD_LABEL = re.compile(r"^(?:标题|题名|名称|文件名|发布机构|发文机关|来源)[:：]")


def _clean_org(text: str) -> str:
    org = _FIELD_LABEL.sub("", text.strip(_ORG_STRIP)).strip(_ORG_STRIP)
    return org if 2 <= len(org) <= 40 else ""


def _title(lines: Sequence[str]) -> tuple[int | None, str, int | None]:
    """Year and organisation from the title, which may be spread over a few short lines."""
    window: list[str] = []
    found_year: int | None = None
    found_line: int | None = None
    for i, line in enumerate(lines[:60]):
        if len(line) > 200:
            window = []
            continue
        text = normalize(line)
        if not text:
            continue
        if match_heading_normalized(text) is not None:
            break
        if len(text) > 80:
            window = []
            continue
        window = [*window[-2:], text]
        for k in range(1, len(window) + 1):
            joined = "".join(window[-k:])
            year, org = _title_parts(joined)
            if year is None:
                continue
            if found_year is None:
                found_year, found_line = year, i
            if org:
                return year, org, i
        if found_year is not None and i - (found_line or 0) > 3:
            break
    return found_year, "", found_line


def _title_parts(text: str) -> tuple[int | None, str]:
    m = _TITLE.search(text)
    if m:
        year = _year_of(m.group(1))
        if year is not None and 1990 < year < 2200:
            return year, _clean_org(text[: m.start()]) or _clean_org(m.group(2))
    m = _TITLE_YEAR_AFTER.search(text)
    if m:
        year = _year_of(m.group(2))
        if year is not None and 1990 < year < 2200:
            return year, _clean_org(m.group(1))
    return None, ""


def infer_year(norm_text: str) -> int | None:
    """The report year when the title does not give it: the statistics period, else the most
    frequent year mentioned near the start."""
    m = _PERIOD.search(norm_text)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for y in _ANY_YEAR.findall(norm_text[:6000]) if 2000 <= int(y) < 2200)
    if not years:
        return None
    return years.most_common(1)[0][0]


def _signature_organisation(lines: Sequence[str], title_line: int | None) -> str:
    start = (title_line or 0) + 1
    candidates = [*lines[start : start + 6], *reversed(lines[-8:])]
    for line in candidates:
        text = normalize(line)
        if 2 <= len(text) <= 30 and text.endswith(_ORG_SUFFIXES) and not re.search(r"\d", text):
            return _clean_org(text)
    return ""


def _date(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def detect_published_on(lines: Sequence[str], year: int | None) -> dt.date | None:
    """The publication date when the document states one: a labelled date (发布日期：…) or a date
    standing alone near the title or in the signature. Dates outside the report year and the next
    one are statistics periods or citations, not the publication."""

    def plausible(date: dt.date | None) -> bool:
        return date is not None and (year is None or year <= date.year <= year + 1)

    head = list(lines[:40])
    for line in head:
        if len(line) > 200 or ("日期" not in line and "时间" not in line):
            continue
        m = _LABELLED_DATE.search(line)
        if m and plausible(date := _date(*m.groups())):
            return date
    tail = [line for line in lines[-10:] if line.strip()]
    for line in [*head[:15], *reversed(tail)]:
        if len(line) > 40:
            continue
        m = _DATE_LINE.match(line.strip())
        if m and plausible(date := _date(*m.groups())):
            return date
    return None


def expected_columns(fmt: ReportFormat) -> dict[str, dict[str, int]]:
    """How many values each row of each table carries in ``fmt``: table → row key → count."""
    proactive = {row.key: len(block.columns) for block in fmt.proactive for row in block.rows}
    requests = {row.key: len(fmt.request_columns) for row in fmt.request_rows}
    appeals = {group.key: len(fmt.appeal_columns) for group in fmt.appeal_groups}
    return {"proactive": proactive, "requests": requests, "appeals": appeals}
