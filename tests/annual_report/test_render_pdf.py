"""PDF output: Noto CJK embedded, the labels and figures in its text, and the missing-font refusal."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_render_support import all_labels, example, expected_rows, full_report

from gongkai.annual_report.formats import TITLE
from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering import RenderError, render
from gongkai.annual_report.rendering.pdf import MISSING_FONT_MESSAGE, cjk_font_families

pytestmark = pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdffonts, pdftotext) is not installed",
)

EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig></fontconfig>
"""


@pytest.fixture(scope="module")
def corrected_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(render(example("donghuashi-2019-corrected.json"), "pdf"))
    return path


def pdf_text(path: Path) -> str:
    # -raw keeps content-stream order, so the lines of one wrapped table cell stay together.
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_noto_cjk_fonts_are_embedded(corrected_pdf: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(corrected_pdf)], capture_output=True, text=True, check=True
    ).stdout
    fonts = listing.splitlines()[2:]
    assert fonts, listing
    cjk = [line for line in fonts if re.search(r"Noto-?(Serif|Sans)-?CJK", line)]
    assert cjk, listing
    for line in fonts:
        name, emb = line.split()[0], line.split()[-5]
        assert emb == "yes", f"{name} is not embedded:\n{listing}"


def test_text_has_the_title_labels_and_figures(corrected_pdf: Path) -> None:
    report = example("donghuashi-2019-corrected.json")
    text = re.sub(r"\s+", "", pdf_text(corrected_pdf))
    assert f"{report.organisation}{report.year}年{TITLE}" in text
    for label in all_labels(report):
        assert re.sub(r"\s+", "", label) in text, label
    assert "184.8083" in text
    assert "\ufffd" not in text  # no glyph that failed to map back to a character


def test_a_2021_report_renders_with_all_its_labels(tmp_path: Path) -> None:
    report: AnnualReport = full_report("2021")
    path = tmp_path / "r.pdf"
    path.write_bytes(render(report, "pdf"))
    text = re.sub(r"\s+", "", pdf_text(path))
    for label in all_labels(report):
        assert label in text, label
    # Each row prints its own label followed by its own figures, in column order.
    for row in expected_rows(report):
        printed = (row.labels[-1] if row.labels else "") + "".join(row.texts)
        assert printed in text, (row.key, printed)


def test_cjk_font_detection_sees_the_installed_noto_fonts() -> None:
    families = cjk_font_families()
    assert any(f.startswith("Noto") and "CJK" in f for f in families), families


def test_refuses_without_a_chinese_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text(EMPTY_FONTCONFIG, encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))  # fontconfig with no font directories at all
    assert cjk_font_families() == []
    with pytest.raises(RenderError) as caught:
        render(example("donghuashi-2019-corrected.json"), "pdf")
    assert str(caught.value) == MISSING_FONT_MESSAGE
    assert "fonts-noto-cjk" in str(caught.value)


def test_refuses_when_fontconfig_tools_are_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match="fontconfig"):
        render(example("donghuashi-2019-corrected.json"), "pdf")
