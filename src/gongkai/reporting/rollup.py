"""Old home of ``build_annual_report``, kept only for ``bench/ledger_report.py``; delete this module once
that imports ``gongkai.reporting.selectors.build_annual_report``."""

from gongkai.reporting.selectors import build_annual_report

__all__ = ["build_annual_report"]
