"""Parsers that read published annual reports (text, PDF, DOCX, HTML) back into the canonical model.

``assemble`` and ``detect`` are not re-exported here: their names are also the names of their
modules, and a package attribute would hide the module (``parsing.assemble.assemble``)."""

from gongkai.annual_report.parsing.base import Line, ParseNote, Token, UnreadableReport
from gongkai.annual_report.parsing.detect import Detection, expected_columns
from gongkai.annual_report.parsing.text import parse_text, text_to_lines

__all__ = [
    "Detection",
    "Line",
    "ParseNote",
    "Token",
    "UnreadableReport",
    "expected_columns",
    "parse_text",
    "text_to_lines",
]
