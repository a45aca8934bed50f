"""Bounded memory (issue 9): no input up to the size limit makes one audit use more than 600 MB, and
``-j N`` never runs more than N audits at once. The hostile inputs are made here, never committed.

Peak memory is measured in a child process (its ``VmHWM``), so that what the test process itself
holds does not count and what the audit held is not hidden by memory the test freed before. A PDF's
pages are read in a grandchild (``in_limited_child``): the peak of the audit is the child's plus the
largest grandchild's (``RUSAGE_CHILDREN``), which counts the pages they share twice."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import docx
import pytest
from hostile_inputs import (
    MB,
    docx_with_body,
    form_drawn_pdf,
    long_strings_pdf,
    one_page_pdf,
    padded_page,
    repeated_paragraphs,
    text_pdf,
)

from gongkai.annual_report import audit
from gongkai.annual_report.audit import AuditResult, audit_paths
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.parsing.base import UnreadableReport
from gongkai.annual_report.parsing.files import parse_bytes
from gongkai.annual_report.parsing.limits import (
    check_pdf_streams,
    in_limited_child,
    pdf_over_memory,
)
from gongkai.annual_report.rendering import render

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "donghuashi-2019-corrected.json"
BUDGET_MB = 600

_CHILD = """
import json, resource, sys
from gongkai.annual_report.audit import audit_file
result = audit_file(sys.argv[1], max_bytes=int(sys.argv[2]))
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
peak_kb += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
report = result.report.to_dict() if result.report else None
print(json.dumps({"status": result.status, "reason": result.reason, "peak_mb": peak_kb / 1024, "report": report}))
"""


def audit_in_child(path: Path, *, max_bytes: int = 50 * MB) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(max_bytes)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def assert_refused(result: dict[str, Any], *words: str) -> None:
    assert result["status"] == "unreadable", result["status"]
    reason = result["reason"]
    assert "\n" not in reason and re.search(r"[\u4e00-\u9fff]", reason), reason
    for word in words:
        assert word in reason, reason


def _report() -> AnnualReport:
    return AnnualReport.from_json(EXAMPLE.read_text("utf-8"))


def _figures(report: dict[str, Any]) -> dict[str, Any]:
    return {"year": report["year"], "published_on": report["published_on"], "tables": report["tables"]}


# -- web pages ------------------------------------------------------------------------------------


def test_a_saved_page_full_of_scripts_styles_and_images_is_read_within_budget(tmp_path: Path) -> None:
    html = render(_report(), "html").decode("utf-8")
    plain, padded = tmp_path / "plain.html", tmp_path / "padded.html"
    plain.write_text(html, "utf-8")
    padded.write_text(padded_page(html, 25), "utf-8")
    assert padded.stat().st_size > 25 * MB

    read = audit_in_child(padded)
    assert read["status"] != "unreadable", read["reason"]
    assert read["peak_mb"] <= BUDGET_MB
    # The page reads exactly as it does without its assets.
    assert _figures(read["report"]) == _figures(audit_in_child(plain)["report"])
    assert read["report"]["tables"]["requests"]["new_received"]["total"] == 2


def test_a_page_of_endless_markup_is_refused() -> None:
    page = "<html><body><p>2019年报告</p>" + "<i>字</i>" * 510_000 + "</body></html>"
    with pytest.raises(UnreadableReport, match="网页元素超过 50 万个"):
        parse_bytes(page.encode(), name="page.html")


def test_a_table_of_huge_merged_cells_is_refused_before_it_is_laid_out() -> None:
    # A few bytes that would otherwise claim a grid of millions of slots.
    rows = '<tr><td rowspan="1000" colspan="1000">x</td><td>1</td></tr>' * 1000
    page = f"<html><body><p>2019年报告</p><table>{rows}</table></body></html>"
    with pytest.raises(UnreadableReport, match="表 1 过大"):
        parse_bytes(page.encode(), name="page.html")


# -- Word documents -------------------------------------------------------------------------------


def _docx_with_body(write_body: Any) -> bytes:
    """The example report as a Word file whose body is extended by ``write_body(stream)``."""
    return docx_with_body(render(_report(), "docx"), write_body)


def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_docx_with_body(repeated_paragraphs(300)))  # ~300 MB of XML in < 1 MB
    assert bomb.stat().st_size < MB
    started = time.perf_counter()
    result = audit_in_child(bomb)
    assert time.perf_counter() - started < 10
    assert_refused(result, "word/document.xml", "压缩炸弹")
    assert result["peak_mb"] <= BUDGET_MB


def test_a_docx_part_under_the_size_cap_that_compresses_like_a_bomb_is_refused() -> None:
    with pytest.raises(UnreadableReport, match="压缩比异常") as info:
        parse_bytes(_docx_with_body(repeated_paragraphs(40)), name="report.docx")
    assert "\n" not in str(info.value)


def test_a_docx_that_understates_the_unpacked_size_is_refused_as_damaged() -> None:
    data = bytearray(_docx_with_body(repeated_paragraphs(40)))
    # Declare 1,000 bytes in the central directory: unpacking stops there and the CRC fails.
    at = data.index(b"PK\x01\x02")  # the central directory's entries, one per part
    while data[at + 46 : at + 46 + 17] != b"word/document.xml":
        at = data.index(b"PK\x01\x02", at + 4)
    data[at + 24 : at + 28] = (1000).to_bytes(4, "little")
    with pytest.raises(UnreadableReport, match="损坏"):
        parse_bytes(bytes(data), name="report.docx")


def test_a_docx_cell_spanning_a_billion_columns_is_refused() -> None:
    document = docx.Document()
    document.add_paragraph("2019年报告")
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    span = cell._tc.get_or_add_tcPr()
    grid_span = docx.oxml.OxmlElement("w:gridSpan")
    grid_span.set(docx.oxml.ns.qn("w:val"), "1000000000")
    span.append(grid_span)
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(UnreadableReport, match="表 1 过大"):
        parse_bytes(out.getvalue(), name="report.docx")


# -- texts ----------------------------------------------------------------------------------------


def _long_text(path: Path, megabytes: int) -> None:
    text = render(_report(), "md").decode("utf-8")
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < megabytes * MB:
            out.write(text)


def test_a_text_over_the_size_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    _long_text(path, 60)
    result = audit_in_child(path)
    assert_refused(result, "文件过大", "--max-size")
    assert result["peak_mb"] <= BUDGET_MB
    # With the size limit raised, the text cap still refuses it, and memory stays bounded.
    raised = audit_in_child(path, max_bytes=100 * MB)
    assert_refused(raised, "报告文字超过 200 万字", "不像一份年度报告")
    assert raised["peak_mb"] <= BUDGET_MB


def test_a_text_under_the_size_limit_but_too_long_for_a_report_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    _long_text(path, 45)
    result = audit_in_child(path)
    assert_refused(result, "报告文字超过 200 万字")
    assert result["peak_mb"] <= BUDGET_MB


def test_a_text_of_endless_short_lines_is_refused() -> None:
    text = "2019年政府信息公开工作年度报告\n" + "1\n" * 150_000
    with pytest.raises(UnreadableReport, match="报告超过 10 万行"):
        parse_bytes(text.encode(), name="report.txt")


# -- PDFs -----------------------------------------------------------------------------------------


def test_a_pdf_over_the_page_cap_is_refused_before_its_pages_are_read(tmp_path: Path) -> None:
    path = tmp_path / "book.pdf"
    path.write_bytes(text_pdf(2000, 80, 120))
    started = time.perf_counter()
    result = audit_in_child(path)
    assert time.perf_counter() - started < 10
    assert_refused(result, "PDF 共 2000 页", "300 页")
    assert result["peak_mb"] <= BUDGET_MB


def test_a_pdf_page_of_a_million_characters_is_refused_before_they_are_read(tmp_path: Path) -> None:
    path = tmp_path / "dense.pdf"
    path.write_bytes(text_pdf(1, 1000, 1000))
    result = audit_in_child(path)
    assert_refused(result, "报告文字超过 60 万字")
    assert result["peak_mb"] <= BUDGET_MB


def test_a_pdf_whose_page_contents_unpack_to_hundreds_of_mb_is_refused(tmp_path: Path) -> None:
    # 200 MB of drawing operators in a 200 KB file: PDFium would parse them all when loading the page.
    path = tmp_path / "bomb.pdf"
    path.write_bytes(text_pdf(1, 0, 0, contents=b"BT /F1 5 Tf 20 820 Td (x) Tj ET\n" * (200 * MB // 32)))
    assert path.stat().st_size < MB
    result = audit_in_child(path)
    assert_refused(result, "页面内容解压后超过 16 MB", "压缩炸弹")
    assert result["peak_mb"] <= BUDGET_MB


@pytest.mark.parametrize(
    "make",
    [long_strings_pdf, form_drawn_pdf, lambda: form_drawn_pdf(image_mb=49)],
    ids=["long-strings", "form-drawn", "form-drawn-in-a-50-MB-file"],
)
def test_a_pdf_that_pdfium_would_blow_up_when_loading_a_page_is_refused_within_budget(
    tmp_path: Path, make: Any
) -> None:
    data = make()
    assert len(data) < 50 * MB
    check_pdf_streams(data)  # passes every cap of the pre-scan: only the reading child's limit stops it
    path = tmp_path / "crafted.pdf"
    path.write_bytes(data)
    result = audit_in_child(path)
    assert_refused(result, "PDF 页面内容过大或结构异常", "读取时超出内存上限 600 MB", "恶意文件")
    assert result["peak_mb"] <= BUDGET_MB


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * MB))


def _die(_: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _refuse(reason: str) -> None:
    raise UnreadableReport(reason)


def _fail(_: object) -> None:
    raise KeyError("bug")


def test_the_reading_child_hands_back_results_reasons_and_bugs_and_refuses_when_it_dies() -> None:
    assert in_limited_child(_allocate, 100, refused=pdf_over_memory) == 100 * MB
    with pytest.raises(UnreadableReport, match=r"^第 3 页已损坏$"):
        in_limited_child(_refuse, "第 3 页已损坏", refused=pdf_over_memory)
    with pytest.raises(KeyError) as bug:
        in_limited_child(_fail, None, refused=pdf_over_memory)
    assert "_fail" in "".join(bug.value.__notes__)  # the child's traceback
    reason = str(pdf_over_memory())
    with pytest.raises(UnreadableReport, match=f"^{re.escape(reason)}$"):
        in_limited_child(_allocate, 2000, refused=pdf_over_memory)  # MemoryError past the limit
    with pytest.raises(UnreadableReport, match=f"^{re.escape(reason)}$"):
        in_limited_child(_die, None, refused=pdf_over_memory)  # killed, crashed or out of memory
    assert "\n" not in reason and "600 MB" in reason


# -- -j N -------------------------------------------------------------------------------------------


def _timed_audit(path: str | Path, **_: Any) -> AuditResult:
    """Stands in for ``audit_file`` in the workers (forked, so they see the patch): records when it ran."""
    started = time.monotonic()
    time.sleep(0.3)
    return AuditResult(str(path), "audited", reason=f"{started} {time.monotonic()}")


def _killed_on_oom(path: str | Path, **_: Any) -> AuditResult:
    """Stands in for ``audit_file``: the worker auditing ``oom.txt`` is killed the way the OOM killer does."""
    if Path(path).name == "oom.txt":
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.1)
    return AuditResult(str(path), "audited")


def _files(directory: Path, names: list[str]) -> list[Path]:
    for name in names:
        (directory / name).write_text("x", "utf-8")
    return [directory / name for name in names]


def test_jobs_never_run_more_audits_at_once_than_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "audit_file", _timed_audit)
    files = _files(tmp_path, [f"{i}.txt" for i in range(8)])
    results = audit_paths(files, jobs=2)
    assert [r.file for r in results] == [str(f) for f in files]
    spans = [tuple(map(float, r.reason.split())) for r in results]
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    assert most <= 2


def test_a_worker_killed_by_the_os_costs_only_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "audit_file", _killed_on_oom)
    names = ["a.txt", "b.txt", "oom.txt", "c.txt", "d.txt", "e.txt"]
    results = {Path(r.file).name: r for r in audit_paths(_files(tmp_path, names), jobs=2)}
    assert results["oom.txt"].status == "unreadable"
    assert results["oom.txt"].reason.startswith("处理进程失败")
    assert "内存" in results["oom.txt"].reason
    assert all(results[name].status == "audited" for name in names if name != "oom.txt")


def test_only_a_pdf_that_could_outgrow_the_budget_is_read_in_the_limited_child() -> None:
    """An ordinary report is read in the auditing process (the child costs ~15 ms a PDF); what the
    scan cannot vouch for — contents past an ordinary report's, forms, hidden or unmeasured streams
    — goes to the child."""
    ordinary = (
        Path(__file__).resolve().parents[3] / "shared" / "samples" / "huaian-city-2024.pdf"
    ).read_bytes()
    assert check_pdf_streams(ordinary) is False
    assert check_pdf_streams(long_strings_pdf()) is True
    assert check_pdf_streams(form_drawn_pdf(3)) is True
    lzw = one_page_pdf(b"BT /F1 12 Tf (x) Tj ET").replace(b"/FlateDecode", b"/LZWDecode")
    assert check_pdf_streams(lzw) is True
