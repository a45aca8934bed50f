"""The plain-text parser on the seed: the done-when test (it reads back exactly the published report in
examples/donghuashi-2019.json), provenance, notes, values, label variants and unreadable input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.annual_report.checks import check_report
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.parsing.base import UnreadableReport
from gongkai.annual_report.parsing.text import parse_text, text_to_lines

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "000_98546e830f6b9c3e.txt"
EXAMPLE = ROOT / "examples" / "donghuashi-2019.json"

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not available")


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def parsed(seed: str) -> tuple[AnnualReport, list]:
    return parse_text(seed, source="000_98546e830f6b9c3e.txt")


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_seed_reads_back_the_published_report_exactly(parsed: tuple[AnnualReport, list]) -> None:
    report, _ = parsed
    assert report.published_on is None  # the text states no date
    report.published_on = dt.date(2020, 1, 19)
    expected = AnnualReport.from_json(EXAMPLE.read_text(encoding="utf-8"))
    assert report.to_dict() == expected.to_dict()
    assert report == expected


def test_seed_metadata(parsed: tuple[AnnualReport, list]) -> None:
    report, _ = parsed
    assert (report.organisation, report.year, report.format, report.variant) == (
        "东花市街道办事处",
        2019,
        "2019",
        "beijing",
    )
    # The published （七）总计 row of zeros is kept as printed: auditing it is the checker's job.
    assert report.requests["total"]["total"] == 0
    assert report.requests["unavailable.not_held"]["natural_person"] == 2
    assert report.proactive["art20_9.procurement"] == {"projects": 38, "amount_wan": Decimal("184.8083")}


def test_short_sub_rows_are_noted_and_previous_is_absent(parsed: tuple[AnnualReport, list]) -> None:
    report, notes = parsed
    for key in ("art20_5.other_services.inspection", "art20_5.other_services.confirmation"):
        assert report.proactive[key] == {"change": 0, "decisions": 0}
        assert not report.has_cell("proactive", key, "previous")
        [note] = [n for n in notes if n.row == key]
        assert note.code == "cell_missing"
        assert "2 个数值" in note.message and "应有 3 个" in note.message and "上一年项目数量" in note.message
        assert note.table == "proactive"
    # Nothing else in the seed is doubtful.
    assert {n.code for n in notes} == {"cell_missing"}
    assert "art20_5.other_services" not in report.proactive


def test_provenance_names_the_line_of_every_value(seed: str, parsed: tuple[AnnualReport, list]) -> None:
    report, _ = parsed
    cells = [
        (t, r, c)
        for t in ("proactive", "requests", "appeals")
        for r, cs in report.table(t).items()
        for c in cs
    ]
    assert set(report.provenance) == set(cells)
    assert (
        report.provenance[("requests", "new_received", "total")] == f"第 {_line_of(seed, '一、本年新收')} 行"
    )
    assert report.provenance[("requests", "unavailable.not_held", "natural_person")] == (
        f"第 {_line_of(seed, '1.本机关不掌握相关政府信')} 行"
    )
    appeals_row = _line_of(seed, "1\t0\t0\t0\t1")
    assert report.provenance[("appeals", "review", "upheld")] == f"第 {appeals_row} 行"
    assert report.provenance[("proactive", "art20_5.other_services.confirmation", "change")] == (
        f"第 {_line_of(seed, '行政 确认')} 行"
    )


def test_headings_as_printed_in_order(parsed: tuple[AnnualReport, list]) -> None:
    report, _ = parsed
    assert report.headings is not None
    assert report.headings[4] == "五、政府信息公开工作存在的主要问题及改进情况"
    assert [h[0] for h in report.headings] == list("一二三四五六")


def test_section_text_joins_lines_broken_at_page_breaks(parsed: tuple[AnnualReport, list]) -> None:
    report, _ = parsed
    overview = report.sections["overview"]
    assert "“谁主管、谁负责”的原则" in overview  # "谁负" + page break + "责”"
    assert overview.count("\n") == 4  # five numbered paragraphs
    assert report.sections["other"].endswith("dcbm-index.shtm1）。如需了解更多街道信息，请登录查询。")
    assert "<" not in report.sections["other"]
    assert report.sections["requests"] == ""  # the table is not prose


# -- variants of the seed --------------------------------------------------------------------------


def _replace(seed: str, old: str, new: str) -> str:
    assert old in seed, old
    return seed.replace(old, new)


def test_typo_in_a_label_is_matched_and_reported(seed: str) -> None:
    text = _replace(seed, "2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    report, notes = parse_text(text)
    assert report.requests["refused.law_forbidden"]["total"] == 0
    [note] = [n for n in notes if n.code == "label_variant"]
    assert note.row == "refused.law_forbidden" and note.severity == "info"
    assert "其他法律行政止公开" in note.message


@pytest.mark.parametrize("numbering", ["1、", "（1）", "(1)", "１．", "1 ."])
def test_numbering_variants(seed: str, numbering: str) -> None:
    text = _replace(seed, "\t1.属于国家秘密\t0", f"\t{numbering}属于国家秘密\t5")
    report, notes = parse_text(text)
    assert report.requests["refused.state_secret"]["natural_person"] == 5
    assert not [n for n in notes if n.code == "label_variant"]


def test_ocr_slips_are_read_with_notes(seed: str) -> None:
    text = _replace(seed, "5.属于三类内部事务信息", "5.属干三类内部亊务信息")
    text = _replace(text, "3. 要求提供公开出版物\t0", "3. 要求捉供公开岀版物\t7")
    report, notes = parse_text(text)
    assert report.requests["not_processed.publication"]["natural_person"] == 7
    assert {n.row for n in notes if n.code == "label_variant"} == {
        "refused.internal",
        "not_processed.publication",
    }


def test_2021_wording_in_a_2019_report_is_a_variant(seed: str) -> None:
    report, notes = parse_text(_replace(seed, "规范性文件\t0", "行政规范性文件\t4"))
    assert report.format == "2019"
    assert report.proactive["art20_1.normative_documents"]["made"] == 4
    assert [n.row for n in notes if n.code == "label_variant"] == ["art20_1.normative_documents"]


def test_numbers_dashes_and_full_width_digits(seed: str) -> None:
    row = "一、本年新收政府信息公开 申请数量\t2\t0\t0\t0\t0\t0\t2"
    text = _replace(seed, row, "一、本年新收政府信息公开 申请数量\t1,234\t—\t无\t/\t-\t１２\t1,246")
    report, notes = parse_text(text)
    assert report.requests["new_received"] == {
        "natural_person": 1234,
        "commercial": None,
        "research": None,
        "public_interest": None,
        "legal_service": None,
        "other": 12,
        "total": 1246,
    }
    non_numeric = [n for n in notes if n.code == "non_numeric"]
    assert [n.column for n in non_numeric] == ["commercial", "research", "public_interest", "legal_service"]
    assert all(n.row == "new_received" for n in non_numeric)
    assert "“无”" in non_numeric[1].message


def test_huge_numbers_are_read_exactly(seed: str) -> None:
    huge = 10**30
    text = _replace(seed, "政府集中采购\t38\t184.8083", f"政府集中采购\t{huge}\t{huge}.5")
    report, _ = parse_text(text)
    assert report.proactive["art20_9.procurement"] == {"projects": huge, "amount_wan": Decimal(f"{huge}.5")}


def test_a_fraction_in_a_count_cell_is_left_out_with_a_note(seed: str) -> None:
    report, notes = parse_text(_replace(seed, "行政处罚\t0\t0\t0", "行政处罚\t0\t0.5\t0"))
    assert report.proactive["art20_6.penalty"] == {"previous": 0, "decisions": 0}
    assert [(n.code, n.column) for n in notes if n.row == "art20_6.penalty"] == [("not_integer", "change")]


def test_missing_table_parses_with_a_note(seed: str) -> None:
    start = seed.index("四、政府信息公开行政复议")
    end = seed.index("五、政府信息公开工作存在")
    report, notes = parse_text(seed[:start] + seed[end:])
    assert report.appeals == {}
    assert report.requests["new_received"]["total"] == 2
    codes = {(n.code, n.table) for n in notes}
    assert ("table_missing", "appeals") in codes


def test_missing_row_is_noted_not_guessed(seed: str) -> None:
    text = _replace(seed, "\t\t7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0\n", "")
    report, notes = parse_text(text)
    assert "refused.enforcement" not in report.requests
    assert ("row_missing", "refused.enforcement") in {(n.code, n.row) for n in notes}


def test_values_of_an_unrecognisable_row_are_not_given_to_a_neighbour(seed: str) -> None:
    text = _replace(seed, "\t\t7.属于行政执法案卷\t0", "\t\t\t9")
    report, notes = parse_text(text)
    assert "refused.enforcement" not in report.requests
    assert report.requests["refused.process"]["natural_person"] == 0
    assert "value_orphan" in {n.code for n in notes}


def test_publication_date_is_read_when_stated(seed: str) -> None:
    text = _replace(
        seed, "2019 年政府信息公开工作年度报告\n", "2019 年政府信息公开工作年度报告\n发布日期：2020-01-19\n"
    )
    report, _ = parse_text(text)
    assert report.published_on == dt.date(2020, 1, 19)


def test_source_names_notes_without_a_place(seed: str) -> None:
    start = seed.index("四、政府信息公开行政复议")
    end = seed.index("五、政府信息公开工作存在")
    _, notes = parse_text(seed[:start] + seed[end:], source="dhs.txt")
    assert all(n.where for n in notes)


# -- unreadable input -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t\n", "\n\n"])
def test_empty_input_is_unreadable(text: str) -> None:
    with pytest.raises(UnreadableReport, match="为空"):
        parse_text(text)


def test_binary_garbage_is_unreadable() -> None:
    garbage = bytes(range(256)).decode("latin-1") * 20
    with pytest.raises(UnreadableReport, match="控制字符") as exc:
        parse_text(garbage)
    assert "\n" not in str(exc.value)


def test_undecodable_bytes_are_unreadable() -> None:
    data = "东花市街道".encode("gb18030") * 50 + b"\xff\xfe\x00\x01" * 50
    with pytest.raises(UnreadableReport):
        parse_text(data.decode("utf-8", errors="replace"))


def test_prose_that_is_not_a_report_names_what_is_missing() -> None:
    text = (
        "关于开展秋季植树活动的通知\n\n各单位：为改善环境，定于 10 月 12 日开展植树活动，请各单位按时参加。\n"
    )
    with pytest.raises(UnreadableReport) as exc:
        parse_text(text)
    message = str(exc.value)
    assert message.startswith("不是政府信息公开工作年度报告：未找到")
    assert "表三（收到和处理政府信息公开申请情况）" in message and " 和 表四" in message
    assert "\n" not in message


def test_text_to_lines_keeps_line_numbers(seed: str) -> None:
    lines = text_to_lines(seed)
    assert all(line.where.startswith("第 ") for line in lines)
    by_where = {line.where: line for line in lines}
    row = by_where[f"第 {_line_of(seed, '行政许可')} 行"]
    assert [t.text for t in row.tokens] == ["行政许可", "0", "0", "0"]
    assert [t.x for t in row.tokens] == [0.0, 1.0, 2.0, 3.0]


def test_appeals_printed_one_group_per_row_in_any_order(seed: str) -> None:
    start = seed.index("四、政府信息公开行政复议")
    end = seed.index("五、政府信息公开工作存在")
    table = (
        "四、政府信息公开行政复议、行政诉讼情况\n\n"
        "\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
        "行政诉讼（复议后起诉）\t1\t2\t3\t4\t10\n"
        "行政复议\t5\t0\t0\t0\t5\n"
        "行政诉讼（未经复议直接起诉）\t0\t1\t0\t0\t1\n\n"
    )
    report, notes = parse_text(seed[:start] + table + seed[end:])
    assert report.appeals == {
        "review": {"upheld": 5, "corrected": 0, "other": 0, "pending": 0, "total": 5},
        "litigation_direct": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1},
        "litigation_after_review": {"upheld": 1, "corrected": 2, "other": 3, "pending": 4, "total": 10},
    }
    assert not [n for n in notes if n.table == "appeals"]


def test_non_statutory_wording_is_read_and_reported(seed: str) -> None:
    report, notes = parse_text(_replace(seed, "(七) 总计", "(七) 合计"))
    assert report.requests["total"]["natural_person"] == 0
    assert [(n.code, n.row) for n in notes if n.code == "label_variant"] == [("label_variant", "total")]


def test_2019_single_other_row_in_a_2021_report_is_read_as_the_group_total() -> None:
    """Not spread over its items (which would invent figures), but read as the group's total, which
    the checks use in place of the three items, with a format warning (statute.md §5.3)."""
    path = Path(__file__).resolve().parents[3] / "shared" / "samples" / "shuyang-county-2025.txt"
    text = path.read_text(encoding="utf-8")
    start = text.index("### (六) 其他")
    end = text.index("| （七）总计 |")
    replaced = text[:start] + "| （六）其他处理 | 158 | 1 | 0 | 0 | 0 | 0 | 159 |\n" + text[end:]
    report, notes = parse_text(replaced)
    assert not any(key.startswith("other.") for key in report.requests)
    assert ("group_as_row", "other") in {(n.code, n.row) for n in notes}
    assert report.requests["other"] == {
        "natural_person": 158,
        "commercial": 1,
        "research": 0,
        "public_interest": 0,
        "legal_service": 0,
        "other": 0,
        "total": 159,
    }
    assert report.requests["total"]["total"] == 718
    findings = check_report(report)
    assert not [f for f in findings if f.severity == "error"]
    assert [f.message for f in findings if f.rule == "A8" and f.row == "other"] == [
        "表三“（六）其他处理”印成了一行（2019 版写法），2021 版应分项填报"
    ]


def test_sections_numbered_in_parentheses(seed: str) -> None:
    text = seed
    expected = AnnualReport.from_json(EXAMPLE.read_text(encoding="utf-8")).headings
    assert expected is not None
    for heading in expected:
        text = _replace(text, f"\n{heading}\n", f"\n（{heading[0]}）{heading[2:]}\n")
    report, _ = parse_text(text)
    assert report.headings == [f"（{h[0]}）{h[2:]}" for h in expected]
    assert report.requests["new_received"]["total"] == 2
    assert report.sections["problems"].startswith("一是专门机构建设")


def test_a_sub_heading_worded_like_a_section_does_not_open_it(seed: str) -> None:
    text = _replace(
        seed, "2. 2019 年收到政府信息公开申请", "（二）主动公开政府信息情况\n\n2. 2019 年收到政府信息公开申请"
    )
    report, _ = parse_text(text)
    assert report.headings == AnnualReport.from_json(EXAMPLE.read_text(encoding="utf-8")).headings
    assert "（二）主动公开政府信息情况" in report.sections["overview"]


def test_a_misspelt_row_label_is_read_and_warned_not_called_missing(tmp_path: Path) -> None:
    """Reading is not judging: the figures of a misspelt row are read, the wording gets an A8
    warning, and no rule calls the row missing."""
    from gongkai.annual_report.audit import audit_file

    seed = (Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_98546e830f6b9c3e.txt").read_text(
        "utf-8"
    )
    assert "2.其他法律行政法规禁止公开" in seed
    path = tmp_path / "typo.txt"
    path.write_text(seed.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"), encoding="utf-8")
    result = audit_file(path)
    assert result.report is not None
    assert result.report.requests["refused.law_forbidden"]["total"] == 0
    wording = [f for f in result.findings if f.rule == "A8" and f.row == "refused.law_forbidden"]
    assert [f.severity for f in wording] == ["warning"]
    assert "其他法律行政止公开" in wording[0].message
    assert not [f for f in result.findings if f.severity == "error" and f.rule == "A8"]


_STACKED = """2024年测试市人民政府政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
一、本年新收政府信息公开申请数量　3,252　53　0　0　89　8　3,402
（四）无法提供
1.本机关不掌握相关政府信息
2.没有现成信息需要另行制作
{figures}
3.补正后申请内容仍不明确　0　0　0　0　0　0　0
"""


def test_stacked_labels_take_as_many_rows_of_figures_in_order() -> None:
    figures = "3,075　50　0　0　89　8　3,222\n177　3　0　0　0　0　180"
    report, _ = parse_text(_STACKED.format(figures=figures))
    assert report.requests["unavailable.not_held"]["total"] == 3222
    assert report.requests["unavailable.needs_creation"]["total"] == 180


def test_stacked_labels_with_fewer_rows_of_figures_attribute_none() -> None:
    report, _ = parse_text(_STACKED.format(figures="3,075　50　0　0　89　8　3,222"))
    assert "unavailable.not_held" not in report.requests or not report.requests["unavailable.not_held"]
    assert (
        "unavailable.needs_creation" not in report.requests
        or not report.requests["unavailable.needs_creation"]
    )
    assert report.reading is not None and not report.reading.sure_of("requests")


def test_a_table_cut_off_by_the_end_of_the_text_is_a_gap_not_missing_rows() -> None:
    from gongkai.annual_report.checks import check_report

    report, notes = parse_text(
        _STACKED.format(figures="3,075　50　0　0　89　8　3,222\n177　3　0　0　0　0　180")
    )
    assert "table_cut" in {n.code for n in notes}
    assert report.reading is not None and report.reading.status == "partial"
    assert not [f for f in check_report(report) if f.severity == "error" and f.rule == "A8"]


def test_a_report_before_2019_is_refused_as_another_format() -> None:
    with pytest.raises(UnreadableReport, match=r"2018 年度.*不在审核范围"):
        parse_text(_STACKED.format(figures="").replace("2024年测试市", "2018年测试市"))
