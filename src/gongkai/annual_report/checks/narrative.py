"""A7: figures stated in 一、总体情况 against Tables 三 and 四.

Only phrasings whose meaning is unambiguous are read ("受理政府信息公开申请859件", "不予公开35件",
"结转下一年 31 件", "行政复议7件，诉讼9件，均获维持"): a number that cannot be attributed to a cell
is ignored, because a false alarm in a published report costs more than a missed one. Blank cells
count as 0 here (reports that leave cells blank mean 0); unreadable cells make a figure unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.annual_report.formats import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    APPEAL_OUTCOME_KEYS,
    APPLICANT_COLUMNS,
    APPLICANT_KEYS,
    GRANTED,
    LEGAL_PERSONS_HEADER,
    LITIGATION_GROUPS,
    LITIGATION_HEADER,
    NOT_PROCESSED,
    OTHER,
    PARTIAL,
    REFUSED,
    REQUEST_ROWS_2021,
    UNAVAILABLE,
)
from gongkai.annual_report.model import AnnualReport, Cell

from .base import WARNING, Cells, Finding, as_int
from .numbers import NUMBER, fold, paragraphs, parse_count, sentences

_PUNCT = "，,。；;：:、（）()"


def _gap(limit: int) -> str:
    return rf"(?P<gap>[^{_PUNCT}\d]{{0,{limit}}}?)"


_COUNT = rf"{NUMBER}\s*件"
_GENERAL_FORBIDDEN = (
    "较",
    "同比",
    "环比",
    "增加",
    "减少",
    "增长",
    "下降",
    "占",
    "比例",
    "其中",
    "平均",
    "日均",
    "每",
    "案件",
    "信件",
    "来信",
    "信访",
    "咨询",
    "投诉",
    "举报",
    "建议",
    "提案",
    "分别",
)
_OUTCOME_FORBIDDEN = (*_GENERAL_FORBIDDEN, "公开", "提供", "处理", "部分")
_APPROXIMATE_BEFORE = ("约", "近", "逾", "超过", "超", "余", "不足", "不到", "上百", "上千")
_APPROXIMATE_AFTER = ("以上", "左右", "之多", "余", "多")


@dataclass(frozen=True)
class _Claim:
    kind: str
    pattern: re.Pattern[str]
    scope: str  # where 申请 must be mentioned: "sentence", "paragraph" or "" (nowhere)
    forbidden: tuple[str, ...] = _GENERAL_FORBIDDEN
    gap_must_contain: str = ""
    not_after: tuple[str, ...] = ()  # words that, just before the match, change who the figure is about
    # Every match contains one of these words (and 件 when ``counted``): a sentence without them is
    # not searched. Most sentences have none, and running 17 patterns over each was A7's whole cost.
    hints: tuple[str, ...] = ()
    counted: bool = False


def _claim(
    kind: str,
    pattern: str,
    scope: str,
    hints: tuple[str, ...],
    *,
    forbidden: tuple[str, ...] = _GENERAL_FORBIDDEN,
    gap_must_contain: str = "",
    not_after: tuple[str, ...] = (),
) -> _Claim:
    counted = _COUNT in pattern
    return _Claim(kind, re.compile(pattern), scope, forbidden, gap_must_contain, not_after, hints, counted)


# "受理/审理行政复议案件N件" is what a review organ handles, not reviews of this office's disclosures.
_AS_REVIEW_ORGAN = ("受理", "审理", "办理", "办结", "承办", "收到", "审结")


# Most specific first: a span read by one claim is not read again by a later, vaguer one.
# The outcome groups' short names as the statute spells them (formats), inside the claims' patterns.
_GRANTED, _PARTIAL, _UNAVAILABLE, _OTHER = (g.short_name for g in (GRANTED, PARTIAL, UNAVAILABLE, OTHER))

_CLAIMS: tuple[_Claim, ...] = (
    _claim(
        "granted+partial",
        rf"(?<!不){_GRANTED}(?:及|和|与|、|或|以及){_PARTIAL}{_gap(6)}{_COUNT}",
        "paragraph",
        (_PARTIAL,),
        forbidden=_OUTCOME_FORBIDDEN,
    ),
    _claim(
        "granted",
        rf"(?<!不){_GRANTED}{_gap(6)}{_COUNT}",
        "paragraph",
        (_GRANTED,),
        forbidden=_OUTCOME_FORBIDDEN,
    ),
    _claim(
        "partial",
        rf"(?<![及和与、或]){_PARTIAL}{_gap(6)}{_COUNT}",
        "paragraph",
        (_PARTIAL,),
        forbidden=_OUTCOME_FORBIDDEN,
    ),
    _claim(
        "refused", rf"不予(?:以)?公开{_gap(6)}{_COUNT}", "paragraph", ("不予",), forbidden=_OUTCOME_FORBIDDEN
    ),
    _claim(
        "unavailable",
        rf"{_UNAVAILABLE}{_gap(6)}{_COUNT}",
        "paragraph",
        (_UNAVAILABLE,),
        forbidden=_OUTCOME_FORBIDDEN,
    ),
    _claim(
        "not_processed",
        rf"不予(?:以)?处理{_gap(6)}{_COUNT}",
        "paragraph",
        ("不予",),
        forbidden=_OUTCOME_FORBIDDEN,
    ),
    _claim("other", rf"{_OTHER}{_gap(6)}{_COUNT}", "paragraph", (_OTHER,), forbidden=_OUTCOME_FORBIDDEN),
    _claim(
        "carried_over",
        rf"上(?:一)?年(?:度)?结转{_gap(12)}{_COUNT}",
        "paragraph",
        ("结转",),
        forbidden=(*_GENERAL_FORBIDDEN, "下年", "下一年"),
    ),
    _claim(
        "carried_forward",
        rf"结转(?:至|到|入)?下(?:一)?(?:个)?年(?:度)?{_gap(10)}{_COUNT}",
        "paragraph",
        ("结转",),
    ),
    _claim(
        "carried_forward",
        rf"{_COUNT}(?:申请)?{_gap(16)}(?:结转|顺延|转入)(?:至|到)?下(?:一)?(?:个)?年(?:度)?",
        "paragraph",
        ("结转", "顺延", "转入"),
    ),
    _claim(
        "review",
        rf"(?:行政)?复议(?:案件)?{_gap(6)}{_COUNT}",
        "",
        ("复议",),
        forbidden=(*_GENERAL_FORBIDDEN, "诉", "维持", "纠正", "审结", "结果"),
        not_after=_AS_REVIEW_ORGAN,
    ),
    _claim(
        "litigation",
        rf"(?:行政)?诉讼(?:案件)?{_gap(6)}{_COUNT}",
        "",
        ("诉讼",),
        forbidden=(*_GENERAL_FORBIDDEN, "复议", "维持", "纠正", "审结", "结果", "直接", "后"),
        not_after=_AS_REVIEW_ORGAN,
    ),
    _claim(
        "natural_person",
        rf"自然人{_gap(8)}{_COUNT}",
        "sentence",
        ("自然人",),
        forbidden=(*_GENERAL_FORBIDDEN, "法人", "组织", "企业", "机构"),
    ),
    _claim("legal_persons", rf"法人(?:或|和|及|或者)其他组织{_gap(8)}{_COUNT}", "sentence", ("其他组织",)),
    _claim(
        "all_natural",
        r"(?:申请人(?:类型)?(?:均|全部|都|全)?(?:为|是)|均为|全部为|全部是|全为|都是)自然人(?![^，,。；;]{0,10}件)",
        "sentence",
        ("自然人",),
    ),
    _claim(
        "received",
        rf"(?:受理|收到|接收|接到|新收)(?P<gap>[^{_PUNCT}\d]{{0,20}}?){_COUNT}",
        "sentence",
        ("受理", "收到", "接收", "接到", "新收"),
        gap_must_contain="申请",
    ),
    _claim(
        "answered",
        rf"(?:答复|办结|办理|办复)(?P<gap>[^{_PUNCT}\d]{{0,20}}?){_COUNT}",
        "sentence",
        ("答复", "办结", "办理", "办复"),
        forbidden=(*_GENERAL_FORBIDDEN, "转", "予以", "不予", "无法", _OTHER, _PARTIAL, "结果"),
    ),
)

_UPHELD = re.compile(r"(?:均|全部|全|都|皆)(?:已)?(?:获|被|予以|予|得到|获得)?维持")
_APPEAL_WORD = re.compile(r"(?:行政)?(?:复议|诉讼)")


@dataclass(frozen=True)
class _Reading:
    """What the tables say about one claim: acceptable values and how to name them."""

    table: str
    row: str
    column: str
    row_label: str
    column_label: str
    values: tuple[int, ...]
    what: str


# -- table side -------------------------------------------------------------------------------------


def _row_value(report: AnnualReport, row: str, column: str) -> int | None:
    """One Table 三 figure for prose comparison: blank is 0, unreadable is unknown, 总计 falls back to the sum."""
    cols = report.requests.get(row)
    if cols is None:
        return None
    if column != "total":
        return (as_int(cols[column]) or 0) if column in cols else None
    total = as_int(cols.get("total"))
    if total is not None:
        return total
    return _blank_zero_sum(cols, APPLICANT_KEYS)


def _blank_zero_sum(cols: dict[str, Cell], keys: tuple[str, ...]) -> int | None:
    """The sum of ``cols`` over ``keys``, a blank counting 0; None when a cell is unreadable."""
    total = 0
    for key in keys:
        if key not in cols:
            return None
        value = cols[key]
        if value.__class__ is not int:
            value = as_int(value) or 0
        total += value
    return total


def _rows_value(report: AnnualReport, rows: list[str], columns: tuple[str, ...]) -> int | None:
    if not rows:
        return None
    total = 0
    for r in rows:
        for c in columns:
            value = _row_value(report, r, c)
            if value is None:
                return None
            total += value
    return total


def _appeal_value(report: AnnualReport, group: str, column: str) -> int | None:
    cols = report.appeals.get(group)
    if cols is None:
        return None
    if column != "total":
        return (as_int(cols[column]) or 0) if column in cols else None
    total = as_int(cols.get("total"))
    if total is not None:
        return total
    return _blank_zero_sum(cols, APPEAL_OUTCOME_KEYS)


_GROUP_LABELS = {g.key: g.label for g in (REFUSED, UNAVAILABLE, NOT_PROCESSED, OTHER)}
# Labels the findings name cells by (Table 三's head and tail rows are the same in every format).
_COLUMN = {c.key: c.label for c in APPLICANT_COLUMNS}
_ROW = {r.key: r.label for r in REQUEST_ROWS_2021}
_TOTAL = _COLUMN["total"]
_GRANTED_PARTIAL = f"{GRANTED.label}、{PARTIAL.label}"
_REVIEW = next(g.label for g in APPEAL_GROUPS if g.key == "review")
_APPEAL_COLUMN = {c.key: c.label for c in APPEAL_COLUMNS}
# Table 四's groups as the A7 "均获维持" message names them: 行政复议, 行政诉讼未经复议直接起诉, 行政诉讼复议后起诉.
# "复议后起诉" mentions 复议 without speaking of the review group.
_AFTER_REVIEW = next(g.label for g in APPEAL_GROUPS if g.key == "litigation_after_review")
_APPEAL_NAMES = {
    g.key: (LITIGATION_HEADER if g.key in LITIGATION_GROUPS else "") + g.label for g in APPEAL_GROUPS
}


def _group_rows(cells: Cells, group: str) -> list[str]:
    memo = cells.labels.memo
    try:
        return memo[("group_rows", group)]
    except KeyError:
        pass
    rows = [r.key for r in cells.fmt.group_rows(group)]
    memo[("group_rows", group)] = rows
    return rows


def _read(cells: Cells, kind: str) -> _Reading | None:
    """The table figure(s) a claim of this kind must agree with; ``None`` when they are unknown."""
    report = cells.report
    if kind in _GROUP_LABELS:
        return _outcome(cells, kind, _group_rows(cells, kind), _GROUP_LABELS[kind])
    if kind == "granted+partial":
        return _outcome(cells, "", ["granted", "partial"], _GRANTED_PARTIAL)
    if kind in ("granted", "partial"):
        return _outcome(cells, kind, [kind], cells.row_label("requests", kind))
    if kind == "received":
        return _received(cells, ("total",), "total", _TOTAL)
    if kind == "natural_person":
        return _received(cells, ("natural_person",), "natural_person", _COLUMN["natural_person"])
    if kind == "legal_persons":
        return _received(cells, APPLICANT_KEYS[1:], "", LEGAL_PERSONS_HEADER)
    if kind == "answered":
        return _single(cells, "total", f"表三{_ROW['total']}")
    if kind == "carried_over":
        return _single(cells, "carried_over", f"表三{_ROW['carried_over']}·{_TOTAL}")
    if kind == "carried_forward":
        return _single(cells, "carried_forward", f"表三{_ROW['carried_forward']}·{_TOTAL}")
    if kind == "review":
        return _appeals(report, ("review",), "review", _REVIEW)
    if kind == "litigation":
        return _appeals(report, ("litigation_direct", "litigation_after_review"), "", LITIGATION_HEADER)
    raise ValueError(kind)


def _outcome(cells: Cells, row: str, rows: list[str], label: str) -> _Reading | None:
    value = _rows_value(cells.report, rows, ("total",))
    if value is None:
        return None
    what = f"表三{label}{'合计' if len(rows) > 1 else '·总计'}"
    return _Reading("requests", row, "total", label, _TOTAL, (value,), what)


def _single(cells: Cells, row: str, what: str) -> _Reading | None:
    value = _row_value(cells.report, row, "total")
    if value is None:
        return None
    return _Reading("requests", row, "total", cells.row_label("requests", row), _TOTAL, (value,), what)


def _received(cells: Cells, columns: tuple[str, ...], column: str, column_label: str) -> _Reading | None:
    new = _rows_value(cells.report, ["new_received"], columns)
    if new is None:
        return None
    carried = _rows_value(cells.report, ["carried_over"], columns)
    values = (new,) if carried is None else (new, new + carried)
    what = f"表三{cells.row_label('requests', 'new_received')}·{column_label}"
    return _Reading(
        "requests",
        "new_received",
        column,
        cells.row_label("requests", "new_received"),
        column_label,
        values,
        what,
    )


def _appeals(report: AnnualReport, groups: tuple[str, ...], row: str, label: str) -> _Reading | None:
    values = [_appeal_value(report, g, "total") for g in groups]
    if any(v is None for v in values):
        return None
    value = sum(v for v in values if v is not None)
    return _Reading(
        "appeals",
        row,
        "total",
        label,
        _APPEAL_COLUMN["total"],
        (value,),
        f"表四{label}·{_APPEAL_COLUMN['total']}",
    )


# -- prose side -------------------------------------------------------------------------------------


def _acceptable(claim: _Claim, match: re.Match[str], folded: str) -> bool:
    groups = claim.pattern.groupindex
    gap = (match.group("gap") or "") if "gap" in groups else ""
    if gap:  # no (non-empty) forbidden word is in an empty gap
        for word in claim.forbidden:
            if word in gap:
                return False
    if claim.gap_must_contain and claim.gap_must_contain not in gap:
        return False
    if claim.not_after and folded[: match.start()].removesuffix("行政").endswith(claim.not_after):
        return False
    if "n" in groups and match.group("n") is not None:
        before = folded[: match.start("n")].rstrip()
        if before.endswith(_APPROXIMATE_BEFORE):
            return False
        after = folded[match.end("n") :].lstrip().removeprefix("件")
        if after.startswith(_APPROXIMATE_AFTER):
            return False
    return True


def check_overview(cells: Cells) -> list[Finding]:
    """A7: numbers in 一、总体情况 that can be attributed to a table cell must agree with it."""
    text = cells.report.sections.get("overview") or ""
    findings: list[Finding] = []
    for paragraph in paragraphs(text):
        # Every claim but "all natural persons" counts 件, and that one names 自然人; an upheld
        # claim says 维持. A paragraph with none of them has nothing to check.
        if "件" not in paragraph and "自然人" not in paragraph and "维持" not in paragraph:
            continue
        in_requests_paragraph = "申请" in paragraph
        # Folding keeps every character in place, so the sentences of the folded paragraph are the
        # folded sentences, at the same offsets.
        folded_paragraph = fold(paragraph)
        for offset, sentence in sentences(paragraph):
            folded = folded_paragraph[offset : offset + len(sentence)]
            if "件" in folded or "自然人" in folded:
                findings += _check_sentence(cells, sentence, folded, in_requests_paragraph)
            if "维持" in folded:
                findings += _check_upheld(cells, sentence, folded)
    return findings


def _check_sentence(cells: Cells, sentence: str, folded: str, in_requests_paragraph: bool) -> list[Finding]:
    findings = []
    taken: list[tuple[int, int]] = []
    in_requests_sentence = "申请" in folded
    counted = "件" in folded
    for claim in _CLAIMS:
        if claim.scope == "sentence":
            if not in_requests_sentence:
                continue
        elif claim.scope == "paragraph" and not in_requests_paragraph:
            continue
        if claim.counted and not counted:
            continue
        for word in claim.hints:
            if word in folded:
                break
        else:
            continue  # the pattern cannot match
        for match in claim.pattern.finditer(folded):
            span = match.span()
            if taken and any(span[0] < end and start < span[1] for start, end in taken):
                continue
            if not _acceptable(claim, match, folded):
                continue
            taken.append(span)
            finding = _compare(cells, claim.kind, match, sentence[span[0] : span[1]])
            if finding is not None:
                findings.append(finding)
    return findings


def _compare(cells: Cells, kind: str, match: re.Match[str], phrase: str) -> Finding | None:
    if kind == "all_natural":
        return _compare_all_natural(cells, phrase)
    stated = parse_count(match.group("n"))
    reading = _read(cells, kind)
    if stated is None or reading is None or stated in reading.values:
        return None
    shown = f"{reading.values[0]}" + (
        f"（连同上年结转为 {reading.values[1]}）" if len(reading.values) > 1 else ""
    )
    return cells.finding(
        "A7",
        WARNING,
        reading.table,
        reading.row,
        reading.column,
        reading.values[0],
        stated,
        f"一、总体情况称“{phrase}”，但{reading.what}为 {shown}",
        row_label=reading.row_label,
        column_label=reading.column_label,
    )


def _compare_all_natural(cells: Cells, phrase: str) -> Finding | None:
    readings = []
    for rows in (["new_received"], ["new_received", "carried_over"]):
        natural = _rows_value(cells.report, rows, ("natural_person",))
        total = _rows_value(cells.report, rows, APPLICANT_KEYS)
        if natural is None or total is None:
            return None
        if natural == total:
            return None
        readings.append((natural, total))
    natural, total = readings[0]
    return cells.finding(
        "A7",
        WARNING,
        "requests",
        "new_received",
        "natural_person",
        natural,
        total,
        f"一、总体情况称“{phrase}”，但表三本年新收申请 {total} 件中自然人申请为 {natural} 件",
    )


def _check_upheld(cells: Cells, sentence: str, folded: str) -> list[Finding]:
    """A "复议…诉讼…均获维持" claim says every mentioned case was upheld; Table 四 must agree."""
    upheld = _UPHELD.search(folded)
    if upheld is None:
        return []
    first = _APPEAL_WORD.search(folded, 0, upheld.start())
    if first is None:
        return []
    before = folded[: upheld.start()]
    groups: list[tuple[str, str]] = []
    if "复议" in before.replace(_AFTER_REVIEW, ""):
        groups.append(("review", _APPEAL_NAMES["review"]))
    if "诉讼" in before:
        groups += [(key, _APPEAL_NAMES[key]) for key in ("litigation_direct", "litigation_after_review")]
    report = cells.report
    shown = []
    wrong = False
    upheld_sum = total_sum = 0
    for group, label in groups:
        total = _appeal_value(report, group, "total")
        kept = _appeal_value(report, group, "upheld")
        if total is None or kept is None:
            return []
        upheld_sum += kept
        total_sum += total
        if total:
            shown.append(f"{label}共 {total} 件、{_APPEAL_COLUMN['upheld']} {kept} 件")
        wrong = wrong or kept != total
    if not wrong or total_sum == 0:
        return []
    phrase = sentence[first.start() : upheld.end()]
    return [
        cells.finding(
            "A7",
            WARNING,
            "appeals",
            "",
            "upheld",
            upheld_sum,
            total_sum,
            f"一、总体情况称“{phrase}”，但表四{'；'.join(shown)}",
            row_label="、".join(dict.fromkeys(label[:4] for _, label in groups)),
            column_label=_APPEAL_COLUMN["upheld"],
        )
    ]
