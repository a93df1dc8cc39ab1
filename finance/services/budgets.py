"""Everything that changes budgets, outcomes, forecasts and contributions.

Views, the API, the demo loader and tasks call these; each runs in one transaction, records
the acting user in the history and, where the act matters, an audit event.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from board.audit import acting_user, event_record, save_with_actor
from board.formatting import format_amount
from board.models import MemberOrganisation, Organisation

from .models import (
    Budget,
    BudgetAmount,
    BudgetGroup,
    BudgetLine,
    BudgetVersion,
    ContributionKey,
    Equity,
    FinanceSettings,
    ForecastEntry,
    Outcome,
    OutcomeImport,
    StateAllocation,
)

DEFAULT_GROUPS: list[tuple[str, str]] = [
    (BudgetGroup.Kind.INCOME, "Intäkter"),
    (BudgetGroup.Kind.BOARD, "Styrelse"),
    (BudgetGroup.Kind.ADMINISTRATION, "Administration"),
    (BudgetGroup.Kind.INDIVIDUAL, "Individinsatser"),
    (BudgetGroup.Kind.STRUCTURAL, "Strukturpåverkande insatser"),
]


# --- Amounts --------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_amount(value: Any) -> Decimal | None:
    """A number as an accounting export or a person writes it, or None when it is not one.

    Accepts "-1 093 741", "−1 093 741,50", "1093741.5", "12 000 kr" and spreadsheet numbers.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = _SPACES.sub("", str(value)).replace("\u2212", "-").removesuffix("kr").strip()
    if not text:
        return None
    if "," in text and "." in text:
        return None  # ambiguous thousands separators: ask for a clean export
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _money(value: Decimal) -> Decimal:
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({"amount": "Beloppet får ha högst två decimaler."})
    if abs(value) >= Decimal("1e12"):
        raise ValidationError({"amount": "Beloppet är orimligt stort."})
    return value


# --- Budgets and versions -------------------------------------------------------------------


@transaction.atomic
def budget_create(
    *,
    organisation: Organisation,
    year: int,
    title: str = "",
    default_groups: bool = True,
    copy_from: Budget | None = None,
    actor: Any,
) -> Budget:
    """A new budget with the standard groups, or with the groups and lines of `copy_from`."""
    if Budget.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError({"year": f"Det finns redan en budget för {year}."})
    if copy_from is not None and copy_from.organisation_id != organisation.pk:
        raise ValidationError({"copy_from": "Budgeten att kopiera hör till ett annat förbund."})
    budget = Budget(organisation=organisation, year=year, title=title or f"Budget {year}")
    save_with_actor(budget, actor)
    if copy_from is not None:
        groups: dict[int, BudgetGroup] = {}
        for old in copy_from.groups.order_by("order", "pk"):
            groups[old.pk] = BudgetGroup(budget=budget, kind=old.kind, name=old.name, order=old.order)
            save_with_actor(groups[old.pk], actor)
        for line in copy_from.lines.order_by("order", "pk"):
            save_with_actor(
                BudgetLine(budget=budget, group=groups[line.group_id], code=line.code, name=line.name, order=line.order),
                actor,
            )
    elif default_groups:
        for order, (kind, name) in enumerate(DEFAULT_GROUPS, start=1):
            save_with_actor(BudgetGroup(budget=budget, kind=kind, name=name, order=order * 10), actor)
    event_record(verb="budget.created", actor=actor, organisation=organisation, target=budget, summary=str(budget))
    return budget


@transaction.atomic
def budget_group_add(*, budget: Budget, kind: str, name: str, order: int | None = None, actor: Any) -> BudgetGroup:
    if order is None:
        order = (budget.groups.aggregate(m=Max("order"))["m"] or 0) + 10
    group = BudgetGroup(budget=budget, kind=kind, name=name, order=order)
    save_with_actor(group, actor)
    return group


@transaction.atomic
def budget_line_add(
    *, budget: Budget, group: BudgetGroup, name: str, code: str = "", order: int | None = None, actor: Any
) -> BudgetLine:
    if group.budget_id != budget.pk:
        raise ValidationError({"group": "Gruppen hör till en annan budget."})
    code = code or slugify(name)
    if not code:
        raise ValidationError({"code": "Raden behöver en kod."})
    if budget.lines.filter(code=code).exists():
        raise ValidationError({"code": f"Koden {code} används redan i budgeten."})
    if order is None:
        order = (budget.lines.aggregate(m=Max("order"))["m"] or 0) + 10
    line = BudgetLine(budget=budget, group=group, code=code, name=name, order=order)
    save_with_actor(line, actor)
    return line


def _lines_by_key(budget: Budget) -> dict[str, BudgetLine]:
    """Lines by code and by lower-cased name, for exports and the API."""
    found: dict[str, BudgetLine] = {}
    for line in budget.lines.all():
        found[line.code.lower()] = line
        found.setdefault(line.name.strip().casefold(), line)
    return found


def _resolve_amounts(budget: Budget, amounts: Mapping[str, Decimal | int | str]) -> dict[int, Decimal]:
    lines = _lines_by_key(budget)
    resolved: dict[int, Decimal] = {}
    errors: list[str] = []
    for key, raw in amounts.items():
        line = lines.get(str(key).strip().casefold())
        value = parse_amount(raw)
        if line is None:
            errors.append(f"Okänd budgetrad: {key}.")
        elif value is None:
            errors.append(f"{line.name}: {raw!r} är inte ett belopp.")
        else:
            resolved[line.pk] = _money(value)
    if errors:
        raise ValidationError({"amounts": errors})
    return resolved


def _check_adoption(adopted: bool, adopted_on: dt.date | None) -> None:
    if adopted_on is not None and not adopted:
        raise ValidationError({"adopted_on": "Ett datum för antagande kräver att versionen är antagen."})


@transaction.atomic
def budget_version_create(
    *,
    budget: Budget,
    label: str,
    amounts: Mapping[str, Decimal | int | str],
    adopted: bool = False,
    adopted_on: dt.date | None = None,
    decision_reference: str = "",
    decided_in: Any = None,
    note: str = "",
    actor: Any,
) -> BudgetVersion:
    """A new version. Lines left out keep the amount of the previous version (a revision
    only names what it changes); in the first version they are 0."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    _check_adoption(adopted, adopted_on)
    resolved = _resolve_amounts(budget, amounts)
    previous = budget.versions.order_by("-number").first()
    version = BudgetVersion(
        budget=budget,
        number=(previous.number + 1) if previous else 1,
        label=label,
        adopted=adopted,
        adopted_on=adopted_on,
        decision_reference=decision_reference,
        note=note,
    )
    _set_decided_in(version, decided_in)
    save_with_actor(version, actor)
    carried = dict(previous.amounts.values_list("line_id", "amount")) if previous else {}
    for line_id, amount in {**carried, **resolved}.items():
        save_with_actor(BudgetAmount(version=version, line_id=line_id, amount=amount), actor)
    event_record(
        verb="budget.revised" if version.is_revision else "budget.version_created",
        actor=actor,
        organisation=budget.organisation,
        target=version,
        summary=str(version),
        data={"changed": {str(k): str(v) for k, v in resolved.items()}},
    )
    return version


def budget_revise(
    *,
    budget: Budget,
    label: str,
    changes: Mapping[str, Decimal | int | str],
    adopted_on: dt.date | None,
    decision_reference: str = "",
    decided_in: Any = None,
    actor: Any,
) -> BudgetVersion:
    """A revised budget adopted by its own decision; earlier versions stay as they were."""
    if not budget.versions.exists():
        raise ValidationError({"label": "Budgeten har ingen ursprunglig version att revidera."})
    return budget_version_create(
        budget=budget,
        label=label,
        amounts=changes,
        adopted=True,
        adopted_on=adopted_on,
        decision_reference=decision_reference,
        decided_in=decided_in,
        actor=actor,
    )


def _set_decided_in(version: BudgetVersion, decided_in: Any) -> None:
    if decided_in is None:
        return
    if decided_in.organ.organisation_id != version.budget.organisation_id:
        raise ValidationError({"decided_in": "Paragrafen hör till ett annat förbunds protokoll."})
    version.decided_in = decided_in


@transaction.atomic
def budget_version_adopt(
    *,
    version: BudgetVersion,
    adopted_on: dt.date,
    decision_reference: str = "",
    decided_in: Any = None,
    actor: Any,
) -> BudgetVersion:
    """The board adopted a draft version (a first budget or a revision) on `adopted_on`."""
    version = BudgetVersion.objects.select_for_update().select_related("budget__organisation").get(pk=version.pk)
    if version.adopted:
        raise ValidationError("Versionen är redan antagen.")
    later = version.budget.versions.filter(number__gt=version.number, adopted=True).order_by("number").first()
    if later is not None:
        raise ValidationError(
            f"{later.label} är antagen efter det här utkastet. Gör en ny revidering i stället för att anta utkastet."
        )
    version.adopted = True
    version.adopted_on = adopted_on
    version.decision_reference = decision_reference or version.decision_reference
    _set_decided_in(version, decided_in)
    save_with_actor(version, actor)
    event_record(
        verb="budget.adopted", actor=actor, organisation=version.budget.organisation, target=version, summary=str(version)
    )
    return version


@transaction.atomic
def budget_amount_set(*, version: BudgetVersion, line: BudgetLine, amount: Decimal, actor: Any) -> BudgetAmount:
    """Change a draft version's amount. An adopted version is history: revise instead."""
    version = BudgetVersion.objects.select_for_update().get(pk=version.pk)
    if version.adopted:
        raise ValidationError({"amount": "En antagen budgetversion ändras inte; gör en revidering."})
    if line.budget_id != version.budget_id:
        raise ValidationError({"line": "Raden hör till en annan budget."})
    row = BudgetAmount.objects.filter(version=version, line=line).first() or BudgetAmount(version=version, line=line)
    row.amount = _money(amount)
    save_with_actor(row, actor)
    return row


# --- Outcomes -------------------------------------------------------------------------------


def _check_date(budget: Budget, date: dt.date) -> None:
    if date.year != budget.year:
        raise ValidationError({"date": f"Datumet {date:%Y-%m-%d} ligger inte i budgetåret {budget.year}."})


def _outcome_upsert(line: BudgetLine, date: dt.date, amount: Decimal, actor: Any) -> Outcome:
    outcome = Outcome.objects.filter(line=line, date=date).first() or Outcome(line=line, date=date)
    outcome.amount = _money(amount)
    save_with_actor(outcome, actor)
    return outcome


@transaction.atomic
def outcome_set(*, line: BudgetLine, date: dt.date, amount: Decimal, actor: Any) -> Outcome:
    _check_date(line.budget, date)
    return _outcome_upsert(line, date, amount, actor)


@dataclass
class ImportRow:
    number: int  # as the spreadsheet numbers it (the header is row 1)
    raw_line: str
    raw_amount: str
    line: BudgetLine | None = None
    amount: Decimal | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


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


def outcome_rows_check(
    *,
    budget: Budget,
    rows: Iterable[tuple[int, Any, Any, Any]],
    costs_positive: bool = False,
) -> list[ImportRow]:
    """Check (row number, line, amount, year-or-date) rows against the budget.

    Each bad row gets its reasons: unknown line, not a number, duplicate line, wrong year.
    """
    lines = _lines_by_key(budget)
    groups = {g.pk: g for g in budget.groups.all()}
    seen: dict[int, int] = {}
    checked: list[ImportRow] = []
    for number, raw_line, raw_amount, raw_year in rows:
        row = ImportRow(number=number, raw_line=_cell_text(raw_line), raw_amount=_cell_text(raw_amount))
        line = lines.get(row.raw_line.strip().casefold()) if row.raw_line.strip() else None
        if line is None:
            row.errors.append(
                f"Okänd budgetrad ”{row.raw_line}”." if row.raw_line.strip() else "Budgetrad saknas."
            )
        elif line.pk in seen:
            row.errors.append(f"Budgetraden ”{line.name}” finns redan på rad {seen[line.pk]}.")
        else:
            seen[line.pk] = number
        row.line = line
        amount = parse_amount(raw_amount)
        if amount is None:
            row.errors.append(f"”{row.raw_amount}” är inte ett belopp.")
        elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
            row.errors.append(f"”{row.raw_amount}” har fler än två decimaler.")
        else:
            if costs_positive and line is not None and not groups[line.group_id].is_income:
                amount = -amount
            row.amount = amount
        if raw_year is not None and _cell_text(raw_year).strip():
            year = _year_of(raw_year)
            if year is None:
                row.errors.append(f"”{_cell_text(raw_year)}” är inte ett år eller datum.")
            elif year != budget.year:
                row.errors.append(f"Fel år: {year}, budgeten gäller {budget.year}.")
        checked.append(row)
    return checked


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _year_of(value: Any) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if 1900 <= value <= 2200 and float(value).is_integer() else None
    match = re.fullmatch(r"\s*(\d{4})(?:-\d{2}(?:-\d{2})?)?\s*", str(value))
    return int(match.group(1)) if match else None


@transaction.atomic
def outcomes_record(
    *,
    budget: Budget,
    date: dt.date,
    rows: Iterable[tuple[int, Any, Any, Any]],
    actor: Any,
    costs_positive: bool = False,
    source: str = "",
) -> list[Outcome]:
    """Record outcomes for many lines at once: all rows are good, or nothing is saved."""
    _check_date(budget, date)
    rows = list(rows)
    if len(rows) > IMPORT_MAX_ROWS:  # the API's rows too: one outcome per line, not a ledger
        raise ValidationError({"rows": [f"Högst {IMPORT_MAX_ROWS_TEXT} rader per gång, inte {len(rows)}."]})
    checked = outcome_rows_check(budget=budget, rows=rows, costs_positive=costs_positive)
    errors = [f"Rad {r.number}: {e}" for r in checked for e in r.errors]
    if not checked:
        errors.append("Inga rader att spara.")
    if errors:
        raise ValidationError({"rows": errors})
    saved = [_outcome_upsert(r.line, date, r.amount, actor) for r in checked]  # type: ignore[arg-type]
    event_record(
        verb="finance.outcomes_recorded",
        actor=actor,
        organisation=budget.organisation,
        target=budget,
        summary=f"Utfall per {date:%Y-%m-%d} för {len(saved)} rader{' från ' + source if source else ''}",
        data={"date": date.isoformat(), "lines": len(saved)},
    )
    return saved


# --- Import from the accounting system ------------------------------------------------------


# An import is a chart of accounts' worth of rows: a förbund's budget has tens to a few hundred
# lines, an export from the accounting system a few hundred accounts. More is not an outcome
# export (a 400,000-row ledger took 103 s to preview), so reading stops there and says so.
IMPORT_MAX_ROWS = 1000
# Only the first columns can be chosen in the mapping step; an export has a handful.
IMPORT_MAX_COLUMNS = 50
# A 5 MB .xlsx may unpack to gigabytes (a zip bomb); a 1,000-row sheet unpacks to well under this.
IMPORT_MAX_UNPACKED_BYTES = 10 * 1024 * 1024
IMPORT_MAX_ROWS_TEXT = f"{IMPORT_MAX_ROWS:,}".replace(",", "\u00a0")
_TOO_MANY_ROWS = (
    f"Filen har fler än {IMPORT_MAX_ROWS_TEXT} rader. En import får ha högst {IMPORT_MAX_ROWS_TEXT} rader "
    "(en rad per budgetrad eller konto, rubrikraden oräknad): ta bara med utfallet per konto, "
    "inte enskilda verifikationer."
)


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
    import zipfile

    from openpyxl import load_workbook

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
        return _cell_text(value)
    return str(value)


def _nonempty(row: list[Any]) -> bool:
    return any(_cell_text(c).strip() for c in row)


@transaction.atomic
def outcome_import_start(
    *, budget: Budget, filename: str, content: bytes, date: dt.date, actor: Any
) -> OutcomeImport:
    _check_date(budget, date)
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
    names = [_cell_text(h).strip().casefold() for h in header]

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
    header = [_cell_text(h) for h in table[0]] if table else []

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


# --- Forecasts ------------------------------------------------------------------------------


class ForecastConflict(ValidationError):
    """Someone else updated the forecast after the form was opened."""

    def __init__(self, current: ForecastEntry) -> None:
        who = current.author.get_full_name() or current.author.get_username() if current.author else "Någon"
        when = timezone.localtime(current.created_at).strftime("%Y-%m-%d %H:%M")
        super().__init__(
            {
                "based_on": (
                    f"{who} ändrade prognosen till {format_amount(current.amount)} kr ({when}) medan du "
                    "redigerade. Din ändring är inte sparad: titta på den nya prognosen och spara igen."
                )
            }
        )
        self.current = current


@transaction.atomic
def forecast_update(
    *, line: BudgetLine, amount: Decimal, comment: str = "", based_on: int | None, actor: Any
) -> ForecastEntry:
    """Add a forecast for the line, if the forecast the user saw is still the latest.

    `based_on` is the id of the entry the form showed (None when there was none). The line
    row is locked so two simultaneous updates are serialised; the later one then sees that
    the latest entry has changed and is refused with ForecastConflict, so neither update is
    silently overwritten.
    """
    line = BudgetLine.objects.select_for_update().select_related("budget__organisation").get(pk=line.pk)
    current = ForecastEntry.objects.filter(line=line).select_related("author").order_by("-id").first()
    if (current.pk if current else None) != based_on:
        if current is None:
            raise ValidationError({"based_on": "Prognosen du utgick från finns inte längre. Ladda om sidan."})
        raise ForecastConflict(current)
    entry = ForecastEntry(
        line=line,
        amount=_money(Decimal(amount)),
        comment=comment.strip(),
        author=acting_user(actor),
    )
    save_with_actor(entry, actor)
    event_record(
        verb="finance.forecast_updated",
        actor=actor,
        organisation=line.budget.organisation,
        target=line,
        summary=f"Prognos {line.name} {line.budget.year}: {format_amount(entry.amount)} kr",
        data={"amount": str(entry.amount), "previous": str(current.amount) if current else None},
    )
    return entry


# --- Settings, contributions and equity -----------------------------------------------------


@transaction.atomic
def finance_settings_update(
    *,
    organisation: Organisation,
    deviation_threshold: Decimal | None = None,
    individual_target_percent: Decimal | None = None,
    actor: Any,
) -> FinanceSettings:
    settings, _ = FinanceSettings.objects.select_for_update().get_or_create(organisation=organisation)
    if deviation_threshold is not None:
        settings.deviation_threshold = deviation_threshold
    if individual_target_percent is not None:
        if not 0 <= individual_target_percent <= 100:
            raise ValidationError({"individual_target_percent": "Ange en andel mellan 0 och 100 %."})
        settings.individual_target_percent = individual_target_percent
    save_with_actor(settings, actor)
    return settings


@transaction.atomic
def state_allocation_set(
    *,
    organisation: Organisation,
    year: int,
    amount: Decimal,
    nns_fee_per_mille: Decimal = Decimal("2"),
    nns_fee_proposed_per_mille: Decimal | None = None,
    actor: Any,
) -> StateAllocation:
    if amount != amount.to_integral_value():
        raise ValidationError({"amount": "Medelstilldelningen anges i hela kronor."})
    allocation = StateAllocation.objects.filter(organisation=organisation, year=year).first() or StateAllocation(
        organisation=organisation, year=year
    )
    allocation.amount = amount
    allocation.nns_fee_per_mille = nns_fee_per_mille
    allocation.nns_fee_proposed_per_mille = nns_fee_proposed_per_mille
    save_with_actor(allocation, actor)
    return allocation


@transaction.atomic
def contribution_key_set(
    *, organisation: Organisation, year: int, member: MemberOrganisation, population: int, actor: Any
) -> ContributionKey:
    if member.kind != MemberOrganisation.Kind.MUNICIPALITY:
        raise ValidationError({"member": "Fördelningsnyckeln gäller kommunerna."})
    key = ContributionKey.objects.filter(organisation=organisation, year=year, member=member).first() or ContributionKey(
        organisation=organisation, year=year, member=member
    )
    key.population = population
    save_with_actor(key, actor)
    return key


@transaction.atomic
def equity_set(*, organisation: Organisation, year: int, amount: Decimal, actor: Any) -> Equity:
    equity = Equity.objects.filter(organisation=organisation, year=year).first() or Equity(
        organisation=organisation, year=year
    )
    equity.amount = _money(amount)
    save_with_actor(equity, actor)
    return equity


@transaction.atomic
def contributions_set(
    *,
    organisation: Organisation,
    year: int,
    allocation: Decimal,
    nns_fee_per_mille: Decimal,
    nns_fee_proposed_per_mille: Decimal | None,
    populations: Mapping[MemberOrganisation, int],
    actor: Any,
) -> StateAllocation:
    """The year's allocation and population key together: all saved, or nothing."""
    if not populations:
        raise ValidationError({"populations": "Ange invånarantal för minst en kommun."})
    if any(p <= 0 for p in populations.values()):
        raise ValidationError({"populations": "Invånarantalet måste vara större än noll."})
    result = state_allocation_set(
        organisation=organisation,
        year=year,
        amount=allocation,
        nns_fee_per_mille=nns_fee_per_mille,
        nns_fee_proposed_per_mille=nns_fee_proposed_per_mille,
        actor=actor,
    )
    for member, population in populations.items():
        contribution_key_set(organisation=organisation, year=year, member=member, population=population, actor=actor)
    event_record(
        verb="finance.contributions_set",
        actor=actor,
        organisation=organisation,
        target=result,
        summary=f"Medelstilldelning och fördelningsnyckel {year}",
    )
    return result
