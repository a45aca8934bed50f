"""Old home of section 一's prose, kept only for ``demo_ledger/reports.py``; delete this module once that
imports ``gongkai.reporting.compose.strip_number``."""

from gongkai.reporting.compose import strip_number

__all__ = ["strip_number"]
