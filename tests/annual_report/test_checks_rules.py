"""One rule at a time, on small hand-edited copies of the seed examples."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.annual_report.checks import RULES, Finding, check_report
from gongkai.annual_report.model import AnnualReport

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def corrected() -> AnnualReport:
    """东花市街道 2019 as it should have been published: no error, two A11 warnings (unread 上一年项目数量)."""
    return AnnualReport.from_json((EXAMPLES / "donghuashi-2019-corrected.json").read_text(encoding="utf-8"))


def as_2021(report: AnnualReport, year: int = 2021) -> AnnualReport:
    """The same office's figures in the 2021 format, consistent, with the fee reported in section 六."""
    out = copy.deepcopy(report)
    out.year, out.format, out.variant = year, "2021", "national"
    out.published_on = dt.date(year + 1, 1, 20)
    other = out.requests.pop("other")
    zeros = dict.fromkeys(other, 0)
    rows = list(out.requests.items())
    at = [k for k, _ in rows].index("total")
    split = [("other.no_correction", other), ("other.unpaid_fee", dict(zeros)), ("other.other", dict(zeros))]
    out.requests = dict([*rows[:at], *split, *rows[at:]])
    out.proactive = {
        "art20_1.rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "art20_1.normative_documents": {"issued": 2, "repealed": 1, "in_force": 10},
        "art20_5.licensing": {"decisions": 5},
        "art20_6.penalty": {"decisions": 3},
        "art20_6.enforcement": {"decisions": 0},
        "art20_8.fees": {"amount_wan": Decimal("1.25")},
    }
    out.sections["other"] = f"依据《政府信息公开信息处理费管理办法》，{year}年本街道未收取信息处理费。"
    return out


def findings_of(rule: str, findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def cells_of(findings: list[Finding]) -> set[tuple[str, str, str, str]]:
    return {(f.rule, f.table, f.row, f.column) for f in findings}


def test_the_starting_points_are_clean() -> None:
    assert {f.rule for f in check_report(corrected())} == {"A11"}
    assert check_report(as_2021(corrected())) == []


def test_rules_catalogue_names_every_rule_that_can_fire() -> None:
    assert list(RULES) == [f"A{i}" for i in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)]
    assert all(RULES.values())


# -- A1–A4 -----------------------------------------------------------------------------------------


def test_a1_blames_carried_forward_when_the_leaves_confirm_the_total() -> None:
    report = corrected()
    report.requests["carried_forward"]["natural_person"] = 1
    report.requests["carried_forward"]["total"] = 1
    a1 = findings_of("A1", check_report(report))
    assert [(f.row, f.column, f.expected, f.actual) for f in a1] == [
        ("carried_forward", "natural_person", 0, 1),
        ("carried_forward", "total", 0, 1),
    ]
    assert a1[0].message.startswith("表三四、结转下年度继续办理·自然人：按勾稽关系应为 0，报告为 1")


def test_a1_blames_carried_over_when_last_year_corroborates_it() -> None:
    report = corrected()
    previous = copy.deepcopy(report)
    previous.year = 2018
    report.requests["carried_over"]["natural_person"] = 3
    report.requests["carried_over"]["total"] = 3
    findings = check_report(report, previous=previous)
    assert [(f.row, f.column, f.expected) for f in findings_of("A1", findings)] == [
        ("carried_over", "natural_person", 0),
        ("carried_over", "total", 0),
    ]
    assert cells_of(findings_of("A5", findings)) == {
        ("A5", "requests", "carried_over", "natural_person"),
        ("A5", "requests", "carried_over", "total"),
    }


def test_a1_blames_a_cell_that_disagrees_with_its_own_row() -> None:
    report = corrected()
    report.requests["new_received"]["commercial"] = 4  # the row's 总计 still says 2 = 2 + 0 + …
    errors = [f for f in check_report(report) if f.severity == "error"]
    assert cells_of(errors) == {
        ("A1", "requests", "new_received", "commercial"),
        ("A2", "requests", "new_received", "total"),
    }
    assert findings_of("A1", errors)[0].expected == 0


def test_a2_row_total_must_be_the_sum_of_the_applicant_columns() -> None:
    report = corrected()
    report.requests["granted"]["total"] = 1
    errors = [f for f in check_report(report) if f.severity == "error"]
    assert cells_of(errors) == {("A2", "requests", "granted", "total"), ("A3", "requests", "total", "total")}
    (a2,) = findings_of("A2", errors)
    assert (a2.expected, a2.actual, a2.row_label) == (0, 1, "（一）予以公开")


def test_a3_skips_a_blank_leaf_but_checks_complete_columns() -> None:
    report = corrected()
    report.requests["granted"]["natural_person"] = None
    findings = check_report(report)
    assert not [f for f in findings if f.severity == "error"]
    assert ("A11", "requests", "granted", "natural_person") in cells_of(findings)


def test_a4_appeal_total() -> None:
    report = corrected()
    report.appeals["litigation_after_review"]["pending"] = 2
    (finding,) = [f for f in check_report(report) if f.severity == "error"]
    assert (finding.rule, finding.row, finding.column, finding.expected, finding.actual) == (
        "A4",
        "litigation_after_review",
        "total",
        2,
        0,
    )
    assert finding.message.startswith("表四行政诉讼·复议后起诉·总计")


# -- A5, A6 -----------------------------------------------------------------------------------------


def test_a5_needs_and_uses_the_previous_report() -> None:
    previous = corrected()
    previous.year = 2018
    previous.requests["carried_forward"]["legal_service"] = 1
    previous.requests["carried_forward"]["total"] = 1
    report = corrected()
    assert findings_of("A5", check_report(report)) == []
    a5 = findings_of("A5", check_report(report, previous=previous))
    assert [(f.severity, f.column, f.expected, f.actual) for f in a5] == [
        ("warning", "legal_service", 1, 0),
        ("warning", "total", 1, 0),
    ]


def test_a6_2019_previous_items_follow_last_year() -> None:
    previous = corrected()
    previous.year = 2018
    previous.proactive["art20_5.licensing"].update(previous=5, change=2)
    report = corrected()
    report.year = 2019
    (a6,) = findings_of("A6", check_report(report, previous=previous))
    assert (a6.severity, a6.row, a6.column, a6.expected, a6.actual) == (
        "warning",
        "art20_5.licensing",
        "previous",
        7,
        0,
    )
    report.proactive["art20_5.licensing"]["previous"] = 7
    assert findings_of("A6", check_report(report, previous=previous)) == []


def test_a6_2019_published_within_total_needs_no_previous() -> None:
    report = corrected()
    report.proactive["art20_1.normative_documents"].update(made=3, published=3, total=2)
    (a6,) = findings_of("A6", check_report(report))
    assert (a6.row, a6.column, a6.expected, a6.actual) == ("art20_1.normative_documents", "total", 3, 2)


def test_a6_2021_in_force_follows_last_year() -> None:
    previous = as_2021(corrected(), 2021)
    # Last year's report in its own words (the same text again would be A13/A15's business).
    previous.sections["overview"] = (
        "2021年，街道完善政务公开目录，按月更新专栏信息，开展公开工作培训两次。"
        "全年办理政府信息公开申请均在法定期限内答复，未发生行政复议败诉。"
        "街道组织政务开放日活动，邀请居民代表参观便民服务大厅并座谈。"
    )
    previous.sections["problems"] = (
        "一是公开栏目更新不够及时，个别科室报送信息滞后。改进措施：建立信息报送月度通报制度。"
        "二是政策解读形式较少。改进措施：对重要政策同步制作图解。"
    )
    report = as_2021(corrected(), 2022)
    # 10 in force last year + 2 issued − 1 repealed = 11, but the report says 10.
    (a6,) = findings_of("A6", check_report(report, previous=previous))
    assert (a6.row, a6.column, a6.expected, a6.actual) == ("art20_1.normative_documents", "in_force", 11, 10)
    report.proactive["art20_1.normative_documents"]["in_force"] = 11
    assert check_report(report, previous=previous) == []


def test_a6_2021_is_not_compared_with_a_2019_format_year() -> None:
    previous = corrected()
    previous.year = 2020
    assert findings_of("A6", check_report(as_2021(corrected()), previous=previous)) == []


# -- A8 -------------------------------------------------------------------------------------------


def test_a8_missing_section() -> None:
    report = corrected()
    del report.sections["problems"]
    (a8,) = findings_of("A8", check_report(report))
    assert (a8.severity, a8.table, a8.row, a8.row_label) == (
        "error",
        "sections",
        "problems",
        "五、存在的主要问题及改进情况",
    )


def test_a8_heading_variants_and_order() -> None:
    report = corrected()
    assert report.headings is not None
    report.headings[0] = "一、 总体情况"  # a stray space is not a different heading
    report.headings[5] = "六、其他需要报告的事项："
    assert findings_of("A8", check_report(report)) == []

    report.headings[1], report.headings[2] = report.headings[2], report.headings[1]
    (order,) = findings_of("A8", check_report(report))
    assert "顺序" in order.message

    report = corrected()
    assert report.headings is not None
    report.headings[3] = "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况"
    (wording,) = findings_of("A8", check_report(report))
    assert (wording.row, wording.expected, wording.actual) == (
        "appeals",
        "四、政府信息公开行政复议、行政诉讼情况",
        "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
    )


def test_a8_missing_table_and_rows() -> None:
    report = corrected()
    report.appeals = {}
    del report.requests["refused.query"]
    del report.proactive["art20_5.other_services.inspection"]  # one sub-row still stands for its parent
    assert cells_of(findings_of("A8", check_report(report))) == {
        ("A8", "appeals", "", ""),
        ("A8", "requests", "refused.query", ""),
    }
    del report.proactive["art20_5.other_services.confirmation"]
    assert ("A8", "proactive", "art20_5.other_services", "") in cells_of(check_report(report))


# -- A9, A10, A11, A12 ----------------------------------------------------------------------------


def test_a9_format_must_match_the_year() -> None:
    report = corrected()
    report.year = 2021
    report.published_on = dt.date(2022, 1, 10)
    (a9,) = findings_of("A9", check_report(report))
    assert (a9.severity, a9.expected, a9.actual) == ("error", "2021", "2019")
    assert check_report(as_2021(corrected(), 2020))[0].rule == "A9"
    report.year = 2018
    (a9,) = findings_of("A9", check_report(report))
    assert a9.expected is None and "2018" in a9.message


def test_a10_beijing_four_decimals_and_yuan_lookalikes() -> None:
    report = corrected()
    report.proactive["art20_9.procurement"]["amount_wan"] = Decimal("184.808")
    (a10,) = findings_of("A10", check_report(report))
    assert (a10.severity, a10.expected, a10.actual) == ("warning", "184.8080", "184.808")

    report = as_2021(corrected())
    report.proactive["art20_8.fees"]["amount_wan"] = Decimal("12500")
    (a10,) = findings_of("A10", check_report(report))
    assert (a10.row, a10.expected, a10.actual) == ("art20_8.fees", "1.2500", "12500")
    report.proactive["art20_8.fees"]["amount_wan"] = Decimal("12500.00")  # written in 万元 on purpose
    assert findings_of("A10", check_report(report)) == []


def test_a11_negative_counts_are_errors_signed_columns_are_not() -> None:
    report = corrected()
    report.proactive["art20_6.penalty"].update(previous=3, change=-3)
    assert findings_of("A11", check_report(report)) == findings_of("A11", check_report(corrected()))
    report.proactive["art20_6.penalty"]["decisions"] = -1
    report.requests["carried_forward"]["research"] = -1
    errors = [f for f in findings_of("A11", check_report(report)) if f.severity == "error"]
    assert cells_of(errors) == {
        ("A11", "proactive", "art20_6.penalty", "decisions"),
        ("A11", "requests", "carried_forward", "research"),
    }


def test_a11_blank_and_unreadable_cells_are_warnings() -> None:
    report = corrected()
    report.appeals["review"]["corrected"] = None
    del report.requests["partial"]["other"]
    a11 = findings_of("A11", check_report(report))
    by_cell = {(f.row, f.column): f for f in a11}
    assert by_cell["review", "corrected"].message.endswith("单元格空白（应填写数字，无则填 0）")
    assert by_cell["partial", "other"].message.endswith("未能读取该单元格")
    assert all(f.severity == "warning" for f in a11)
    assert not [f for f in check_report(report) if f.severity == "error"]  # A2/A4 skip what is unknown


def test_a11_not_reported_for_a_parent_row_whose_sub_rows_carry_the_figures() -> None:
    report = corrected()
    report.proactive["art20_5.other_services"] = {"previous": None, "change": None, "decisions": None}
    assert findings_of("A11", check_report(report)) == findings_of("A11", check_report(corrected()))


@pytest.mark.parametrize(
    ("organisation", "org_kind", "published_on", "late"),
    [
        ("东花市街道办事处", None, dt.date(2020, 1, 31), False),
        ("东花市街道办事处", None, dt.date(2020, 2, 1), True),
        ("东城区人民政府", None, dt.date(2020, 3, 31), False),
        ("东城区人民政府", None, dt.date(2020, 4, 1), True),
        ("东城区人民政府", "department", dt.date(2020, 2, 1), True),
        ("东花市街道办事处", "government", dt.date(2020, 3, 1), False),
    ],
)
def test_a12_deadline_by_kind_of_organisation(
    organisation: str, org_kind: str | None, published_on: dt.date, late: bool
) -> None:
    report = corrected()
    report.organisation = organisation
    found = findings_of("A12", check_report(report, published_on=published_on, org_kind=org_kind))
    assert bool(found) == late
    if late:
        assert (found[0].severity, found[0].actual) == ("error", published_on.isoformat())


def test_a12_uses_the_report_date_and_needs_one() -> None:
    report = corrected()
    report.published_on = dt.date(2020, 2, 14)
    (a12,) = findings_of("A12", check_report(report))
    assert (a12.expected, a12.actual) == ("2020-01-31", "2020-02-14")
    assert "14 天" in a12.message
    report.published_on = None
    assert findings_of("A12", check_report(report)) == []
    with pytest.raises(ValueError, match="未知的机关类型"):
        check_report(report, org_kind="county")


# -- A14 ------------------------------------------------------------------------------------------


def test_a14_fee_must_be_reported_in_2021_format() -> None:
    report = as_2021(corrected())
    report.sections["other"] = "无。"
    (a14,) = check_report(report)
    assert (a14.rule, a14.severity, a14.table, a14.row) == ("A14", "warning", "sections", "other")
    assert findings_of("A14", check_report(corrected())) == []  # 2019 format does not ask for it


@pytest.mark.parametrize(
    ("text", "ledger", "stated"),
    [
        ("依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。", Decimal(0), None),
        ("依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。", Decimal(100), "0"),
        ("本年度收取信息处理费共计１２００元。", Decimal(1200), None),
        ("本年度收取信息处理费共计1.2万元，其中区民政局收取200元。", Decimal(12000), None),
        ("本年度收取信息处理费共计1.2万元，其中区民政局收取200元。", Decimal(200), "12000"),
    ],
)
def test_a14_fee_amount_against_the_ledger(text: str, ledger: Decimal, stated: str | None) -> None:
    report = as_2021(corrected())
    report.sections["other"] = text
    found = findings_of("A14", check_report(report, fees_charged_yuan=ledger))
    assert [f.actual for f in found] == ([] if stated is None else [stated])


def test_a14_a_fee_rule_title_alone_is_not_a_report() -> None:
    report = as_2021(corrected())
    report.sections["other"] = "本街道认真落实《政府信息公开信息处理费管理办法》要求。"
    assert [f.rule for f in check_report(report)] == ["A14"]


# -- A16 ------------------------------------------------------------------------------------------


def test_a16_table_three_against_the_ledger_recomputation() -> None:
    report = corrected()
    ledger = copy.deepcopy(report.requests)
    assert findings_of("A16", check_report(report)) == []  # no ledger, nothing to reconcile
    assert findings_of("A16", check_report(report, ledger_requests=ledger)) == []
    # A case corrected after publication: the ledger now counts one more natural-person 部分公开.
    for row in ("new_received", "partial", "total"):
        for column in ("natural_person", "total"):
            ledger[row][column] += 1
    del report.requests["carried_forward"]["commercial"]  # a blank cell of the report
    found = findings_of("A16", check_report(report, ledger_requests=ledger))
    assert all(f.severity == "error" and f.table == "requests" for f in found)
    assert {(f.row, f.column) for f in found} == {
        *(
            (row, column)
            for row in ("new_received", "partial", "total")
            for column in ("natural_person", "total")
        ),
        ("carried_forward", "commercial"),
    }
    partial = next(f for f in found if (f.row, f.column) == ("partial", "natural_person"))
    assert (partial.expected, partial.actual) == (report.requests["partial"]["natural_person"] + 1, 0)
    assert "按案件记录重新计算为" in partial.message and partial.row_label
    blank = next(f for f in found if f.row == "carried_forward")
    assert (blank.expected, blank.actual) == (0, None) and "报告为 空白" in blank.message
