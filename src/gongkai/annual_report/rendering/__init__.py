"""Renderers of the annual report: DOCX, PDF, HTML, Markdown, XLSX and the canonical JSON.

Every renderer lays the tables out from the same grid (``layout.py``), so the merged header cells,
the row order and the labels are identical in every output, and each output can be parsed back into
the same ``AnnualReport``. Renderer modules are imported on demand: WeasyPrint and python-docx are
slow to import and a caller that only wants Markdown should not pay for them.
"""

from __future__ import annotations

from importlib import import_module

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering.errors import RenderError

FORMATS = ("docx", "pdf", "html", "md", "xlsx", "json")

_MODULES = {"docx": "docx", "pdf": "pdf", "html": "html", "md": "markdown", "xlsx": "xlsx"}

__all__ = ["FORMATS", "RenderError", "render"]


def render(report: AnnualReport, fmt: str) -> bytes:
    """The report as a document of type ``fmt`` (one of ``FORMATS``)."""
    if fmt not in FORMATS:
        raise RenderError(f"不支持的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}")
    from gongkai.annual_report.rendering.layout import check_report

    check_report(report)
    if fmt == "json":
        return report.to_json().encode("utf-8")
    module = import_module(f"gongkai.annual_report.rendering.{_MODULES[fmt]}")
    result: bytes = module.render_bytes(report)
    return result
