"""The outcome import from the accounting system: read an .xlsx or .csv once at upload (bounded
in size, rows and columns), map its columns, preview the checked rows, and record them with
finance.services.outcomes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from board.audit import acting_user

from .models import (
    Budget,
    Outcome,
    OutcomeImport,
)
from .services.outcomes import (
    IMPORT_MAX_ROWS,
    IMPORT_MAX_ROWS_TEXT,
    ImportRow,
    cell_text,
    check_date,
    outcome_rows_check,
    outcomes_record,
)

# Only the first columns can be chosen in the mapping step; an export has a handful.
IMPORT_MAX_COLUMNS = 50
# A 5 MB .xlsx may unpack to gigabytes (a zip bomb); a 1,000-row sheet unpacks to well under this.
IMPORT_MAX_UNPACKED_BYTES = 10 * 1024 * 1024
_TOO_MANY_ROWS = (
    f"Filen har fler än {IMPORT_MAX_ROWS_TEXT} rader. En import får ha högst {IMPORT_MAX_ROWS_TEXT} rader "
    "(en rad per budgetrad eller konto, rubrikraden oräknad): ta bara med utfallet per konto, "
    "inte enskilda verifikationer."
)

# The preview shows a sample and the errors, not every row (a page of every row of a large
# file was 116 MB of HTML).
PREVIEW_SAMPLE_ROWS = 20
PREVIEW_MAX_ERRORS = 100


@dataclass
class ImportPreview:
    header: list[str]
    rows: list[ImportRow]

    @property
    def errors(self) -> list[str]:
        return [f"Rad {r.number}: {e}" for r in self.rows for e in r.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def sample(self) -> list[ImportRow]:
        return self.rows[:PREVIEW_SAMPLE_ROWS]

    @property
    def shown_errors(self) -> list[str]:
        return self.errors[:PREVIEW_MAX_ERRORS]

    @property
    def more_errors(self) -> int:
        return max(0, len(self.errors) - PREVIEW_MAX_ERRORS)

    @property
    def bad_rows(self) -> int:
        return sum(1 for r in self.rows if not r.ok)


def read_table(filename: str, content: bytes) -> list[list[Any]]:
    """The first sheet of an .xlsx, or a CSV (; , or tab separated, UTF-8 or Windows-1252), as
    rows of JSON-ready cells (text, numbers, dates as ÅÅÅÅ-MM-DD), at most IMPORT_MAX_ROWS rows
    after the header and IMPORT_MAX_COLUMNS columns. A file that cannot be read, or is longer,
    is a ValidationError on "file" with the reason."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(content)
    elif filename.lower().endswith((".csv", ".txt")):
        rows = _csv_rows(content)
    else:
        raise ValidationError({"file": "Filen ska vara .xlsx eller .csv."})
    table: list[list[Any]] = []
    try:
        for row in rows:
            if len(table) > IMPORT_MAX_ROWS:
                raise ValidationError({"file": _TOO_MANY_ROWS})
            table.append([_json_cell(c) for c in row[:IMPORT_MAX_COLUMNS]])
    except csv.Error as exc:
        raise ValidationError(
            {"file": f"Filen kunde inte läsas som CSV (rad {len(table) + 1}): kontrollera att den är en "
                     "export med ett värde per cell."}
        ) from exc
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken sheet
        raise ValidationError({"file": "Filen kunde inte läsas som Excel (.xlsx)."}) from exc
    return table


def _xlsx_rows(content: bytes) -> Iterator[Sequence[Any]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True) \
            if unpacked <= IMPORT_MAX_UNPACKED_BYTES else None
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a broken file
        raise ValidationError({"file": "Filen kunde inte läsas som Excel (.xlsx)."}) from exc
    if workbook is None:
        raise ValidationError({"file": (
            f"Filen packas upp till mer än {IMPORT_MAX_UNPACKED_BYTES // 1024 // 1024} MB: en export av "
            "utfallet per konto är mycket mindre. Ta bara med utfallet per konto."
        )})
    try:
        # read_only streams the sheet: rows past the limit are never parsed.
        yield from workbook.worksheets[0].iter_rows(values_only=True, max_col=IMPORT_MAX_COLUMNS)
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> Iterator[Sequence[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    # newline="": the csv module itself splits lines, so a bare carriage return (an old Mac
    # export, or one inside a quoted field) is a line end or text, not an error.
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _json_cell(value: Any) -> Any:
    """A cell as JSON keeps it, with what the checks need: numbers stay numbers, dates become
    ÅÅÅÅ-MM-DD, anything else text."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.date):
        return cell_text(value)
    return str(value)


def _nonempty(row: list[Any]) -> bool:
    return any(cell_text(c).strip() for c in row)


@transaction.atomic
def outcome_import_start(
    *, budget: Budget, filename: str, content: bytes, date: dt.date, actor: Any
) -> OutcomeImport:
    check_date(budget, date)
    if len(content) > 5 * 1024 * 1024:
        raise ValidationError({"file": "Filen är större än 5 MB."})
    table = read_table(filename, content)
    if len([r for r in table if _nonempty(r)]) < 2:
        raise ValidationError({"file": "Filen har ingen rubrikrad och inga rader."})
    guess = _guess_columns(table[0])
    imp = OutcomeImport(
        budget=budget,
        filename=filename[:200],
        content=content,
        table=table,
        date=date,
        created_by=acting_user(actor),
        **guess,
    )
    imp.full_clean(exclude=["content"])
    imp.save()
    return imp


def _guess_columns(header: list[Any]) -> dict[str, int | None]:
    """A first guess at the mapping from the header names; the user confirms it."""
    names = [cell_text(h).strip().casefold() for h in header]

    def find(*words: str) -> int | None:
        for i, name in enumerate(names):
            if any(w in name for w in words):
                return i
        return None

    return {
        "line_column": find("budgetrad", "kod", "rad", "konto", "post"),
        "amount_column": find("utfall", "belopp", "summa", "amount"),
        "year_column": find("år", "datum", "period", "year"),
    }


def outcome_import_map(
    *,
    imp: OutcomeImport,
    line_column: int,
    amount_column: int,
    year_column: int | None,
    costs_positive: bool,
    actor: Any,
) -> OutcomeImport:
    if imp.committed_at is not None:
        raise ValidationError({"__all__": "Importen är redan sparad."})
    width = max((len(r) for r in _table(imp)), default=0)
    errors: dict[str, str] = {}
    for name, value in (("line_column", line_column), ("amount_column", amount_column), ("year_column", year_column)):
        if value is not None and not 0 <= value < width:
            errors[name] = "Kolumnen finns inte i filen."
    if line_column == amount_column:
        errors["amount_column"] = "Belopp och budgetrad kan inte ligga i samma kolumn."
    if errors:
        raise ValidationError(errors)
    imp.line_column = line_column
    imp.amount_column = amount_column
    imp.year_column = year_column
    imp.costs_positive = costs_positive
    imp.save(update_fields=["line_column", "amount_column", "year_column", "costs_positive"])
    return imp


def _table(imp: OutcomeImport) -> list[list[Any]]:
    """The rows read at upload; the file is read once, not at every step of the wizard.
    (An import uploaded before the table was kept is read from its file.)"""
    return imp.table if imp.table is not None else read_table(imp.filename, bytes(imp.content))


def _import_rows(imp: OutcomeImport) -> tuple[list[str], list[tuple[int, Any, Any, Any]]]:
    table = _table(imp)
    header = [cell_text(h) for h in table[0]] if table else []

    def cell(row: list[Any], column: int | None) -> Any:
        return row[column] if column is not None and column < len(row) else None

    rows = [
        (number, cell(row, imp.line_column), cell(row, imp.amount_column), cell(row, imp.year_column))
        for number, row in enumerate(table[1:], start=2)
        if _nonempty(row)
    ]
    return header, rows


def outcome_import_preview(*, imp: OutcomeImport) -> ImportPreview:
    header, rows = _import_rows(imp)
    if imp.line_column is None or imp.amount_column is None:
        return ImportPreview(header=header, rows=[])
    return ImportPreview(
        header=header,
        rows=outcome_rows_check(budget=imp.budget, rows=rows, costs_positive=imp.costs_positive),
    )


@transaction.atomic
def outcome_import_commit(*, imp: OutcomeImport, actor: Any) -> list[Outcome]:
    imp = OutcomeImport.objects.select_for_update().select_related("budget__organisation").get(pk=imp.pk)
    if imp.committed_at is not None:
        raise ValidationError({"__all__": "Importen är redan sparad."})
    if imp.line_column is None or imp.amount_column is None:
        raise ValidationError({"__all__": "Välj vilka kolumner som innehåller budgetrad och belopp."})
    _, rows = _import_rows(imp)
    saved = outcomes_record(
        budget=imp.budget,
        date=imp.date,
        rows=rows,
        costs_positive=imp.costs_positive,
        actor=actor,
        source=imp.filename,
    )
    imp.committed_at = timezone.now()
    imp.save(update_fields=["committed_at"])
    return saved
