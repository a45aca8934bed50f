"""A13: text reused from last year's report, or shared with another report of the same batch.

The measure is deliberately plain, so that a finding can be explained in one sentence: the share of this
report's sentences (一、总体情况 and 五、存在的主要问题及改进情况, where the narrative is) that also occur in
the other report. Sentences are split on 。！？； and line breaks and normalised before comparing:

- full-width forms folded (NFKC), whitespace and punctuation dropped;
- a leading enumeration marker (（一） 一是 1. 一、 首先 …) dropped, so renumbered points still match;
- every figure (Arabic or Chinese numerals, decimals) replaced by one placeholder, so a copy whose
  figures were updated is still a copy ("收到申请 12 件" and "收到申请 30 件" are the same sentence).

What everyone prints is not evidence of copying and is left out: sentences shorter than
``MIN_SENTENCE_CHARS`` characters (sub-headings such as （一）主动公开情况, "无。"), sentences about the
report itself ("依据《条例》第五十条之规定，制作本报告", "本报告所列数据的统计期限…") and the statutory
headings and table labels.

A report is warned when at least ``REUSE_THRESHOLD`` of its (distinct) sentences occur in the other
report and it has at least ``MIN_SENTENCES`` of them. Evaluators flagged reports that repeated 90% of
last year's text; 70% leaves room for a report that rewrote a few paragraphs and still copied the rest,
while independently written reports share little once figures are masked: the four shared samples share
no sentence at all, bodies of one province at most 12%, and one county's reports of two consecutive
years 19%. The share is directional: a short report copied out of a long one is warned, the long one
only if most of *its* sentences are in the short one.

Batch comparison (``batch_reuse``) compares sentence sets through an inverted index, so hundreds of
reports cost one pass over their sentences plus the postings of the sentences they share.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Protocol

from gongkai.annual_report.formats import FORMATS, SECTIONS
from gongkai.annual_report.model import AnnualReport

from .base import WARNING, Finding

REUSE_THRESHOLD = 0.7
MIN_SENTENCES = 3
MIN_SENTENCE_CHARS = 8
# The narrative sections whose sentences are compared.
COMPARED_SECTIONS = ("overview", "problems")

_SPLIT = re.compile(r"[。！？；!?;\n]+")
# Applied after NFKC, which turns （一） into (一), １． into 1. and ， into ,.
_ENUMERATION = re.compile(
    r"^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}是|[一二三四五六七八九十\d]{1,3}[、.]"
    r"|第[一二三四五六七八九十]{1,3}(?=[,、])|首先|其次|再次|最后|另一方面|一方面)[,、:]?"
)
_FIGURE = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿]+(?:\.\d+)?")
_PLACEHOLDER = "#"
# A sentence that speaks about the report itself is printed by every office.
_ABOUT_THE_REPORT = ("本报告", "本年度报告", "本年报", "报告如下", "制作本", "编制本", "特向社会公布")


def normalise_sentence(sentence: str) -> str:
    """The comparable form of one sentence: no spacing, punctuation, numbering or figures."""
    text = "".join(unicodedata.normalize("NFKC", sentence).split())
    while True:
        stripped = _ENUMERATION.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = _FIGURE.sub(_PLACEHOLDER, text)
    return "".join(ch for ch in text if ch.isalnum() or ch == _PLACEHOLDER)


@cache
def _statutory_wording() -> frozenset[str]:
    """Headings and table labels of every format, normalised like sentences."""
    labels: set[str] = set()
    for section in SECTIONS:
        labels.update((section.heading, *section.aliases))
    for fmt in FORMATS.values():
        labels.update(r.label for r in fmt.request_rows)
        labels.update(r.group for r in fmt.request_rows if r.group)
        labels.update(c.label for c in fmt.request_columns)
        for block in fmt.proactive:
            labels.add(block.caption)
            labels.update(r.label for r in block.rows)
            labels.update(c.label for c in block.columns)
        labels.update(c.label for c in (*fmt.appeal_groups, *fmt.appeal_columns))
    return frozenset(normalise_sentence(label) for label in labels)


def sentence_keys(text: str) -> frozenset[str]:
    """The distinct comparable sentences of ``text``, boilerplate shared by every report left out."""
    statutory = _statutory_wording()
    out = set()
    for raw in _SPLIT.split(text):
        key = normalise_sentence(raw)
        if len(key) - key.count(_PLACEHOLDER) < MIN_SENTENCE_CHARS:
            continue
        if key in statutory or any(word in key for word in _ABOUT_THE_REPORT):
            continue
        out.add(key)
    return frozenset(out)


def report_sentences(report: AnnualReport, sections: Iterable[str] = COMPARED_SECTIONS) -> frozenset[str]:
    return sentence_keys("\n".join(report.sections.get(key, "") for key in sections))


def reuse_share(mine: frozenset[str], theirs: frozenset[str]) -> tuple[int, float]:
    """(number of ``mine`` found in ``theirs``, that number as a share of ``mine``)."""
    if not mine:
        return 0, 0.0
    shared = len(mine & theirs)
    return shared, shared / len(mine)


def percent(share: float) -> int:
    """A share as a whole percentage, rounded down (a warned 69.9% never prints as 70%)."""
    return int(share * 100 + 1e-9)


def compared_scope(report: AnnualReport) -> str:
    headings = {s.key: s.heading for s in SECTIONS}
    present = [headings[k] for k in COMPARED_SECTIONS if report.sections.get(k, "").strip()]
    return "和".join(present) or "正文"


def _finding(share: float, shared: int, total: int, scope: str, other: str, *, extra: str = "") -> Finding:
    return Finding(
        rule="A13",
        severity=WARNING,
        table="sections",
        row="",
        column="",
        row_label=scope,
        column_label="",
        expected=None,
        actual=f"{percent(share)}%",
        message=(
            f"{scope}中与{other}相同的句子占 {percent(share)}%（{total} 句中有 {shared} 句相同；"
            f"只改动了数字的句子也算相同）{extra}"
        ),
    )


def check_reuse(report: AnnualReport, previous: AnnualReport | None) -> list[Finding]:
    """A13 against last year's report."""
    if previous is None:
        return []
    mine = report_sentences(report)
    if len(mine) < MIN_SENTENCES:
        return []
    shared, share = reuse_share(mine, report_sentences(previous))
    if share < REUSE_THRESHOLD:
        return []
    return [_finding(share, shared, len(mine), compared_scope(report), f"上年度（{previous.year} 年度）报告")]


# -- batch ------------------------------------------------------------------------------------------


class _Audited(Protocol):
    """What ``batch_reuse`` needs of an audit result (``gongkai.annual_report.audit.AuditResult``)."""

    file: str
    report: AnnualReport | None
    findings: list[Finding]


def batch_reuse(results: Sequence[_Audited]) -> list[list[Finding]]:
    """A13 between the reports of one batch: for each result, its finding (at most one), naming the
    other report that shares the largest share of its sentences and how many others also pass the
    threshold. Two results of the same organisation and year are taken to be one report published in
    two forms (PDF and web page) and are not compared."""
    sets = [report_sentences(r.report) if r.report is not None else frozenset() for r in results]
    index: dict[str, list[int]] = {}
    for i, keys in enumerate(sets):
        for key in keys:
            index.setdefault(key, []).append(i)
    out: list[list[Finding]] = [[] for _ in results]
    for i, mine in enumerate(sets):
        report = results[i].report
        if report is None or len(mine) < MIN_SENTENCES:
            continue
        counts: Counter[int] = Counter()
        for key in mine:
            posting = index[key]
            if len(posting) > 1:
                counts.update(posting)
        del counts[i]
        matches = []
        for j, shared in counts.items():
            other = results[j].report
            assert other is not None
            if shared / len(mine) < REUSE_THRESHOLD:
                continue
            if other.organisation == report.organisation and other.year == report.year:
                continue
            matches.append((-shared, results[j].file, j))
        if not matches:
            continue
        matches.sort()
        shared, _, j = -matches[0][0], matches[0][1], matches[0][2]
        other = results[j].report
        assert other is not None
        if other.organisation == report.organisation:
            who = f"同一机关 {other.year} 年度报告 {results[j].file}"
        else:
            who = f"同批审核的 {results[j].file}（{other.organisation} {other.year} 年度）"
        extra = (
            f"；另有 {len(matches) - 1} 份报告也达到 {percent(REUSE_THRESHOLD)}%" if len(matches) > 1 else ""
        )
        out[i].append(
            _finding(shared / len(mine), shared, len(mine), compared_scope(report), who, extra=extra)
        )
    return out


def add_batch_reuse(results: Sequence[_Audited]) -> None:
    """Add ``batch_reuse``'s findings to each result, keeping the findings in rule order."""
    for result, extra in zip(results, batch_reuse(results), strict=True):
        if extra:
            result.findings = sorted([*result.findings, *extra], key=_rule_number)


def _rule_number(finding: Finding) -> int:
    return int(finding.rule[1:]) if finding.rule[1:].isdigit() else 999
