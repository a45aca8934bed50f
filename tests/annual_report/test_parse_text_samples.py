"""Every real sample reads back with the hand-checked figures of its .expected.json: the 总计 column of
Table 三, the group sums of its outcome rows and the Table 四 totals (null where the cell is blank)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.parsing.base import ParseNote
from gongkai.annual_report.parsing.text import parse_text

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
GROUPS = ("refused", "unavailable", "not_processed", "other")

pytestmark = pytest.mark.skipif(not SAMPLES.exists(), reason="shared/samples is not available")


def _layout_text(pdf: Path, tmp: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp / (pdf.stem + ".txt")
    subprocess.run(["pdftotext", "-layout", str(pdf), str(out)], check=True, timeout=60)
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[AnnualReport, list[ParseNote]]]:
    tmp = tmp_path_factory.mktemp("layout")
    texts = {
        "shanghai-office-2019": (SAMPLES / "shanghai-office-2019.txt").read_text(encoding="utf-8"),
        "shuyang-county-2025": (SAMPLES / "shuyang-county-2025.txt").read_text(encoding="utf-8"),
    }
    out = {name: parse_text(text, source=name) for name, text in texts.items()}
    out["huaian-city-2024"] = parse_text(_layout_text(SAMPLES / "huaian-city-2024.pdf", tmp))
    return out


def _group_sum(report: AnnualReport, group: str) -> int | None:
    cells = [
        row.get("total")
        for key, row in report.requests.items()
        if key == group or key.startswith(group + ".")
    ]
    if not cells or any(c is None for c in cells):
        return None
    return sum(c for c in cells if c is not None)


@pytest.mark.parametrize("name", ["shanghai-office-2019", "shuyang-county-2025", "huaian-city-2024"])
def test_sample_figures_match_expected(samples: dict, name: str) -> None:
    report, _ = samples[name]
    expected = json.loads((SAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert report.year == expected["year"]
    assert report.format == expected["format"]
    for row, value in expected["table3_total_column"].items():
        assert report.has_cell("requests", row, "total"), row
        assert report.requests[row]["total"] == value, row
    for group, value in expected["table3_group_sums_total_column"].items():
        assert _group_sum(report, group) == value, group
    for group, value in expected["table4_totals"].items():
        assert report.has_cell("appeals", group, "total"), group
        assert report.appeals[group]["total"] == value, group
    fmt = report.report_format
    assert set(report.requests) == {r.key for r in fmt.request_rows}
    for row in report.requests.values():
        assert len(row) == 7


def test_shanghai_blank_cells_are_none_and_yuan_is_converted(samples: dict) -> None:
    report, notes = samples["shanghai-office-2019"]
    assert report.organisation == "上海市人民政府办公厅"
    assert report.variant == "national"
    assert report.published_on == dt.date(2020, 1, 31)
    assert report.requests["granted"] == {
        "natural_person": 258,
        "commercial": 12,
        "research": None,
        "public_interest": None,
        "legal_service": 1,
        "other": 1,
        "total": None,
    }
    assert report.appeals["litigation_after_review"] == dict.fromkeys(
        ("upheld", "corrected", "other", "pending", "total")
    )
    assert report.proactive["art20_9.procurement"] == {"projects": 6, "amount_wan": Decimal("25.1")}
    assert [(n.code, n.row) for n in notes] == [("unit_converted", "art20_9.procurement")]
    assert report.sections["other"] == "无。"
    assert report.sections["overview"].split("\n")[1] == "（一）主动公开方面"


def test_shuyang_broken_sub_tables(samples: dict) -> None:
    report, notes = samples["shuyang-county-2025"]
    assert report.organisation == "沐阳县人民政府"  # printed so (the OCR's 沐 for 沭); not corrected
    assert report.published_on == dt.date(2026, 1, 23)
    assert report.requests["other.unpaid_fee"]["total"] == 7
    assert report.requests["other.other"] == {
        "natural_person": 142,
        "commercial": 1,
        "research": 0,
        "public_interest": 0,
        "legal_service": 0,
        "other": 0,
        "total": 143,
    }
    assert report.proactive["art20_8.fees"] == {"amount_wan": Decimal("4068.208")}
    assert report.appeals["review"] == {"upheld": 27, "corrected": 10, "other": 9, "pending": 15, "total": 61}
    assert not [n for n in notes if n.severity != "info"]
    assert report.sections["other"].endswith("收取380元。")  # signature lines are not section text


def test_huaian_layout_text(samples: dict) -> None:
    report, notes = samples["huaian-city-2024"]
    assert (report.organisation, report.variant) == ("淮安市人民政府", "national")
    assert report.requests["other.no_correction"]["total"] == 71
    assert report.requests["not_processed.confirm"]["natural_person"] == 1
    assert report.proactive["art20_6.penalty"] == {"decisions": 3985758}
    assert report.appeals["litigation_direct"] == {
        "upheld": 13,
        "corrected": 4,
        "other": 8,
        "pending": 1,
        "total": 26,
    }
    assert notes == []
    assert "第 1 页" not in report.sections["overview"] and "-1-" not in report.sections["overview"]
    assert "“建设‘四最’一流营商环境" in report.sections["overview"]


def test_layout_row_with_a_blank_cell_is_placed_by_position(tmp_path: Path) -> None:
    text = _layout_text(SAMPLES / "huaian-city-2024.pdf", tmp_path)
    row = next(line for line in text.split("\n") if "（一）予以公开" in line)
    blanked = row.replace("1288        21", "1288          ", 1)
    assert blanked != row and len(blanked) == len(row)
    report, notes = parse_text(text.replace(row, blanked))
    # Nothing is printed under 商业企业: in layout text that is how a blank cell looks. A column
    # covered by a label would stay unread (see the seed's 行政检查 row).
    assert report.requests["granted"] == {
        "natural_person": 1288,
        "commercial": None,
        "research": 0,
        "public_interest": 0,
        "legal_service": 50,
        "other": 3,
        "total": 1362,
    }
    assert notes == []


@pytest.mark.parametrize("name", ["donghuashi-2019", "donghuashi-2019-corrected"])
def test_rendered_pdf_read_back_through_pdftotext_layout(tmp_path: Path, name: str) -> None:
    """gongkai's own PDF, as another office's layout: labels glued to group labels on one line,
    vertical headers, a table continued on the next page with its header repeated."""
    from gongkai.annual_report.rendering import render

    examples = Path(__file__).resolve().parents[2] / "examples"
    source = AnnualReport.from_json((examples / f"{name}.json").read_text(encoding="utf-8"))
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(render(source, "pdf"))
    report, notes = parse_text(_layout_text(pdf, tmp_path))
    report.published_on = source.published_on
    # The example leaves 上一年项目数量 of the two sub-rows unfilled; the PDF prints those cells
    # empty, and an empty cell reads back as blank.
    for row in ("art20_5.other_services.inspection", "art20_5.other_services.confirmation"):
        source.proactive[row] = {"previous": None, **source.proactive[row]}
    assert report == source
    assert report.sections == source.sections
    assert notes == []
