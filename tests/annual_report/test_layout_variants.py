"""Real-world layout variation (issue 9): a consistent report written as offices' documents look once
converted to text (``layout_variants``) must read back without a single wrong figure.

For every layout: the audit either ends "audited" with every headline figure read, or "partial"
(fewer cells read); in both cases no figure read differs from the document and no finding is an
error (the reports are consistent). ``test_single_axis_reads_fully`` changes one axis at a time on
two fixed reports and requires the full reading: those are the targets of the reader work.

Run with ``-s`` (and without xdist, ``-p no:xdist``) to see the table of which layouts currently end
"audited", "partial" or fail.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from layout_variants import (
    CELL_STYLES,
    HEADLINES,
    Layout,
    expected_headlines,
    headline_figures,
    layouts,
    misread_cells,
    printed_cells,
    shuyang_2025,
    single_axis_layouts,
    table_excerpt,
    write_report,
)
from report_strategies import consistent_reports

from gongkai.annual_report.audit import AuditResult, audit_file
from gongkai.annual_report.model import AnnualReport

ROOT = Path(__file__).resolve().parents[2]

EXAMPLES: dict[str, AnnualReport] = {
    "donghuashi-2019": AnnualReport.from_json(
        (ROOT / "examples" / "donghuashi-2019-corrected.json").read_text(encoding="utf-8")
    ),
    "shuyang-2025": shuyang_2025(),
}

# layout id -> outcome -> count ("audited", "partial", "FAILED"); printed when the module ends. The
# "mixed …" rows count each generated layout under every axis value it uses, shrinking runs included.
OUTCOMES: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))


@pytest.fixture(scope="module", autouse=True)
def _print_outcomes() -> Iterator[None]:
    yield
    if not OUTCOMES:
        return
    width = max(len(k) for k in OUTCOMES)
    print(f"\n\n{'layout (changes from the baseline)':<{width}}  audited  partial  FAILED")
    for key in sorted(OUTCOMES):
        c = OUTCOMES[key]
        print(f"{key:<{width}}  {c['audited']:7}  {c['partial']:7}  {c['FAILED']:6}")


def _audit(report: AnnualReport, layout: Layout, directory: Path) -> tuple[AuditResult, Path]:
    path = write_report(report, layout, directory)
    return audit_file(path), path


_EXCERPT_AT = {
    "proactive": "第二十条第（五）项",
    "requests": "本年新收",
    "appeals": "四、政府信息公开行政复议",
}


def _where(path: Path, layout: Layout, result: AuditResult | None = None, table: str = "") -> str:
    """The layout, what the reader said about its gaps, and a few lines of the written table
    (``table``, else the first table read with gaps or named by a note, else Table 三)."""
    out = f"\nlayout: {layout.changes()}\nfile: {path.name}"
    reading = getattr(result.report, "reading", None) if result and result.report else None
    unsure = sorted(reading.unsure) if reading is not None else []
    if reading is not None:
        out += f"\ntables read with gaps: {unsure}"
    if result is not None:
        out += "".join(f"\nnote {n.code}: {n.message}" for n in result.notes if n.severity != "info")
    noted = [n.table for n in result.notes if n.severity != "info" and n.table] if result else []
    table = table or next(iter(unsure + noted), "requests")
    return out + "\n" + table_excerpt(path, _EXCERPT_AT.get(table, "本年新收"))


def check_never_misread(source: AnnualReport, layout: Layout, result: AuditResult, path: Path) -> None:
    """What every layout must satisfy, "audited" or "partial"."""
    assert result.status in ("audited", "partial"), f"{result.status}: {result.reason}{_where(path, layout)}"
    read = result.report
    assert read is not None
    wrong = misread_cells(source, read, layout)
    assert not wrong, (
        f"figures read wrongly (cell, read, printed): {wrong}{_where(path, layout, result, wrong[0][0][0])}"
    )
    expected = expected_headlines(source)
    got = headline_figures(read)
    differing = {k: (v, expected.get(k)) for k, v in got.items() if v != expected.get(k)}
    assert not differing, (
        f"headline figures (read, printed): {differing}"
        f"{_where(path, layout, result, next(iter(differing)).split('.')[0])}"
    )
    errors = [f"{f.rule} {f.message}" for f in result.findings if f.severity == "error"]
    assert not errors, f"error findings on a consistent report: {errors}{_where(path, layout, result)}"
    if layout.other_single_row:
        warned = [f for f in result.findings if f.rule == "A8" and f.severity == "warning"]
        assert warned, f"no A8 warning for （六）其他处理 printed as one row{_where(path, layout, result)}"
    if result.status == "audited":
        # "audited" promises the full reading: every headline figure present.
        missing = [k for k in HEADLINES if k not in got]
        assert not missing, f"audited, but headline figures missing: {missing}{_where(path, layout, result)}"


def check_reads_fully(source: AnnualReport, layout: Layout, result: AuditResult, path: Path) -> None:
    """The single-axis target: the full reading."""
    check_never_misread(source, layout, result, path)
    assert result.report is not None
    missing = [k for k in HEADLINES if k not in headline_figures(result.report)]
    printed = printed_cells(source, layout)
    read = sum(1 for t, r, c in printed if c in result.report.table(t).get(r, {}))
    assert result.status == "audited", (
        f"status {result.status} (coverage {getattr(result, 'coverage', None)}; "
        f"Tables 三/四: {read} of {len(printed)} printed figures read), "
        f"headline figures missing: {missing}{_where(path, layout, result)}"
    )


def _run(source: AnnualReport, layout: Layout, directory: Path, *, full: bool, keys: list[str]) -> None:
    result, path = _audit(source, layout, directory)
    try:
        (check_reads_fully if full else check_never_misread)(source, layout, result, path)
    except AssertionError:
        for key in keys:
            OUTCOMES[key]["FAILED"] += 1
        raise
    for key in keys:
        OUTCOMES[key][result.status] += 1


# -- one axis at a time, on two fixed reports ---------------------------------------------------------

SINGLE_AXIS = [
    pytest.param(name, layout, id=f"{name}-{layout.changes()}")
    for name, report in EXAMPLES.items()
    for layout in single_axis_layouts(report.format)
]


@pytest.mark.parametrize(("example", "layout"), SINGLE_AXIS)
def test_single_axis_reads_fully(example: str, layout: Layout, tmp_path: Path) -> None:
    _run(EXAMPLES[example], layout, tmp_path, full=True, keys=[f"{example}: {layout.changes()}"])


# -- every axis at once, on generated reports ---------------------------------------------------------

PROPERTY = settings(
    max_examples=8,  # per cell style: 72 layouts in all
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("cells", CELL_STYLES)
@PROPERTY
@given(data=st.data())
def test_any_layout_never_misreads(cells: str, data: st.DataObject) -> None:
    report = data.draw(
        st.one_of(consistent_reports(), st.sampled_from(list(EXAMPLES.values()))), label="report"
    )
    layout = data.draw(layouts(report.format, cells=cells), label="layout")
    note(f"{report.organisation} {report.year} ({report.format}/{report.variant}); {layout.changes()}")
    with tempfile.TemporaryDirectory() as directory:
        # Counted once under each axis value it uses ("mixed …"), so the table shows which values fail.
        keys = [f"mixed {axis}" for axis in layout.changes().split(",")]
        _run(report, layout, Path(directory), full=False, keys=keys)
