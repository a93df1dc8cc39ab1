"""The delårsrapport table as an Excel file with real formulas.

Line rows hold the numbers; every subtotal, total, Resultat and deviation is a formula
(=SUM(...), =E5-B5), so whoever edits a line in Excel sees the sums follow, as they would in
the spreadsheets the seeds come from. Those are the only formulas: every name, label and
comment a person wrote goes in as text (board.spreadsheets.text_cell), so a comment such as
`=cmd|' /C calc'!A0` is shown, never run.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from board.spreadsheets import text_cell

from .reports import Report

NUMBER_FORMAT = "#,##0;-#,##0"


def report_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Budget {report.budget.year}"[:31]
    versions = report.versions
    date = report.outcome_date.isoformat() if report.outcome_date else "–"
    headers = ["kr", *[v.label for v in versions], f"Utfall {date}", f"Prognos {report.budget.year}",
               "Avvikelse prognos från budget", "Kommentarer"]
    n_budget = max(len(versions), 1)
    col_outcome = 2 + n_budget
    col_forecast = col_outcome + 1
    col_deviation = col_forecast + 1
    col_budget = 2 + (report.current_index % n_budget)  # the latest adopted version's column
    number_cols = list(range(2, col_deviation + 1))

    def text(value: object) -> Cell:
        return text_cell(ws, value)

    ws.append([text(f"{report.budget.organisation.name} – {report.budget}")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([text(h) for h in headers])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    def letter(col: int) -> str:
        return get_column_letter(col)

    income_subtotals: list[int] = []
    cost_subtotals: list[int] = []
    section = None
    for block in report.groups:
        if block.section != section:
            section = block.section
            ws.append([text(section.upper())])
            ws.cell(ws.max_row, 1).font = Font(bold=True)
        if block.shows_heading:
            ws.append([text(block.group.name)])
            ws.cell(ws.max_row, 1).font = Font(italic=True)
        first = ws.max_row + 1
        for row in block.rows:
            amounts = [*row.budgets, row.outcome, row.forecast]
            ws.append([text(row.line.name), *[None if a is None else float(a) for a in amounts], None,
                       text(row.comment) if row.comment else None])
            r = ws.max_row
            ws.cell(r, col_deviation).value = f"={letter(col_forecast)}{r}-{letter(col_budget)}{r}"
        last = ws.max_row
        ws.append([text(f"Summa {block.group.name.lower()}")])
        r = ws.max_row
        for col in number_cols:
            ws.cell(r, col).value = (
                f"=SUM({letter(col)}{first}:{letter(col)}{last})" if last >= first else 0
            )
        for col in range(1, col_deviation + 1):
            ws.cell(r, col).font = Font(bold=True)
        (income_subtotals if block.group.is_income else cost_subtotals).append(r)

    def total_row(label: str, rows: list[int]) -> int:
        ws.append([text(label)])
        r = ws.max_row
        for col in number_cols:
            ws.cell(r, col).value = "=" + ("+".join(f"{letter(col)}{x}" for x in rows) if rows else "0")
            ws.cell(r, col).font = Font(bold=True)
        ws.cell(r, 1).font = Font(bold=True)
        return r

    ws.append([])
    income_row = total_row("Summa intäkter", income_subtotals)
    cost_row = total_row("Summa kostnader", cost_subtotals)
    total_row("Resultat (SUMMA)", [income_row, cost_row])

    for row in ws.iter_rows(min_row=3):
        for cell in row:
            if cell.column in number_cols:
                cell.number_format = NUMBER_FORMAT
    ws.column_dimensions["A"].width = 40
    for col in number_cols:
        ws.column_dimensions[letter(col)].width = 16
    ws.column_dimensions[letter(col_deviation + 1)].width = 60
    ws.freeze_panes = "B3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
