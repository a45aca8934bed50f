"""The engine's command line: `gongkai check`, `gongkai render`, `gongkai audit` — exit codes and output shapes.

Runs the real console script in a subprocess, as a user or a cron job would.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_98546e830f6b9c3e.txt"
PUBLISHED = EXAMPLES / "donghuashi-2019.json"
CORRECTED = EXAMPLES / "donghuashi-2019-corrected.json"


def gongkai(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


# -- check ------------------------------------------------------------------------------------------


def test_check_published_seed_reports_balance_and_total_errors() -> None:
    proc = gongkai("check", str(PUBLISHED), "--json")
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    errors = {(f["rule"], f["row"], f["column"]) for f in findings if f["severity"] == "error"}
    assert errors == {
        ("A1", "total", "natural_person"),
        ("A1", "total", "total"),
        ("A3", "total", "natural_person"),
        ("A3", "total", "total"),
    }
    for f in findings:
        assert set(f) >= {"rule", "severity", "table", "row", "column", "expected", "actual", "message"}
    a1 = next(f for f in findings if f["rule"] == "A1" and f["column"] == "natural_person")
    assert "表三（七）总计·自然人" in a1["message"] and a1["expected"] == 2 and a1["actual"] == 0


def test_check_corrected_seed_is_clean_of_errors() -> None:
    proc = gongkai("check", str(CORRECTED))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 个错误" in proc.stdout or "未发现问题" in proc.stdout


def test_check_human_output_names_the_cell() -> None:
    proc = gongkai("check", str(PUBLISHED))
    assert proc.returncode == 1
    assert "表三（七）总计·自然人：按勾稽关系应为 2，报告为 0" in proc.stdout


def test_check_late_publication_is_an_error() -> None:
    proc = gongkai("check", str(CORRECTED), "--published-on", "2020-02-15", "--json")
    assert proc.returncode == 1
    assert any(f["rule"] == "A12" for f in json.loads(proc.stdout)["findings"])


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("not json at all", "不是有效的 JSON"),
        ('{"organisation": "x", "year": 2019, "format": "1999", "tables": {}}', "未知的年度报告格式"),
        (
            '{"organisation": "x", "year": 2019, "format": "2019", "tables": {"requests": {"nope": {}}}}',
            "nope",
        ),
        ('{"organisation": "x", "year": 2019, "format": "2019", "tables": {"bogus": {}}}', "bogus"),
        ("[1, 2, 3]", "顶层必须是对象"),
    ],
)
def test_check_unreadable_input_exits_2_with_one_line(tmp_path: Path, content: str, fragment: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    proc = gongkai("check", str(bad))
    assert proc.returncode == 2
    assert fragment in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_check_missing_file_and_binary_file(tmp_path: Path) -> None:
    proc = gongkai("check", str(tmp_path / "missing.json"))
    assert proc.returncode == 2 and "不存在" in proc.stderr
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    proc = gongkai("check", str(binary))
    assert proc.returncode == 2 and "UTF-8" in proc.stderr


def test_check_with_previous_year(tmp_path: Path) -> None:
    previous = json.loads(CORRECTED.read_text(encoding="utf-8"))
    previous["year"] = 2018
    previous["published_on"] = "2019-01-20"
    previous["tables"]["requests"]["carried_forward"]["natural_person"] = 3
    previous["tables"]["requests"]["carried_forward"]["total"] = 3
    path = tmp_path / "2018.json"
    path.write_text(json.dumps(previous, ensure_ascii=False), encoding="utf-8")
    proc = gongkai("check", str(CORRECTED), "--previous", str(path), "--json")
    a5 = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "A5"]
    assert {f["column"] for f in a5} == {"natural_person", "total"}
    assert all(f["severity"] == "warning" for f in a5)


# -- render -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "html", "md", "xlsx", "json"])
def test_render_writes_each_format(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    proc = gongkai("render", str(CORRECTED), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 500
    assert not list(tmp_path.glob("*.part"))


def test_render_json_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    gongkai("render", str(CORRECTED), "--format", "json", "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(CORRECTED.read_text(encoding="utf-8"))


def test_render_unknown_extension_asks_for_format(tmp_path: Path) -> None:
    proc = gongkai("render", str(CORRECTED), "-o", str(tmp_path / "report.xyz"))
    assert proc.returncode == 2 and "--format" in proc.stderr


# -- audit ------------------------------------------------------------------------------------------


def test_audit_seed_text_reports_the_balance_error() -> None:
    proc = gongkai("audit", str(SEED), "--json", "-j", "1")
    assert proc.returncode == 1, proc.stderr
    [result] = json.loads(proc.stdout)
    # The published text of the 行政检查/行政确认 rows lacks their 上一年项目数量 (each row's label stands
    # where it would be): 其他对外管理服务事项 is one cell short, and the status says so.
    assert result["status"] == "partial"
    assert result["reading"]["cells_read"] == result["reading"]["cells_expected"] - 1
    assert result["reading"]["unsure_tables"] == []
    assert result["agency"] == "东花市街道办事处" and result["year"] == 2019 and result["format"] == "2019"
    assert any(f["rule"] == "A1" and f["column"] == "natural_person" for f in result["findings"])
    assert result["report"]["tables"]["requests"]["total"]["natural_person"] == 0
    assert any("行政检查" in n["message"] for n in result["notes"])
    assert set(result) == {
        "file",
        "status",
        "reason",
        "coverage",
        "reading",
        "agency",
        "year",
        "format",
        "report",
        "findings",
        "notes",
    }


def test_audit_human_output_and_exit_code() -> None:
    proc = gongkai("audit", str(SEED), "-q")
    assert proc.returncode == 1
    assert "东花市街道办事处" in proc.stdout and "勾稽关系" in proc.stdout


def test_audit_batch_survives_bad_files_and_writes_datasets(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "corrected.json").write_text(CORRECTED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "garbage.pdf").write_bytes(b"\x00\x01\x02 not a pdf \xff" * 100)
    (folder / "empty.docx").write_bytes(b"")
    (folder / "notes.txt").write_text("会议纪要：今天讨论了绿化工作。", encoding="utf-8")
    csv_out, xlsx_out = tmp_path / "audit.csv", tmp_path / "audit.xlsx"
    proc = gongkai("audit", str(folder), "--json", "-j", "2", "--dataset", str(csv_out))
    assert proc.returncode == 2, proc.stderr
    results = {Path(r["file"]).name: r for r in json.loads(proc.stdout)}
    assert results["seed.txt"]["status"] == "partial"
    assert results["corrected.json"]["status"] == "audited" and not [
        f for f in results["corrected.json"]["findings"] if f["severity"] == "error"
    ]
    for bad in ("garbage.pdf", "empty.docx", "notes.txt"):
        assert results[bad]["status"] == "unreadable"
        assert results[bad]["reason"] and "\n" not in results[bad]["reason"]
    with csv_out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5
    seed_row = next(r for r in rows if r["file"].endswith("seed.txt"))
    assert seed_row["requests.new_received.natural_person"] == "2"
    assert seed_row["requests.total.natural_person"] == "0"
    assert seed_row["findings_A1"] == "2" and seed_row["findings_A3"] == "2"
    assert seed_row["proactive.art20_9.procurement.amount_wan"] == "184.8083"

    proc = gongkai("audit", str(folder), "-q", "-j", "1", "--dataset", str(xlsx_out))
    assert proc.returncode == 2
    ws = load_workbook(xlsx_out).active
    header = [c.value for c in ws[1]]
    values = {ws.cell(row=i, column=1).value: [c.value for c in ws[i]] for i in range(2, ws.max_row + 1)}
    seed_values = next(v for k, v in values.items() if k.endswith("seed.txt"))
    assert seed_values[header.index("requests.new_received.total")] == 2
    assert isinstance(seed_values[header.index("proactive.art20_9.procurement.amount_wan")], float)


def test_audit_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    proc = gongkai("audit", str(big), "--max-size", "1k", "--json")
    assert proc.returncode == 2
    [result] = json.loads(proc.stdout)
    assert result["status"] == "unreadable" and "上限" in result["reason"]


def test_audit_rejects_unknown_dataset_suffix(tmp_path: Path) -> None:
    proc = gongkai("audit", str(SEED), "--dataset", str(tmp_path / "x.txt"))
    assert proc.returncode == 2 and ".csv" in proc.stderr


def test_audit_samples_have_no_unlisted_errors() -> None:
    proc = gongkai("audit", str(SHARED / "samples"), "--json", "-j", "2")
    results = json.loads(proc.stdout)
    assert {Path(r["file"]).name for r in results} == {
        "huaian-city-2024.pdf",
        "shanghai-office-2019.txt",
        "shuyang-county-2025.txt",
    }
    for r in results:
        assert r["status"] == "audited", r["reason"]
        assert not [f for f in r["findings"] if f["severity"] == "error"], r["file"]
    assert proc.returncode == 0
    # 上海 2019 wrote 采购总金额 as "251000元" where the format asks for 万元: read as 25.1 万元, flagged A10.
    shanghai = next(r for r in results if r["file"].endswith("shanghai-office-2019.txt"))
    assert shanghai["report"]["tables"]["proactive"]["art20_9.procurement"]["amount_wan"] == "25.1"
    [a10] = [f for f in shanghai["findings"] if f["rule"] == "A10"]
    assert a10["severity"] == "warning" and "251000元" in a10["message"]
