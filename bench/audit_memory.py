"""Peak memory of one audit on the largest inputs, each audited in a child process of its own.

Target (issue 9): ≤ 600 MB for any input up to the size limit (``--max-size``, 50 MB by default).
The inputs are the hostile ones seen in the wild, made here: a 25 MB saved web page (a report inside
MBs of inline scripts, styles and base64 images), a Word zip bomb (300 MB of XML in under 1 MB), the
biggest text under the size limit, a PDF just under the character cap, a PDF whose page contents
unpack to 200 MB, two PDFs that pass every cap of the pre-scan but that PDFium would blow up to
gigabytes when loading their page (16 MB of long text strings; a form of text drawn 3,000 times),
and the shared sample PDF. A PDF's pages are read in a grandchild under a memory limit: the peak is
the child's plus the largest grandchild's (which counts the pages they share twice).

``GONGKAI_BENCH_SCALE`` (default 1) scales the made inputs, e.g. 0.1 for a quick run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering import render

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PDF = ROOT.parent / "shared" / "samples" / "huaian-city-2024.pdf"
SCALE = float(os.environ.get("GONGKAI_BENCH_SCALE") or 1)
TARGET_MB = 600
# The hostile inputs are the memory tests' own (tests/annual_report/hostile_inputs.py), made on the fly.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "annual_report"))
from hostile_inputs import (  # noqa: E402
    MB,
    docx_with_body,
    form_drawn_pdf,
    long_strings_pdf,
    padded_page,
    repeated_paragraphs,
    text_pdf,
)

_BOMB_LINE = b"BT /F1 5 Tf 20 820 Td (x) Tj ET\n"

_CHILD = """
import json, resource, sys
from gongkai.annual_report.audit import audit_file
result = audit_file(sys.argv[1])
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
peak_kb += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"status": result.status, "reason": result.reason, "peak_mb": peak_kb / 1024}))
"""


def _megabytes(n: float) -> int:
    return max(1, round(n * SCALE))


def long_text(report: AnnualReport, size: int) -> bytes:
    text = render(report, "md")
    return (text * (size // len(text) + 1))[:size].decode("utf-8", errors="ignore").encode("utf-8")


def audit_in_child(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> None:
    print(f"== audit memory: peak RSS of one audit, in a child process (GONGKAI_BENCH_SCALE={SCALE:g}) ==")
    report = AnnualReport.from_json((ROOT / "examples" / "donghuashi-2019-corrected.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        inputs = {
            "padded-page.html": padded_page(render(report, "html").decode("utf-8"), _megabytes(25)).encode(
                "utf-8"
            ),
            "zip-bomb.docx": docx_with_body(render(report, "docx"), repeated_paragraphs(_megabytes(300))),
            "long-text.txt": long_text(report, min(50 * MB - 1, _megabytes(50) * MB)),
            # 62 pages of 9,600 characters: just under the PDF character cap.
            "dense.pdf": text_pdf(max(1, round(62 * SCALE)), 80, 120),
            "content-bomb.pdf": text_pdf(
                1, 0, 0, contents=_BOMB_LINE * (_megabytes(200) * MB // len(_BOMB_LINE))
            ),
            "long-strings.pdf": long_strings_pdf(),
            "form-drawn.pdf": form_drawn_pdf(3000),
        }
        paths = []
        for name, data in inputs.items():
            paths.append(Path(tmp) / name)
            paths[-1].write_bytes(data)
        if SAMPLE_PDF.exists():
            paths.append(SAMPLE_PDF)
        worst = 0.0
        for path in paths:
            started = time.perf_counter()
            result = audit_in_child(path)
            seconds = time.perf_counter() - started
            peak = float(result["peak_mb"])  # type: ignore[arg-type]
            worst = max(worst, peak)
            status = str(result["status"])
            reason = str(result["reason"])
            print(
                f"  {path.name:<24} {path.stat().st_size / MB:7.1f} MB  peak {peak:6.0f} MB  "
                f"{seconds:5.1f} s  {status}{'：' + reason[:60] if reason else ''}"
            )
        verdict = "OK" if worst <= TARGET_MB else "MISSED"
        print(f"  target: peak ≤ {TARGET_MB} MB per audit → worst {worst:.0f} MB {verdict}")


if __name__ == "__main__":
    main()
