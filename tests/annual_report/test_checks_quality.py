"""What real reports need beyond the arithmetic: A8 on an empty section, A13 reused text, A15 boilerplate 五."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gongkai.annual_report.audit import audit_paths
from gongkai.annual_report.checks import RULES, Finding, check_report
from gongkai.annual_report.checks.narrative_quality import problems_reasons
from gongkai.annual_report.checks.similarity import (
    REUSE_THRESHOLD,
    batch_reuse,
    normalise_sentence,
    report_sentences,
    sentence_keys,
)
from gongkai.annual_report.model import AnnualReport

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CORRECTED = EXAMPLES / "donghuashi-2019-corrected.json"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_98546e830f6b9c3e.txt"
SHUYANG = SHARED / "samples" / "shuyang-county-2025.txt"
needs_shared = pytest.mark.skipif(not (SEED.exists() and SHUYANG.exists()), reason="shared/ is not available")

# 五 of the 淮安市人民政府 2024 report as published (shared/samples/huaian-city-2024.pdf).
HUAIAN_PROBLEMS = (
    "对照上级新要求和公众新期待，还有一些需要加强和改进的地方。主要表现在：一是政策解读质量仍需提升，个别单位政策"
    "解读内容简单、形式单一；二是政务公开队伍建设还需进一步加强，个别单位存在人员配备不足、兼职多、流动性过快的问题。\n"
    "针对存在问题，下一步，我市将着力加强政策解读质效，重点提升解读的针对性和通俗化，探索建立政社合作、多元参与的政策"
    "宣传解读模式，开发更多可读、可视、可感的政策解读产品，积极回应企业和群众的实际需求；建立健全“传帮带”机制，对新上"
    "岗人员开展“面对面、手把手”指导，定期组织业务培训，全面提升政务公开工作队伍水平，同时加强先进典型宣传和正面激励，"
    "增强队伍凝聚力。"
)
# The stock paragraph evaluators complain about: long enough, and says nothing.
STOCK_PROBLEMS = (
    "2019年，我街道政府信息公开工作虽然取得了一定成效，但与上级要求和群众期待相比仍存在一定差距。下一步，我街道将"
    "进一步加大政府信息公开力度，不断提高政府信息公开工作水平，切实保障人民群众的知情权、参与权和监督权。"
)


def corrected() -> AnnualReport:
    """东花市街道 2019 as it should have been published (sections 一 and 五 are the real ones)."""
    return AnnualReport.from_json(CORRECTED.read_text(encoding="utf-8"))


def of(rule: str, findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def with_other_figures(text: str) -> str:
    """The same text with every figure changed, as a report copied from last year and updated would be."""
    return re.sub(r"\d+", lambda m: str(int(m.group()) * 3 + 7), text)


def last_year_of(report: AnnualReport) -> AnnualReport:
    previous = copy.deepcopy(report)
    previous.year = report.year - 1
    for key in ("overview", "problems"):
        previous.sections[key] = with_other_figures(report.sections[key])
    return previous


# -- the catalogue ----------------------------------------------------------------------------------


def test_a13_and_a15_are_in_the_catalogue_in_rule_order() -> None:
    assert list(RULES) == [f"A{i}" for i in range(1, 17)]
    assert "上年度" in RULES["A13"] and "套话" in RULES["A15"]


def test_findings_stay_sorted_by_rule_number() -> None:
    report = corrected()
    report.sections["problems"] = "无。"
    findings = check_report(report, previous=last_year_of(corrected()))
    numbers = [int(f.rule[1:]) for f in findings]
    assert numbers == sorted(numbers)
    assert {"A13", "A15"} <= {f.rule for f in findings}


# -- A8: a section with its heading and nothing under it ----------------------------------------------


@pytest.mark.parametrize("text", ["", "  \n", "。", "——\n/"])
def test_a8_empty_problems_section_is_an_error(text: str) -> None:
    report = corrected()
    report.sections["problems"] = text
    (a8,) = of("A8", check_report(report))
    assert (a8.severity, a8.table, a8.row, a8.row_label) == (
        "error",
        "sections",
        "problems",
        "五、存在的主要问题及改进情况",
    )
    assert "只有标题" in a8.message
    assert of("A15", check_report(report)) == []  # one defect, one finding: emptiness is A8's


@pytest.mark.parametrize("key", ["overview", "other"])
def test_a8_empty_overview_or_other_is_an_error(key: str) -> None:
    report = corrected()
    report.sections[key] = ""
    (a8,) = of("A8", check_report(report))
    assert (a8.severity, a8.row) == ("error", key)


@pytest.mark.parametrize("text", ["无。", "无", "本年度无其他需要报告的事项。"])
def test_a8_nothing_to_report_in_six_is_content(text: str) -> None:
    report = corrected()
    report.sections["other"] = text
    assert of("A8", check_report(report)) == []


def test_a8_table_sections_may_have_no_prose_when_their_table_is_there() -> None:
    report = corrected()
    assert report.sections["proactive"] == report.sections["requests"] == report.sections["appeals"] == ""
    assert of("A8", check_report(report)) == []


def test_a8_table_section_with_neither_prose_nor_table_is_one_error() -> None:
    report = corrected()
    report.appeals = {}
    (a8,) = of("A8", check_report(report))
    assert (a8.severity, a8.table, a8.row) == ("error", "appeals", "")
    assert "缺少表四" in a8.message and "只有标题，没有内容" in a8.message
    report.sections["appeals"] = "本年度未发生政府信息公开行政复议、行政诉讼案件。"
    (a8,) = of("A8", check_report(report))
    assert "只有标题" not in a8.message  # the table is missing, the section is not empty


def test_a8_empty_is_judged_only_where_the_heading_was_found() -> None:
    report = corrected()
    del report.sections["problems"]
    (a8,) = of("A8", check_report(report))
    assert a8.message == "缺少第五部分“五、存在的主要问题及改进情况”"


# -- A15: section 五 is more than a formality ------------------------------------------------------------


@pytest.mark.parametrize("problems", [corrected().sections["problems"], HUAIAN_PROBLEMS])
def test_real_problems_section_has_no_a8_or_a15(problems: str) -> None:
    report = corrected()
    report.sections["problems"] = problems
    findings = check_report(report)
    assert of("A8", findings) == [] and of("A15", findings) == []


@pytest.mark.parametrize(
    ("problems", "reason"),
    [
        ("无。", "只写了“无。”"),
        ("暂无", "只写了“暂无”"),
        ("本年度不存在问题。", "只写了"),
        ("工作中还存在一些不足，下一步将继续加强。", "套话"),
        ("对照上级新要求和公众新期待，还有一些需要加强和改进的地方。", "套话"),
        (STOCK_PROBLEMS, "套话"),
        ("一是人手紧缺。", "内容过短（6 字，少于 40 字）"),
    ],
)
def test_boilerplate_problems_section_is_an_a15_warning(problems: str, reason: str) -> None:
    report = corrected()
    report.sections["problems"] = problems
    findings = check_report(report)
    assert of("A8", findings) == []
    (a15,) = of("A15", findings)
    assert (a15.severity, a15.table, a15.row) == ("warning", "sections", "problems")
    assert a15.message.startswith("五、存在的主要问题及改进情况流于形式：") and reason in a15.message


def test_a15_long_stock_paragraph_is_not_called_short() -> None:
    reasons = problems_reasons(STOCK_PROBLEMS)
    assert len(reasons) == 1 and "套话" in reasons[0]


def test_a15_short_but_concrete_is_warned_only_for_its_length() -> None:
    reasons = problems_reasons("一是人手紧缺，信息公开由党政办兼管。")
    assert [r.split("（")[0] for r in reasons] == ["内容过短", "全文为“一是人手紧缺，信息公开由党政办兼管。”"]


def test_a15_problems_copied_from_last_year() -> None:
    report = corrected()
    previous = last_year_of(report)
    previous.sections["overview"] = "上年度的总体情况另行撰写，与本年度没有相同的句子。"
    (a15,) = of("A15", check_report(report, previous=previous))
    assert "问题与改进情况与上年度相同" in a15.message and "占 100%" in a15.message
    # Last year's problems followed up in new words: no A15.
    previous.sections["problems"] = HUAIAN_PROBLEMS
    assert of("A15", check_report(report, previous=previous)) == []


# -- A13: text reused -------------------------------------------------------------------------------


def test_sentences_are_compared_without_figures_numbering_or_boilerplate() -> None:
    assert normalise_sentence("（一）2019 年收到申请 12 件") == normalise_sentence("2. 2020年收到申请三十件")
    assert normalise_sentence("一是人员紧缺，工作量大") == normalise_sentence("三是人员紧缺，工作量大")
    assert sentence_keys("依据《中华人民共和国政府信息公开条例》第五十条之规定，制作本报告。") == frozenset()
    assert sentence_keys("（一）主动公开情况\n无。\n一、总体情况") == frozenset()


def test_a13_near_copy_of_last_year_with_other_figures() -> None:
    report = corrected()
    # Last year's text differs in its figures and in two rewritten sentences of section 一.
    rewritten = copy.deepcopy(report)
    overview = rewritten.sections["overview"]
    for old, new in (
        ("收到政府信息公开申请数量为", "全年共受理政府信息公开申请"),
        ("加强和完善政务公开工作机制。", "上年度重点推进政务公开平台建设，完善工作机制。"),
    ):
        assert overview.count(old) == 1
        overview = overview.replace(old, new)
    rewritten.sections["overview"] = overview
    previous = last_year_of(rewritten)
    total = len(report_sentences(report))
    (a13,) = of("A13", check_report(report, previous=previous))
    share = (total - 2) * 100 // total
    assert share >= REUSE_THRESHOLD * 100
    assert (a13.severity, a13.table, a13.actual) == ("warning", "sections", f"{share}%")
    assert f"与上年度（2018 年度）报告相同的句子占 {share}%（{total} 句中有 {total - 2} 句相同" in a13.message
    assert a13.row_label == "一、总体情况和五、存在的主要问题及改进情况"


def test_a13_not_without_previous_nor_for_a_rewritten_report() -> None:
    report = corrected()
    assert of("A13", check_report(report)) == []
    previous = last_year_of(report)
    previous.sections["overview"] = (
        "上年度的总体情况另行撰写。街道全年未收到政府信息公开申请，各项工作平稳推进。"
    )
    previous.sections["problems"] = HUAIAN_PROBLEMS
    assert of("A13", check_report(report, previous=previous)) == []


@needs_shared
def test_two_unrelated_real_reports_share_nothing() -> None:
    from gongkai.annual_report.parsing.files import parse_file

    seed, _ = parse_file(SEED)
    shuyang, _ = parse_file(SHUYANG)
    assert len(report_sentences(seed)) >= 20 and len(report_sentences(shuyang)) >= 20
    assert of("A13", check_report(seed, previous=shuyang)) == []
    assert of("A13", check_report(shuyang, previous=seed)) == []
    assert of("A15", check_report(seed)) == [] and of("A15", check_report(shuyang)) == []


# -- A13 in a batch -----------------------------------------------------------------------------------


def _near_copy(report: AnnualReport, organisation: str) -> AnnualReport:
    copied = last_year_of(report)
    copied.organisation, copied.year = organisation, report.year
    return copied


def test_batch_audit_of_two_near_identical_reports_warns_both(tmp_path: Path) -> None:
    report = corrected()
    (tmp_path / "a-donghuashi.json").write_text(report.to_json(), encoding="utf-8")
    (tmp_path / "b-chaoyangmen.json").write_text(
        _near_copy(report, "朝阳门街道办事处").to_json(), encoding="utf-8"
    )
    other = corrected()
    other.organisation = "东城区财政局"
    other.sections["overview"] = (
        "本局全年主动公开财政预决算信息，按季度更新财政资金直达情况。各科室按职责做好政策解读。"
    )
    other.sections["problems"] = HUAIAN_PROBLEMS
    (tmp_path / "c-caizheng.json").write_text(other.to_json(), encoding="utf-8")

    a, b, c = audit_paths([tmp_path], jobs=1)
    (a13,) = of("A13", a.findings)
    assert a13.severity == "warning" and "b-chaoyangmen.json（朝阳门街道办事处 2019 年度）" in a13.message
    assert "相同的句子占 100%" in a13.message
    (b13,) = of("A13", b.findings)
    assert "a-donghuashi.json（东花市街道办事处 2019 年度）" in b13.message
    assert of("A13", c.findings) == []
    for result in (a, b):
        numbers = [int(f.rule[1:]) for f in result.findings]
        assert numbers == sorted(numbers)


def test_batch_names_the_same_bodys_other_year_and_skips_one_report_in_two_forms(tmp_path: Path) -> None:
    report = corrected()
    last = last_year_of(report)
    (tmp_path / "2019.json").write_text(report.to_json(), encoding="utf-8")
    (tmp_path / "2018.json").write_text(last.to_json(), encoding="utf-8")
    (tmp_path / "2019-again.json").write_text(report.to_json(), encoding="utf-8")  # the same report twice
    results = {Path(r.file).name: r for r in audit_paths([tmp_path], jobs=1)}
    (a13,) = of("A13", results["2018.json"].findings)
    assert "同一机关 2019 年度报告" in a13.message and "另有 1 份报告" in a13.message
    (a13,) = of("A13", results["2019.json"].findings)
    assert "同一机关 2018 年度报告" in a13.message and "另有" not in a13.message


@dataclass
class _Result:
    file: str
    report: AnnualReport | None
    findings: list[Finding] = field(default_factory=list)


def test_batch_of_hundreds_is_fast() -> None:
    base = corrected()
    results = []
    for i in range(400):
        report = copy.deepcopy(base)
        report.organisation = f"第{i}街道办事处"
        # Each report has its own sentences; every tenth is a copy of the seed's text.
        if i % 10:
            report.sections["overview"] = "\n".join(
                f"第{i}号机关的第{chr(0x4E00 + i * 40 + k)}项工作做法各不相同，内容由本机关自行撰写"
                for k in range(30)
            )
            report.sections["problems"] = (
                f"本机关特有的问题{chr(0x4E00 + i)}：具体问题与改进措施写在这里，各不相同。"
            )
        results.append(_Result(f"r{i}.json", report))
    results.append(_Result("unreadable.pdf", None))
    started = time.perf_counter()
    found = batch_reuse(results)
    elapsed = time.perf_counter() - started
    assert [i for i, f in enumerate(found) if f] == list(range(0, 400, 10))
    assert "另有 38 份报告" in found[0][0].message
    assert elapsed < 5, f"{elapsed:.1f} s for 400 reports"


# -- the command line ---------------------------------------------------------------------------------


def gongkai(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_cli_audit_previous(tmp_path: Path) -> None:
    report = corrected()
    previous = last_year_of(report)
    this_file, last_file = tmp_path / "2019.json", tmp_path / "2018.json"
    this_file.write_text(report.to_json(), encoding="utf-8")
    last_file.write_text(previous.to_json(), encoding="utf-8")

    proc = gongkai("audit", str(this_file), "--json", "-j", "1")
    assert proc.returncode == 0, proc.stderr
    [result] = json.loads(proc.stdout)
    assert not [f for f in result["findings"] if f["rule"] in ("A5", "A13", "A15")]

    proc = gongkai("audit", str(this_file), "--previous", str(last_file), "--json", "-j", "1")
    assert proc.returncode == 0, proc.stderr  # warnings only
    [result] = json.loads(proc.stdout)
    rules = {f["rule"] for f in result["findings"]}
    assert {"A13", "A15"} <= rules
    (a13,) = [f for f in result["findings"] if f["rule"] == "A13"]
    assert a13["actual"] == "100%" and "上年度（2018 年度）" in a13["message"]


@needs_shared
def test_cli_audit_previous_reads_any_kind_of_file() -> None:
    # Last year's report as a published text file: the same reader as the audited files.
    proc = gongkai("audit", str(SEED), "--previous", str(SEED), "--json", "-j", "1")
    [result] = json.loads(proc.stdout)
    assert {"A13", "A15"} <= {f["rule"] for f in result["findings"]}


def test_cli_audit_previous_that_cannot_be_read(tmp_path: Path) -> None:
    proc = gongkai("audit", str(CORRECTED), "--previous", str(tmp_path / "missing.pdf"))
    assert proc.returncode == 2 and "missing.pdf" in proc.stderr
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"not a pdf" * 10)
    proc = gongkai("audit", str(CORRECTED), "--previous", str(garbage))
    assert proc.returncode == 2 and "无法读取上年度报告" in proc.stderr
