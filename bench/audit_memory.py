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

import base64
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering import render

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PDF = ROOT.parent / "shared" / "samples" / "huaian-city-2024.pdf"
SCALE = float(os.environ.get("GONGKAI_BENCH_SCALE") or 1)
TARGET_MB = 600
MB = 1024 * 1024

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


def padded_page(report: AnnualReport, megabytes: int) -> bytes:
    html = render(report, "html").decode("utf-8")
    script = "<script>" + "var menu = {'item': 'abcdefghij', 'n': 1234567890};\n" * 20_000 + "</script>\n"
    style = "<style>" + ".nav-item-123 { color: #123456; margin: 0 1px 2px 3px; }\n" * 20_000 + "</style>\n"
    image = '<img alt="" src="data:image/png;base64,' + base64.b64encode(os.urandom(MB)).decode() + '">\n'
    unit = script + style + image
    assets = unit * (megabytes * MB // len(unit) + 1)
    half = len(assets) // 2
    head_end = html.index("</head>")
    body_start = html.index(">", html.index("<body")) + 1
    page = html[:head_end] + assets[:half] + html[head_end:body_start] + assets[half:] + html[body_start:]
    return page.encode("utf-8")


def zip_bomb(report: AnnualReport, megabytes: int) -> bytes:
    source = render(report, "docx")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                dst.writestr(info, data)
                continue
            start = data.index(b"<w:body>") + len(b"<w:body>")
            with dst.open("word/document.xml", "w") as part:
                part.write(data[:start])
                chunk = (b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>") * 1000
                for _ in range(megabytes):
                    part.write(chunk)
                part.write(data[start:])
    return out.getvalue()


def long_text(report: AnnualReport, size: int) -> bytes:
    text = render(report, "md")
    return (text * (size // len(text) + 1))[:size].decode("utf-8", errors="ignore").encode("utf-8")


def dense_pdf(pages: int, lines: int = 80, columns: int = 120, *, bomb_mb: int = 0) -> bytes:
    """``pages`` pages of ``lines`` × ``columns`` Helvetica characters (9,600 a page by default), or
    with ``bomb_mb`` MB of text operators, compressed, as their contents."""
    row = ("1234567890 " * (columns // 11 + 1))[:columns]
    stream = "\n".join(["BT /F1 5 Tf 20 820 Td 6 TL", *(f"({row}) '" for _ in range(lines)), "ET"]).encode()
    dictionary = b"/Length %d" % len(stream)
    if bomb_mb:
        stream = zlib.compress(b"BT /F1 5 Tf 20 820 Td (x) Tj ET\n" * (bomb_mb * MB // 32))
        dictionary = b"/Length %d /Filter /FlateDecode" % len(stream)
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< %s >>\nstream\n%s\nendstream" % (dictionary, stream),
            *[page] * pages,
        ]
    )


def crafted_pdf(kind: str) -> bytes:
    """One page that passes the pre-scan but that PDFium would blow up when loading it: ``strings``,
    contents of text strings of 100,000 characters just under the contents cap (1.4 GB read in
    process); ``form``, a form of 100 text lines drawn 3,000 times (1.8 GB in process)."""
    font = b"/Font << /F1 3 0 R >>"
    form = b""
    if kind == "strings":
        string = b"(" + b"0123456789" * 10_000 + b") Tj\n"
        contents = b"BT /F1 5 Tf 20 820 Td\n" + string * ((16 * MB - 64 * 1024) // len(string)) + b"ET\n"
    else:
        contents = b"q /X1 Do Q\n" * 3000
        line = b"(1234567890 1234567890 1234567890 1234567890) '\n"
        form = zlib.compress(b"BT /F1 5 Tf 20 820 Td 6 TL\n" + line * 100 + b"ET\n")
    packed = zlib.compress(contents)
    resources = font + (b" /XObject << /X1 6 0 R >>" if form else b"")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents 4 0 R >>"
        % resources,
    ]
    if form:
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << %s >> /Length %d"
            b" /Filter /FlateDecode >>\nstream\n%s\nendstream" % (font, len(form), form)
        )
    return pdf_file(objects)


def pdf_file(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


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
            "padded-page.html": padded_page(report, _megabytes(25)),
            "zip-bomb.docx": zip_bomb(report, _megabytes(300)),
            "long-text.txt": long_text(report, min(50 * MB - 1, _megabytes(50) * MB)),
            # 62 pages of 9,600 characters: just under the PDF character cap.
            "dense.pdf": dense_pdf(max(1, round(62 * SCALE))),
            "content-bomb.pdf": dense_pdf(1, bomb_mb=_megabytes(200)),
            "long-strings.pdf": crafted_pdf("strings"),
            "form-drawn.pdf": crafted_pdf("form"),
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
