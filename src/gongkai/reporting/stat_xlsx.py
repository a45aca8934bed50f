"""One statistics table as an XLSX workbook (openpyxl): the title, the header, the rows and the note."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from gongkai.reporting.stat_tables import StatTable

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel forbids these in a sheet name and cuts it at 31 characters.
_SHEET_FORBIDDEN = str.maketrans({c: "" for c in "[]:*?/\\"})


def table_xlsx(table: StatTable, *, heading: str) -> bytes:
    """``heading`` goes in the first row (whose figures, which year); numbers stay numbers."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = table.title.translate(_SHEET_FORBIDDEN)[:31]
    ws.append([heading])
    ws["A1"].font = Font(bold=True)
    ws.append(list(table.columns))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        ws.append(list(row))
    if table.note:
        ws.append([])
        ws.append([table.note])
    ws.column_dimensions["A"].width = max(10, min(60, max(len(str(r[0])) for r in table.rows) * 2 + 2))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
