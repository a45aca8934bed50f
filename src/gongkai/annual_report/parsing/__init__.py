"""Parsers that read published annual reports (text, PDF, DOCX, HTML) back into the canonical model."""

from gongkai.annual_report.parsing.assemble import assemble
from gongkai.annual_report.parsing.base import Line, ParseNote, Token, UnreadableReport
from gongkai.annual_report.parsing.detect import Detection, detect, expected_columns
from gongkai.annual_report.parsing.text import parse_text, text_to_lines

__all__ = [
    "Detection",
    "Line",
    "ParseNote",
    "Token",
    "UnreadableReport",
    "assemble",
    "detect",
    "expected_columns",
    "parse_text",
    "text_to_lines",
]
