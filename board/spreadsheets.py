"""Text a person wrote, put into a spreadsheet so that it stays text.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return may be run as a formula
by Excel, LibreOffice or Google Sheets (OWASP, "CSV Injection"): a forecast comment
`=cmd|' /C calc'!A0` or `=HYPERLINK("https://…?"&A1)` would start a program or send the
sheet's figures away when the file is opened. openpyxl writes every string that starts with
`=` as a formula (and "#N/A" as an error), so each writer puts a person's text in through
`text_cell` and only its own formulas through `cell.value`.
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

# OWASP's list of characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def set_text(cell: Cell, text: object) -> Cell:
    """Write `text` into `cell` as a string: never a formula, an error value or a broken file.

    Control characters the file format cannot hold (a pasted escape or bell) are dropped
    instead of failing the whole export; tabs and line breaks stay."""
    value = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    cell.value = value
    cell.data_type = "s"  # openpyxl guessed "f" for "=..." and "e" for "#N/A"
    if value.startswith(FORMULA_STARTS):
        # Excel's own mark for "typed as text": editing the cell keeps it text.
        cell.quotePrefix = True
    return cell


def text_cell(ws: Worksheet, text: object) -> Cell:
    """A new cell of `ws` holding `text` as a string, for `ws.append([text_cell(ws, name), 12.0])`."""
    return set_text(Cell(ws), text)
