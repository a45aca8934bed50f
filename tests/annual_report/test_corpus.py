"""The real-report corpus (tests/corpus/): every published report read against its hand-written answer
key — every headline figure exact, every listed inconsistency found, no error the key does not list.

The keys were written by people from the documents (see tests/corpus/SOURCES-*.md for where each
report came from); ``gongkai.annual_report.answer_key`` scores an audit against one."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.annual_report.answer_key import load_key, report_path, score
from gongkai.annual_report.audit import audit_file

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
KEYS = sorted(CORPUS.glob("*.truth.json"))


def test_the_corpus_spans_enough_bodies_years_formats_and_kinds() -> None:
    keys = [load_key(p) for p in KEYS]
    full = [k for k in keys if k.get("expect", "full") == "full"]
    # One report saved in two forms (a web page and its flattened text) is one report.
    assert len({(k["agency"], k["year"]) for k in full}) >= 15
    assert len({k["agency"] for k in full}) >= 8
    assert {k["format"] for k in full} == {"2019", "2021"}
    assert len({k["year"] for k in keys}) >= 5
    assert {"pdf", "html", "txt"} <= {k["kind"] for k in keys}


@pytest.mark.parametrize("key_path", KEYS, ids=[p.name.removesuffix(".truth.json") for p in KEYS])
def test_report_reads_as_its_answer_key_says(key_path: Path) -> None:
    key = load_key(key_path)
    result = audit_file(report_path(key_path))
    scored = score(key_path.name, key, result)
    if scored.expect == "full":
        assert result.status != "unreadable", result.reason
    assert not scored.header_mismatch
    assert not scored.wrong, "figures read wrongly"
    assert not scored.false_errors, "error findings the answer key does not list"
    assert not scored.missed, "inconsistencies the answer key lists but the audit did not find"
    if scored.expect == "full":
        assert not scored.unread, "figures the reader did not place"
    else:
        assert result.status in ("partial", "unreadable")
