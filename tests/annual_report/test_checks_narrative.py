"""A7: reading figures out of 一、总体情况 — what must be caught and what must be left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.annual_report.checks import Finding, check_report
from gongkai.annual_report.checks.numbers import chinese_to_int, fold, parse_count
from gongkai.annual_report.model import AnnualReport

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def report_with(overview: str) -> AnnualReport:
    """东花市街道 2019 (corrected): 2 requests from natural persons, both 本机关不掌握; 1 review, upheld."""
    report = AnnualReport.from_json((EXAMPLES / "donghuashi-2019-corrected.json").read_text(encoding="utf-8"))
    report.sections["overview"] = overview
    return report


def a7(overview: str, report: AnnualReport | None = None) -> list[Finding]:
    report = report or report_with(overview)
    report.sections["overview"] = overview
    return [f for f in check_report(report) if f.rule == "A7"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("两", 2),
        ("二", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十五", 35),
        ("一百零五", 105),
        ("零", 0),
    ],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


@pytest.mark.parametrize("text", ["", "二三", "十十", "百十百", "件"])
def test_not_a_chinese_numeral(text: str) -> None:
    assert chinese_to_int(text) is None


def test_full_width_digits_fold_in_place() -> None:
    assert fold("收到申请１２件") == "收到申请12件"
    assert parse_count(" 12 ") == 12


@pytest.mark.parametrize(
    "overview",
    [
        "2019 年收到政府信息公开申请数量为 2 件，申请人类型为自然人。",
        "本年度共收到政府信息公开申请两件，均为自然人申请，办结２件，均为本机关不掌握相关政府信息，无法提供２件。",
        "全年共受理政府信息公开申请二件，予以公开0件，不予公开0件，不予处理0件，其他处理0件。",
        "被申请行政复议1件，结果维持；行政诉讼0件。本年度行政复议1件，均获维持。",
    ],
)
def test_consistent_statements_are_not_flagged(overview: str) -> None:
    assert a7(overview) == []


@pytest.mark.parametrize(
    ("overview", "row", "column", "expected", "stated"),
    [
        ("2019 年收到政府信息公开申请数量为 3 件。", "new_received", "total", 2, 3),
        ("本年度共受理政府信息公开申请十二件。", "new_received", "total", 2, 12),
        ("本年度收到政府信息公开申请２件，办结１件。", "total", "total", 2, 1),
        ("依申请公开方面，予以公开2件。", "granted", "total", 0, 2),
        ("依申请公开方面，因本机关不掌握等原因无法提供 1 件。", "unavailable", "total", 2, 1),
        ("依申请公开方面，不予公开1件。", "refused", "total", 0, 1),
        ("依申请公开方面，上年结转申请1件。", "carried_over", "total", 0, 1),
        ("依申请公开方面，另有1件申请按照《条例》顺延到下年度答复。", "carried_forward", "total", 0, 1),
        (
            "收到政府信息公开申请2件，其中自然人申请1件，法人或其他组织申请1件。",
            "new_received",
            "natural_person",
            2,
            1,
        ),
        ("本年度信息公开类行政复议2件。", "review", "total", 1, 2),
        ("本年度行政诉讼1件。", "", "total", 0, 1),
    ],
)
def test_contradicting_statements_are_flagged_on_the_cell(
    overview: str, row: str, column: str, expected: int, stated: int
) -> None:
    found = a7(overview)
    assert (row, column, expected, stated) in [(f.row, f.column, f.expected, f.actual) for f in found]
    assert all(f.severity == "warning" and f.message.startswith("一、总体情况称“") for f in found)


def test_legal_persons_statement() -> None:
    (finding,) = a7("收到政府信息公开申请2件，其中自然人申请2件，法人或其他组织申请1件。")
    assert (finding.row, finding.column, finding.column_label, finding.expected, finding.actual) == (
        "new_received",
        "",
        "法人或其他组织",
        0,
        1,
    )


def test_all_natural_persons_claim() -> None:
    report = report_with("")
    report.requests["new_received"].update(natural_person=1, commercial=1)
    report.requests["carried_forward"].update(natural_person=0, commercial=1)  # keeps the balance
    (finding,) = a7("2019 年收到政府信息公开申请数量为 2 件，申请人类型为自然人。", report)
    assert (finding.row, finding.column, finding.expected, finding.actual) == (
        "new_received",
        "natural_person",
        1,
        2,
    )
    assert "申请人类型为自然人" in finding.message
    # "申请人为自然人的有1件" states a count, not that all applicants were natural persons.
    assert a7("收到政府信息公开申请2件，申请人为自然人的有1件。", report) == []


def test_upheld_claim_against_table_four() -> None:
    report = report_with("")
    report.appeals["review"].update(upheld=0, pending=1)
    (finding,) = a7("本年度被申请行政复议1件，均获维持。", report)
    assert (finding.table, finding.column, finding.expected, finding.actual) == ("appeals", "upheld", 0, 1)
    assert "行政复议1件，均获维持" in finding.message


@pytest.mark.parametrize(
    "overview",
    [
        # The seed's own activity figures: letters, supervision tasks — not requests.
        "完成区委区政府督查督办 79 件；收到区长信箱信件 13 件，办结 12 件，办结率 100%。",
        # 沭阳 2025: cases of review and litigation counted together are not Table 四's 行政复议.
        "依法做好相关行政复议、行政诉讼案件的应诉工作，全县共办理相关案件 74 件。",
        "累计开展办前主动沟通 49 次，成功推动化解各类争议纠纷 33 件。",
        # Approximate and comparative figures are not cell values.
        "全年收到政府信息公开申请近300件。",
        "全年收到政府信息公开申请300余件。",
        "收到政府信息公开申请数量较去年增加5件。",
        # Numbers in a sentence about something else.
        "主动公开规章13件，行政规范性文件60件。",
        "予以公开、部分公开分别为1件、1件。",
        "受理行政复议案件3件。",
    ],
)
def test_figures_that_cannot_be_attributed_are_left_alone(overview: str) -> None:
    assert a7(overview) == []


def test_unreadable_cells_make_a_figure_unknown_but_blank_cells_count_as_zero() -> None:
    report = report_with("")
    del report.requests["granted"]["total"]
    del report.requests["granted"]["other"]
    assert a7("依申请公开方面，予以公开5件。", report) == []  # 总计 unreadable and the row incomplete
    report = report_with("")
    report.requests["granted"] = dict.fromkeys(report.requests["granted"])  # all blank
    (finding,) = a7("依申请公开方面，予以公开5件。", report)
    assert (finding.expected, finding.actual) == (0, 5)
