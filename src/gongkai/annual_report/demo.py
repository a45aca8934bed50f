"""The engine demo: render the seed report in the three published forms and show what the checks find."""

from __future__ import annotations

from pathlib import Path

from gongkai.annual_report.checks import check_report
from gongkai.annual_report.findings_output import console, print_findings
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering import render

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def run_engine_demo(output: Path, examples: Path = EXAMPLES) -> int:
    out = console()
    output.mkdir(parents=True, exist_ok=True)
    published = AnnualReport.from_json((examples / "donghuashi-2019.json").read_text(encoding="utf-8"))
    corrected = AnnualReport.from_json(
        (examples / "donghuashi-2019-corrected.json").read_text(encoding="utf-8")
    )
    out.rule("gongkai 演示：东花市街道 2019 年政府信息公开工作年度报告")
    for fmt in ("docx", "pdf", "html"):
        path = output / f"donghuashi-2019.{fmt}"
        path.write_bytes(render(corrected, fmt))
        out.print(f"已生成 {path}")
    out.print()
    out.print("按原样发布的报告（表三（七）总计 一行全为 0）：")
    print_findings(check_report(published), title="已发布版本", out=out)
    out.print()
    out.print("更正后的报告：")
    print_findings(check_report(corrected), title="更正版本", out=out)
    return 0
