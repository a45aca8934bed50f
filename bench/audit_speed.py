"""Audit speed (parse + every check) per published report, against extraction baselines on the same files.

Targets (issue 3): a PDF audit no slower than pdfplumber's bare ``extract_text`` and within 5x of pypdfium2's
bare text extraction (the floor); ≥ 500 text reports per second per core.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pdfplumber
import pypdfium2
from docx import Document

from bench.timing import best_of, fmt_ms
from gongkai.annual_report.checks import check_report
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.parsing.files import parse_file
from gongkai.annual_report.parsing.text import parse_text
from gongkai.annual_report.rendering import render

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _audit_path(path: Path) -> None:
    report, _notes = parse_file(path)
    check_report(report)


def _pdfium_text(path: Path) -> None:
    pdf = pypdfium2.PdfDocument(str(path))
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()


def _plumber_text(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def _docx_load(path: Path) -> None:
    Document(str(path))


def _row(name: str, audit: float, baselines: dict[str, float]) -> None:
    parts = "  ".join(f"{k}: {fmt_ms(v)} (audit/{k} = {audit / v:5.2f}x)" for k, v in baselines.items())
    print(f"  {name:<36} audit {fmt_ms(audit)}  {parts}")


def main() -> None:
    print("== audit speed: parse + all checks, per report ==")
    texts = [SHARED / "seed" / "000_98546e830f6b9c3e.txt", *sorted((SHARED / "samples").glob("*.txt"))]
    print("text reports (in-process, one core):")
    for path in texts:
        text = path.read_text(encoding="utf-8")

        def audit_text(text: str = text) -> None:
            report, _ = parse_text(text)
            check_report(report)

        per = best_of(audit_text, repeat=5, number=50)
        print(f"  {path.name:<36} {fmt_ms(per)}  → {1 / per:8.0f} reports/s per core (target ≥ 500)")

    corrected = AnnualReport.from_json(
        (ROOT / "examples" / "donghuashi-2019-corrected.json").read_text("utf-8")
    )
    with tempfile.TemporaryDirectory() as tmp:
        docx_path = Path(tmp) / "donghuashi-2019.docx"
        docx_path.write_bytes(render(corrected, "docx"))
        rendered_pdf = Path(tmp) / "donghuashi-2019.pdf"
        rendered_pdf.write_bytes(render(corrected, "pdf"))

        print("DOCX reports (baseline: bare python-docx load):")
        _row(
            docx_path.name,
            best_of(lambda: _audit_path(docx_path), repeat=5, number=5),
            {"docx-load": best_of(lambda: _docx_load(docx_path), repeat=5, number=5)},
        )

        print("PDF reports (baselines: pypdfium2 text of all pages = floor; pdfplumber extract_text):")
        for pdf in [*sorted((SHARED / "samples").glob("*.pdf")), rendered_pdf]:
            audit = best_of(lambda pdf=pdf: _audit_path(pdf), repeat=3)
            floor = best_of(lambda pdf=pdf: _pdfium_text(pdf), repeat=3)
            plumber = best_of(lambda pdf=pdf: _plumber_text(pdf), repeat=3)
            _row(pdf.name, audit, {"pdfium": floor, "plumber": plumber})
            verdict = "OK" if audit <= plumber and audit <= 5 * floor else "MISSED"
            print(f"    target: audit ≤ plumber and ≤ 5× pdfium → {verdict}")


if __name__ == "__main__":
    main()
