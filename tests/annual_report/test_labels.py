"""Label normalisation, row/group/heading matching and value reading."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.annual_report.formats import REQUEST_ROWS_2019, REQUEST_ROWS_2021, SECTIONS, get_format
from gongkai.annual_report.parsing.detect import detect, detect_format, expected_columns
from gongkai.annual_report.parsing.labels import (
    levenshtein,
    match_caption,
    match_heading,
    matcher,
    normalize,
    read_value,
    split_label,
)


def test_normalize_folds_width_spacing_and_quotes() -> None:
    assert normalize("（二）部分公开（区分处理的， 只计这一情形）") == "(二)部分公开(区分处理的,只计这一情形)"
    assert normalize("商 业 企 业") == "商业企业"
    assert normalize("３．危及“三安全一稳定”") == "3.危及三安全一稳定"
    assert normalize("### 第二十条第（一）项") == "第二十条第(一)项"


@pytest.mark.parametrize(
    ("text", "numbering", "body"),
    [
        ("1.属于国家秘密", "1", "属于国家秘密"),
        ("1、属于国家秘密", "1", "属于国家秘密"),
        ("（1）属于国家秘密", "1", "属于国家秘密"),
        ("１． 属于国家秘密", "1", "属于国家秘密"),
        ("(三) 不 予 公 开", "(三)", "不予公开"),
        ("四、结转下年度继续办理", "四", "结转下年度继续办理"),
        ("三 （一）予以公开", "(一)", "予以公开"),  # a vertical header's leftover in front
        ("本年新收政府信息公开申请数量", "", "本年新收政府信息公开申请数量"),
        ("2019年政府信息公开", "", "2019年政府信息公开"),
    ],
)
def test_split_label(text: str, numbering: str, body: str) -> None:
    assert split_label(text) == (numbering, body)


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_every_statutory_row_matches_itself_exactly(fmt: str) -> None:
    rows = REQUEST_ROWS_2021 if fmt == "2021" else REQUEST_ROWS_2019
    labels = matcher("requests", fmt)
    for row in rows:
        match = labels.match(row.label)
        assert match is not None and match.entry.key == row.key and match.how == "exact", row.label
        assert not match.approximate
    for block in get_format(fmt, "beijing" if fmt == "2019" else "national").proactive:
        for row in block.rows:
            match = matcher("proactive", fmt).match(row.label)
            assert match is not None and match.entry.key == row.key, row.label


@pytest.mark.parametrize(
    ("fragment", "key", "how"),
    [
        ("1.本机关不掌握相关政府信", "unavailable.not_held", "prefix"),  # the rest is on the next line
        ("（二）部分公开（区分处理的，只计这一情", "partial", "prefix"),
        ("部分公开 (区分处理的, 只计这一情形, 不计其他情形)", "partial", "exact"),
        ("5.要求行政机关确认或重新出", "not_processed.confirm", "prefix"),
        ("一、本年新收政府信息公开申请数量（件）", "new_received", "extended"),
        ("2.其他法律行政止公开", "refused.law_forbidden", "fuzzy"),
        ("5.属干三类内部亊务信息", "refused.internal", "fuzzy"),
        ("（七）总计", "total", "exact"),
        ("3. 其他", "other.other", "exact"),
        ("1. 申请人无正当理由逾期不补正, 行政机关不再处理其政府信息公开申请", "other.no_correction", "exact"),
    ],
)
def test_fragments_and_slips_match_2021_rows(fragment: str, key: str, how: str) -> None:
    match = matcher("requests", "2021").match(fragment)
    assert match is not None
    assert (match.entry.key, match.entry.kind, match.how) == (key, "row", how)


@pytest.mark.parametrize(
    "fragment",
    [
        "形，不计其他情形）",
        "息公开申请",
        "法提供",
        "息",
        "予公开",
        "正、行政机关不再处理其政府信",
        "具已获取信息",
        "他处理",
    ],
)
def test_continuation_fragments_start_no_row(fragment: str) -> None:
    match = matcher("requests", "2021").match(fragment)
    assert match is None or match.entry.kind != "row"


@pytest.mark.parametrize(
    ("fragment", "group"),
    [
        ("（三）不", "refused"),
        ("(三) 不 予 公 开", "refused"),
        ("（四）无", "unavailable"),
        ("(五) 不予处理", "not_processed"),
    ],
)
def test_group_labels(fragment: str, group: str) -> None:
    match = matcher("requests", "2019").match(fragment)
    assert match is not None and match.entry.kind == "group" and match.entry.key == group


def test_sixth_group_differs_between_formats() -> None:
    in_2019 = matcher("requests", "2019").match("(六) 其他处理")
    in_2021 = matcher("requests", "2021").match("（六）其他处理")
    assert in_2019 is not None and (in_2019.entry.kind, in_2019.entry.key) == ("row", "other")
    assert in_2021 is not None and (in_2021.entry.kind, in_2021.entry.key) == ("group", "other")
    # "其他" alone is a column header in 2019, and a (六) group fragment is not the 3.其他 row in 2021.
    assert matcher("requests", "2019").match("其他") is None
    shuyang = matcher("requests", "2021").match("(六) 其他")
    assert shuyang is not None and shuyang.entry.kind == "group"


def test_other_format_wording_is_matched_as_foreign() -> None:
    match = matcher("requests", "2019").match(
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )
    assert match is not None and match.entry.key == "other.unpaid_fee" and match.entry.foreign
    match = matcher("proactive", "2021").match("规范性文件")
    assert match is not None and match.entry.key == "art20_1.normative_documents" and match.approximate


def test_proactive_sub_rows_and_captions() -> None:
    labels = matcher("proactive", "2019")
    inspection = labels.match("行政 检查")
    assert inspection is not None and inspection.entry.key == "art20_5.other_services.inspection"
    services = labels.match("其他对外管理服 务事项")
    assert services is not None and services.entry.key == "art20_5.other_services"
    assert match_caption("第二十条 第（五）项") == "art20_5"
    assert match_caption("### 第二十条第(九)项") == "art20_9"
    assert match_caption("第二十条") is None


@pytest.mark.parametrize("section", SECTIONS)
def test_headings(section) -> None:
    match = match_heading(section.heading)
    assert match is not None and match.key == section.key
    spaced = " ".join(section.heading)
    assert (m := match_heading("## " + spaced)) is not None and m.key == section.key


@pytest.mark.parametrize(
    "text",
    [
        "四、结转下年度继续办理",
        "（一）主动公开方面",
        "### 三、本年度办理结果",
        "一、本年新收政府信息公开申请数量",
    ],
)
def test_not_headings(text: str) -> None:
    assert match_heading(text) is None


def test_heading_typo_and_alias() -> None:
    assert (
        m := match_heading("五、政府信息公开工作存在的主要问题及改进情况")
    ) is not None and m.key == "problems"
    assert (m := match_heading("四、政府信息公开行政复议、行政诉讼请况")) is not None
    assert (m.key, m.how) == ("appeals", "fuzzy")


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("0", Decimal(0), ""),
        ("1,234", Decimal(1234), ""),
        ("１２", Decimal(12), ""),
        ("184.8083", Decimal("184.8083"), ""),
        ("-3", Decimal(-3), ""),
        ("251000元", Decimal(251000), "元"),
        ("12件", Decimal(12), "件"),
        (str(10**30), Decimal(10**30), ""),
    ],
)
def test_read_numbers(text: str, number: Decimal, unit: str) -> None:
    value = read_value(text)
    assert value is not None and value.kind == "number"
    assert (value.number, value.unit) == (number, unit)


@pytest.mark.parametrize("text", ["—", "-", "－", "/", "无", "——", "12%"])
def test_read_non_numbers(text: str) -> None:
    value = read_value(text)
    assert value is not None and value.kind == "text"


def test_blanks_and_numerals_count_only_as_real_cells() -> None:
    assert read_value("") is None and read_value("  ") is None
    assert (v := read_value("", cell=True)) is not None and v.kind == "blank"
    assert read_value("三") is None  # a vertical header's character
    assert (v := read_value("二", cell=True)) is not None and v.kind == "text"
    assert read_value("行政许可") is None
    assert read_value("1.属于国家秘密") is None


def test_levenshtein_limit() -> None:
    assert levenshtein("属于三类内部事务信息", "属干三类内部亊务信息", 3) == 2
    assert levenshtein("abc", "abc", 0) == 0
    assert levenshtein("abcdef", "uvwxyz", 2) == 3  # gave up past the limit


def test_detect_title_organisation_year_and_format() -> None:
    lines = [
        "",
        "东花市街道",
        "",
        "2019 年政府信息公开工作年度报告",
        "依据……东花市街道办事处……",
        "一、总体情况",
    ]
    found = detect(lines)
    assert (found.organisation, found.year, found.title_line) == ("东花市街道办事处", 2019, 3)
    assert found.published_on is None
    assert (
        detect(["2024年淮安市人民政府办公室政府信息公开工作年度报告"]).organisation == "淮安市人民政府办公室"
    )
    assert detect(["某某区人民政府关于2021年度政府信息公开工作年度报告"]).organisation == "某某区人民政府"
    assert detect_format("信息内容本年制发件数本年废止件数现行有效件数", 2019) == ("2021", "national")
    assert detect_format("采购项目数量采购总金额(万元,保留四位小数)", 2019) == ("2019", "beijing")
    assert detect_format("", 2022) == ("2021", "national")


def test_expected_columns() -> None:
    counts = expected_columns(get_format("2019", "beijing"))
    assert counts["proactive"]["art20_8.fees"] == 2
    assert counts["proactive"]["art20_9.procurement"] == 2
    assert set(counts["requests"].values()) == {7}
    assert counts["appeals"] == {"review": 5, "litigation_direct": 5, "litigation_after_review": 5}
    assert expected_columns(get_format("2021"))["proactive"]["art20_5.licensing"] == 1
